/**
 * A real app for web console tests: a fresh database (SQLite or PostgreSQL) with the seed plan and
 * the demo directory, listening on 127.0.0.1, with a clock the test can move.
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
import { freshDatabase, type DbKind, type TestDb } from '../support/databases.ts';
import type { Database } from '../../prisma/client.ts';

export interface ConsoleApp {
  app: App;
  db: Database;
  base: string;
  evidenceDir: string;
  clock: { now: Date };
  stop(): Promise<void>;
}

export async function startConsoleApp(kind: DbKind, now = new Date('2026-07-06T02:00:00Z'), opts: { seed?: boolean } = {}): Promise<ConsoleApp> {
  const t: TestDb = await freshDatabase(kind);
  const dir = mkdtempSync(join(tmpdir(), 'duban-web-'));
  const evidenceDir = join(dir, 'evidence');
  const config = loadConfig({
    DATABASE_URL: t.url, DUBAN_EVIDENCE_DIR: evidenceDir, LOG_LEVEL: 'silent', DUBAN_ACTION_SECRET: 'test-action-secret-0123456789',
    ...(opts.seed === false ? { DUBAN_SEED_PLAN: '' } : {}),
  });
  const log = createLogger('silent');
  const clock = { now };
  await seedIfEmpty(t.db, config, log, now);
  const app = createApp(config, t.db, log, { now: () => clock.now, scheduler: false });
  const server: Server = app.koa.listen(0, '127.0.0.1');
  // Longer than any pause of a test: an idle keep-alive socket closed by the server just as
  // fetch reuses it fails the request ("other side closed").
  server.keepAliveTimeout = 65_000;
  await new Promise((r) => server.once('listening', r));
  return {
    app,
    db: t.db,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    evidenceDir,
    clock,
    async stop() {
      await new Promise((r) => server.close(r));
      await app.stop();
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
