/**
 * Sliding-window rate limiting over named rules: a rule {key, limit, windowMs} allows at most
 * `limit` sends in ANY interval of `windowMs` among everything that shares `key` — i.e. the i-th
 * and the (i+limit)-th send are at least `windowMs` apart. Rules sharing a key share one history
 * (so "30/min and 1000/h to the same member" is two rules on one key).
 *
 * The state is in memory, per process. WeCom drops excess app messages silently, so the limits must
 * hold across replicas too: with N delivery workers on N replicas either give each a share
 * (`shareRules(rules, N)`) or run the delivery worker on one replica only; enforcing the windows in
 * the database would be the next step if that ever becomes too slow.
 */
import type { RateRule } from './types.ts';

interface History {
  /** Send instants (ms), ascending; entries before `head` are discarded. */
  times: number[];
  head: number;
  retainMs: number;
  retainCount: number;
  blockedUntil: number;
}

export class SlidingWindowLimiter {
  private readonly histories = new Map<string, History>();
  /** Per key, future instants handed out by `schedule` (not sends). */
  private readonly planned = new Map<string, number[]>();
  private recordsSinceSweep = 0;

  /** The earliest instant ≥ now at which one more send is allowed by every rule. */
  nextAllowedAt(rules: readonly RateRule[], now: Date): Date {
    let t = now.getTime();
    for (const r of rules) {
      const h = this.histories.get(r.key);
      if (!h) continue;
      t = Math.max(t, h.blockedUntil);
      const n = h.times.length - h.head;
      if (n >= r.limit) t = Math.max(t, h.times[h.head + n - r.limit]! + r.windowMs);
    }
    return new Date(t);
  }

  /** Records a send at `at` (once per distinct key). */
  record(rules: readonly RateRule[], at: Date): void {
    const t = at.getTime();
    for (const [key, keyRules] of byKey(rules)) {
      const h = this.touch(key, keyRules);
      let i = h.times.length;
      while (i > h.head && h.times[i - 1]! > t) i--; // clocks may step back; keep the history sorted
      h.times.splice(i, 0, t);
      prune(h, t);
    }
    if (++this.recordsSinceSweep >= 10_000) this.sweep(t);
  }

  /** Records the send and returns true when every rule allows it at `now`; else changes nothing. */
  tryAcquire(rules: readonly RateRule[], now: Date): boolean {
    if (this.nextAllowedAt(rules, now).getTime() > now.getTime()) return false;
    this.record(rules, now);
    return true;
  }

  /** The platform throttled us (e.g. DingTalk 130101 blocks a robot 10 min): nothing on these keys before `until`. */
  block(rules: readonly RateRule[], until: Date): void {
    for (const [key, keyRules] of byKey(rules)) {
      const h = this.touch(key, keyRules);
      h.blockedUntil = Math.max(h.blockedUntil, until.getTime());
    }
  }

  /**
   * Plans `count` sends that must wait: the earliest instants at which they could go, queued behind
   * the real sends and behind slots planned earlier (until those come due). Planned slots never
   * block a real send — they only keep successive batches of a backlog from being projected onto
   * the same slots, so a backlog wakes up about `limit` rows per window instead of all at once.
   */
  schedule(rules: readonly RateRule[], count: number, now: Date): Date[] {
    const nowMs = now.getTime();
    const scratch = new Map<string, number[]>();
    let floor = nowMs;
    for (const r of rules) {
      if (scratch.has(r.key)) continue;
      const h = this.histories.get(r.key);
      if (h) floor = Math.max(floor, h.blockedUntil);
      const planned = (this.planned.get(r.key) ?? []).filter((x) => x > nowMs);
      this.planned.set(r.key, planned);
      scratch.set(r.key, [...(h ? h.times.slice(h.head) : []), ...planned].sort((a, b) => a - b));
    }
    const out: Date[] = [];
    for (let i = 0; i < count; i++) {
      let t = floor;
      for (const r of rules) {
        const times = scratch.get(r.key)!;
        if (times.length >= r.limit) t = Math.max(t, times[times.length - r.limit]! + r.windowMs);
      }
      for (const [key, times] of scratch) {
        times.push(t);
        this.planned.get(key)!.push(t);
      }
      out.push(new Date(t));
    }
    return out;
  }

  /** Forgets keys with nothing left in any window (keeps memory bounded over many targets). */
  sweep(now: number): void {
    this.recordsSinceSweep = 0;
    for (const [key, h] of this.histories) {
      prune(h, now);
      if (h.times.length === h.head && h.blockedUntil <= now) this.histories.delete(key);
    }
    for (const [key, planned] of this.planned) {
      const future = planned.filter((x) => x > now);
      if (future.length) this.planned.set(key, future);
      else this.planned.delete(key);
    }
  }

  private touch(key: string, rules: readonly RateRule[]): History {
    let h = this.histories.get(key);
    if (!h) {
      h = { times: [], head: 0, retainMs: 0, retainCount: 0, blockedUntil: 0 };
      this.histories.set(key, h);
    }
    for (const r of rules) {
      if (!(r.limit >= 1) || !(r.windowMs > 0)) throw new Error(`invalid rate rule ${JSON.stringify(r)}`);
      h.retainMs = Math.max(h.retainMs, r.windowMs);
      h.retainCount = Math.max(h.retainCount, r.limit);
    }
    return h;
  }
}

function byKey(rules: readonly RateRule[]): Map<string, RateRule[]> {
  const m = new Map<string, RateRule[]>();
  for (const r of rules) m.set(r.key, [...(m.get(r.key) ?? []), r]);
  return m;
}

/** Only the last `retainCount` sends within `retainMs` can still block anything. */
function prune(h: History, now: number): void {
  while (h.times.length - h.head > h.retainCount || (h.head < h.times.length && h.times[h.head]! <= now - h.retainMs)) h.head++;
  if (h.head > 1024 && h.head * 2 > h.times.length) {
    h.times = h.times.slice(h.head);
    h.head = 0;
  }
}

/** Each of `replicas` delivery workers gets an equal share of every limit (at least 1). */
export function shareRules(rules: readonly RateRule[], replicas: number): RateRule[] {
  return rules.map((r) => ({ ...r, limit: Math.max(1, Math.floor(r.limit / Math.max(1, replicas))) }));
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
/**
 * Added to every window: a send is counted when the request leaves, the platform counts it when it
 * arrives, so network jitter could squeeze two sends closer than the window. Costs < 2% throughput.
 */
export const DEFAULT_MARGIN_MS = 1_000;

/** The platforms' documented limits (protocol reference §4.2 WeCom, §8 DingTalk) as rule sets. */
export const platformRules = {
  /** WeCom app message: per app to the same member ≤ 30/min and ≤ 1000/h; excess is dropped silently. */
  wecomAppMessage(agentId: string, userId: string, marginMs = DEFAULT_MARGIN_MS): RateRule[] {
    const key = `wecom:app:${agentId}:user:${userId}`;
    return [
      { key, limit: 30, windowMs: MINUTE + marginMs },
      { key, limit: 1000, windowMs: HOUR + marginMs },
    ];
  },
  /** WeCom group robot webhook: ≤ 20/min per robot. */
  wecomGroupRobot(robotKey: string, marginMs = DEFAULT_MARGIN_MS): RateRule[] {
    return [{ key: `wecom:robot:${robotKey}`, limit: 20, windowMs: MINUTE + marginMs }];
  },
  /** DingTalk custom robot: ≤ 20/min per robot, else throttled 10 minutes (130101). */
  dingtalkCustomRobot(robotId: string, marginMs = DEFAULT_MARGIN_MS): RateRule[] {
    return [{ key: `dingtalk:robot:${robotId}`, limit: 20, windowMs: MINUTE + marginMs }];
  },
  /**
   * DingTalk enterprise robot APIs (oToMessages/batchSend, groupMessages/send) per app. The quota is
   * not documented in the pages we have (protocols.md §11): 20 calls/s is a conservative default — configure it.
   */
  dingtalkApp(robotCode: string, api: string, limit = 20, windowMs = 1_000): RateRule[] {
    return [{ key: `dingtalk:app:${robotCode}:${api}`, limit, windowMs }];
  },
};
