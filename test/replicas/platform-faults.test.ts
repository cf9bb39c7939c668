/**
 * The platform misbehaving for minutes — HTTP 5xx, no answer, rate limiting (WeCom errcode 45009,
 * DingTalk 403 flow control, HTTP 429) — against the real delivery worker, WeCom/DingTalk senders
 * and clients, and the fake platforms, on a simulated clock shared by worker and fake (five minutes
 * pass in a few seconds; only the client timeouts are real time). Promise: retried with exponential
 * backoff, nothing lost or dead-lettered for a retryable error, the rate limits never exceeded,
 * everything delivered after recovery.
 *
 * Run alone: npx vitest run test/replicas/platform-faults.test.ts (PostgreSQL too when TEST_POSTGRES_URL is set)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DeliveryWorker } from '../../bot/outbox/worker.ts';
import { enqueue } from '../../bot/outbox/enqueue.ts';
import { DEFAULT_BACKOFF } from '../../bot/outbox/backoff.ts';
import { toDate } from '../../bot/outbox/status.ts';
import type { ChannelSender, DeliveryRow, OutboxInput, RateRule } from '../../bot/outbox/types.ts';
import { WecomClient } from '../../bot/wecom/client.ts';
import { wecomSender } from '../../bot/wecom/sender.ts';
import { DingtalkClient } from '../../bot/dingtalk/client.ts';
import { dingtalkSender } from '../../bot/dingtalk/sender.ts';
import { createLogger } from '../../bot/logger.ts';
import type { OutMessage } from '../../cards/types.ts';
import { FakeWecom, type Failure as WecomFailure } from '../fakes/fake-wecom.ts';
import { FakeDingtalk, type Failure as DingtalkFailure } from '../fakes/fake-dingtalk.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const T0 = Date.parse('2026-06-22T01:30:00Z');
const OUTAGE_MS = 5 * 60_000;
const CLIENT_TIMEOUT_MS = 150;
const kind = dbKinds.at(-1)!;

/** A fixed pseudo-random sequence (mulberry32), so the jitter and thus the figures repeat. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  name: string;
  platform: 'WECOM' | 'DINGTALK';
  failure: WecomFailure | DingtalkFailure;
  /** The platform said "slow down": waits do not count as attempts. */
  throttling: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'WeCom answering HTTP 502', platform: 'WECOM', failure: { status: 502 }, throttling: false },
  { name: 'WeCom not answering (client timeout)', platform: 'WECOM', failure: { delayMs: 2 * CLIENT_TIMEOUT_MS }, throttling: false },
  { name: 'WeCom rate limiting (errcode 45009)', platform: 'WECOM', failure: { errcode: 45009, errmsg: 'api freq out of limit' }, throttling: true },
  { name: 'DingTalk flow control (HTTP 403 QpsLimit)', platform: 'DINGTALK', failure: { status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: 'app qps limit exceeded' } }, throttling: true },
  { name: 'DingTalk HTTP 429', platform: 'DINGTALK', failure: { status: 429, body: { code: 'Throttling', message: 'Too Many Requests' } }, throttling: false },
  { name: 'DingTalk not answering (client timeout)', platform: 'DINGTALK', failure: 'timeout', throttling: false },
];

/** Sends at the same instant on one rule key, at most `limit` in any window: the i-th and (i+limit)-th are `windowMs` apart. */
function violations(sends: { at: number; rules: RateRule[] }[]): string[] {
  const byKey = new Map<string, { rule: RateRule; times: number[] }>();
  for (const s of sends) {
    for (const r of s.rules) {
      const k = `${r.key}/${r.windowMs}`;
      const e = byKey.get(k) ?? { rule: r, times: [] };
      e.times.push(s.at);
      byKey.set(k, e);
    }
  }
  const out: string[] = [];
  for (const { rule, times } of byKey.values()) {
    times.sort((a, b) => a - b);
    for (let i = 0; i + rule.limit < times.length; i++) if (times[i + rule.limit]! - times[i]! < rule.windowMs) out.push(`${rule.key}: ${rule.limit + 1} within ${rule.windowMs} ms`);
  }
  return out;
}

describe(`the platform failing for minutes (${kind})`, () => {
  let t: TestDb | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
    await t?.cleanup();
  });

  it.each(SCENARIOS)('$name: retried with backoff, nothing lost or dead, limits kept, delivered after recovery', { timeout: 60_000 }, async (s) => {
    t = await freshDatabase(kind);
    const { db } = t;
    const time = { now: T0 };
    const clock = { now: () => new Date(time.now) };
    const log = createLogger('silent');
    const materialize = async (row: DeliveryRow) => (row.payload as { message: OutMessage }).message;

    let sender: ChannelSender;
    if (s.platform === 'WECOM') {
      const fake = await FakeWecom.start({ corpId: 'wwcorp', secret: 's', agentId: 1000002, startMs: T0 });
      Object.defineProperty(fake.clock, 'now', { get: () => time.now, set: (v: number) => void (time.now = v) });
      closers.push(() => fake.close());
      fake.failUntil(T0 + OUTAGE_MS, s.failure as WecomFailure, '/cgi-bin/message/send');
      const client = new WecomClient({ corpId: 'wwcorp', secret: 's', agentId: 1000002, apiBase: fake.baseUrl, now: () => time.now, timeoutMs: CLIENT_TIMEOUT_MS });
      sender = wecomSender({ db, client, agentId: '1000002', materialize, log });
      closers.push(async () => expect(fake.violations).toEqual([]));
    } else {
      const fake = await FakeDingtalk.start({ now: () => time.now });
      closers.push(() => fake.close());
      fake.failUntil(T0 + OUTAGE_MS, s.failure as DingtalkFailure, '/v1.0/robot/');
      const client = new DingtalkClient({ ...fake.config, now: () => time.now, timeoutMs: CLIENT_TIMEOUT_MS });
      sender = dingtalkSender({ db, client, robotCode: fake.config.robotCode, materialize, log });
    }

    // Every attempt as the platform sees it, on the simulated clock.
    const attempts: { rowId: number; at: number; ok: boolean; rules: RateRule[] }[] = [];
    const observed: ChannelSender = {
      platform: sender.platform,
      rules: (row) => sender.rules(row),
      async deliver(row) {
        const at = time.now;
        try {
          const r = await sender.deliver(row);
          attempts.push({ rowId: row.id, at, ok: true, rules: sender.rules(row) });
          return r;
        } catch (e) {
          attempts.push({ rowId: row.id, at, ok: false, rules: [] });
          throw e;
        }
      },
    };

    const COUNT = 24;
    const msgs: OutboxInput[] = Array.from({ length: COUNT }, (_, n) => ({
      idempotencyKey: `fault:${n}`, platform: s.platform, target: `user:member${n % 6}`, kind: 'notice', payload: { message: { type: 'text', text: `第${n}条督办提醒` } },
    }));
    await enqueue(db.sql, msgs, new Date(T0));
    const worker = new DeliveryWorker({ db, senders: [observed], clock, log, workerId: 'w1', backoff: { random: seeded(7) } });

    for (let runs = 0; ; runs++) {
      expect(runs).toBeLessThan(2_000);
      if ((await worker.runOnce()).claimed > 0) continue;
      const [next] = await db.sql.query<{ at: Date | string | null }>(`SELECT MIN(next_attempt_at) AS at FROM outbox_message WHERE status = 'PENDING'`);
      const at = toDate(next?.at ?? null);
      if (!at) break;
      time.now = Math.max(time.now + 1, at.getTime());
    }

    const rows = await db.sql.query<{ id: number; status: string; attempts: number }>(`SELECT id, status, attempts FROM outbox_message`);
    expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
    const ok = attempts.filter((a) => a.ok);
    expect(ok).toHaveLength(COUNT); // each once
    expect(ok.every((a) => a.at >= T0 + OUTAGE_MS)).toBe(true);
    expect(violations(ok)).toEqual([]);

    const perRow = new Map<number, number[]>();
    for (const a of attempts) perRow.set(a.rowId, [...(perRow.get(a.rowId) ?? []), a.at]);
    for (const [rowId, times] of perRow) {
      expect(times.length, `row ${rowId} attempts`).toBeLessThan(DEFAULT_BACKOFF.maxAttempts);
      if (s.throttling) continue;
      // Exponential backoff: the k-th wait is below base·2^(k-1) (capped), never a fixed short poll.
      for (let k = 1; k < times.length; k++) {
        const ceiling = Math.min(DEFAULT_BACKOFF.capMs, DEFAULT_BACKOFF.baseMs * 2 ** (k - 1));
        expect(times[k]! - times[k - 1]!, `row ${rowId} wait ${k}`).toBeLessThanOrEqual(ceiling);
      }
    }
    if (s.throttling) expect(rows.every((r) => Number(r.attempts) === 0), 'a throttled wait is not a failed attempt').toBe(true);
    const tries = attempts.length;
    const recoveredS = (Math.max(...ok.map((a) => a.at)) - (T0 + OUTAGE_MS)) / 1000;
    console.log(`${s.name} for ${OUTAGE_MS / 60_000} min: ${COUNT} messages, ${tries} attempts (${(tries / COUNT).toFixed(1)} per message${s.throttling ? ', throttled waits not counted as attempts' : ''}), 0 dead, 0 lost, limits kept; all delivered ${recoveredS.toFixed(0)} s after the platform recovered`);
  });
});
