/** Retry policy of the delivery worker: exponential backoff with full jitter, then a dead letter. */

export interface BackoffPolicy {
  /** First retry waits up to this long. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
  /** After this many failed attempts the row is dead. */
  maxAttempts: number;
  /** Uniform in [0, 1); injectable for tests. */
  random: () => number;
  /** A platform's "retry after" longer than this is shortened to it. */
  maxRetryAfterMs: number;
  /** Platform throttling does not count as an attempt — up to this many times per row and process. */
  maxRateLimitDeferrals: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 5_000,
  capMs: 10 * 60_000,
  maxAttempts: 12,
  random: Math.random,
  // WeCom blocks an hourly-limit breach for 60 minutes (protocol reference §4.2).
  maxRetryAfterMs: 60 * 60_000,
  maxRateLimitDeferrals: 20,
};

/**
 * Delay before retry number `attempt` (1 = after the first failure): uniform in
 * [0, min(cap, base·2^(attempt−1))) — "full jitter", so replicas that failed together spread out.
 */
export function backoffDelay(attempt: number, p: Pick<BackoffPolicy, 'baseMs' | 'capMs' | 'random'>): number {
  const ceiling = Math.min(p.capMs, p.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(p.random() * ceiling);
}
