/**
 * Ticket filters of the dashboard and the ticket list, turned into one SQL WHERE (alias `t` for
 * ticket, `m` milestone, `k` task, `u` unit) that works on SQLite and PostgreSQL. The traffic light
 * is written in SQL with the same rule as domain/calendar.ts `trafficLight`, using two dates the
 * calendar computes once per request: today and the first day that is no longer yellow.
 */
import { z } from 'zod';
import type { SqlValue } from '../../../prisma/raw-sql.ts';
import { isISODate, type WorkCalendar } from '../../../domain/calendar.ts';
import { TICKET_STATUSES } from '../../../domain/ticket/types.ts';
import { periodOfDay } from '../../../domain/schedule/periods.ts';

const flag = z
  .enum(['true', 'false', '1', '0'], { message: '应为 true 或 false' })
  .transform((v) => v === 'true' || v === '1');
const isoDate = z.string().refine(isISODate, '日期格式应为 YYYY-MM-DD');

export const ticketFilterQuery = z.object({
  unit: z.string().trim().min(1).max(64).optional(),
  unitKind: z.enum(['PROVINCIAL', 'CITY', 'BUREAU'], { message: '单位类型应为 PROVINCIAL、CITY 或 BUREAU' }).optional(),
  status: z.enum([...TICKET_STATUSES, 'OPEN'], { message: `状态应为 ${TICKET_STATUSES.join('、')} 或 OPEN（未办结）` }).optional(),
  light: z.enum(['RED', 'YELLOW', 'GREEN'], { message: '信号灯应为 RED、YELLOW 或 GREEN' }).optional(),
  overdue: flag.optional(),
  category: z.string().trim().min(1).max(100).optional(),
  task: z.coerce.number({ message: '任务编号应为数字' }).int().min(1).max(10_000).optional(),
  milestone: z.string().trim().min(1).max(64).optional(),
  plan: z.string().trim().min(1).max(64).optional(),
  kind: z.enum(['PLAN', 'PROBLEM', 'RETURN'], { message: '类型应为 PLAN、PROBLEM 或 RETURN' }).optional(),
  dueFrom: isoDate.optional(),
  dueTo: isoDate.optional(),
  /** "#123" or "123" finds that ticket; other text searches titles. */
  q: z.string().trim().min(1).max(100).optional(),
});

export type TicketFilter = z.infer<typeof ticketFilterQuery>;

/** The dates a request's light and week figures are computed against (Asia/Shanghai). */
export interface Clock {
  today: string;
  /** YELLOW ⇔ open, not past due and due before this day (the (N+1)-th working day after today). */
  yellowEnd: string;
  weekStart: string;
  weekEnd: string;
}

export function clockOf(today: string, cal: WorkCalendar, yellowWorkdays: number): Clock {
  const week = periodOfDay('WEEKLY', today);
  return { today, yellowEnd: cal.addWorkdays(today, yellowWorkdays + 1), weekStart: week.start, weekEnd: week.end };
}

const OPEN_NOT_SUBMITTED = `t.status IN ('ASSIGNED', 'IN_PROGRESS', 'RETURNED')`;
/** Not DONE, written as a list so that the (status, due) index serves "overdue" (`<>` would scan). */
export const NOT_DONE = `t.status IN ('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED')`;

/** RED / YELLOW / GREEN of `t` as an SQL expression, and its parameters. */
export function lightSql(c: Clock): { sql: string; params: SqlValue[] } {
  return {
    sql: `CASE WHEN ${NOT_DONE} AND t.due < ? THEN 'RED' WHEN ${OPEN_NOT_SUBMITTED} AND t.due < ? THEN 'YELLOW' ELSE 'GREEN' END`,
    params: [c.today, c.yellowEnd],
  };
}

export interface Where {
  /** `WHERE …` (or empty). */
  sql: string;
  params: SqlValue[];
  /** The filter reads milestone/task columns: join them. */
  needsTask: boolean;
  /** The filter reads unit columns: join unit. */
  needsUnit: boolean;
}

export const TASK_JOIN = 'LEFT JOIN milestone m ON m.id = t.milestone_id LEFT JOIN task k ON k.id = m.task_id';
export const UNIT_JOIN = 'JOIN unit u ON u.code = t.unit_code';

/** `scopeUnit` narrows to one unit (unit accounts); null sees every unit. */
export function whereOf(f: TicketFilter, c: Clock, scopeUnit: string | null): Where {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  let needsTask = false;
  let needsUnit = false;
  const add = (sql: string, ...values: SqlValue[]) => {
    clauses.push(sql);
    params.push(...values);
  };
  if (scopeUnit) add('t.unit_code = ?', scopeUnit);
  if (f.unit) add('t.unit_code = ?', f.unit);
  if (f.unitKind) {
    needsUnit = true;
    add('u.kind = ?', f.unitKind);
  }
  if (f.status === 'OPEN') add(NOT_DONE);
  else if (f.status) add('t.status = ?', f.status);
  if (f.overdue === true) add(`${NOT_DONE} AND t.due < ?`, c.today);
  if (f.overdue === false) add(`(t.status = 'DONE' OR t.due >= ?)`, c.today);
  if (f.light === 'RED') add(`${NOT_DONE} AND t.due < ?`, c.today);
  if (f.light === 'YELLOW') add(`${OPEN_NOT_SUBMITTED} AND t.due >= ? AND t.due < ?`, c.today, c.yellowEnd);
  if (f.light === 'GREEN') add(`(t.status = 'DONE' OR (t.due >= ? AND (t.status = 'SUBMITTED' OR t.due >= ?)))`, c.today, c.yellowEnd);
  if (f.kind) add('t.kind = ?', f.kind);
  if (f.milestone) add('t.milestone_id = ?', f.milestone);
  if (f.category || f.task !== undefined || f.plan) needsTask = true;
  if (f.category) add('k.category = ?', f.category);
  if (f.task !== undefined) add('k.seq = ?', f.task);
  if (f.plan) add('k.plan_id = ?', f.plan);
  if (f.dueFrom) add('t.due >= ?', f.dueFrom);
  if (f.dueTo) add('t.due <= ?', f.dueTo);
  if (f.q) {
    const id = /^#?(\d{1,9})$/.exec(f.q);
    if (id) add('t.id = ?', Number(id[1]));
    else add(`t.title LIKE ? ESCAPE '\\'`, `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params, needsTask, needsUnit };
}

/** The joins a WHERE needs (the list always joins everything itself). */
export function joinsFor(w: Where): string {
  return [w.needsTask ? TASK_JOIN : '', w.needsUnit ? UNIT_JOIN : ''].filter(Boolean).join(' ');
}

