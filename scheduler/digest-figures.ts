/**
 * The figures of a digest, aggregated in SQL (counts, ranges, LIMITed lists), never by loading
 * every ticket. Counts cover every ticket kind (plan, problem, return); the ranking covers plan
 * tickets, as its published rules say (handlers/services/ranking-stats.ts).
 */
import { overdueWorkdays, type WorkCalendar } from '../domain/calendar.ts';
import type { UnitStats } from '../domain/schedule/ranking.ts';
import { TICKET_STATUSES, type TicketStatus } from '../domain/ticket/types.ts';
import type { Database } from '../prisma/client.ts';
import { unitStats } from '../handlers/services/ranking-stats.ts';
import { instantParam } from './instant.ts';

export interface AtRiskTicket {
  id: number;
  unitName: string;
  taskSeq: number | null;
  /** Milestone text, or the title of a ticket without milestone. */
  text: string;
  due: string;
  status: TicketStatus;
  light: 'RED' | 'YELLOW';
  /** RED: working days past due; YELLOW: working days left (0 = due today). */
  workdays: number;
}

export interface DoneWindow {
  from: Date;
  to: Date;
  /** First and last calendar day of the window (Asia/Shanghai), for the text. */
  firstDay: string;
  lastDay: string;
}

export interface DigestFigures {
  asOf: string;
  total: number;
  done: number;
  /** done / total in percent, one decimal (0 when there is no ticket). */
  completionRate: number;
  byStatus: Record<TicketStatus, number>;
  /** Not done and past due. */
  red: number;
  /** Open (not submitted) and due within `yellowWorkdays` working days. */
  yellow: number;
  yellowWorkdays: number;
  /** Most overdue first, then soonest due; at most `limit`. */
  atRisk: AtRiskTicket[];
  /** Tickets done in the window (done_at in [from, to)). */
  newlyDone: number;
  window: DoneWindow;
  /** Red tickets per unit, most first (for the daily overdue list). */
  redByUnit: { unitName: string; count: number }[];
  units: UnitStats[];
}

const num = (v: unknown): number => Number(v ?? 0);

/** Percent with one decimal, rounded half up, from integers (no float drift: 1/8 → 12.5). */
export function percent1(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Math.floor((2000 * part + whole) / (2 * whole)) / 10;
}

interface RiskRow {
  id: number;
  unit_name: string;
  task_seq: number | null;
  milestone: string | null;
  title: string;
  due: string;
  status: TicketStatus;
}

const RISK_SELECT = `SELECT t.id, u.name AS unit_name, k.seq AS task_seq, m.text AS milestone, t.title, t.due, t.status
  FROM ticket t JOIN unit u ON u.code = t.unit_code
  LEFT JOIN milestone m ON m.id = t.milestone_id LEFT JOIN task k ON k.id = m.task_id`;

export async function digestFigures(
  db: Database,
  cal: WorkCalendar,
  today: string,
  window: DoneWindow,
  opts: { limit: number; yellowWorkdays: number; withRanking: boolean },
): Promise<DigestFigures> {
  const sql = db.sql;
  // YELLOW ⇔ workdaysBetween(today, due) ≤ N ⇔ due is before the (N+1)-th working day after today.
  const yellowEnd = cal.addWorkdays(today, opts.yellowWorkdays + 1);
  const open = `t.status IN ('ASSIGNED', 'IN_PROGRESS', 'RETURNED')`;
  const [byStatusRows, redRows, yellowRows, redTop, yellowTop, doneRows, redByUnit, units] = await Promise.all([
    sql.query<{ status: TicketStatus; n: unknown }>(`SELECT status, COUNT(*) AS n FROM ticket GROUP BY status`),
    sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ticket t WHERE t.status <> 'DONE' AND t.due < ?`, [today]),
    sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ticket t WHERE ${open} AND t.due >= ? AND t.due < ?`, [today, yellowEnd]),
    sql.query<RiskRow>(`${RISK_SELECT} WHERE t.status <> 'DONE' AND t.due < ? ORDER BY t.due, t.id LIMIT ?`, [today, opts.limit]),
    sql.query<RiskRow>(`${RISK_SELECT} WHERE ${open} AND t.due >= ? AND t.due < ? ORDER BY t.due, t.id LIMIT ?`, [today, yellowEnd, opts.limit]),
    sql.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM ticket t WHERE t.status = 'DONE' AND t.done_at >= ? AND t.done_at < ?`,
      [instantParam(db.provider, window.from), instantParam(db.provider, window.to)],
    ),
    sql.query<{ unit_name: string; n: unknown }>(
      `SELECT u.name AS unit_name, COUNT(*) AS n FROM ticket t JOIN unit u ON u.code = t.unit_code
        WHERE t.status <> 'DONE' AND t.due < ? GROUP BY u.code, u.name, u.sort_order ORDER BY COUNT(*) DESC, u.sort_order, u.code LIMIT ?`,
      [today, opts.limit],
    ),
    opts.withRanking ? unitStats(db, cal, today) : Promise.resolve([] as UnitStats[]),
  ]);

  const byStatus = Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
  for (const r of byStatusRows) byStatus[r.status] = num(r.n);
  const total = TICKET_STATUSES.reduce((sum, s) => sum + byStatus[s], 0);
  const risk = (r: RiskRow, light: 'RED' | 'YELLOW'): AtRiskTicket => ({
    id: num(r.id),
    unitName: r.unit_name,
    taskSeq: r.task_seq === null ? null : num(r.task_seq),
    text: r.milestone ?? r.title,
    due: r.due,
    status: r.status,
    light,
    workdays: light === 'RED' ? overdueWorkdays(r.due, today, cal) : cal.workdaysBetween(today, r.due),
  });
  return {
    asOf: today,
    total,
    done: byStatus.DONE,
    completionRate: percent1(byStatus.DONE, total),
    byStatus,
    red: num(redRows[0]?.n),
    yellow: num(yellowRows[0]?.n),
    yellowWorkdays: opts.yellowWorkdays,
    atRisk: [...redTop.map((r) => risk(r, 'RED')), ...yellowTop.map((r) => risk(r, 'YELLOW'))].slice(0, opts.limit),
    newlyDone: num(doneRows[0]?.n),
    window,
    redByUnit: redByUnit.map((r) => ({ unitName: r.unit_name, count: num(r.n) })),
    units,
  };
}
