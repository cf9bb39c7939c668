import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../bot/server.ts';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { prepareDatabase, seedIfEmpty } from '../../bot/bootstrap.ts';
import type { Database } from '../../prisma/client.ts';
import { freshUrl } from '../support/databases.ts';

describe('first start on an empty SQLite file', () => {
  let server: Server;
  let base: string;
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshUrl('sqlite');
    drop = fresh.drop;
    const config = loadConfig({ DATABASE_URL: fresh.url, PORT: '0' });
    const log = createLogger('silent');
    db = await prepareDatabase(config, log); // migrates the new file by itself
    const now = new Date('2026-06-20T02:00:00Z');
    await seedIfEmpty(db, config, log, now);
    await seedIfEmpty(db, config, log, now); // a restart seeds nothing twice
    server = createServer({ db, log, config, now: () => now }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await db.close();
    await drop();
  });

  it('answers /healthz (alive) and /readyz (database migrated and reachable)', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: { provider: 'sqlite' }, migrations: { pending: [] } });
  });

  it('has loaded the seed plan, its tickets as outbox cards, and the demo directory — once', async () => {
    const plan = await db.prisma.plan.findFirstOrThrow({ include: { _count: { select: { tasks: true } } } });
    expect(plan).toMatchObject({ docNo: '湘数据〔2026〕57号', _count: { tasks: 28 } });
    const tickets = await db.prisma.ticket.count({ where: { status: 'ASSIGNED' } });
    expect(tickets).toBeGreaterThan(800);
    expect(await db.prisma.outboxMessage.count({ where: { status: 'PENDING' } })).toBe(tickets);
    expect(await db.prisma.person.count({ where: { role: 'UNIT_OFFICER' } })).toBe(await db.prisma.unit.count({ where: { kind: { not: 'BUREAU' } } }));
    expect(await db.prisma.chatGroup.count({ where: { purpose: 'LEADERSHIP' } })).toBe(1);
  });

  // The dashboard and its read API are the web console's, behind sign-in (test/web/dashboard.test.ts).
  it('serves no unauthenticated read API of its own', async () => {
    for (const path of ['/overview', '/api/summary', '/api/tickets', '/api/outbox']) expect((await fetch(`${base}${path}`)).status).toBe(404);
  });
});
