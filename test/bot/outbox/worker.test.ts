import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../prisma/client.ts';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../../../bot/outbox/worker.ts';
import { DeliveryError } from '../../../bot/outbox/types.ts';
import { dbKinds, freshDatabase, type TestDb } from '../../support/databases.ts';
import { FakeClock, FakeSender, T0, message, put, recordingLog, stored } from './helpers.ts';

const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(dbKinds)('outbox delivery worker (%s)', (kind) => {
  let t: TestDb;
  let db: Database;
  let clock: FakeClock;
  let log: ReturnType<typeof recordingLog>;
  let sender: FakeSender;
  const worker = (over: Partial<DeliveryWorkerOptions> = {}) =>
    new DeliveryWorker({
      db, senders: [sender], clock, log, workerId: 'w1', batchSize: 20, leaseMs: 60_000, concurrency: 1,
      backoff: { random: () => 0.5 }, ...over,
    });

  beforeEach(async () => {
    t = await freshDatabase(kind);
    db = t.db;
    clock = new FakeClock();
    log = recordingLog();
    sender = new FakeSender('CONSOLE', clock);
  });
  afterEach(async () => t.cleanup());

  it('delivers a message once and records it as sent with the platform’s ids', async () => {
    await put(db, [message(1, { payload: { card: 'ticket-assigned', ticketId: 3 }, ticketId: 3 })]);
    sender.behaviour = () => ({ platformMessageId: 'msg-9', cardRef: 'resp-code-1' });
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, sent: 1, retried: 0, dead: 0 });
    expect(sender.delivered[0]!.row).toMatchObject({ payload: { card: 'ticket-assigned', ticketId: 3 }, ticketId: 3, attempts: 0, idempotencyKey: 'k-1' });
    expect((await stored(db))[0]).toMatchObject({
      status: 'SENT', sentAt: T0, platformMessageId: 'msg-9', cardRef: 'resp-code-1', cardRefAt: T0, lockedBy: null, lockedUntil: null, attempts: 0,
    });
    clock.advance(3_600_000);
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 });
    expect(sender.delivered).toHaveLength(1);
  });

  it('retries a retryable failure later with backoff, counting the attempt, then delivers it', async () => {
    await put(db, [message(1)]);
    sender.behaviour = () => {
      throw new DeliveryError('系统繁忙', 'WECOM_-1', true);
    };
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect((await stored(db))[0]).toMatchObject({ status: 'PENDING', attempts: 1, nextAttemptAt: at(2_500), lastError: 'WECOM_-1: 系统繁忙', lockedBy: null });
    expect(log.at('warn')).toHaveLength(1);
    expect(log.at('warn')[0]).toMatchObject({ msg: expect.stringContaining('will retry'), obj: { outboxId: 1, code: 'WECOM_-1', attempts: 1 } });

    clock.advance(2_499);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    clock.advance(1);
    sender.behaviour = () => ({});
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    expect((await stored(db))[0]).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
  });

  it('treats an unclassified (network) error as retryable', async () => {
    await put(db, [message(1)]);
    sender.behaviour = () => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    };
    expect(await worker().runOnce()).toMatchObject({ retried: 1 });
    expect((await stored(db))[0]).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'ECONNRESET: socket hang up' });
  });

  it('moves a permanent failure to the dead letters at once, with the reason', async () => {
    await put(db, [message(1), message(2)]);
    sender.behaviour = (row) => {
      if (row.id === 1) throw new DeliveryError('invalid userid list', 'WECOM_81013', false);
      return {};
    };
    expect(await worker().runOnce()).toMatchObject({ claimed: 2, sent: 1, dead: 1 });
    expect((await stored(db))[0]).toMatchObject({ status: 'DEAD', attempts: 1, lastError: 'WECOM_81013: invalid userid list', lockedBy: null });
    expect(log.at('error')).toEqual([expect.objectContaining({ msg: expect.stringContaining('dead letters'), obj: expect.objectContaining({ outboxId: 1, code: 'WECOM_81013' }) })]);
  });

  it('dead-letters a message whose payload is not JSON without sending it', async () => {
    await put(db, [message(1)]);
    await db.sql.execute(`UPDATE outbox_message SET payload = '{broken'`);
    expect(await worker().runOnce()).toMatchObject({ dead: 1 });
    expect(sender.delivered).toHaveLength(0);
    expect((await stored(db))[0]!.lastError).toMatch(/^BAD_MESSAGE: /);
  });

  it('backs off exponentially (base 5 s, cap 10 min) and gives up after 12 attempts', async () => {
    await put(db, [message(1)]);
    sender.behaviour = () => {
      throw new DeliveryError('busy', 'BUSY', true);
    };
    const w = worker({ backoff: { random: () => 0.999999 } });
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      await w.runOnce();
      const row = (await stored(db))[0]!;
      if (row.status === 'DEAD') break;
      delays.push(Math.round((row.nextAttemptAt.getTime() - clock.t) / 1000));
      clock.t = row.nextAttemptAt.getTime();
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 320, 600, 600, 600, 600]);
    expect(sender.delivered).toHaveLength(12);
    expect((await stored(db))[0]).toMatchObject({ status: 'DEAD', attempts: 12, lastError: 'BUSY: busy（已尝试 12 次）' });
  });

  it('waits as long as the platform says when it throttles, without counting an attempt, and holds back the same target', async () => {
    await put(db, [message(1), message(2), message(3, { target: 'group:other' })]);
    sender.rulesFor = (row) => [{ key: `robot:${row.target}`, limit: 20, windowMs: 60_000 }];
    sender.behaviour = (row) => {
      if (row.id === 1) throw new DeliveryError('send too fast, exceed 20 times per minute', 'DINGTALK_130101', true, 600_000);
      return {};
    };
    expect(await worker().runOnce()).toMatchObject({ claimed: 3, sent: 1, deferred: 2, retried: 0 });
    expect(sender.delivered.map((d) => d.row.id)).toEqual([1, 3]); // row 2 was not even tried
    const rows = await stored(db);
    expect(rows[0]).toMatchObject({ status: 'PENDING', attempts: 0, nextAttemptAt: at(600_000), lastError: 'DINGTALK_130101: send too fast, exceed 20 times per minute' });
    expect(rows[1]).toMatchObject({ status: 'PENDING', attempts: 0, nextAttemptAt: at(600_000), lockedBy: null });
  });

  it('counts platform throttling as attempts beyond the cap, and caps the wait', async () => {
    await put(db, [message(1)]);
    sender.behaviour = () => {
      throw new DeliveryError('over limit', 'WECOM_45009', true, 24 * 3_600_000);
    };
    const w = worker({ backoff: { random: () => 0.5, maxRateLimitDeferrals: 2, maxRetryAfterMs: 3_600_000 } });
    for (let i = 0; i < 3; i++) {
      await w.runOnce();
      const row = (await stored(db))[0]!;
      expect(row.nextAttemptAt).toEqual(new Date(clock.t + 3_600_000));
      expect(row.attempts).toBe(i < 2 ? 0 : 1);
      clock.t = row.nextAttemptAt.getTime();
    }
  });

  it('keeps to its own rate rules: sends what the window allows and schedules the rest, without attempts', async () => {
    await put(db, [1, 2, 3, 4, 5].map((n) => message(n)));
    sender.rulesFor = () => [{ key: 'wecom:robot:r1', limit: 2, windowMs: 60_000 }];
    const w = worker();
    expect(await w.runOnce()).toMatchObject({ claimed: 5, sent: 2, deferred: 3 });
    const rows = await stored(db);
    expect(rows.map((r) => [r.status, r.attempts, r.nextAttemptAt.getTime() - T0.getTime()])).toEqual([
      ['SENT', 0, 0], ['SENT', 0, 0], ['PENDING', 0, 60_000], ['PENDING', 0, 60_000], ['PENDING', 0, 120_000],
    ]);
    clock.advance(60_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 2, sent: 2 });
    clock.advance(60_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect(log.at('warn')).toHaveLength(0);
  });

  it('leaves messages of a platform it has no sender for alone, and says so once', async () => {
    await put(db, [message(1, { platform: 'DINGTALK' }), message(2, { platform: 'DINGTALK' })]);
    const w = worker();
    for (let i = 0; i < 3; i++) {
      expect(await w.runOnce()).toMatchObject({ claimed: 0 });
      clock.advance(120_000);
    }
    expect((await stored(db)).map((r) => [r.status, r.lockedBy, r.attempts])).toEqual([['PENDING', null, 0], ['PENDING', null, 0]]);
    expect(log.at('warn')).toEqual([expect.objectContaining({ obj: expect.objectContaining({ platform: 'DINGTALK', pending: 2 }) })]);
    // A replica that has DingTalk configured delivers them.
    const dingtalk = new FakeSender('DINGTALK', clock);
    expect(await worker({ senders: [dingtalk], workerId: 'w2' }).runOnce()).toMatchObject({ sent: 2 });
  });

  it('after a crash between sending and recording, sends that one message again after the lease — and only that duplicate', async () => {
    await put(db, [message(1), message(2), message(3)]);
    let lateAnswer!: (r: { platformMessageId: string }) => void;
    // The platform accepts row 1, but the worker never gets to record it: it hangs until the process "dies".
    sender.behaviour = (row) => (row.id === 1 && sender.countFor(1) === 1 ? new Promise((r) => (lateAnswer = r)) : { platformMessageId: `m-${row.id}` });
    const crashed = worker({ workerId: 'dead-replica' });
    void crashed.runOnce(); // the process "dies" here: nothing after the send is ever recorded
    await vi.waitFor(() => expect(sender.delivered).toHaveLength(1));

    const restarted = () => worker({ workerId: 'new-replica' });
    clock.advance(59_999);
    expect(await restarted().runOnce()).toMatchObject({ claimed: 0 }); // still leased
    clock.advance(2);
    expect(await restarted().runOnce()).toMatchObject({ claimed: 3, sent: 3 });
    expect([1, 2, 3].map((id) => sender.countFor(id))).toEqual([2, 1, 1]);
    const rows = await stored(db);
    expect(rows.every((r) => r.status === 'SENT')).toBe(true);

    // If the dead worker's answer arrives after all, it cannot overwrite what the new owner recorded.
    lateAnswer({ platformMessageId: 'late' });
    await vi.waitFor(() => expect(log.at('warn').some((l) => l.msg.includes('lease lost'))).toBe(true));
    expect((await stored(db))[0]!.platformMessageId).toBe('m-1');
    clock.advance(3_600_000);
    expect(await restarted().runOnce()).toMatchObject({ claimed: 0 });
    expect(sender.delivered).toHaveLength(4);
  });

  it('runs on timers; stop() lets in-flight deliveries finish and gives unstarted rows back', async () => {
    await put(db, [1, 2, 3, 4].map((n) => message(n)));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    sender.behaviour = async () => {
      await gate;
      return {};
    };
    const w = worker({ pollMs: 5 });
    w.start();
    await vi.waitFor(() => expect(sender.delivered).toHaveLength(1));
    const stopped = w.stop();
    release();
    await stopped;
    const rows = await stored(db);
    expect(rows.map((r) => [r.status, r.lockedBy])).toEqual([['SENT', null], ['PENDING', null], ['PENDING', null], ['PENDING', null]]);

    sender.behaviour = () => ({});
    const again = worker({ pollMs: 5 });
    again.start();
    await vi.waitFor(async () => expect((await stored(db)).every((r) => r.status === 'SENT')).toBe(true));
    await again.stop();
  });
});
