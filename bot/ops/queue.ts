/**
 * The outbox queue as operators watch it: waiting and dead rows by platform and the age of the
 * oldest waiting row. One aggregated query over PENDING and DEAD rows only, which the
 * (status, next_attempt_at) index serves: the SENT history, which only grows, is never scanned.
 */
import type { RawSql } from '../../prisma/raw-sql.ts';
import { toDate } from '../outbox/status.ts';

export interface QueueState {
  rows: { platform: string; status: 'PENDING' | 'DEAD'; count: number }[];
  pending: number;
  dead: number;
  /** Seconds since the oldest PENDING row was written; null when nothing waits. */
  oldestPendingAgeS: number | null;
}

export async function readQueue(sql: RawSql, now: Date): Promise<QueueState> {
  const raw = await sql.query<{ platform: string; status: 'PENDING' | 'DEAD'; n: number | string; oldest: Date | string | null }>(
    `SELECT platform, status, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox_message
      WHERE status IN ('PENDING', 'DEAD') GROUP BY platform, status`,
  );
  let oldest: number | null = null;
  const rows = raw.map((r) => {
    const at = r.status === 'PENDING' ? toDate(r.oldest)?.getTime() : undefined;
    if (at !== undefined && (oldest === null || at < oldest)) oldest = at;
    return { platform: r.platform, status: r.status, count: Number(r.n) };
  });
  const sum = (status: string) => rows.filter((r) => r.status === status).reduce((n, r) => n + r.count, 0);
  return {
    rows,
    pending: sum('PENDING'),
    dead: sum('DEAD'),
    oldestPendingAgeS: oldest === null ? null : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
  };
}
