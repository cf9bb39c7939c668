/**
 * The ticket list: one page of tickets (server-side LIMIT/OFFSET) chosen on the ticket table with
 * the filter's WHERE, then joined to task, milestone and unit names for those rows only.
 */
import type { Database } from '../../../prisma/client.ts';
import { overdueWorkdays, type WorkCalendar } from '../../../domain/calendar.ts';
import type { TicketStatus } from '../../../domain/ticket/types.ts';
import { joinsFor, lightSql, TASK_JOIN, UNIT_JOIN, type Clock, type Where } from './filters.ts';

const num = (v: unknown): number => Number(v ?? 0);
type Light = 'RED' | 'YELLOW' | 'GREEN';

export interface TicketListItem {
  id: number;
  kind: string;
  title: string;
  taskSeq: number | null;
  category: string | null;
  milestone: string | null;
  unitCode: string;
  unitName: string;
  status: TicketStatus;
  progress: number;
  due: string;
  originalDue: string;
  light: Light;
  /** Working days past due (RED) or left (otherwise; negative never). */
  overdueWorkdays: number;
  workdaysLeft: number;
  extensionDue: string | null;
  disclaimed: boolean;
  urgent: boolean;
  updatedAt: string;
}

export const TICKET_SORTS = { due: 't.due, t.id', '-due': 't.due DESC, t.id DESC', id: 't.id', '-updated': 't.updated_at DESC, t.id DESC' } as const;

export async function ticketPage(
  db: Database,
  w: Where,
  c: Clock,
  cal: WorkCalendar,
  opts: { sort: keyof typeof TICKET_SORTS; limit: number; offset: number },
): Promise<{ total: number; items: TicketListItem[] }> {
  const light = lightSql(c);
  const order = TICKET_SORTS[opts.sort];
  // Deferred join: the page's ids are chosen on the ticket table (and only the joins the filter
  // needs); names and texts are joined for those rows alone.
  const [totalRows, rows] = await Promise.all([
    db.sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ticket t ${joinsFor(w)} ${w.sql}`, w.params),
    db.sql.query<Record<string, unknown>>(
      `SELECT t.id, t.kind, t.title, k.seq AS task_seq, k.category, m.text AS milestone, t.unit_code, u.name AS unit_name,
              t.status, t.progress, t.due, t.original_due, t.extension_due,
              CASE WHEN t.disclaim_reason IS NULL THEN 0 ELSE 1 END AS disclaimed,
              CASE WHEN t.urgent THEN 1 ELSE 0 END AS urgent, t.updated_at, ${light.sql} AS light
         FROM (SELECT t.id FROM ticket t ${joinsFor(w)} ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?) p
         JOIN ticket t ON t.id = p.id ${TASK_JOIN} ${UNIT_JOIN}
        ORDER BY ${order}`,
      [...light.params, ...w.params, opts.limit, opts.offset],
    ),
  ]);
  const items = rows.map((r): TicketListItem => {
    const due = String(r.due);
    return {
      id: num(r.id),
      kind: String(r.kind),
      title: String(r.title),
      taskSeq: r.task_seq === null ? null : num(r.task_seq),
      category: (r.category as string | null) ?? null,
      milestone: (r.milestone as string | null) ?? null,
      unitCode: String(r.unit_code),
      unitName: String(r.unit_name),
      status: r.status as TicketStatus,
      progress: num(r.progress),
      due,
      originalDue: String(r.original_due),
      light: r.light as Light,
      overdueWorkdays: r.status === 'DONE' ? 0 : overdueWorkdays(due, c.today, cal),
      workdaysLeft: Math.max(0, cal.workdaysBetween(c.today, due)),
      extensionDue: (r.extension_due as string | null) ?? null,
      disclaimed: num(r.disclaimed) === 1,
      urgent: num(r.urgent) === 1,
      updatedAt: new Date(r.updated_at as string | Date).toISOString(),
    };
  });
  return { total: num(totalRows[0]?.n), items };
}
