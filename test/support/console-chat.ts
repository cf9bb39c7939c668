/**
 * A conversational test harness over the console adapter (STYLE.md point 9): people send text,
 * click card buttons and upload files through the same HTTP API the browser uses; the outbox is
 * delivered by the real worker; assertions read what each person sees in a room.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { prepareDatabase, seedIfEmpty } from '../../bot/bootstrap.ts';
import { createApp, type App } from '../../bot/app.ts';
import { signedIn, type WebClient } from './web-session.ts';

export interface ChatMessage {
  id: number;
  direction: 'IN' | 'OUT';
  senderName: string;
  text: string | null;
  message: { type: string; text?: string; markdown?: string; name?: string; card?: { body: unknown[]; actions?: { title: string; data?: { action: string; token: string } }[] }; fallbackText?: string } | null;
  updatedAt: string | null;
}

export class ConsoleChat {
  private web!: WebClient;
  private constructor(readonly app: App, readonly base: string, private server: Server, private dir: string, readonly clock: { readonly now: Date }) {}

  /** `databaseUrl`: a migrated database to run on instead of a fresh SQLite file (PostgreSQL runs). */
  static async start(now = new Date('2026-06-22T02:00:00Z'), opts: { databaseUrl?: string } = {}): Promise<ConsoleChat> {
    const dir = mkdtempSync(join(tmpdir(), 'duban-chat-'));
    const config = loadConfig({
      DATABASE_URL: opts.databaseUrl ?? `file:${join(dir, 'duban.db')}`, DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), PORT: '0', LOG_LEVEL: 'silent',
      ...(opts.databaseUrl ? { DUBAN_ACTION_SECRET: 'console-chat-action-secret' } : {}),
    });
    const log = createLogger('silent');
    // Time starts at `now` and runs on, as it does for a real server.
    const started = Date.now();
    const clock = { get now() { return new Date(now.getTime() + (Date.now() - started)); } };
    const db = await prepareDatabase(config, log);
    await seedIfEmpty(db, config, log, clock.now);
    const app = createApp(config, db, log, { now: () => clock.now });
    const server = app.koa.listen(0, '127.0.0.1');
    // Longer than any pause of a test: an idle keep-alive socket closed by the server just as
    // fetch reuses it fails the request ("other side closed").
    server.keepAliveTimeout = 65_000;
    await new Promise((r) => server.once('listening', r));
    const chat = new ConsoleChat(app, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, dir, clock);
    // The simulator API belongs to the signed-in console (bureau administrators only).
    chat.web = await signedIn(db, chat.base, 'BUREAU_ADMIN');
    await chat.deliver();
    return chat;
  }

  /** The bureau administrator account the harness signed in with (browser tests sign in as it too). */
  get adminUsername(): string {
    return this.web.username;
  }

  async stop(): Promise<void> {
    this.server.close();
    await this.app.stop();
    await this.app.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Processes accepted messages and delivers the whole outbox. */
  async deliver(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await this.app.pipeline.drain();
      const r = await this.app.worker.runOnce();
      if (r.claimed === 0) {
        await this.app.pipeline.drain();
        if ((await this.app.worker.runOnce()).claimed === 0) return;
      }
    }
    throw new Error('outbox did not drain');
  }

  async person(consoleId: string): Promise<string> {
    const p = await this.app.db.prisma.person.findFirstOrThrow({ where: { consoleId } });
    return p.id;
  }

  async post(path: string, body: unknown): Promise<{ status: number; body: { message?: string } }> {
    const r = await this.web.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as { message?: string } };
  }

  async send(as: string, room: string, text: string): Promise<void> {
    const r = await this.post('/api/console/send', { as, room, text });
    if (r.status !== 202) throw new Error(`send failed: ${r.status} ${r.body.message}`);
    await this.deliver();
  }

  async click(as: string, room: string, messageId: number, action: string, values: Record<string, string> = {}): Promise<void> {
    const msg = (await this.messages(as, room)).find((m) => m.id === messageId);
    const button = findButton(msg, action);
    if (!button) throw new Error(`no button ${action} on message ${messageId}`);
    const r = await this.post('/api/console/action', { as, room, messageId, token: button.token, values: { ...button.extra, ...values } });
    if (r.status !== 202) throw new Error(`click failed: ${r.status} ${r.body.message}`);
    await this.deliver();
  }

  async upload(as: string, room: string, name: string, bytes: Uint8Array, mime: string, text = ''): Promise<number> {
    const q = new URLSearchParams({ as, room, name, text });
    const r = await this.web.fetch(`/api/console/upload?${q}`, { method: 'POST', headers: { 'content-type': mime }, body: Buffer.from(bytes) });
    await this.deliver();
    return r.status;
  }

  async messages(as: string, room: string): Promise<ChatMessage[]> {
    const r = await this.web.fetch(`/api/console/messages?${new URLSearchParams({ as, room, after: '0' })}`);
    return ((await r.json()) as { messages: ChatMessage[] }).messages;
  }

  async lastBot(as: string, room: string): Promise<ChatMessage> {
    const all = (await this.messages(as, room)).filter((m) => m.direction === 'OUT');
    return all.at(-1)!;
  }
}

export function textOf(m: ChatMessage | undefined): string {
  if (!m?.message) return m?.text ?? '';
  return m.message.text ?? m.message.markdown ?? m.message.fallbackText ?? '';
}

export function findButton(m: ChatMessage | undefined, action: string): { token: string; extra: Record<string, string> } | null {
  const card = m?.message?.card;
  if (!card) return null;
  const all: { data?: Record<string, unknown> }[] = [...(card.actions ?? [])];
  const visit = (els: unknown[]) => {
    for (const el of els as { type: string; actions?: { data?: Record<string, unknown> }[]; items?: unknown[] }[]) {
      if (el.type === 'ActionSet') all.push(...(el.actions ?? []));
      if (el.type === 'Container') visit(el.items ?? []);
    }
  };
  visit(card.body);
  const a = all.find((x) => x.data?.action === action);
  if (!a?.data) return null;
  const { action: _a, token, ...extra } = a.data as Record<string, string>;
  return { token: token!, extra };
}
