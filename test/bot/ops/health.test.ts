/**
 * /healthz (alive, no database) and /readyz (database within a timeout, migrations, outbox queue,
 * not shutting down) through the real app. The database goes away for real: the SQLite file is
 * closed; PostgreSQL is reached through a TCP relay that is stopped (refused), turned into a black
 * hole (no answer) and started again.
 */
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { createLogger } from '../../../bot/logger.ts';
import { createApp, type App } from '../../../bot/app.ts';
import { Readiness } from '../../../bot/ops/health.ts';
import { enqueue } from '../../../bot/outbox/enqueue.ts';
import { openDatabase, type Database } from '../../../prisma/client.ts';
import { dbKinds, freshDatabase, type TestDb } from '../../support/databases.ts';

const NOW = new Date('2026-06-22T02:00:00Z');

async function listen(app: App): Promise<{ server: Server; base: string }> {
  const server = app.koa.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function appOn(t: TestDb, db: Database = t.db): App {
  const config = loadConfig({ DATABASE_URL: t.url, DUBAN_CONSOLE: 'false', DUBAN_ACTION_SECRET: 'action-secret-for-tests', LOG_LEVEL: 'silent' });
  return createApp(config, db, createLogger('silent'), { scheduler: false, now: () => NOW });
}

describe.each(dbKinds)('health and readiness on %s', (kind) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const t = await freshDatabase(kind);
    cleanups.push(() => t.cleanup());
    const app = appOn(t);
    const { server, base } = await listen(app);
    cleanups.push(() => void server.close());
    return { t, app, base };
  }

  it('is alive and ready, and reports the outbox queue', async () => {
    const { t, base } = await setup();
    await enqueue(t.db.sql, [
      { idempotencyKey: 'a', platform: 'WECOM', target: 'user:a', kind: 'text', payload: {} },
      { idempotencyKey: 'b', platform: 'WECOM', target: 'user:b', kind: 'text', payload: {} },
      { idempotencyKey: 'c', platform: 'DINGTALK', target: 'user:c', kind: 'text', payload: {} },
    ], new Date(NOW.getTime() - 90_000));
    await t.db.sql.execute(`UPDATE outbox_message SET status = 'DEAD' WHERE idempotency_key = 'c'`);

    const live = await fetch(`${base}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: { provider: kind },
      migrations: { pending: [] },
      outbox: { pending: 2, dead: 1, oldestPendingAgeS: 90 },
    });
  });

  it('turns not ready at once when shutting down, while staying alive', async () => {
    const { app, base } = await setup();
    app.ops.readiness.markShuttingDown();
    const r = await fetch(`${base}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ status: 'not_ready', reason: 'shutting_down' });
    expect(r.headers.get('connection')).toBe('close');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('is not ready while a migration of this code is missing from the database', async () => {
    const { t } = await setup();
    const [last] = await t.db.sql.query<{ migration_name: string }>('SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1');
    await t.db.sql.execute('DELETE FROM _prisma_migrations WHERE migration_name = ?', [last!.migration_name]);
    const r = await new Readiness({ db: t.db, now: () => NOW }).check();
    expect(r.ready).toBe(false);
    expect(r.body).toMatchObject({ reason: 'migrations_pending', pending: [last!.migration_name] });
  });

  it('answers 503 with the reason when the database is gone, and stays alive', async () => {
    const t = await freshDatabase(kind);
    cleanups.push(() => t.cleanup());
    if (kind === 'sqlite') {
      const db = await openDatabase(t.url);
      const app = appOn(t, db);
      const { server, base } = await listen(app);
      cleanups.push(() => void server.close());
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      await db.close();
      const r = await fetch(`${base}/readyz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ status: 'not_ready', reason: 'database_unreachable' });
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      return;
    }
    // PostgreSQL behind a relay we can stop and restart on the same port.
    const target = new URL(process.env.TEST_POSTGRES_URL!);
    const relay = new Relay(target.hostname, Number(target.port || 5432));
    await relay.start(0);
    cleanups.push(() => relay.stop());
    const viaRelay = new URL(t.url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    const db = await openDatabase(viaRelay.toString());
    cleanups.push(() => db.close().catch(() => undefined));
    const app = appOn(t, db);
    const { server, base } = await listen(app);
    cleanups.push(() => void server.close());
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await relay.stop(); // connections cut, port refused
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'not_ready', reason: 'database_unreachable' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    relay.blackHole = true; // accepts, never answers: the probe gives up after its timeout
    await relay.start(relay.port);
    const hung = await new Readiness({ db, now: () => NOW, timeoutMs: 300 }).check();
    expect(hung.body).toMatchObject({ status: 'not_ready', reason: 'database_timeout' });

    await relay.stop();
    relay.blackHole = false;
    await relay.start(relay.port); // the database is back: ready again without a restart
    let back = 0;
    for (let i = 0; i < 50 && back !== 200; i++) {
      back = (await fetch(`${base}/readyz`)).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(200);
  });
});

/** A TCP relay to PostgreSQL; `stop` cuts every connection, `blackHole` swallows them instead. */
class Relay {
  port = 0;
  blackHole = false;
  private server: TcpServer | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly host: string, private readonly targetPort: number) {}

  async start(port: number): Promise<void> {
    this.server = createTcpServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => undefined);
      if (this.blackHole) return;
      const upstream = connect(this.targetPort, this.host);
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
