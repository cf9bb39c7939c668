/**
 * A real app on loopback for the plan review and directory tests: a fresh database (SQLite or
 * PostgreSQL) seeded as on first start (the 2026 plan loaded and assigned, the demo directory),
 * a 1 MB upload cap so that the size refusal is cheap to test.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { seedIfEmpty } from '../../bot/bootstrap.ts';
import { createApp, type App } from '../../bot/app.ts';
import type { Database } from '../../prisma/client.ts';
import { freshDatabase, type DbKind } from './databases.ts';

export interface SeededApp {
  app: App;
  db: Database;
  /** DATABASE_URL of that database (for a CLI run against it). */
  url: string;
  base: string;
  stop(): Promise<void>;
}

export async function startSeededApp(kind: DbKind, now = new Date('2026-06-22T02:00:00Z')): Promise<SeededApp> {
  const t = await freshDatabase(kind);
  const dir = mkdtempSync(join(tmpdir(), 'duban-plan-dir-'));
  const config = loadConfig({
    DATABASE_URL: t.url, DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), LOG_LEVEL: 'silent',
    DUBAN_UPLOAD_MAX_MB: '1', DUBAN_ACTION_SECRET: 'test-action-secret-0123456789',
  });
  const log = createLogger('silent');
  await seedIfEmpty(t.db, config, log, now);
  const app = createApp(config, t.db, log, { now: () => now, scheduler: false });
  const server: Server = app.koa.listen(0, '127.0.0.1');
  // Longer than any pause of a test: an idle keep-alive socket closed by the server just as
  // fetch reuses it fails the request ("other side closed").
  server.keepAliveTimeout = 65_000;
  await new Promise((r) => server.once('listening', r));
  return {
    app,
    db: t.db,
    url: t.url,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await new Promise((r) => server.close(r));
      await app.stop();
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** multipart/form-data with one file (and optional fields). */
export function uploadForm(name: string, bytes: Buffer | string, fields: Record<string, string> = {}, type = 'application/octet-stream'): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  fd.append('file', new Blob([new Uint8Array(b)], { type }), name);
  return fd;
}

