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

  it('answers /healthz', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', database: 'sqlite' });
  });

  it('has loaded the seed plan, its tickets as outbox cards, and the demo directory — once', async () => {
    const s = await (await fetch(`${base}/api/summary`)).json();
    expect(s.plan).toMatchObject({ docNo: '湘数据〔2026〕57号', tasks: 28 });
    const tickets = s.ticketsByStatus.ASSIGNED;
    expect(tickets).toBeGreaterThan(800);
    expect(s.outbox.PENDING).toBe(tickets);
    expect(await db.prisma.person.count({ where: { role: 'UNIT_OFFICER' } })).toBe(await db.prisma.unit.count({ where: { kind: { not: 'BUREAU' } } }));
    expect(await db.prisma.chatGroup.count({ where: { purpose: 'LEADERSHIP' } })).toBe(1);
  });

  it('shows the console page in Chinese with tickets and traffic lights', async () => {
    const html = await (await fetch(`${base}/overview`)).text();
    expect(html).toContain('督办');
    expect(html).toContain('湘数据〔2026〕57号');
    expect(html).toMatch(/待签收/);
    expect(html).toMatch(/🔴|🟡|🟢/);
  });

  it('pages and filters tickets, and explains a bad query in Chinese', async () => {
    const r = await (await fetch(`${base}/api/tickets?unit=c-changsha&limit=5`)).json();
    expect(r.items).toHaveLength(5);
    expect(r.items.every((t: { unitCode: string }) => t.unitCode === 'c-changsha')).toBe(true);
    expect(r.items[0].light).toMatch(/GREEN|YELLOW|RED/);
    const bad = await fetch(`${base}/api/tickets?status=WHATEVER`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/查询参数有误/);
  });
});
