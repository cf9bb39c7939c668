/**
 * Digest periods and when digests run.
 *
 * A period is named by its label: daily '2026-06-19', weekly ISO week '2026-W23' (weeks start on
 * Monday; the week with the year's first Thursday is W01), monthly '2026-06'. All in Asia/Shanghai.
 *
 * Default schedule — every period has at most one scheduled run, at:
 *   DAILY    17:00 on each working day (no run on a day off);
 *   WEEKLY   09:00 on the first working day of the ISO week (Monday, or e.g. Thursday 2026-10-08
 *            after National Day; a week without any working day has no weekly run);
 *   MONTHLY  09:00 on the first working day of the month.
 * The run carries the period it is scheduled in; what it reports on (the week just ended, …) is
 * the digest's business. Digest (kind, period, group) is unique, so a repeated run is harmless.
 *
 * Catch-up after downtime (`missedRuns`): per kind only the most recent run whose instant passed
 * since the last scheduler pass is returned, marked late when it is more than `lateAfterMinutes`
 * old; older missed runs are dropped, so leaders get one catch-up digest, not a pile.
 */
import { shanghaiInstant, shanghaiParts, type WorkCalendar } from '../calendar.ts';
import { DomainError } from '../errors.ts';
import type { ISODate } from '../plan/types.ts';
import { minutesOf } from './policy.ts';

export const PERIOD_KINDS = ['DAILY', 'WEEKLY', 'MONTHLY'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  label: string;
  /** First and last calendar day of the period (inclusive). */
  start: ISODate;
  end: ISODate;
}

export interface DigestSchedule {
  /** `HH:MM` Asia/Shanghai per kind; null disables that kind. */
  daily: { at: string } | null;
  weekly: { at: string } | null;
  monthly: { at: string } | null;
  /** A run found this long after its instant is marked late (the server was down or busy). */
  lateAfterMinutes: number;
}

export const DEFAULT_DIGEST_SCHEDULE: Readonly<DigestSchedule> = Object.freeze({
  daily: { at: '17:00' },
  weekly: { at: '09:00' },
  monthly: { at: '09:00' },
  lateAfterMinutes: 15,
});

export interface ScheduledRun {
  kind: PeriodKind;
  period: Period;
  scheduledAt: Date;
  late: boolean;
}

const DAY_MS = 86_400_000;

function dayNumber(d: ISODate): number {
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / DAY_MS;
}

function fromDayNumber(n: number): ISODate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(d: ISODate, n: number): ISODate {
  return fromDayNumber(dayNumber(d) + n);
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(d: ISODate): number {
  return ((((dayNumber(d) + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function monthPeriod(year: number, month: number): Period {
  const start = `${pad(year, 4)}-${pad(month)}-01`;
  const end = fromDayNumber(Date.UTC(year, month, 1) / DAY_MS - 1);
  return { kind: 'MONTHLY', label: `${pad(year, 4)}-${pad(month)}`, start, end };
}

/** The period of a kind that contains a calendar day. */
export function periodOfDay(kind: PeriodKind, date: ISODate): Period {
  if (kind === 'DAILY') return { kind, label: date, start: date, end: date };
  if (kind === 'MONTHLY') return monthPeriod(Number(date.slice(0, 4)), Number(date.slice(5, 7)));
  const monday = addDays(date, 1 - isoWeekday(date));
  const thursday = addDays(monday, 3); // the ISO year is the year of the week's Thursday
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${pad(year, 4)}-01-01`)) / 7) + 1;
  return { kind, label: `${pad(year, 4)}-W${pad(week)}`, start: monday, end: addDays(monday, 6) };
}

/** The period of a kind that contains an instant (read on a Shanghai wall clock). */
export function periodFor(kind: PeriodKind, instant: Date): Period {
  return periodOfDay(kind, shanghaiParts(instant).date);
}

/** First working day of a month (month 1–12), e.g. 2026-10 → 2026-10-08. */
export function firstWorkdayOfMonth(year: number, month: number, cal: WorkCalendar): ISODate {
  if (!Number.isInteger(year) || !Number.isInteger(month) || month < 1 || month > 12) {
    throw new DomainError('SCHEDULE_BAD_MONTH', `月份 ${year}-${month} 不正确。`, `invalid month ${year}-${month}`);
  }
  return cal.addWorkdays(monthPeriod(year, month).start, 0);
}

/** The day a period's run is scheduled on, or null when the period has no run (no working day). */
function runDay(period: Period, cal: WorkCalendar): ISODate | null {
  if (period.kind === 'DAILY') return cal.isWorkday(period.start) ? period.start : null;
  const first = cal.addWorkdays(period.start, 0);
  return first <= period.end ? first : null;
}

/** The instant a period's digest is scheduled for, or null (kind disabled or no working day in it). */
export function scheduledInstant(period: Period, cal: WorkCalendar, schedule: DigestSchedule = DEFAULT_DIGEST_SCHEDULE): Date | null {
  const slot = schedule[period.kind === 'DAILY' ? 'daily' : period.kind === 'WEEKLY' ? 'weekly' : 'monthly'];
  const day = slot ? runDay(period, cal) : null;
  if (!slot || !day) return null;
  const m = minutesOf(slot.at);
  return shanghaiInstant(day, Math.floor(m / 60), m % 60);
}

function previousPeriod(p: Period): Period {
  return periodOfDay(p.kind, addDays(p.start, -1));
}

/** The latest scheduled run of a kind at or before `now`; looks back at most 60 periods. */
function latestRun(kind: PeriodKind, now: Date, cal: WorkCalendar, schedule: DigestSchedule): { period: Period; at: Date } | null {
  let period = periodFor(kind, now);
  for (let i = 0; i < 60; i += 1, period = previousPeriod(period)) {
    const at = scheduledInstant(period, cal, schedule);
    if (at && at.getTime() <= now.getTime()) return { period, at };
  }
  return null;
}

/**
 * Runs due now: per kind, the most recent scheduled instant in (lastRunInstant, now]. With no
 * previous pass (first start) only runs from the last `lateAfterMinutes` count, so installing the
 * bot does not publish yesterday's digest. Sorted by scheduled instant, then kind.
 */
export function missedRuns(
  schedule: DigestSchedule,
  lastRunInstant: Date | null,
  now: Date,
  cal: WorkCalendar,
): ScheduledRun[] {
  const lateMs = schedule.lateAfterMinutes * 60_000;
  const after = lastRunInstant ? lastRunInstant.getTime() : now.getTime() - lateMs;
  const runs: ScheduledRun[] = [];
  for (const kind of PERIOD_KINDS) {
    const run = latestRun(kind, now, cal, schedule);
    if (!run || run.at.getTime() <= after) continue;
    runs.push({ kind, period: run.period, scheduledAt: run.at, late: now.getTime() - run.at.getTime() > lateMs });
  }
  const order = (k: PeriodKind): number => PERIOD_KINDS.indexOf(k);
  return runs.sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime() || order(a.kind) - order(b.kind));
}
