/**
 * Per-unit figures for the ranking, over the plan tickets already due or done (as the published
 * rule says: a unit is not judged on work whose deadline has not come), aggregated in SQL: counts by state and on-time completion in
 * one GROUP BY; overdue and response times grouped by (unit, date) so that working days — which
 * need the holiday calendar — are computed once per distinct date, never once per ticket.
 */
import { memoCalendar } from '../../domain/calendar-memo.ts';
import type { Database, Provider } from '../../prisma/client.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { overdueWorkdays } from '../../domain/calendar.ts';
import type { UnitStats } from '../../domain/schedule/ranking.ts';

/** The Asia/Shanghai calendar date of a UTC timestamp column, as 'YYYY-MM-DD' text. */
export function shanghaiDateSql(provider: Provider, column: string): string {
  return provider === 'sqlite' ? `date(${column}, '+8 hours')` : `to_char(${column} + interval '8 hours', 'YYYY-MM-DD')`;
}

const num = (v: unknown) => Number(v ?? 0);

export async function unitStats(db: Database, plainCal: WorkCalendar, today: string): Promise<UnitStats[]> {
  // Thousands of (due, done) pairs share a few hundred dates: ask the calendar once per pair.
  const cal = memoCalendar(plainCal);
  const p = db.provider;
  const [units, counts, overdue, lateDone, accepted, returns, disclaims] = await Promise.all([
    db.sql.query<{ code: string; name: string; kind: string; sort_order: number }>(
      `SELECT code, name, kind, sort_order FROM unit WHERE kind IN ('PROVINCIAL', 'CITY') ORDER BY sort_order`,
    ),
    db.sql.query<{ unit_code: string; total: unknown; done: unknown; on_time: unknown }>(
      `SELECT unit_code, COUNT(*) AS total,
              SUM(CASE WHEN status = 'DONE' THEN 1 ELSE 0 END) AS done,
              SUM(CASE WHEN status = 'DONE' AND ${shanghaiDateSql(p, 'done_at')} <= due THEN 1 ELSE 0 END) AS on_time
         FROM ticket WHERE kind = 'PLAN' AND (due <= ? OR status = 'DONE') GROUP BY unit_code`,
      [today],
    ),
    db.sql.query<{ unit_code: string; due: string; n: unknown }>(
      `SELECT unit_code, due, COUNT(*) AS n FROM ticket
        WHERE kind = 'PLAN' AND status <> 'DONE' AND due < ? GROUP BY unit_code, due`,
      [today],
    ),
    // Done late: overdue working days count up to the day it was done (the published rule).
    db.sql.query<{ unit_code: string; due: string; d: string; n: unknown }>(
      `SELECT unit_code, due, ${shanghaiDateSql(p, 'done_at')} AS d, COUNT(*) AS n FROM ticket
        WHERE kind = 'PLAN' AND status = 'DONE' AND ${shanghaiDateSql(p, 'done_at')} > due GROUP BY unit_code, due, d`,
    ),
    db.sql.query<{ unit_code: string; c: string; a: string; n: unknown }>(
      `SELECT unit_code, ${shanghaiDateSql(p, 'created_at')} AS c, ${shanghaiDateSql(p, 'accepted_at')} AS a, COUNT(*) AS n
         FROM ticket WHERE kind = 'PLAN' AND accepted_at IS NOT NULL AND (due <= ? OR status = 'DONE') GROUP BY unit_code, c, a`,
      [today],
    ),
    db.sql.query<{ unit_code: string; n: unknown }>(
      // Count return events per ticket first (index on type), then join: far cheaper than joining every event.
      `SELECT t.unit_code, SUM(r.n) AS n
         FROM (SELECT ticket_id, COUNT(*) AS n FROM ticket_event WHERE type = 'return' GROUP BY ticket_id) r
         JOIN ticket t ON t.id = r.ticket_id
        WHERE t.kind = 'PLAN' AND (t.due <= ? OR t.status = 'DONE') GROUP BY t.unit_code`,
      [today],
    ),
    // 退单 are counted against the unit that raised them (the event's actor unit is the ticket's unit then).
    db.sql.query<{ unit_code: string; n: unknown }>(
      `SELECT p.unit_code, COUNT(*) AS n FROM ticket_event e JOIN person p ON p.id = e.actor_id JOIN ticket t ON t.id = e.ticket_id
        WHERE e.type = 'disclaim' AND t.kind = 'PLAN' AND p.unit_code IS NOT NULL GROUP BY p.unit_code`,
    ),
  ]);
  const stats = new Map<string, UnitStats>(
    units.map((u) => [
      u.code,
      {
        unitCode: u.code, unitName: u.name, kind: u.kind as 'PROVINCIAL' | 'CITY', sortOrder: num(u.sort_order),
        total: 0, done: 0, doneOnTime: 0, overdueOpen: 0, overdueWorkdaysSum: 0, acceptedCount: 0, acceptWorkdaysSum: 0, returnedAfterReview: 0,
      },
    ]),
  );
  for (const r of counts) {
    const s = stats.get(r.unit_code);
    if (s) Object.assign(s, { total: num(r.total), done: num(r.done), doneOnTime: num(r.on_time) });
  }
  for (const r of overdue) {
    const s = stats.get(r.unit_code);
    if (!s) continue;
    s.overdueOpen += num(r.n);
    s.overdueWorkdaysSum += num(r.n) * overdueWorkdays(r.due, today, cal);
  }
  for (const r of lateDone) {
    const s = stats.get(r.unit_code);
    if (s) s.overdueWorkdaysSum += num(r.n) * overdueWorkdays(r.due, r.d, cal);
  }
  for (const r of accepted) {
    const s = stats.get(r.unit_code);
    if (!s) continue;
    s.acceptedCount += num(r.n);
    s.acceptWorkdaysSum += num(r.n) * Math.max(0, cal.workdaysBetween(r.c, r.a));
  }
  for (const r of returns) {
    const s = stats.get(r.unit_code);
    if (s) s.returnedAfterReview = Math.min(s.total, num(r.n));
  }
  for (const r of disclaims) {
    const s = stats.get(r.unit_code);
    if (s) s.disclaims = num(r.n);
  }
  return [...stats.values()];
}
