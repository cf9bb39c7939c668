/**
 * The console adapter: a chat simulator in the browser that goes through the same pipeline and
 * handlers as WeCom and DingTalk. People pick who they are (from the directory), see the rooms that
 * person would be in, type, click card buttons and attach files; the bot's messages arrive here
 * through the outbox like on any platform.
 *
 * It has no sign-in of its own: it is meant for demonstration, training and tests, and is switched
 * off with DUBAN_CONSOLE=false where real platforms are connected.
 */
import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import { z } from 'zod';
import type { Database } from '../../prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { InboundMessage } from '../../handlers/bot.ts';
import type { Pipeline } from '../core/pipeline.ts';
import { readRawBody } from '../core/raw-body.ts';

export interface ConsoleDeps {
  db: Database;
  log: Logger;
  pipeline: Pipeline;
  now: () => Date;
  maxUploadBytes: number;
  /** Keeps uploaded bytes until the evidence handler stores them (content-addressed). */
  uploads: Map<string, { bytes: Uint8Array; name: string; mime: string }>;
}

export interface ConsoleRoom {
  id: string;
  name: string;
  kind: 'group' | 'direct';
}

const BOT_NAME = '督办助手';

export async function roomsFor(db: Database, personId: string): Promise<ConsoleRoom[] | null> {
  const person = await db.prisma.person.findUnique({ where: { id: personId }, include: { unit: true } });
  if (!person) return null;
  const groups = await db.prisma.chatGroup.findMany({ where: { platform: 'CONSOLE' } });
  const visible = groups.filter((g) => {
    if (g.purpose === 'LEADERSHIP') return person.role === 'LEADER' || person.role === 'BUREAU_ADMIN';
    if (g.purpose === 'BUREAU') return person.role === 'BUREAU_ADMIN' || person.role === 'BUREAU_STAFF';
    return g.unitCode !== null && g.unitCode === person.unitCode;
  });
  return [
    { id: `direct:${person.id}`, name: `与${BOT_NAME}的单聊`, kind: 'direct' as const },
    ...visible.map((g) => ({ id: `group:${g.chatId}`, name: g.name, kind: 'group' as const })),
  ];
}

const sendBody = z.object({ as: z.string().min(1), room: z.string().min(1), text: z.string().trim().min(1, '消息不能为空').max(2000, '消息过长（最多 2000 字）') });
const actionBody = z.object({
  as: z.string().min(1),
  room: z.string().min(1),
  messageId: z.coerce.number().int().positive(),
  token: z.string().min(1).max(1024),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
});

/** Only the text rules carry Chinese messages; zod's own (English) ones mean a broken request. */
function sendProblem(error: z.ZodError): string {
  const text = error.issues.filter((i) => i.path[0] === 'text' && i.code !== 'invalid_type').map((i) => i.message);
  return text.length > 0 ? text.join('；') : '消息数据不完整，请刷新页面后重试。';
}

function problem(ctx: { status: number; body: unknown }, status: number, message: string): void {
  ctx.status = status;
  ctx.body = { error: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', message };
}

export function consoleAdapterRoutes(router: Router, deps: ConsoleDeps): void {
  const { db } = deps;

  async function checkRoom(personId: string, room: string) {
    const rooms = await roomsFor(db, personId);
    if (!rooms) return { error: '未找到该人员，请重新选择身份。' };
    const r = rooms.find((x) => x.id === room);
    if (!r) return { error: '该人员不在这个会话中。' };
    return { room: r };
  }

  function chatOf(room: ConsoleRoom, personId: string): InboundMessage['chat'] {
    return room.kind === 'direct'
      ? { platform: 'CONSOLE', kind: 'direct', chatId: personId }
      : { platform: 'CONSOLE', kind: 'group', chatId: room.id.slice('group:'.length) };
  }

  router.get('/api/console/people', async (ctx) => {
    const people = await db.prisma.person.findMany({
      where: { active: true },
      orderBy: [{ role: 'asc' }, { name: 'asc' }],
      include: { unit: { select: { name: true, kind: true, sortOrder: true } } },
    });
    ctx.body = people.map((p) => ({ id: p.id, name: p.name, role: p.role, title: p.title, unitCode: p.unitCode, unitName: p.unit?.name ?? null, unitKind: p.unit?.kind ?? null }));
  });

  router.get('/api/console/rooms', async (ctx) => {
    const as = String(ctx.query.as ?? '');
    const rooms = as ? await roomsFor(db, as) : null;
    if (!rooms) return problem(ctx, 404, '未找到该人员，请重新选择身份。');
    ctx.body = rooms;
  });

  router.get('/api/console/messages', async (ctx) => {
    const as = String(ctx.query.as ?? '');
    const room = String(ctx.query.room ?? '');
    // Message ids are 32-bit integers (Prisma Int): a number outside that range is clamped, not a 500.
    const after = Math.min(Math.max(Math.floor(Number(ctx.query.after ?? 0)) || 0, 0), 2_147_483_647);
    const check = await checkRoom(as, room);
    if ('error' in check) return problem(ctx, 404, check.error!);
    const rows = await db.prisma.consoleMessage.findMany({ where: { room, id: { gt: after } }, orderBy: { id: 'asc' }, take: 200 });
    // Cards replaced in place after a click are sent again so the page can redraw them.
    const since = ctx.query.since ? new Date(String(ctx.query.since)) : null;
    // The page echoes the server's own `now`; a date PostgreSQL cannot store (year −271821) means none.
    const year = since?.getUTCFullYear() ?? NaN;
    const updated = since && year >= 1970 && year <= 9999
      ? await db.prisma.consoleMessage.findMany({ where: { room, id: { lte: after }, updatedAt: { gte: since } }, orderBy: { id: 'asc' } })
      : [];
    ctx.body = {
      now: deps.now().toISOString(),
      messages: [...updated, ...rows].map((m) => ({
        id: m.id, direction: m.direction, senderName: m.senderName, personId: m.personId, text: m.text,
        message: m.payload ? (JSON.parse(m.payload) as unknown) : null,
        attachment: m.attachment ? (JSON.parse(m.attachment) as unknown) : null,
        createdAt: m.createdAt, updatedAt: m.updatedAt,
      })),
    };
  });

  router.post('/api/console/send', async (ctx) => {
    const body = sendBody.safeParse(await readJson(ctx));
    if (!body.success) return problem(ctx, 400, sendProblem(body.error));
    const check = await checkRoom(body.data.as, body.data.room);
    if ('error' in check) return problem(ctx, 404, check.error!);
    const person = (await db.prisma.person.findUnique({ where: { id: body.data.as } }))!;
    const row = await db.prisma.consoleMessage.create({
      data: { room: body.data.room, direction: 'IN', personId: person.id, senderName: person.name, text: body.data.text, createdAt: deps.now() },
    });
    const text = body.data.text;
    await deps.pipeline.accept({
      kind: 'text',
      eventKey: `msg-${row.id}`,
      sender: { platform: 'CONSOLE', userId: person.id, displayName: person.name },
      chat: chatOf(check.room, person.id),
      receivedAt: deps.now(),
      text,
      mentionedBot: check.room.kind === 'direct' || text.includes(`@${BOT_NAME}`) || /^\s*[/／]/.test(text),
    });
    ctx.status = 202;
    ctx.body = { id: row.id };
  });

  router.post('/api/console/action', async (ctx) => {
    const body = actionBody.safeParse(await readJson(ctx));
    if (!body.success) return problem(ctx, 400, '按钮数据不完整，请刷新页面后重试。');
    const check = await checkRoom(body.data.as, body.data.room);
    if ('error' in check) return problem(ctx, 404, check.error!);
    const person = (await db.prisma.person.findUnique({ where: { id: body.data.as } }))!;
    await deps.pipeline.accept({
      kind: 'card-action',
      eventKey: `action-${body.data.messageId}-${randomUUID()}`,
      sender: { platform: 'CONSOLE', userId: person.id, displayName: person.name },
      chat: chatOf(check.room, person.id),
      receivedAt: deps.now(),
      actionToken: body.data.token,
      values: body.data.values,
      cardRef: String(body.data.messageId),
    });
    ctx.status = 202;
    ctx.body = { ok: true };
  });

  router.post('/api/console/upload', async (ctx) => {
    const as = String(ctx.query.as ?? '');
    const roomId = String(ctx.query.room ?? '');
    const name = String(ctx.query.name ?? '').slice(0, 200);
    const text = String(ctx.query.text ?? '').slice(0, 500);
    if (!name) return problem(ctx, 400, '缺少文件名。');
    const check = await checkRoom(as, roomId);
    if ('error' in check) return problem(ctx, 404, check.error!);
    const bytes = await readRawBody(ctx.req, deps.maxUploadBytes);
    if (bytes === 'too-large') return problem(ctx, 413, `文件超过 ${Math.round(deps.maxUploadBytes / 1024 / 1024)} MB 上限。`);
    const person = (await db.prisma.person.findUnique({ where: { id: as } }))!;
    const mime = String(ctx.get('content-type') || 'application/octet-stream').split(';')[0]!;
    const uploadId = randomUUID();
    deps.uploads.set(uploadId, { bytes, name, mime });
    const row = await db.prisma.consoleMessage.create({
      data: {
        room: roomId, direction: 'IN', personId: person.id, senderName: person.name, text: text || null,
        attachment: JSON.stringify({ name, mime, size: bytes.byteLength }), createdAt: deps.now(),
      },
    });
    await deps.pipeline.accept({
      kind: 'attachment',
      eventKey: `upload-${row.id}`,
      sender: { platform: 'CONSOLE', userId: person.id, displayName: person.name },
      chat: chatOf(check.room, person.id),
      receivedAt: deps.now(),
      ...(text ? { text } : {}),
      attachment: {
        kind: mime.startsWith('image/') ? 'image' : 'file',
        name, mime, size: bytes.byteLength, ref: uploadId,
        fetch: async (max) => {
          const u = deps.uploads.get(uploadId);
          deps.uploads.delete(uploadId);
          if (!u) throw new Error('upload no longer available');
          if (u.bytes.byteLength > max) throw new Error('upload too large');
          return u.bytes;
        },
      },
    });
    ctx.status = 202;
    ctx.body = { id: row.id };
  });
}

async function readJson(ctx: { req: import('node:http').IncomingMessage }): Promise<unknown> {
  const raw = await readRawBody(ctx.req, 64 * 1024);
  if (raw === 'too-large') return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    return null;
  }
}
