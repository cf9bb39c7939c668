import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter, platformRules, shareRules } from '../../../bot/outbox/rate-limiter.ts';
import { backoffDelay } from '../../../bot/outbox/backoff.ts';
import type { RateRule } from '../../../bot/outbox/types.ts';

const t = (ms: number) => new Date(ms);

describe('sliding-window rate limiter', () => {
  it('allows `limit` sends in any window and then the next one exactly when the oldest leaves the window', () => {
    const l = new SlidingWindowLimiter();
    const rule: RateRule[] = [{ key: 'robot', limit: 3, windowMs: 60_000 }];
    expect(l.tryAcquire(rule, t(0))).toBe(true);
    expect(l.tryAcquire(rule, t(10_000))).toBe(true);
    expect(l.tryAcquire(rule, t(20_000))).toBe(true);
    expect(l.tryAcquire(rule, t(30_000))).toBe(false);
    expect(l.nextAllowedAt(rule, t(30_000))).toEqual(t(60_000));
    expect(l.tryAcquire(rule, t(59_999))).toBe(false);
    expect(l.tryAcquire(rule, t(60_000))).toBe(true);
    expect(l.nextAllowedAt(rule, t(60_000))).toEqual(t(70_000)); // sliding, not a fixed minute
  });

  it('applies every rule of a row: the strictest decides, rules on one key share one history', () => {
    const l = new SlidingWindowLimiter();
    const member = [{ key: 'u', limit: 2, windowMs: 1_000 }, { key: 'u', limit: 3, windowMs: 10_000 }];
    const robot = [{ key: 'r', limit: 100, windowMs: 1_000 }];
    for (const ms of [0, 1, 1_001]) expect(l.tryAcquire([...member, ...robot], t(ms))).toBe(true);
    expect(l.nextAllowedAt(member, t(2_000))).toEqual(t(10_000)); // the 3-per-10 s rule
    expect(l.nextAllowedAt(robot, t(2_000))).toEqual(t(2_000)); // other keys are unaffected
  });

  it('honours a block set after the platform throttled us', () => {
    const l = new SlidingWindowLimiter();
    const rule = platformRules.dingtalkCustomRobot('d1');
    l.block(rule, t(600_000));
    expect(l.nextAllowedAt(rule, t(0))).toEqual(t(600_000));
    expect(l.nextAllowedAt(platformRules.dingtalkCustomRobot('d2'), t(0))).toEqual(t(0));
  });

  it('plans future slots for a waiting backlog, queued behind earlier plans, without blocking real sends', () => {
    const l = new SlidingWindowLimiter();
    const rule = [{ key: 'r', limit: 2, windowMs: 60_000 }];
    l.record(rule, t(0));
    expect(l.schedule(rule, 3, t(5_000)).map((d) => d.getTime())).toEqual([5_000, 60_000, 65_000]);
    expect(l.schedule(rule, 2, t(6_000)).map((d) => d.getTime())).toEqual([120_000, 125_000]);
    expect(l.nextAllowedAt(rule, t(5_000))).toEqual(t(5_000)); // plans are not sends
    // Once planned slots have come due they are forgotten: the real history decides again.
    expect(l.schedule(rule, 1, t(200_000)).map((d) => d.getTime())).toEqual([200_000]);
  });

  it('has the documented platform rules, with a safety margin, and can share them between replicas', () => {
    expect(platformRules.wecomAppMessage('1000002', 'zhangsan')).toEqual([
      { key: 'wecom:app:1000002:user:zhangsan', limit: 30, windowMs: 61_000 },
      { key: 'wecom:app:1000002:user:zhangsan', limit: 1000, windowMs: 3_601_000 },
    ]);
    expect(platformRules.wecomGroupRobot('k', 0)).toEqual([{ key: 'wecom:robot:k', limit: 20, windowMs: 60_000 }]);
    expect(platformRules.dingtalkApp('robot', 'batchSend', 10, 1_000)).toEqual([{ key: 'dingtalk:app:robot:batchSend', limit: 10, windowMs: 1_000 }]);
    expect(shareRules(platformRules.wecomAppMessage('a', 'u'), 4).map((r) => r.limit)).toEqual([7, 250]);
  });

  it('refuses a rule that could never allow a send', () => {
    expect(() => new SlidingWindowLimiter().record([{ key: 'x', limit: 0, windowMs: 1 }], t(0))).toThrow(/invalid rate rule/);
  });
});

describe('retry backoff', () => {
  it('grows exponentially from 5 s to a 10 min cap, with full jitter', () => {
    const p = { baseMs: 5_000, capMs: 600_000 };
    expect([1, 2, 3, 4, 8, 9, 30].map((a) => backoffDelay(a, { ...p, random: () => 0.999999999 }))).toEqual([4999, 9999, 19999, 39999, 599999, 599999, 599999]);
    expect([1, 2, 3].map((a) => backoffDelay(a, { ...p, random: () => 0.5 }))).toEqual([2_500, 5_000, 10_000]);
    expect(backoffDelay(5, { ...p, random: () => 0 })).toBe(0);
  });
});
