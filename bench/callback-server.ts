/**
 * A callback endpoint in its own process (so the load generator does not share its event loop),
 * in one of three modes: `bare` (Koa answering 200), `raw` (verify + decrypt + one better-sqlite3
 * INSERT per request), `full` (duban's WeCom route: verify, decrypt, group-committed dedupe/persist,
 * ack; the handler work after the ack is a no-op here so only the callback path is measured).
 */
import Koa from 'koa';
import Router from '@koa/router';
import BetterSqlite3 from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../prisma/client.ts';
import { createPipeline } from '../bot/core/pipeline.ts';
import { createLogger } from '../bot/logger.ts';
import { registerWecomRoutes } from '../bot/wecom/routes.ts';
import { openCallback } from '../bot/wecom/receiver.ts';
import { readRawBody } from '../bot/core/raw-body.ts';
import type { WecomConfig } from '../bot/wecom/config.ts';

const [mode, dbPath] = process.argv.slice(2) as ['bare' | 'raw' | 'full', string];
export const BENCH_WECOM: WecomConfig = {
  corpId: 'wx5823bf96d3bd56c7', agentId: 1000002, secret: 's', token: 'QDG6eK',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', apiBase: 'http://127.0.0.1:9', timestampSkewS: 0,
};

const app = new Koa();
const log = createLogger('silent');
if (mode === 'bare') {
  app.use((ctx) => { ctx.status = 200; ctx.body = ''; });
} else if (mode === 'raw') {
  const db = new BetterSqlite3(dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare('INSERT INTO inbound_event (key, platform, kind, payload, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING');
  app.use(async (ctx) => {
    const body = await readRawBody(ctx.req, 64 * 1024);
    if (body === 'too-large') { ctx.status = 413; return; }
    const r = openCallback(ctx.query as Record<string, string>, body, BENCH_WECOM, new Date());
    if (!r.ok) { ctx.status = r.status; return; }
    const key = r.outcome === 'message' ? r.message.eventKey : r.eventKey;
    insert.run(key, 'WECOM', 'text', JSON.stringify(r.outcome === 'message' ? { ...r.message, receivedAt: undefined } : {}), new Date().toISOString());
    ctx.status = 200;
    ctx.body = '';
  });
} else {
  const db = await openDatabase(`file:${dbPath}`);
  const pipeline = createPipeline(db, async () => {}, log, () => new Date());
  const router = new Router();
  registerWecomRoutes(router, { config: BENCH_WECOM, onMessage: async (m) => { await pipeline.accept(m); }, log });
  app.use(router.routes());
}
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
