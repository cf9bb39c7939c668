/**
 * A bounded, time-limited memory of keys seen (Stream messageIds and msgIds). It only absorbs
 * DingTalk's redeliveries while this process runs; the durable dedupe is the InboundEvent table
 * keyed by `eventKey`, which also covers restarts and several replicas.
 */
export class RecentKeys {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly max = 10_000,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True if `key` was seen within the TTL; otherwise remembers it and answers false. */
  checkAndAdd(key: string): boolean {
    const now = this.now();
    this.prune(now);
    const at = this.seenAt.get(key);
    if (at !== undefined && now - at < this.ttlMs) return true;
    this.seenAt.delete(key);
    this.seenAt.set(key, now);
    if (this.seenAt.size > this.max) this.seenAt.delete(this.seenAt.keys().next().value!);
    return false;
  }

  get size(): number {
    return this.seenAt.size;
  }

  /** Insertion order is time order, so expired keys are at the front. */
  private prune(now: number): void {
    for (const [key, at] of this.seenAt) {
      if (now - at < this.ttlMs) break;
      this.seenAt.delete(key);
    }
  }
}
