/**
 * A real app on loopback over a fresh database (SQLite or PostgreSQL) with the 2026 plan loaded and
 * assigned (units, 附件3/附件4 service lists, tickets), for the returns and export tests.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, SEED_PLAN_FILE } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { createApp, type App } from '../../bot/app.ts';
import { parsePlan } from '../../domain/plan/parse.ts';
import { assignPlan, loadPlan } from '../../handlers/services/plan-store.ts';
import { freshDatabase, type DbKind, type TestDb } from './databases.ts';

export interface ReturnsApp {
  t: TestDb;
  app: App;
  base: string;
  stop(): Promise<void>;
}

export async function startReturnsApp(kind: DbKind, now = new Date('2026-06-22T02:00:00Z')): Promise<ReturnsApp> {
  const t = await freshDatabase(kind);
  const dir = mkdtempSync(join(tmpdir(), 'duban-returns-'));
  const text = readFileSync(SEED_PLAN_FILE, 'utf8');
  const loaded = await loadPlan(t.db, parsePlan(text), text, now);
  await assignPlan(t.db, loaded.planId, now, 'CONSOLE');
  // 1 MB upload cap, so that the size refusal is cheap to test.
  const config = loadConfig({ DATABASE_URL: t.url, DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), LOG_LEVEL: 'silent', DUBAN_SEED_PLAN: '', DUBAN_UPLOAD_MAX_MB: '1', DUBAN_ACTION_SECRET: 'test-action-secret-0123456789' });
  const app = createApp(config, t.db, createLogger('silent'), { now: () => now, scheduler: false });
  const server: Server = app.koa.listen(0, '127.0.0.1');
  // Longer than any pause of a test: an idle keep-alive socket closed by the server just as
  // fetch reuses it fails the request ("other side closed").
  server.keepAliveTimeout = 65_000;
  await new Promise((r) => server.once('listening', r));
  return {
    t,
    app,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.close();
      await app.stop();
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** multipart/form-data with one file. */
export function fileForm(name: string, bytes: Buffer, type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'): FormData {
  const fd = new FormData();
  fd.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return fd;
}
