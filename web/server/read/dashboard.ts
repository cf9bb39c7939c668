/**
 * Read models of the dashboard: counts by state and light, what is overdue by unit, the plans and
 * the plan's tasks with per-milestone figures (the ticket list is ticket-list.ts, the delivery queue
 * outbox.ts). Everything is aggregated in SQL (GROUP BY, LIMIT);
 * nothing loads a whole table, so the answers stay fast with 100,000 tickets.
 */
import type { Database } from '../../../prisma/client.ts';
import type { SqlValue } from '../../../prisma/raw-sql.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../../domain/ticket/types.ts';
import { joinsFor, lightSql, NOT_DONE, TASK_JOIN, UNIT_JOIN, type Clock, type Where } from './filters.ts';

const num = (v: unknown): number => Number(v ?? 0);
type Light = 'RED' | 'YELLOW' | 'GREEN';

export interface Counts {
  total: number;
  byStatus: Record<TicketStatus, number>;
  lights: Record<Light, number>;
  /** Not done and past due (= RED). */
  overdue: number;
  /** Not done, due Monday..Sunday of this week. */
  dueThisWeek: number;
  /** Done / total in percent, one decimal. */
  completionRate: number;
}

function emptyCounts(): Counts {
  return {
    total: 0,
    byStatus: Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>,
    lights: { RED: 0, YELLOW: 0, GREEN: 0 },
    overdue: 0,
    dueThisWeek: 0,
    completionRate: 0,
  };
}

function percent1(part: number, whole: number): number {
  return whole <= 0 ? 0 : Math.floor((2000 * part + whole) / (2 * whole)) / 10;
}

/** One GROUP BY over the filtered tickets: status × light, with the week figure summed alongside. */
export async function counts(db: Database, w: Where, c: Clock): Promise<Counts> {
  const light = lightSql(c);
  const rows = await db.sql.query<{ status: TicketStatus; light: Light; n: unknown; week: unknown }>(
    `SELECT status, light, COUNT(*) AS n, SUM(week) AS week FROM (
       SELECT t.status AS status, ${light.sql} AS light,
              CASE WHEN ${NOT_DONE} AND t.due >= ? AND t.due <= ? THEN 1 ELSE 0 END AS week
         FROM ticket t ${joinsFor(w)} ${w.sql}) x
      GROUP BY status, light`,
    [...light.params, c.weekStart, c.weekEnd, ...w.params],
  );
  const out = emptyCounts();
  for (const r of rows) {
    const n = num(r.n);
    out.total += n;
    out.byStatus[r.status] += n;
    out.lights[r.light] += n;
    out.dueThisWeek += num(r.week);
  }
  out.overdue = out.lights.RED;
  out.completionRate = percent1(out.byStatus.DONE, out.total);
  return out;
}

/** Units with the most overdue tickets (within the filter), most first. */
export async function overdueByUnit(db: Database, w: Where, c: Clock, limit: number) {
  const extra = `${NOT_DONE} AND t.due < ?`;
  // Group the tickets first, then name the (few) units.
  const rows = await db.sql.query<{ unit_code: string; unit_name: string; n: unknown; oldest: string }>(
    `SELECT x.unit_code, un.name AS unit_name, x.n, x.oldest
       FROM (SELECT t.unit_code, COUNT(*) AS n, MIN(t.due) AS oldest FROM ticket t ${joinsFor(w)}
              ${w.sql ? `${w.sql} AND ${extra}` : `WHERE ${extra}`} GROUP BY t.unit_code) x
       JOIN unit un ON un.code = x.unit_code
      ORDER BY x.n DESC, un.sort_order, x.unit_code LIMIT ?`,
    [...w.params, c.today, limit],
  );
  return rows.map((r) => ({ unitCode: r.unit_code, unitName: r.unit_name, count: num(r.n), oldestDue: r.oldest }));
}

export async function plans(db: Database) {
  const rows = await db.sql.query<{ id: string; doc_no: string; title: string; year: unknown; tasks: unknown; milestones: unknown }>(
    `SELECT p.id, p.doc_no, p.title, p.year,
            (SELECT COUNT(*) FROM task k WHERE k.plan_id = p.id) AS tasks,
            (SELECT COUNT(*) FROM milestone m JOIN task k ON k.id = m.task_id WHERE k.plan_id = p.id) AS milestones
       FROM plan p ORDER BY p.loaded_at DESC, p.id`,
  );
  return rows.map((r) => ({ id: r.id, docNo: r.doc_no, title: r.title, year: num(r.year), tasks: num(r.tasks), milestones: num(r.milestones) }));
}

/** What the filter dropdowns offer: categories of the plan's tasks and the units in scope. */
export async function filterOptions(db: Database, planId: string | null, scopeUnit: string | null) {
  const [categories, units] = await Promise.all([
    db.sql.query<{ category: string }>(
      `SELECT category, MIN(seq) AS s FROM task ${planId ? 'WHERE plan_id = ?' : ''} GROUP BY category ORDER BY MIN(seq)`,
      planId ? [planId] : [],
    ),
    db.sql.query<{ code: string; name: string; kind: string }>(
      `SELECT code, name, kind FROM unit ${scopeUnit ? 'WHERE code = ?' : ''} ORDER BY sort_order, code`,
      scopeUnit ? [scopeUnit] : [],
    ),
  ]);
  return { categories: categories.map((r) => r.category), units };
}

export interface MilestoneFigures {
  id: string;
  ordinal: number;
  text: string;
  due: string;
  counts: Counts;
  /** The worst light of its tickets; null when none is in the filter. */
  light: Light | null;
}

export interface TaskRow {
  id: string;
  seq: number;
  category: string;
  content: string;
  responsibleText: string;
  due: string | null;
  recurring: boolean;
  counts: Counts;
  light: Light | null;
  milestones: MilestoneFigures[];
}

const worst = (l: Record<Light, number>): Light | null => (l.RED ? 'RED' : l.YELLOW ? 'YELLOW' : l.GREEN ? 'GREEN' : null);

/**
 * A page of the plan's tasks with per-milestone figures over the filtered tickets. With a ticket
 * filter (or a unit account) only tasks that have matching tickets are listed.
 */
export async function taskPage(
  db: Database,
  planId: string,
  w: Where,
  c: Clock,
  opts: { onlyWithTickets: boolean; category?: string; task?: number; limit: number; offset: number },
): Promise<{ total: number; items: TaskRow[] }> {
  const clauses = ['k.plan_id = ?'];
  const params: SqlValue[] = [planId];
  if (opts.category) {
    clauses.push('k.category = ?');
    params.push(opts.category);
  }
  if (opts.task !== undefined) {
    clauses.push('k.seq = ?');
    params.push(opts.task);
  }
  if (opts.onlyWithTickets) {
    // The tasks having a matching ticket, computed once (a correlated EXISTS would rescan the
    // matching tickets for every task). Inside, k is the ticket's own task, as the filter expects.
    clauses.push(`k.id IN (SELECT m.task_id FROM ticket t JOIN milestone m ON m.id = t.milestone_id JOIN task k ON k.id = m.task_id
                   ${w.needsUnit ? UNIT_JOIN : ''} ${w.sql})`);
    params.push(...w.params);
  }
  const where = `WHERE ${clauses.join(' AND ')}`;
  const [totalRows, tasks] = await Promise.all([
    db.sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM task k ${where}`, params),
    db.sql.query<{ id: string; seq: unknown; category: string; content: string; responsible_text: string; due: string | null; recurring: unknown }>(
      `SELECT k.id, k.seq, k.category, k.content, k.responsible_text, k.due, k.recurring FROM task k ${where} ORDER BY k.seq LIMIT ? OFFSET ?`,
      [...params, opts.limit, opts.offset],
    ),
  ]);
  if (tasks.length === 0) return { total: num(totalRows[0]?.n), items: [] };
  const ids = tasks.map((t) => t.id);
  const marks = ids.map(() => '?').join(', ');
  const light = lightSql(c);
  const [milestones, figures] = await Promise.all([
    db.sql.query<{ id: string; task_id: string; ordinal: unknown; text: string; due: string }>(
      `SELECT id, task_id, ordinal, text, due FROM milestone WHERE task_id IN (${marks}) ORDER BY task_id, ordinal`,
      ids,
    ),
    db.sql.query<{ milestone_id: string; status: TicketStatus; light: Light; n: unknown; week: unknown }>(
      `SELECT milestone_id, status, light, COUNT(*) AS n, SUM(week) AS week FROM (
         SELECT t.milestone_id, t.status, ${light.sql} AS light,
                CASE WHEN ${NOT_DONE} AND t.due >= ? AND t.due <= ? THEN 1 ELSE 0 END AS week
           FROM ticket t ${w.needsTask ? TASK_JOIN : 'JOIN milestone m ON m.id = t.milestone_id'} ${w.needsUnit ? 'JOIN unit u ON u.code = t.unit_code' : ''}
           ${w.sql ? `${w.sql} AND` : 'WHERE'} m.task_id IN (${marks})) x
        GROUP BY milestone_id, status, light`,
      [...light.params, c.weekStart, c.weekEnd, ...w.params, ...ids],
    ),
  ]);
  const byMilestone = new Map<string, Counts>();
  for (const r of figures) {
    const f = byMilestone.get(r.milestone_id) ?? emptyCounts();
    const n = num(r.n);
    f.total += n;
    f.byStatus[r.status] += n;
    f.lights[r.light] += n;
    f.dueThisWeek += num(r.week);
    byMilestone.set(r.milestone_id, f);
  }
  const items = tasks.map((t): TaskRow => {
    const sum = emptyCounts();
    const ms = milestones
      .filter((m) => m.task_id === t.id)
      .map((m): MilestoneFigures => {
        const f = byMilestone.get(m.id) ?? emptyCounts();
        f.overdue = f.lights.RED;
        f.completionRate = percent1(f.byStatus.DONE, f.total);
        sum.total += f.total;
        sum.dueThisWeek += f.dueThisWeek;
        for (const s of TICKET_STATUSES) sum.byStatus[s] += f.byStatus[s];
        for (const l of ['RED', 'YELLOW', 'GREEN'] as const) sum.lights[l] += f.lights[l];
        return { id: m.id, ordinal: num(m.ordinal), text: m.text, due: m.due, counts: f, light: worst(f.lights) };
      })
      .filter((m) => !opts.onlyWithTickets || m.counts.total > 0);
    sum.overdue = sum.lights.RED;
    sum.completionRate = percent1(sum.byStatus.DONE, sum.total);
    return {
      id: t.id, seq: num(t.seq), category: t.category, content: t.content, responsibleText: t.responsible_text,
      due: t.due, recurring: Boolean(num(t.recurring)), counts: sum, light: worst(sum.lights), milestones: ms,
    };
  });
  return { total: num(totalRows[0]?.n), items };
}
