/**
 * Decrypted WeCom callback XML → the normalized `InboundMessage`. Formats:
 * messages https://developer.work.weixin.qq.com/document/path/90239, events
 * https://developer.work.weixin.qq.com/document/path/90240, template card events
 * https://developer.work.weixin.qq.com/document/path/90376. No business rules: what a command or a
 * click means is the handlers' affair.
 */
import type { InboundAttachment, InboundMessage } from '../../handlers/bot.ts';
import { DomainError } from '../../domain/errors.ts';
import { child, children, leaf, leaves, type XmlNode } from './xml.ts';
import { mimeOf } from '../core/mime.ts';

/** Downloads a media_id (WecomClient.downloadMedia fits). */
export interface MediaSource {
  downloadMedia(mediaId: string, maxBytes: number): Promise<{ bytes: Uint8Array; mime: string; filename?: string }>;
}

/** WeCom particulars the delivery side may need (TaskId to track a card); handlers ignore them. */
export interface WecomMeta {
  msgType: string;
  event?: string;
  taskId?: string;
  agentId?: string;
  createTime: number;
  mediaId?: string;
}

export type WecomInboundMessage = InboundMessage & { wecom: WecomMeta };

export type Decoded =
  | { kind: 'message'; message: WecomInboundMessage }
  | { kind: 'ignored'; eventKey: string; type: string }
  | { kind: 'invalid'; detail: string };

const CARD_EVENTS = new Set(['template_card_event', 'template_card_menu_event']);

/**
 * Dedupe key as the doc prescribes: MsgId for messages, FromUserName+CreateTime for events, plus
 * TaskId+EventKey for card events (several clicks of one user can share a second).
 */
export function dedupeKey(root: XmlNode): string | undefined {
  const from = leaf(root, 'FromUserName');
  const createTime = leaf(root, 'CreateTime');
  const msgId = leaf(root, 'MsgId');
  if (leaf(root, 'MsgType') !== 'event' && msgId) return `WECOM:${msgId}`;
  if (!from || !createTime) return undefined;
  const event = leaf(root, 'Event') ?? '';
  if (CARD_EVENTS.has(event)) {
    return `WECOM:${from}:${createTime}:${leaf(root, 'TaskId') ?? ''}:${leaf(root, 'EventKey') ?? ''}`;
  }
  return `WECOM:${from}:${createTime}`;
}

export function decodeInner(root: XmlNode, now: Date, media?: MediaSource): Decoded {
  const from = leaf(root, 'FromUserName');
  const createTimeText = leaf(root, 'CreateTime');
  const msgType = leaf(root, 'MsgType');
  if (!from || !createTimeText || !msgType) return { kind: 'invalid', detail: 'message lacks FromUserName, CreateTime or MsgType' };
  if (!/^\d{1,12}$/.test(createTimeText)) return { kind: 'invalid', detail: 'CreateTime is not a number of seconds' };
  const eventKey = dedupeKey(root)!;
  const event = msgType === 'event' ? leaf(root, 'Event') : undefined;
  if (msgType === 'event' && !event) return { kind: 'invalid', detail: 'event message lacks Event' };

  const meta: WecomMeta = { msgType, createTime: Number(createTimeText) };
  if (event) meta.event = event;
  const agentId = leaf(root, 'AgentID');
  if (agentId) meta.agentId = agentId;
  // Self-built app callbacks come from 1:1 chats with the app; group traffic is not delivered here.
  const base = {
    eventKey,
    sender: { platform: 'WECOM' as const, userId: from },
    chat: { platform: 'WECOM' as const, kind: 'direct' as const, chatId: from },
    receivedAt: now,
    wecom: meta,
  };

  switch (msgType) {
    case 'text':
      return { kind: 'message', message: { ...base, kind: 'text', text: leaf(root, 'Content') ?? '', mentionedBot: true } };
    case 'image':
    case 'file': {
      const mediaId = leaf(root, 'MediaId');
      if (!mediaId) return { kind: 'invalid', detail: `${msgType} message lacks MediaId` };
      meta.mediaId = mediaId;
      const stem = leaf(root, 'MsgId') ?? createTimeText;
      const name = msgType === 'image' ? `image-${stem}.jpg` : (leaf(root, 'FileName') ?? `file-${stem}`);
      const attachment: InboundAttachment = {
        kind: msgType,
        name,
        mime: msgType === 'image' ? 'image/jpeg' : mimeOf(name),
        fetch: (maxBytes) => fetchMedia(media, mediaId, maxBytes),
      };
      return { kind: 'message', message: { ...base, kind: 'attachment', attachment } };
    }
    case 'event':
      if (CARD_EVENTS.has(event!)) {
        const taskId = leaf(root, 'TaskId');
        if (taskId) meta.taskId = taskId;
        const cardRef = leaf(root, 'ResponseCode');
        return {
          kind: 'message',
          message: {
            ...base,
            kind: 'card-action',
            actionToken: leaf(root, 'EventKey') ?? '',
            values: selectedValues(root),
            ...(cardRef ? { cardRef } : {}),
          },
        };
      }
      if (event === 'enter_agent') return { kind: 'message', message: { ...base, kind: 'enter' } };
      return { kind: 'ignored', eventKey, type: `event:${event}` };
    default:
      return { kind: 'ignored', eventKey, type: msgType };
  }
}

/** <SelectedItems><SelectedItem><QuestionKey/><OptionIds><OptionId/>…  → { QuestionKey: "id1,id2" } */
function selectedValues(root: XmlNode): Record<string, string> {
  const values: Record<string, string> = {};
  for (const item of children(child(root, 'SelectedItems'), 'SelectedItem')) {
    const key = leaf(item, 'QuestionKey');
    if (key) values[key] = leaves(child(item, 'OptionIds'), 'OptionId').join(',');
  }
  return values;
}

async function fetchMedia(media: MediaSource | undefined, mediaId: string, maxBytes: number): Promise<Uint8Array> {
  if (!media) {
    throw new DomainError('WECOM_MEDIA_UNAVAILABLE', '暂时无法获取该附件。', 'no WeCom client was given to download media');
  }
  return (await media.downloadMedia(mediaId, maxBytes)).bytes;
}

