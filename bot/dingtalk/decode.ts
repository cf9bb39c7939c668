/**
 * DingTalk payloads → the normalized `InboundMessage`. Robot messages
 * (https://open.dingtalk.com/document/orgapp/receive-message, reference §6.5) and interactive-card
 * callbacks (https://open.dingtalk.com/document/orgapp/create-and-deliver-cards). Shared by Stream
 * and HTTP mode. No business rules: what a command or a click means is the handlers' affair.
 * Never throws: a payload that does not fit is a typed rejection.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboundAttachment, InboundMessage } from '../../handlers/bot.ts';
import { DomainError } from '../../domain/errors.ts';
import { mimeOf } from '../core/mime.ts';

/** Turns a downloadCode into bytes (DingtalkClient.downloadFile fits). */
export interface FileSource {
  downloadFile(downloadCode: string, maxBytes: number): Promise<{ bytes: Uint8Array; mime: string }>;
}

/** DingTalk particulars the delivery side may need; handlers ignore them. */
export interface DingtalkMeta {
  msgtype: string;
  robotCode?: string;
  /** The conversation's openConversationId (also for 1:1 chats). */
  conversationId?: string;
  conversationTitle?: string;
  createAt?: number;
  outTrackId?: string;
  downloadCode?: string;
}

export type DingtalkInboundMessage = InboundMessage & { dingtalk: DingtalkMeta };

export type Decoded =
  | { outcome: 'messages'; messages: DingtalkInboundMessage[] }
  | { outcome: 'ignored'; eventKey: string; type: string }
  | { outcome: 'rejected'; reason: 'MALFORMED'; detail: string };

export interface DecodeContext {
  now: Date;
  files?: FileSource;
  /** Stream `headers.messageId`: the dedupe key of a card callback when there is one. */
  messageId?: string;
}

const id = z.string().trim().min(1).max(256);

const robotSchema = z
  .object({
    msgId: id,
    msgtype: z.string().min(1).max(64),
    conversationType: z.enum(['1', '2']),
    conversationId: id,
    conversationTitle: z.string().optional(),
    senderStaffId: z.string().optional(),
    senderId: z.string().optional(),
    senderNick: z.string().optional(),
    isInAtList: z.boolean().optional(),
    robotCode: z.string().optional(),
    createAt: z.number().optional(),
    text: z.object({ content: z.string().max(20_000) }).optional(),
    content: z.unknown().optional(),
  })
  .refine((m) => Boolean(m.senderStaffId || m.senderId), 'message has neither senderStaffId nor senderId');

type RobotMessage = z.infer<typeof robotSchema>;

const pictureSchema = z.object({ downloadCode: id, pictureDownloadCode: z.string().optional() });
const fileSchema = z.object({ downloadCode: id, fileName: z.string().trim().min(1).max(255), fileId: z.string().optional() });
const richTextSchema = z.object({
  richText: z.array(z.object({ text: z.string().optional(), type: z.string().optional(), downloadCode: z.string().optional() })).max(100),
});

const cardSchema = z.object({
  outTrackId: id,
  userId: id,
  corpId: z.string().optional(),
  type: z.string().optional(),
  spaceType: z.string().optional(),
  spaceId: z.string().optional(),
  content: z.union([z.string().max(100_000), z.record(z.string(), z.unknown())]),
});

const cardContentSchema = z.object({
  cardPrivateData: z.object({
    actionIds: z.array(z.string()).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The payload of an HTTP-mode callback can be either kind; a card callback carries `outTrackId`. */
export function decodeCallback(payload: unknown, ctx: DecodeContext): Decoded {
  const isCard = payload !== null && typeof payload === 'object' && 'outTrackId' in payload;
  return isCard ? decodeCardCallback(payload, ctx) : decodeRobotMessage(payload, ctx);
}

export function decodeRobotMessage(payload: unknown, ctx: DecodeContext): Decoded {
  const parsed = robotSchema.safeParse(payload);
  if (!parsed.success) return rejected(`robot message: ${issues(parsed.error)}`);
  const m = parsed.data;
  const userId = (m.senderStaffId || m.senderId)!;
  const direct = m.conversationType === '1';
  const meta: DingtalkMeta = { msgtype: m.msgtype, conversationId: m.conversationId };
  if (m.robotCode) meta.robotCode = m.robotCode;
  if (m.conversationTitle) meta.conversationTitle = m.conversationTitle;
  if (m.createAt !== undefined) meta.createAt = m.createAt;
  const base = {
    eventKey: m.msgId,
    sender: { platform: 'DINGTALK' as const, userId, ...(m.senderNick ? { displayName: m.senderNick } : {}) },
    chat: { platform: 'DINGTALK' as const, kind: direct ? ('direct' as const) : ('group' as const), chatId: direct ? userId : m.conversationId },
    receivedAt: ctx.now,
    dingtalk: meta,
  };
  // In groups DingTalk only delivers @-mentions of the robot; 1:1 chats always address it.
  const mentionedBot = direct || m.isInAtList === true;
  const content = jsonish(m.content);

  switch (m.msgtype) {
    case 'text':
      if (!m.text) return rejected('text message lacks text.content');
      // "@督办 签收" arrives as " 签收": DingTalk strips the mention and leaves its space.
      return messages({ ...base, kind: 'text', text: m.text.content.trim(), mentionedBot });
    case 'picture': {
      const pic = pictureSchema.safeParse(content);
      if (!pic.success) return rejected(`picture message: ${issues(pic.error)}`);
      const att = attachment('image', `image-${safeStem(m.msgId)}.jpg`, pic.data.downloadCode, ctx.files);
      return messages({ ...base, dingtalk: { ...meta, downloadCode: pic.data.downloadCode }, kind: 'attachment', attachment: att });
    }
    case 'file': {
      const file = fileSchema.safeParse(content);
      if (!file.success) return rejected(`file message: ${issues(file.error)}`);
      const att = attachment('file', file.data.fileName, file.data.downloadCode, ctx.files);
      return messages({ ...base, dingtalk: { ...meta, downloadCode: file.data.downloadCode }, kind: 'attachment', attachment: att });
    }
    case 'richText':
      return decodeRichText(m, content, base, mentionedBot, ctx);
    default:
      return { outcome: 'ignored', eventKey: m.msgId, type: m.msgtype };
  }
}

/**
 * Text with inline pictures (screenshots pasted with a remark): one attachment per picture, the
 * first carrying the text; without pictures it is plain text. Later pictures get `msgId#n` keys.
 */
function decodeRichText(m: RobotMessage, content: unknown, base: Base, mentionedBot: boolean, ctx: DecodeContext): Decoded {
  const rich = richTextSchema.safeParse(content);
  if (!rich.success) return rejected(`richText message: ${issues(rich.error)}`);
  const nodes = rich.data.richText;
  // The @-mention of the robot is its own leading node ("@督办 "); plain text arrives without it.
  const first = nodes.findIndex((n) => n.type === 'picture' || !/^\s*(@\S+\s*)?$/.test(n.text ?? ''));
  const skip = m.isInAtList && first > 0 ? first : 0;
  const text = nodes
    .slice(skip)
    .map((n) => n.text ?? '')
    .join('')
    .trim();
  const codes = nodes.filter((n) => n.type === 'picture' && n.downloadCode).map((n) => n.downloadCode!);
  if (codes.length === 0) return messages({ ...base, kind: 'text', text, mentionedBot });
  return {
    outcome: 'messages',
    messages: codes.map((code, i) => ({
      ...base,
      eventKey: i === 0 ? m.msgId : `${m.msgId}#${i + 1}`,
      dingtalk: { ...base.dingtalk, downloadCode: code },
      kind: 'attachment' as const,
      attachment: attachment('image', `image-${safeStem(m.msgId)}-${i + 1}.jpg`, code, ctx.files),
      ...(i === 0 && text ? { text } : {}),
    })),
  };
}

type Base = Omit<Extract<DingtalkInboundMessage, { kind: 'enter' }>, 'kind'>;

/**
 * Card callback: `{outTrackId, userId, content: JSON{cardPrivateData:{actionIds, params}}}`. The
 * button's signed token is `params.action` (our cards put it there), else the first action id;
 * the other params are the form values.
 */
export function decodeCardCallback(payload: unknown, ctx: DecodeContext): Decoded {
  const parsed = cardSchema.safeParse(payload);
  if (!parsed.success) return rejected(`card callback: ${issues(parsed.error)}`);
  const c = parsed.data;
  const inner = cardContentSchema.safeParse(jsonish(c.content));
  if (!inner.success) return rejected(`card callback content: ${issues(inner.error)}`);
  const params = inner.data.cardPrivateData.params ?? {};
  const fromParams = typeof params.action === 'string' && params.action.trim() ? params.action.trim() : undefined;
  const actionToken = fromParams ?? inner.data.cardPrivateData.actionIds?.find((a) => a.trim() !== '');
  if (!actionToken) return rejected('card callback carries neither params.action nor actionIds');

  const values: Record<string, string> = {};
  let rawContent: string;
  // Payload JSON can defeat String()/JSON.stringify: `{"toString":1}` has no primitive value and
  // deep nesting overflows the stack. Such a callback is malformed, not a crash.
  try {
    for (const [key, value] of Object.entries(params)) {
      if (key === 'action' || value === undefined || value === null) continue;
      values[key] = typeof value === 'string' ? value : Array.isArray(value) ? value.map(String).join(',') : typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    rawContent = typeof c.content === 'string' ? c.content : JSON.stringify(c.content);
  } catch (e) {
    return rejected(`card callback params are not plain values: ${(e as Error).name}`);
  }
  const eventKey = ctx.messageId
    ? `card:${ctx.messageId}`
    : `card:${c.outTrackId}:${c.userId}:${createHash('sha256').update(rawContent).digest('hex').slice(0, 24)}`;
  // Unverified field: some callbacks name the space the card lives in ("IM_GROUP" + cid…).
  const groupId = /GROUP/i.test(c.spaceType ?? '') && c.spaceId ? c.spaceId.replace(/^dtv1\.card\/\/IM_GROUP\./, '') : undefined;
  return messages({
    eventKey,
    sender: { platform: 'DINGTALK', userId: c.userId },
    chat: { platform: 'DINGTALK', kind: groupId ? 'group' : 'direct', chatId: groupId ?? c.userId },
    receivedAt: ctx.now,
    dingtalk: { msgtype: 'cardCallback', outTrackId: c.outTrackId },
    kind: 'card-action',
    actionToken,
    values,
    cardRef: c.outTrackId,
  });
}

function attachment(kind: 'image' | 'file', name: string, downloadCode: string, files: FileSource | undefined): InboundAttachment {
  return {
    kind,
    name,
    mime: kind === 'image' ? 'image/jpeg' : mimeOf(name),
    ref: downloadCode,
    fetch: async (maxBytes) => {
      if (!files) throw new DomainError('DINGTALK_FILE_UNAVAILABLE', '暂时无法获取该附件。', 'no DingTalk client was given to download files');
      return (await files.downloadFile(downloadCode, maxBytes)).bytes;
    },
  };
}

function messages(message: DingtalkInboundMessage): Decoded {
  return { outcome: 'messages', messages: [message] };
}

function rejected(detail: string): Decoded {
  return { outcome: 'rejected', reason: 'MALFORMED', detail: detail.slice(0, 500) };
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** `content` arrives as an object in Stream mode and sometimes as a JSON string. */
function jsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function safeStem(msgId: string): string {
  return msgId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 40) || 'msg';
}

