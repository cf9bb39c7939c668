/**
 * The delivery worker: claims due outbox rows, holds each to the rate rules of its platform,
 * delivers it through the platform's ChannelSender and records the outcome.
 *
 * - Rate limited by our own limiter → rescheduled to its projected slot, no attempt counted.
 * - Retryable failure (DeliveryError.retryable, or any unclassified/network error) → attempts+1,
 *   exponential backoff with full jitter; after `maxAttempts` → DEAD.
 * - Not retryable → DEAD at once with `code: message`.
 * - Platform throttling (retryable with retryAfterMs) → wait that long (capped), no attempt counted
 *   (up to `maxRateLimitDeferrals` times per row and process), and the row's keys are blocked.
 * - Platforms without a sender here are never claimed: they stay PENDING for a replica that has
 *   one (and are logged once), instead of being stolen or killed by this one.
 * Delivery is at-least-once; see claim.ts for the duplicate window.
 */
import type { Database } from '../../prisma/client.ts';
import type { RawSql } from '../../prisma/raw-sql.ts';
import { isUnavailable } from '../../prisma/availability.ts';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff.ts';
import { claim, type ClaimedRow } from './claim.ts';
import { markDead, markRetry, markSent, release, reschedule } from './record.ts';
import { SlidingWindowLimiter, shareRules } from './rate-limiter.ts';
import { DeliveryError, type ChannelSender, type DeliveryRow, type OutboxLog, type RateRule } from './types.ts';

export interface DeliveryWorkerOptions {
  db: Pick<Database, 'sql'>;
  senders: ChannelSender[];
  clock: { now(): Date };
  log: OutboxLog;
  /** Unique per process (e.g. hostname:pid); written to locked_by. */
  workerId: string;
  batchSize?: number;
  /** How long a claim is ours; rows are only started in its first half. */
  leaseMs?: number;
  backoff?: Partial<BackoffPolicy>;
  /** Rows delivered in parallel within a batch. */
  concurrency?: number;
  /** Pause between polls when the last batch was not full. */
  pollMs?: number;
  /** Share one limiter between workers of the same process. */
  limiter?: SlidingWindowLimiter;
  /**
   * How many delivery workers (replicas) send to the same platforms. The limiter is in process
   * memory, so each keeps 1/N of every rate limit and together they stay within it.
   */
  replicas?: number;
  /** Told the outcome of every row it handles (metrics). */
  observe?: (outcome: DeliveryOutcome) => void;
}

/** One row's outcome; `seconds` is the platform call when one was made, `code` the failure's code. */
export interface DeliveryOutcome {
  platform: string;
  result: 'sent' | 'retry' | 'dead' | 'throttled' | 'rate_limited';
  code?: string;
  seconds?: number;
}

export interface RunCounts {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  /** Rescheduled for a rate limit, without counting an attempt. */
  deferred: number;
  /** Handed back untouched (stopping, or the lease ran short). */
  released: number;
}

interface Failure { code: string; message: string; retryable: boolean; retryAfterMs: number | undefined }

export class DeliveryWorker {
  private readonly sql: RawSql;
  private readonly senders: Map<string, ChannelSender>;
  private readonly policy: BackoffPolicy;
  private readonly limiter: SlidingWindowLimiter;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly share: number;
  private readonly rateLimitDeferrals = new Map<number, number>();
  private readonly reportedPlatforms = new Set<string>();
  private lastPlatformCheck = -Infinity;
  private running = false;
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<void> | undefined;

  constructor(private readonly o: DeliveryWorkerOptions) {
    this.sql = o.db.sql;
    this.senders = new Map(o.senders.map((s) => [s.platform, s]));
    this.policy = { ...DEFAULT_BACKOFF, ...o.backoff };
    this.limiter = o.limiter ?? new SlidingWindowLimiter();
    this.batchSize = o.batchSize ?? 50;
    this.leaseMs = o.leaseMs ?? 60_000;
    this.concurrency = Math.max(1, o.concurrency ?? 4);
    this.pollMs = o.pollMs ?? 1_000;
    this.share = Math.max(1, Math.floor(o.replicas ?? 1));
  }

  /** Claims and delivers one batch. */
  async runOnce(): Promise<RunCounts> {
    const counts: RunCounts = { claimed: 0, sent: 0, retried: 0, dead: 0, deferred: 0, released: 0 };
    await this.reportUnservedPlatforms();
    const claimedAt = this.o.clock.now().getTime();
    const rows = await claim(this.sql, {
      workerId: this.o.workerId, now: new Date(claimedAt), leaseMs: this.leaseMs, limit: this.batchSize, platforms: [...this.senders.keys()],
    });
    counts.claimed = rows.length;
    const startBy = claimedAt + this.leaseMs / 2;
    const limited: { row: ClaimedRow; rules: RateRule[] }[] = [];
    const unstarted: number[] = [];
    let next = 0;
    // Once an outcome cannot be recorded (the database is gone), sending the rest of the batch would
    // only make duplicates: each would be sent again after the lease. So the batch stops there.
    let cannotRecord = false;
    const lane = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        if (this.stopping || cannotRecord || this.o.clock.now().getTime() >= startBy) {
          unstarted.push(row.id);
          continue;
        }
        try {
          await this.deliverOne(row, counts, limited);
        } catch (e) {
          // Only recording can fail here (the database); the lease brings the row back.
          cannotRecord = true;
          const level = isUnavailable(e) ? 'debug' : 'error'; // an outage is logged once, by the database's Availability
          this.o.log[level]({ outboxId: row.id, err: e }, 'outbox: could not record the outcome of a delivery; the row is retried after its lease');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, rows.length) }, lane));
    counts.deferred += await this.deferLimited(limited);
    if (unstarted.length) counts.released += await release(this.sql, unstarted, this.o.workerId);
    return counts;
  }

  /** Polls until stopped: at once again after a full batch, else after `pollMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    this.schedule(0);
  }

  /** Stops polling; in-flight deliveries finish and are recorded, unstarted claimed rows are released. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.current = this.runOnce().then(
        (c) => (c.claimed >= this.batchSize ? 0 : this.pollMs),
        (e: unknown) => {
          this.o.log[isUnavailable(e) ? 'debug' : 'error']({ err: e }, 'outbox: delivery batch failed; retrying after the poll interval');
          return this.pollMs;
        },
      ).then((delay) => {
        this.current = undefined;
        if (this.running) this.schedule(delay);
      });
    }, delayMs);
  }

  private async deliverOne(c: ClaimedRow, counts: RunCounts, limited: { row: ClaimedRow; rules: RateRule[] }[]): Promise<void> {
    const sender = this.senders.get(c.platform)!; // claim only returns platforms we have
    let row: DeliveryRow;
    let rules: RateRule[];
    try {
      row = { ...c, payload: JSON.parse(c.payload) as unknown };
      rules = this.share > 1 ? shareRules(sender.rules(row), this.share) : sender.rules(row);
    } catch (e) {
      await this.fail(c, [], { code: 'BAD_MESSAGE', message: errorMessage(e), retryable: false, retryAfterMs: undefined }, counts);
      return;
    }
    if (!this.limiter.tryAcquire(rules, this.o.clock.now())) {
      limited.push({ row: c, rules });
      this.o.observe?.({ platform: c.platform, result: 'rate_limited' });
      return;
    }
    let result;
    const t0 = performance.now();
    try {
      result = await sender.deliver(row);
    } catch (e) {
      await this.fail(c, rules, classify(e), counts, (performance.now() - t0) / 1000);
      return;
    }
    this.o.observe?.({ platform: c.platform, result: 'sent', seconds: (performance.now() - t0) / 1000 });
    this.rateLimitDeferrals.delete(c.id);
    const changed = await markSent(this.sql, c.id, this.o.workerId, this.o.clock.now(), result);
    if (changed) counts.sent++;
    else this.leaseLost(c, 'SENT');
  }

  private async fail(c: ClaimedRow, rules: RateRule[], f: Failure, counts: RunCounts, seconds?: number): Promise<void> {
    const now = this.o.clock.now().getTime();
    const observe = (result: DeliveryOutcome['result']) =>
      this.o.observe?.({ platform: c.platform, result, code: f.code, ...(seconds === undefined ? {} : { seconds }) });
    const reason = `${f.code}: ${f.message}`;
    const where = { outboxId: c.id, platform: c.platform, target: c.target, kind: c.kind, code: f.code, error: f.message };
    let minWait = 0;
    if (f.retryable && f.retryAfterMs !== undefined) {
      minWait = Math.min(Math.max(0, f.retryAfterMs), this.policy.maxRetryAfterMs);
      const at = new Date(now + minWait);
      this.limiter.block(rules, at);
      const n = (this.rateLimitDeferrals.get(c.id) ?? 0) + 1;
      if (this.rateLimitDeferrals.size > 10_000) this.rateLimitDeferrals.clear();
      this.rateLimitDeferrals.set(c.id, n);
      if (n <= this.policy.maxRateLimitDeferrals) {
        observe('throttled');
        if (await reschedule(this.sql, [c.id], this.o.workerId, at, reason)) counts.deferred++;
        else this.leaseLost(c, 'deferred');
        this.o.log.warn({ ...where, nextAttemptAt: at.toISOString() }, 'outbox: the platform throttled a delivery; deferred without counting an attempt');
        return;
      }
    }
    this.rateLimitDeferrals.delete(c.id);
    const attempts = c.attempts + 1;
    if (!f.retryable || attempts >= this.policy.maxAttempts) {
      observe('dead');
      const why = f.retryable ? `${reason}（已尝试 ${attempts} 次）` : reason;
      if (await markDead(this.sql, c.id, this.o.workerId, attempts, why)) counts.dead++;
      else this.leaseLost(c, 'DEAD');
      this.o.log.error({ ...where, attempts }, f.retryable ? 'outbox: delivery failed too often; moved to the dead letters' : 'outbox: delivery failed permanently; moved to the dead letters');
      return;
    }
    const at = new Date(now + Math.max(minWait, backoffDelay(attempts, this.policy)));
    observe('retry');
    if (await markRetry(this.sql, c.id, this.o.workerId, attempts, at, reason)) counts.retried++;
    else this.leaseLost(c, 'retry');
    this.o.log.warn({ ...where, attempts, nextAttemptAt: at.toISOString() }, 'outbox: delivery failed; will retry');
  }

  /** Spreads rate-limited rows over the slots the limiter projects, one UPDATE per slot. */
  private async deferLimited(limited: { row: ClaimedRow; rules: RateRule[] }[]): Promise<number> {
    if (limited.length === 0) return 0;
    const now = this.o.clock.now();
    const groups = new Map<string, { rules: RateRule[]; ids: number[] }>();
    for (const { row, rules } of limited) {
      const sig = JSON.stringify(rules);
      const g = groups.get(sig) ?? { rules, ids: [] };
      g.ids.push(row.id);
      groups.set(sig, g);
    }
    const bySlot = new Map<number, number[]>();
    for (const g of groups.values()) {
      this.limiter.schedule(g.rules, g.ids.length, now).forEach((slot, i) => {
        bySlot.set(slot.getTime(), [...(bySlot.get(slot.getTime()) ?? []), g.ids[i]!]);
      });
    }
    let changed = 0;
    for (const [slot, ids] of bySlot) changed += await reschedule(this.sql, ids, this.o.workerId, new Date(slot));
    this.o.log.debug({ rows: limited.length, until: new Date(Math.max(...bySlot.keys())).toISOString() }, 'outbox: rows wait for their rate-limit slot');
    return changed;
  }

  private async reportUnservedPlatforms(): Promise<void> {
    const now = this.o.clock.now().getTime();
    if (now - this.lastPlatformCheck < 60_000) return;
    this.lastPlatformCheck = now;
    const rows = await this.sql.query<{ platform: string; n: number | string }>(
      `SELECT platform, COUNT(*) AS n FROM outbox_message WHERE status = 'PENDING' GROUP BY platform`,
    );
    for (const r of rows) {
      if (this.senders.has(r.platform) || this.reportedPlatforms.has(r.platform)) continue;
      this.reportedPlatforms.add(r.platform);
      this.o.log.warn({ platform: r.platform, pending: Number(r.n), workerId: this.o.workerId },
        'outbox: pending messages for a platform this worker has no sender for; left PENDING for a replica that has one');
    }
  }

  private leaseLost(c: ClaimedRow, outcome: string): void {
    this.o.log.warn({ outboxId: c.id, outcome, workerId: this.o.workerId }, 'outbox: lease lost before the outcome was recorded; another worker owns the row now');
  }
}

function classify(e: unknown): Failure {
  if (e instanceof DeliveryError) return { code: e.code, message: e.message, retryable: e.retryable, retryAfterMs: e.retryAfterMs };
  const x = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; name?: unknown; retryable?: unknown; messageEn?: unknown };
  // Adapter errors that already classify themselves (e.g. WecomApiError) keep their verdict.
  const retryable = typeof x.retryable === 'boolean' ? x.retryable : true;
  const code = typeof x.code === 'string' ? x.code : typeof x.name === 'string' && x.name !== 'Error' ? x.name : 'ERROR';
  const message = typeof x.messageEn === 'string' ? x.messageEn : errorMessage(e);
  return { code, message, retryable, retryAfterMs: undefined };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
