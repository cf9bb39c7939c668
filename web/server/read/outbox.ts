/** The delivery queue (outbox) as bureau staff see it on the dashboard: counts and pages, no payloads. */
import type { Database } from '../../../prisma/client.ts';
import type { SqlValue } from '../../../prisma/raw-sql.ts';

const num = (v: unknown): number => Number(v ?? 0);

export async function outboxCounts(db: Database): Promise<Record<'PENDING' | 'SENT' | 'DEAD', number>> {
  const rows = await db.sql.query<{ status: 'PENDING' | 'SENT' | 'DEAD'; n: unknown }>(`SELECT status, COUNT(*) AS n FROM outbox_message GROUP BY status`);
  const out = { PENDING: 0, SENT: 0, DEAD: 0 };
  for (const r of rows) out[r.status] = num(r.n);
  return out;
}

export async function outboxPage(db: Database, opts: { status?: 'PENDING' | 'SENT' | 'DEAD'; limit: number; offset: number }) {
  const where = opts.status ? 'WHERE status = ?' : '';
  const params: SqlValue[] = opts.status ? [opts.status] : [];
  const [totalRows, rows] = await Promise.all([
    db.sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM outbox_message ${where}`, params),
    db.sql.query<Record<string, unknown>>(
      `SELECT id, platform, target, kind, status, attempts, last_error, ticket_id, created_at, sent_at, next_attempt_at
         FROM outbox_message ${where} ORDER BY id DESC LIMIT ? OFFSET ?`,
      [...params, opts.limit, opts.offset],
    ),
  ]);
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date).toISOString());
  return {
    total: num(totalRows[0]?.n),
    items: rows.map((r) => ({
      id: num(r.id),
      platform: String(r.platform),
      target: String(r.target),
      kind: String(r.kind),
      status: String(r.status),
      attempts: num(r.attempts),
      lastError: (r.last_error as string | null) ?? null,
      ticketId: r.ticket_id === null ? null : num(r.ticket_id),
      createdAt: iso(r.created_at),
      sentAt: iso(r.sent_at),
      nextAttemptAt: iso(r.next_attempt_at),
    })),
  };
}
