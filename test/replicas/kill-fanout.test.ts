/**
 * kill -9 of a replica in the middle of a large fan-out: the other replicas and a restarted one
 * finish it, nothing is lost, and the only duplicates are rows the killed process had sent but not
 * yet recorded — a subset of the rows it had claimed, never more than its delivery concurrency.
 * Rows it had claimed but not sent wait for the claim to expire (DUBAN_OUTBOX_LEASE_S, 10 s here).
 *
 * Run alone: TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/duban_ci npx vitest run test/replicas/kill-fanout.test.ts
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../bot/outbox/enqueue.ts';
import type { OutboxInput } from '../../bot/outbox/types.ts';
import { Cluster, PG_ONLY, PG_URL } from './cluster.ts';

const ROWS = 2_000;
const MEMBERS = 400; // 5 messages each: far below WeCom's 30 per member and minute
const LEASE_S = 10;
/** DeliveryWorker's default: rows sent at once by one worker, i.e. at most this many unrecorded at a crash. */
const CONCURRENCY = 4;

describe.skipIf(!PG_URL)(`kill -9 of a replica during a fan-out${PG_ONLY}`, () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await Cluster.create({ env: { DUBAN_OUTBOX_LEASE_S: String(LEASE_S) } });
    await cluster.start(3);
  }, 150_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('finishes the fan-out on the other replicas and a restarted one, losing nothing, duplicating at most the rows in flight', { timeout: 150_000 }, async () => {
    const { db, fake, replicas } = cluster;
    const now = new Date();
    const messages: OutboxInput[] = Array.from({ length: ROWS }, (_, n) => ({
      idempotencyKey: `fanout:${n}`, platform: 'WECOM', target: `user:m${n % MEMBERS}`, kind: 'notice', payload: { message: { type: 'text', text: `督办通知 第${n}条` } },
    }));
    expect(await enqueue(db.sql, messages, now)).toBe(ROWS);
    const started = Date.now();

    await cluster.until('a quarter of the fan-out delivered', () => fake.messages.length >= ROWS / 4, 60_000, 20);
    const victim = replicas[1]!;
    const owner = `${hostname()}:${victim.pid}`;
    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    const deliveredAtKill = fake.messages.length;
    // What the dead process held: claimed, not recorded. Only these can be sent twice.
    const held = (await db.sql.query<{ id: number }>(`SELECT id FROM outbox_message WHERE locked_by = ? AND status = 'PENDING'`, [owner])).map((r) => Number(r.id));
    const [restarted] = await cluster.start(1);

    await cluster.until('the fan-out drained', async () => (await cluster.pending()) === 0, 60_000, 250);
    const drainedAt = Date.now();

    const counts = new Map<number, number>();
    for (const m of fake.messages) {
      const n = Number(/第(\d+)条/.exec(JSON.stringify(m.body))?.[1]);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    const missing = messages.map((_, n) => n).filter((n) => !counts.has(n));
    const twice = [...counts].filter(([, c]) => c > 1);
    const duplicates = twice.reduce((s, [, c]) => s + c - 1, 0);
    const rows = await db.sql.query<{ id: number; idempotency_key: string; status: string }>(`SELECT id, idempotency_key, status FROM outbox_message`);
    const rowOf = new Map(rows.map((r) => [Number(r.idempotency_key.split(':')[1]), Number(r.id)]));

    expect(missing).toEqual([]);
    expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
    for (const [n] of twice) expect(held, `message ${n} was sent twice but the killed replica did not hold it`).toContain(rowOf.get(n));
    expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
    expect(fake.violations).toEqual([]);
    expect(replicas.filter((r) => r !== victim).every((r) => r.alive)).toBe(true);
    expect(restarted!.alive).toBe(true);
    console.log(`kill -9 mid fan-out: ${ROWS} messages, ${counts.size} delivered, ${duplicates} duplicates (killed after ${deliveredAtKill} sent; it held ${held.length} claimed rows, ≤ ${CONCURRENCY} in flight; window: outbox lease ${LEASE_S} s) — drained ${((drainedAt - killedAt) / 1000).toFixed(1)} s after the kill, ${((drainedAt - started) / 1000).toFixed(1)} s in all`);
  });
});
