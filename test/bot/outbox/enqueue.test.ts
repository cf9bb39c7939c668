import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../prisma/client.ts';
import { enqueue } from '../../../bot/outbox/enqueue.ts';
import { dbKinds, freshDatabase, type TestDb } from '../../support/databases.ts';
import { T0, message, stored } from './helpers.ts';

describe.each(dbKinds)('outbox enqueue (%s)', (kind) => {
  let t: TestDb;
  let db: Database;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    db = t.db;
  });
  afterEach(async () => t.cleanup());

  it('writes pending messages due now (or at notBefore) with the payload as JSON', async () => {
    const later = new Date(T0.getTime() + 3_600_000);
    const n = await enqueue(db.sql, [
      message(1, { payload: { card: 'ticket-assigned', ticketId: 7, 标题: '任务1' }, ticketId: 7 }),
      message(2, { platform: 'WECOM', target: 'user:zhangsan', notBefore: later }),
    ], T0);
    expect(n).toBe(2);
    const rows = await stored(db);
    expect(rows).toMatchObject([
      { idempotencyKey: 'k-1', status: 'PENDING', attempts: 0, nextAttemptAt: T0, ticketId: 7, lockedBy: null },
      { idempotencyKey: 'k-2', status: 'PENDING', attempts: 0, nextAttemptAt: later, ticketId: null },
    ]);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ card: 'ticket-assigned', ticketId: 7, 标题: '任务1' });
  });

  it('creates a message once however often it is enqueued with the same key', async () => {
    expect(await enqueue(db.sql, [message(1)], T0)).toBe(1);
    expect(await enqueue(db.sql, [message(1, { payload: { text: '改过的' } }), message(2)], T0)).toBe(1);
    expect(await enqueue(db.sql, [message(3), message(3)], T0)).toBe(1);
    const rows = await stored(db);
    expect(rows.map((r) => r.idempotencyKey)).toEqual(['k-1', 'k-2', 'k-3']);
    expect(JSON.parse(rows[0]!.payload)).toEqual({ text: '消息 1' }); // the first one wins
  });

  it('creates a message once when two transactions (two replicas) enqueue the same key concurrently', async () => {
    // PostgreSQL: two connections; the second insert waits on the first's uncommitted key, then skips.
    // SQLite: one writer at a time by design; the two transactions are serialised.
    const other = kind === 'postgresql' ? await openDatabase(t.url) : db;
    try {
      let inserted1!: () => void;
      const firstInserted = new Promise<void>((r) => (inserted1 = r));
      const a = db.sql.transaction(async (tx) => {
        const n = await enqueue(tx, [message('digest-2026-W25')], T0);
        inserted1();
        if (kind === 'postgresql') await new Promise((r) => setTimeout(r, 150)); // hold the key uncommitted
        return n;
      });
      if (kind === 'postgresql') await firstInserted;
      const b = other.sql.transaction((tx) => enqueue(tx, [message('digest-2026-W25')], T0));
      expect((await Promise.all([a, b])).sort()).toEqual([0, 1]);
      expect(await stored(db)).toHaveLength(1);
    } finally {
      if (other !== db) await other.close();
    }
  });

  it('is written in the caller’s transaction: rolled back with it', async () => {
    await expect(db.sql.transaction(async (tx) => {
      await enqueue(tx, [message(1)], T0);
      throw new Error('the ticket change failed');
    })).rejects.toThrow('the ticket change failed');
    expect(await stored(db)).toHaveLength(0);
  });

  it('refuses an invalid message with a clear Chinese message and writes nothing', async () => {
    await expect(enqueue(db.sql, [message(1), message(2, { platform: 'FEISHU' as 'WECOM' })], T0)).rejects.toThrow(/未知平台 FEISHU/);
    await expect(enqueue(db.sql, [message(1, { idempotencyKey: '' })], T0)).rejects.toThrow(/幂等键/);
    await expect(enqueue(db.sql, [message(1, { payload: undefined })], T0)).rejects.toThrow(/JSON/);
    expect(await stored(db)).toHaveLength(0);
    expect(await enqueue(db.sql, [], T0)).toBe(0);
  });
});
