/**
 * Recording a claimed row's outcome. Every write is guarded by the claim (`locked_by` = this
 * worker, still PENDING): a worker whose lease ran out and was reclaimed by another cannot
 * overwrite what the other one records. Each function returns how many rows it changed.
 */
import type { RawSql } from '../../prisma/raw-sql.ts';
import type { DeliveryResult } from './types.ts';
import { lineScrubber } from '../ops/redact.ts';

const MAX_ERROR_LENGTH = 1000;
const OWNED = `locked_by = ? AND status = 'PENDING'`;

/** Platform error texts may quote a request URL with its access_token: stored errors are shown by `duban outbox`. */
const scrub = lineScrubber();

export function clip(raw: string): string {
  const s = scrub(raw);
  return s.length <= MAX_ERROR_LENGTH ? s : s.slice(0, MAX_ERROR_LENGTH - 1) + '…';
}

export function markSent(sql: RawSql, id: number, workerId: string, now: Date, r: DeliveryResult): Promise<number> {
  return sql.execute(
    `UPDATE outbox_message SET status = 'SENT', sent_at = ?, platform_message_id = ?, card_ref = ?, card_ref_at = ?,
            last_error = NULL, locked_by = NULL, locked_until = NULL
      WHERE id = ? AND ${OWNED}`,
    [now, r.platformMessageId ?? null, r.cardRef ?? null, r.cardRef ? now : null, id, workerId],
  );
}

/** A failed attempt that will be tried again at `nextAt`. */
export function markRetry(sql: RawSql, id: number, workerId: string, attempts: number, nextAt: Date, error: string): Promise<number> {
  return sql.execute(
    `UPDATE outbox_message SET attempts = ?, next_attempt_at = ?, last_error = ?, locked_by = NULL, locked_until = NULL
      WHERE id = ? AND ${OWNED}`,
    [attempts, nextAt, clip(error), id, workerId],
  );
}

/** Dead letter: no further attempts until an operator runs `duban outbox retry ID`. */
export function markDead(sql: RawSql, id: number, workerId: string, attempts: number, reason: string): Promise<number> {
  return sql.execute(
    `UPDATE outbox_message SET status = 'DEAD', attempts = ?, last_error = ?, locked_by = NULL, locked_until = NULL
      WHERE id = ? AND ${OWNED}`,
    [attempts, clip(reason), id, workerId],
  );
}

/** Moves rows to `at` without counting an attempt (rate limits); `note` replaces last_error when given. */
export function reschedule(sql: RawSql, ids: number[], workerId: string, at: Date, note?: string): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  const setNote = note === undefined ? '' : ', last_error = ?';
  return sql.execute(
    `UPDATE outbox_message SET next_attempt_at = ?${setNote}, locked_by = NULL, locked_until = NULL
      WHERE id IN (${ids.map(() => '?').join(', ')}) AND ${OWNED}`,
    [at, ...(note === undefined ? [] : [clip(note)]), ...ids, workerId],
  );
}

/** Gives rows back untouched (the worker is stopping or ran short of lease). */
export function release(sql: RawSql, ids: number[], workerId: string): Promise<number> {
  if (ids.length === 0) return Promise.resolve(0);
  return sql.execute(
    `UPDATE outbox_message SET locked_by = NULL, locked_until = NULL WHERE id IN (${ids.map(() => '?').join(', ')}) AND ${OWNED}`,
    [...ids, workerId],
  );
}
