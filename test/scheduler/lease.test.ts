import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../prisma/client.ts';
import { lastRun, recordRun, releaseLease, tryLease } from '../../scheduler/lease.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const t0 = new Date('2026-06-22T01:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe.each(dbKinds)('job leases on %s', (kind) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(kind);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('lets one replica hold a job until its lease expires, then another takes over', async () => {
    const sql = t.db.sql;
    expect(await tryLease(sql, 'digests', 'a', 60_000, t0)).toBe(true);
    expect(await tryLease(sql, 'digests', 'b', 60_000, later(1_000))).toBe(false);
    expect(await tryLease(sql, 'digests', 'a', 60_000, later(30_000))).toBe(true); // renewal until +90 s
    expect(await tryLease(sql, 'digests', 'b', 60_000, later(61_000))).toBe(false);
    // replica a dies without giving the lease back
    expect(await tryLease(sql, 'digests', 'b', 60_000, later(90_001))).toBe(true);
    expect(await tryLease(sql, 'digests', 'a', 60_000, later(90_002))).toBe(false);
    const row = await t.db.prisma.jobLease.findUniqueOrThrow({ where: { name: 'digests' } });
    expect([row.owner, row.leaseUntil.toISOString()]).toEqual(['b', later(150_001).toISOString()]);
  });

  it('gives a lease back only for its owner', async () => {
    const sql = t.db.sql;
    await tryLease(sql, 'sweep', 'a', 60_000, t0);
    await releaseLease(sql, 'sweep', 'b');
    expect(await tryLease(sql, 'sweep', 'b', 60_000, t0)).toBe(false);
    await releaseLease(sql, 'sweep', 'a');
    expect(await tryLease(sql, 'sweep', 'b', 60_000, t0)).toBe(true);
  });

  it('records runs without touching who holds the lease', async () => {
    const sql = t.db.sql;
    expect(await lastRun(sql, 'digests')).toEqual({ at: null, key: null });
    await recordRun(sql, 'digests', 'first', t0); // no lease row yet
    expect(await lastRun(sql, 'digests')).toEqual({ at: t0, key: 'first' });
    expect(await tryLease(sql, 'digests', 'a', 60_000, t0)).toBe(true);
    await recordRun(sql, 'digests', 'second', later(5_000));
    expect(await lastRun(sql, 'digests')).toEqual({ at: later(5_000), key: 'second' });
    expect(await tryLease(sql, 'digests', 'b', 60_000, later(6_000))).toBe(false);
  });

  it('grants a free lease to exactly one of many racing replicas', async () => {
    const other = await openDatabase(t.url);
    try {
      const attempts = Array.from({ length: 10 }, (_, i) => tryLease(i % 2 ? other.sql : t.db.sql, 'race', `r${i}`, 60_000, t0));
      const won = await Promise.all(attempts);
      expect(won.filter(Boolean)).toHaveLength(1);
      const row = await t.db.prisma.jobLease.findUniqueOrThrow({ where: { name: 'race' } });
      expect(row.owner).toBe(`r${won.indexOf(true)}`);
    } finally {
      await other.close();
    }
  });
});
