/** What operators see of the outbox (`duban outbox`): counts, dead letters by reason, and a requeue. */
import type { Database } from '../../prisma/client.ts';
import { DomainError } from '../../domain/errors.ts';

export type OutboxStatus = 'PENDING' | 'SENT' | 'DEAD';

export interface PlatformCounts { platform: string; pending: number; sent: number; dead: number }

export interface DeadGroup {
  platform: string;
  /** The error code part of `code: message`. */
  code: string;
  count: number;
  /** One full reason of the group, as recorded. */
  example: string;
  /** Ids of the most recent dead letters of the group (at most 5), for `duban outbox retry ID`. */
  ids: number[];
}

export interface OutboxSummary {
  totals: { pending: number; sent: number; dead: number };
  byPlatform: PlatformCounts[];
  deadByReason: DeadGroup[];
  /** Pending rows currently claimed by a worker. */
  inFlight: number;
  oldestPendingAt: Date | null;
  oldestPendingAgeMs: number | null;
}

const STATUS_KEY: Record<OutboxStatus, keyof PlatformCounts & keyof OutboxSummary['totals']> = { PENDING: 'pending', SENT: 'sent', DEAD: 'dead' };

export async function outboxSummary(db: Pick<Database, 'sql'>, now: Date): Promise<OutboxSummary> {
  const [counts, dead, recentDead, pending] = await Promise.all([
    db.sql.query<{ platform: string; status: OutboxStatus; n: number | string }>(
      'SELECT platform, status, COUNT(*) AS n FROM outbox_message GROUP BY platform, status',
    ),
    db.sql.query<{ platform: string; last_error: string | null; n: number | string }>(
      `SELECT platform, last_error, COUNT(*) AS n FROM outbox_message WHERE status = 'DEAD' GROUP BY platform, last_error`,
    ),
    db.sql.query<{ id: number | string; platform: string; last_error: string | null }>(
      `SELECT id, platform, last_error FROM outbox_message WHERE status = 'DEAD' ORDER BY id DESC LIMIT 500`,
    ),
    db.sql.query<{ oldest: Date | string | null; in_flight: number | string | null }>(
      `SELECT MIN(created_at) AS oldest, SUM(CASE WHEN locked_until > ? THEN 1 ELSE 0 END) AS in_flight
         FROM outbox_message WHERE status = 'PENDING'`,
      [now],
    ),
  ]);
  const totals = { pending: 0, sent: 0, dead: 0 };
  const platforms = new Map<string, PlatformCounts>();
  for (const r of counts) {
    const key = STATUS_KEY[r.status];
    const p = platforms.get(r.platform) ?? { platform: r.platform, pending: 0, sent: 0, dead: 0 };
    p[key] += Number(r.n);
    totals[key] += Number(r.n);
    platforms.set(r.platform, p);
  }
  const groups = new Map<string, DeadGroup>();
  const group = (platform: string, lastError: string | null) => {
    const reason = lastError ?? 'UNKNOWN: 未记录原因';
    const code = reason.split(':', 1)[0]!.trim() || 'UNKNOWN';
    const key = `${platform}|${code}`;
    const g = groups.get(key) ?? { platform, code, count: 0, example: reason, ids: [] };
    groups.set(key, g);
    return g;
  };
  for (const r of dead) group(r.platform, r.last_error).count += Number(r.n);
  for (const r of recentDead) {
    const g = group(r.platform, r.last_error);
    if (g.ids.length < 5) g.ids.push(Number(r.id));
  }
  const oldest = toDate(pending[0]?.oldest ?? null);
  return {
    totals,
    byPlatform: [...platforms.values()].sort((a, b) => a.platform.localeCompare(b.platform)),
    deadByReason: [...groups.values()].filter((g) => g.count > 0).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    inFlight: Number(pending[0]?.in_flight ?? 0),
    oldestPendingAt: oldest,
    oldestPendingAgeMs: oldest ? Math.max(0, now.getTime() - oldest.getTime()) : null,
  };
}

const STATUS_ZH: Record<string, string> = { PENDING: '待发送', SENT: '已发送', DEAD: '失败（死信）' };

/** Puts a dead letter back in the queue: PENDING, attempts 0, due now. Refuses anything else. */
export async function retry(db: Pick<Database, 'sql'>, id: number, now: Date = new Date()): Promise<void> {
  const changed = await db.sql.execute(
    `UPDATE outbox_message SET status = 'PENDING', attempts = 0, next_attempt_at = ?, locked_by = NULL, locked_until = NULL
      WHERE id = ? AND status = 'DEAD'`,
    [now, id],
  );
  if (changed) return;
  const rows = await db.sql.query<{ status: string }>('SELECT status FROM outbox_message WHERE id = ?', [id]);
  const status = rows[0]?.status;
  if (!status) throw new DomainError('OUTBOX_NOT_FOUND', `未找到编号为 ${id} 的消息。`, `outbox message ${id} not found`);
  throw new DomainError(
    'OUTBOX_NOT_DEAD',
    `消息 ${id} 当前状态为「${STATUS_ZH[status] ?? status}」，只有失败（死信）的消息可以重新投递。`,
    `outbox message ${id} is ${status}, only DEAD messages can be retried`,
  );
}

/** SQLite returns stored text (ISO from our writes, "YYYY-MM-DD HH:MM:SS" UTC from column defaults). */
export function toDate(v: Date | string | null): Date | null {
  if (v === null) return null;
  if (v instanceof Date) return v;
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : v.replace(' ', 'T') + 'Z';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}
