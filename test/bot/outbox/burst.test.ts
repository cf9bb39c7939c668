/**
 * A burst of 2,000 messages to a few targets, delivered on a simulated clock: no rule is ever
 * exceeded in any sliding window, and the burst completes within 5% of the fastest schedule the
 * platforms' limits allow.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../prisma/client.ts';
import { DeliveryWorker } from '../../../bot/outbox/worker.ts';
import { enqueue } from '../../../bot/outbox/enqueue.ts';
import { platformRules } from '../../../bot/outbox/rate-limiter.ts';
import { toDate } from '../../../bot/outbox/status.ts';
import type { DeliveryRow, OutboxInput, RateRule } from '../../../bot/outbox/types.ts';
import { dbKinds, freshDatabase, type TestDb } from '../../support/databases.ts';
import { FakeClock, FakeSender, T0, recordingLog, stored } from './helpers.ts';

/** Target → how many messages, and the rules that bind it (margin 0: the platform's own limits). */
const TARGETS: { platform: 'WECOM' | 'DINGTALK'; target: string; count: number; limits: (margin?: number) => RateRule[] }[] = [
  { platform: 'WECOM', target: 'user:zhangsan', count: 1100, limits: (m) => platformRules.wecomAppMessage('1000002', 'zhangsan', m) },
  { platform: 'WECOM', target: 'user:lisi', count: 300, limits: (m) => platformRules.wecomAppMessage('1000002', 'lisi', m) },
  { platform: 'WECOM', target: 'robot:bureau', count: 300, limits: (m) => platformRules.wecomGroupRobot('bureau', m) },
  { platform: 'DINGTALK', target: 'robot:leaders', count: 300, limits: (m) => platformRules.dingtalkCustomRobot('leaders', m) },
];

/** The fastest schedule: greedy earliest sends are optimal for sliding windows (each send as early as its predecessors allow). */
function fastestMakespan(count: number, rules: RateRule[]): number {
  const s: number[] = [];
  for (let i = 0; i < count; i++) {
    let at = 0;
    for (const r of rules) if (i >= r.limit) at = Math.max(at, s[i - r.limit]! + r.windowMs);
    s.push(at);
  }
  return s[count - 1]!;
}

function violations(times: number[], rules: RateRule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    for (let i = 0; i + r.limit < times.length; i++) {
      if (times[i + r.limit]! - times[i]! < r.windowMs) out.push(`${r.key}: ${r.limit + 1} sends within ${times[i + r.limit]! - times[i]!} ms`);
    }
  }
  return out;
}

describe.each(dbKinds)('a burst of 2,000 messages (%s)', (kind) => {
  let t: TestDb;
  let db: Database;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    db = t.db;
  });
  afterEach(async () => t.cleanup());

  it('never exceeds a platform limit and completes within 5% of the fastest schedule', { timeout: 120_000 }, async () => {
    const clock = new FakeClock();
    const rulesOf = (row: DeliveryRow) => TARGETS.find((x) => x.target === row.target)!.limits();
    const wecom = new FakeSender('WECOM', clock);
    const dingtalk = new FakeSender('DINGTALK', clock);
    wecom.rulesFor = rulesOf;
    dingtalk.rulesFor = rulesOf;

    // Interleaved, as a digest run would enqueue them.
    const msgs: OutboxInput[] = [];
    const left = TARGETS.map((x) => x.count);
    for (let i = 0; msgs.length < 2000; i++) {
      const k = i % TARGETS.length;
      if (left[k]! === 0) continue;
      left[k]!--;
      msgs.push({ idempotencyKey: `burst-${msgs.length}`, platform: TARGETS[k]!.platform, target: TARGETS[k]!.target, kind: 'reminder', payload: { n: msgs.length } });
    }
    expect(await enqueue(db.sql, msgs, T0)).toBe(2000);

    const log = recordingLog();
    const worker = new DeliveryWorker({ db, senders: [wecom, dingtalk], clock, log, workerId: 'w1', batchSize: 100, leaseMs: 60_000, concurrency: 4 });
    let runs = 0;
    let deferred = 0;
    for (;;) {
      expect(++runs).toBeLessThan(5_000);
      const c = await worker.runOnce();
      deferred += c.deferred;
      if (c.claimed > 0) continue;
      const next = await db.sql.query<{ at: Date | string | null }>(`SELECT MIN(next_attempt_at) AS at FROM outbox_message WHERE status = 'PENDING'`);
      const at = toDate(next[0]?.at ?? null);
      if (!at) break;
      expect(at.getTime()).toBeGreaterThan(clock.t); // nothing due is left behind
      clock.t = at.getTime();
    }

    const rows = await stored(db);
    expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
    expect(rows.every((r) => r.attempts === 0)).toBe(true); // waiting for a slot is not a failed attempt
    const delivered = [...wecom.delivered, ...dingtalk.delivered];
    expect(new Set(delivered.map((d) => d.row.id)).size).toBe(2000);
    expect(delivered).toHaveLength(2000);

    for (const x of TARGETS) {
      const times = delivered.filter((d) => d.row.target === x.target).map((d) => d.at - T0.getTime()).sort((a, b) => a - b);
      expect(times).toHaveLength(x.count);
      expect(violations(times, x.limits(0))).toEqual([]);
      const fastest = fastestMakespan(x.count, x.limits(0));
      expect(times.at(-1)!, `${x.target}: finished after ${times.at(-1)} ms, fastest possible ${fastest} ms`).toBeLessThanOrEqual(fastest * 1.05);
    }
    // The backlog is planned onto future slots: each row waits about once, not once per window.
    expect(deferred).toBeLessThanOrEqual(2000);
    expect(log.at('warn').concat(log.at('error'))).toEqual([]);
  });
});
