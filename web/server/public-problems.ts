/**
 * The public 晾晒 view of problem rectification (section 九): per unit — 省直单位 and 市州 apart —
 * problems received, closed (销号), the on-time rectification rate, open and overdue now. No sign-in:
 * it answers with unit names and counts only (handlers/services/problem-stats.ts aggregates in
 * SQL), never a description, a contact, a problem or ticket id, or anything a citizen typed.
 *
 *   GET /public/problems             the page (web/app/public.html + public.js, no shared shell)
 *   GET /api/public/problems?period= the figures; Cache-Control: public, max-age=60
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Router from '@koa/router';
import { z } from 'zod';
import { shanghaiDate, shanghaiInstant } from '../../domain/calendar.ts';
import type { ISODate } from '../../domain/plan/types.ts';
import { addDays, periodOfDay } from '../../domain/schedule/periods.ts';
import { problemStatsByUnit, rate, type ProblemPeriod, type ProblemUnitStats } from '../../handlers/services/problem-stats.ts';
import type { WebDeps } from './deps.ts';
import { parseQuery } from './http.ts';
import { APP_DIR } from './pages.ts';

export const PROBLEM_PERIODS = ['week', 'month', 'year', 'all'] as const;
export type ProblemPeriodKind = (typeof PROBLEM_PERIODS)[number];
export const PROBLEM_PERIOD_LABELS: Record<ProblemPeriodKind, string> = { week: '本周', month: '本月', year: '本年', all: '全部' };
export const periodQuery = z.enum(PROBLEM_PERIODS, { message: '期间应为 week（本周）、month（本月）、year（本年）或 all（全部）' });

export interface LabelledPeriod extends ProblemPeriod {
  kind: ProblemPeriodKind;
  label: string;
  /** Shanghai days, inclusive. */
  start: ISODate | null;
  end: ISODate;
}

/** The period containing today (Asia/Shanghai), as half-open instants for problem-stats. */
export function problemPeriod(kind: ProblemPeriodKind, now: Date): LabelledPeriod {
  const today = shanghaiDate(now);
  let start: ISODate | null;
  let end: ISODate;
  if (kind === 'week' || kind === 'month') {
    const p = periodOfDay(kind === 'week' ? 'WEEKLY' : 'MONTHLY', today);
    [start, end] = [p.start, p.end];
  } else if (kind === 'year') {
    [start, end] = [`${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`];
  } else {
    [start, end] = [null, today];
  }
  return {
    kind, label: PROBLEM_PERIOD_LABELS[kind], start, end, asOf: today,
    from: start ? shanghaiInstant(start) : new Date(0),
    to: shanghaiInstant(addDays(end, 1)),
  };
}

/** What the public sees of a unit: its name and counts. */
export interface PublicUnitRow {
  unitName: string;
  received: number;
  closed: number;
  onTimeRate: number | null;
  open: number;
  overdue: number;
}

function publicRow(s: ProblemUnitStats): PublicUnitRow {
  return { unitName: s.unitName, received: s.received, closed: s.closed, onTimeRate: s.onTimeRate, open: s.open, overdue: s.overdueOpen };
}

function sum(rows: ProblemUnitStats[]) {
  const closed = rows.reduce((a, r) => a + r.closed, 0);
  const onTime = rows.reduce((a, r) => a + r.closedOnTime, 0);
  return {
    received: rows.reduce((a, r) => a + r.received, 0),
    closed,
    onTimeRate: rate(onTime, closed),
    open: rows.reduce((a, r) => a + r.open, 0),
    overdue: rows.reduce((a, r) => a + r.overdueOpen, 0),
  };
}

export async function publicProblemBoard(deps: Pick<WebDeps, 'db' | 'now'>, kind: ProblemPeriodKind) {
  const period = problemPeriod(kind, deps.now());
  const rows = await problemStatsByUnit(deps.db, period);
  const provincial = rows.filter((r) => r.kind === 'PROVINCIAL');
  const city = rows.filter((r) => r.kind === 'CITY');
  return {
    period: { kind, label: period.label, start: period.start, end: period.end },
    asOf: period.asOf,
    totals: sum([...provincial, ...city]),
    provincial: { totals: sum(provincial), units: provincial.map(publicRow) },
    city: { totals: sum(city), units: city.map(publicRow) },
    rules: '按时整改率＝统计期内在整改时限内销号的问题数÷统计期内销号的问题数；未销号、逾期为当前数。',
  };
}

export function registerPublicProblems(router: Router, deps: WebDeps): void {
  router.get('/public/problems', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = readFileSync(join(APP_DIR, 'public.html'));
  });

  router.get('/api/public/problems', async (ctx) => {
    const q = parseQuery(ctx, z.object({ period: periodQuery.default('month') }));
    if (!q) return;
    ctx.set('Cache-Control', 'public, max-age=60');
    ctx.body = await publicProblemBoard(deps, q.period);
  });
}
