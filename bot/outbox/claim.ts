/**
 * Claiming due outbox rows for one worker. A claim is a lease: `locked_by` + `locked_until`.
 * Rows stay PENDING while leased; the worker records the outcome (SENT, retry, DEAD) and clears
 * the lease. If the worker dies, the lease runs out and another claim picks the row up again —
 * at-least-once delivery. The duplicate window is one row in flight: a row the platform accepted
 * but whose SENT was not yet recorded when the process died is sent once more after the lease.
 *
 * PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED in a transaction, so concurrent workers (replicas)
 * never wait on each other nor get the same row. SQLite serialises writers, so a single
 * UPDATE … WHERE id IN (SELECT …) RETURNING is atomic on its own.
 */
import type { RawSql } from '../../prisma/raw-sql.ts';

export interface ClaimOptions {
  workerId: string;
  now: Date;
  leaseMs: number;
  limit: number;
  /** Only rows of these platforms: a replica without a platform's sender leaves its rows alone. */
  platforms: readonly string[];
}

export interface ClaimedRow {
  id: number;
  platform: string;
  target: string;
  kind: string;
  /** Raw JSON text as stored. */
  payload: string;
  ticketId: number | null;
  attempts: number;
  idempotencyKey: string;
}

interface Row {
  id: number | string;
  platform: string;
  target: string;
  kind: string;
  payload: string;
  ticket_id: number | string | null;
  attempts: number | string;
  idempotency_key: string;
}

const RETURNING = 'id, platform, target, kind, payload, ticket_id, attempts, idempotency_key';

function dueFilter(platformCount: number): string {
  return `status = 'PENDING' AND platform IN (${Array(platformCount).fill('?').join(', ')})
      AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)`;
}

/** Leases up to `limit` due rows (lowest id first) to `workerId`; returns them in id order. */
export async function claim(sql: RawSql, o: ClaimOptions): Promise<ClaimedRow[]> {
  if (o.platforms.length === 0 || o.limit <= 0) return [];
  const until = new Date(o.now.getTime() + o.leaseMs);
  const filterParams = [...o.platforms, o.now, o.now];
  let rows: Row[];
  if (sql.provider === 'postgresql') {
    rows = await sql.transaction(async (tx) => {
      const ids = await tx.query<{ id: number }>(
        `SELECT id FROM outbox_message WHERE ${dueFilter(o.platforms.length)} ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [...filterParams, o.limit],
      );
      if (ids.length === 0) return [];
      return tx.query<Row>(
        `UPDATE outbox_message SET locked_by = ?, locked_until = ? WHERE id IN (${ids.map(() => '?').join(', ')}) RETURNING ${RETURNING}`,
        [o.workerId, until, ...ids.map((r) => r.id)],
      );
    });
  } else {
    rows = await sql.query<Row>(
      `UPDATE outbox_message SET locked_by = ?, locked_until = ?
        WHERE id IN (SELECT id FROM outbox_message WHERE ${dueFilter(o.platforms.length)} ORDER BY id LIMIT ?)
        RETURNING ${RETURNING}`,
      [o.workerId, until, ...filterParams, o.limit],
    );
  }
  return rows.map(toClaimed).sort((a, b) => a.id - b.id);
}

function toClaimed(r: Row): ClaimedRow {
  return {
    id: Number(r.id),
    platform: r.platform,
    target: r.target,
    kind: r.kind,
    payload: r.payload,
    ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
    attempts: Number(r.attempts),
    idempotencyKey: r.idempotency_key,
  };
}
