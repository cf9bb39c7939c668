/**
 * Group commit for inbound events. Under a burst of callbacks, one INSERT per request (a Prisma
 * round trip each) caps the endpoint near 1k req/s; here concurrent requests share one transaction:
 * each waits for the batch it joined, then learns whether its key was new or a duplicate from the
 * rows the INSERT … ON CONFLICT DO NOTHING RETURNING actually wrote. A request is only answered
 * after its row is committed, so an acknowledged event is never lost.
 */
import type { RawSql, SqlValue } from '../../prisma/raw-sql.ts';

export interface InboundRow {
  key: string;
  platform: string;
  kind: string;
  payload: string;
  receivedAt: Date;
}

interface Waiter {
  row: InboundRow;
  resolve(fresh: boolean): void;
  reject(e: unknown): void;
}

export class InboundWriter {
  private queue: Waiter[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly sql: RawSql, private readonly maxBatch = 500) {}

  /** Resolves true when the key was recorded now, false when it was already there (a duplicate). */
  write(row: InboundRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      // The first request starts a flush at once; requests arriving meanwhile form the next batch.
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const inserted = await this.sql.transaction((tx) =>
            tx.insertManyReturning<{ key: string }>(
              'inbound_event',
              ['key', 'platform', 'kind', 'payload', 'received_at'],
              batch.map((w) => [w.row.key, w.row.platform, w.row.kind, w.row.payload, w.row.receivedAt] as SqlValue[]),
              ['key'],
              ['key'],
            ),
          );
          const fresh = new Set(inserted.map((r) => r.key));
          const seen = new Set<string>();
          for (const w of batch) {
            // Two requests with the same key in one batch: the first is fresh, the second a duplicate.
            const isFresh = fresh.has(w.row.key) && !seen.has(w.row.key);
            seen.add(w.row.key);
            w.resolve(isFresh);
          }
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}

/**
 * Marks processed events in batches (one UPDATE per batch instead of one per event): after a burst
 * the work behind the acknowledgements would otherwise cost a round trip each.
 */
export class ProcessedMarker {
  private queue: { key: string; error: string | null; resolve(): void; reject(e: unknown): void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly sql: RawSql, private readonly now: () => Date, private readonly maxBatch = 500) {}

  mark(key: string, error: string | null): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, error, resolve, reject });
      this.flushing ??= this.loop();
    });
  }

  private async loop(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const at = this.now();
          const ok = batch.filter((b) => b.error === null).map((b) => b.key);
          await this.sql.transaction(async (tx) => {
            // One statement shape per key on SQLite (prepared once); one statement for all on PostgreSQL.
            if (tx.provider === 'sqlite') for (const key of ok) await tx.execute('UPDATE inbound_event SET processed_at = ? WHERE key = ?', [at, key]);
            else if (ok.length) await tx.execute(`UPDATE inbound_event SET processed_at = ? WHERE key IN (${ok.map(() => '?').join(', ')})`, [at, ...ok]);
            for (const b of batch) if (b.error !== null) await tx.execute('UPDATE inbound_event SET processed_at = ?, error = ? WHERE key = ?', [at, b.error, b.key]);
          });
          for (const b of batch) b.resolve();
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
    } finally {
      this.flushing = null;
    }
  }
}
