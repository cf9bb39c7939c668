import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../prisma/client.ts';
import { claim } from '../../../bot/outbox/claim.ts';
import { dbKinds, freshDatabase, type TestDb } from '../../support/databases.ts';
import { T0, message, put, stored } from './helpers.ts';

const LEASE = 30_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(dbKinds)('outbox claim (%s)', (kind) => {
  let t: TestDb;
  let db: Database;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    db = t.db;
  });
  afterEach(async () => t.cleanup());

  it('leases due rows of the worker’s platforms, lowest id first, and nobody else gets them during the lease', async () => {
    await put(db, [
      message(1), message(2, { platform: 'WECOM' }), message(3, { notBefore: at(60_000) }), message(4), message(5),
    ]);
    await db.sql.execute(`UPDATE outbox_message SET status = 'DEAD' WHERE idempotency_key = 'k-5'`);
    const a = await claim(db.sql, { workerId: 'a', now: T0, leaseMs: LEASE, limit: 10, platforms: ['CONSOLE'] });
    expect(a.map((r) => r.idempotencyKey)).toEqual(['k-1', 'k-4']);
    expect(a[0]).toMatchObject({ platform: 'CONSOLE', target: 'group:g1', kind: 'text', attempts: 0, ticketId: null });
    expect(JSON.parse(a[0]!.payload)).toEqual({ text: '消息 1' });
    const rows = await stored(db);
    expect(rows.filter((r) => r.lockedBy === 'a').map((r) => r.lockedUntil)).toEqual([at(LEASE), at(LEASE)]);
    expect(await claim(db.sql, { workerId: 'b', now: at(LEASE - 1), leaseMs: LEASE, limit: 10, platforms: ['CONSOLE', 'WECOM'] }))
      .toMatchObject([{ idempotencyKey: 'k-2' }]);
    expect(await claim(db.sql, { workerId: 'b', now: at(LEASE - 1), leaseMs: LEASE, limit: 10, platforms: ['CONSOLE', 'WECOM'] })).toEqual([]);
  });

  it('takes a row back from a worker whose lease ran out (it crashed)', async () => {
    await put(db, [message(1), message(2)]);
    expect(await claim(db.sql, { workerId: 'a', now: T0, leaseMs: LEASE, limit: 1, platforms: ['CONSOLE'] })).toHaveLength(1);
    const b = await claim(db.sql, { workerId: 'b', now: at(LEASE + 1), leaseMs: LEASE, limit: 10, platforms: ['CONSOLE'] });
    expect(b.map((r) => r.idempotencyKey)).toEqual(['k-1', 'k-2']);
    expect((await stored(db)).map((r) => r.lockedBy)).toEqual(['b', 'b']);
  });

  it('respects the batch limit and an empty platform list', async () => {
    await put(db, [1, 2, 3].map((n) => message(n)));
    expect(await claim(db.sql, { workerId: 'a', now: T0, leaseMs: LEASE, limit: 2, platforms: ['CONSOLE'] })).toHaveLength(2);
    expect(await claim(db.sql, { workerId: 'a', now: T0, leaseMs: LEASE, limit: 2, platforms: [] })).toEqual([]);
  });

  it('never gives the same row to two workers claiming at the same time (two database handles)', async () => {
    const total = 400;
    await put(db, Array.from({ length: total }, (_, i) => message(i)));
    const other = await openDatabase(t.url);
    try {
      const seen = new Map<number, string>();
      const duplicates: number[] = [];
      const worker = async (handle: Database, id: string) => {
        for (;;) {
          const rows = await claim(handle.sql, { workerId: id, now: T0, leaseMs: LEASE, limit: 7, platforms: ['CONSOLE'] });
          if (rows.length === 0) return;
          for (const r of rows) {
            if (seen.has(r.id)) duplicates.push(r.id);
            seen.set(r.id, id);
          }
        }
      };
      await Promise.all([worker(db, 'a1'), worker(other, 'b1'), worker(db, 'a2'), worker(other, 'b2')]);
      expect(duplicates).toEqual([]);
      expect(seen.size).toBe(total);
      const owners = new Set(seen.values());
      if (kind === 'postgresql') expect(owners.size).toBeGreaterThan(1); // they really ran side by side
      const rows = await stored(db);
      expect(rows.every((r) => r.lockedBy === seen.get(r.id))).toBe(true);
    } finally {
      await other.close();
    }
  });
});
