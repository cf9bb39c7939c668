/**
 * Working days in Asia/Shanghai: the official holiday and adjusted-workday (调休) arrangement from
 * the `chinese-days` package, plus overrides the bureau adds (an override always wins).
 *
 * We read the package's data table rather than call its `isWorkday`: that function parses
 * `YYYY-MM-DD` as UTC but reads the weekday in the machine's local zone, so on a server west of
 * UTC every Monday comes out as a Sunday. Here every date is a UTC day number and nothing depends
 * on the machine's time zone.
 *
 * Counting conventions (F(x) = number of working days on or before x):
 *   workdaysBetween(a, b) = F(b) − F(a): the working days after a up to and including b, negative
 *     when b is before a, 0 when equal. Additive: between(a, b) + between(b, c) = between(a, c).
 *   addWorkdays(d, n > 0) = the n-th working day after d (d itself is not counted);
 *   addWorkdays(d, n < 0) = the |n|-th working day before d (T-5 before a due date = addWorkdays(due, -5));
 *   addWorkdays(d, 0)     = d when d is a working day, else the next working day.
 *   So workdaysBetween(d, addWorkdays(d, n)) = n for n > 0, and for n < 0 when d is a working day.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { DomainError } from './errors.ts';
import type { ISODate } from './plan/types.ts';
import type { TicketStatus } from './ticket/types.ts';

export interface CalendarOverride {
  date: ISODate;
  workday: boolean;
  note?: string | null;
}

export interface DayInfo {
  date: ISODate;
  workday: boolean;
  /** Why: a bureau override, an official holiday, an official make-up workday (调休上班), or the weekday. */
  source: 'OVERRIDE' | 'HOLIDAY' | 'ADJUSTED_WORKDAY' | 'WEEKDAY' | 'WEEKEND';
  /** Holiday name (春节, 国庆节, …) or the override's note; null for plain days. */
  name: string | null;
}

export interface WorkCalendar {
  isWorkday(d: ISODate): boolean;
  describeDay(d: ISODate): DayInfo;
  addWorkdays(d: ISODate, n: number): ISODate;
  workdaysBetween(a: ISODate, b: ISODate): number;
  /** First working day strictly after d. */
  nextWorkday(d: ISODate): ISODate;
  /** Last working day strictly before d. */
  previousWorkday(d: ISODate): ISODate;
  /** True when the package carries the official arrangement of that year; otherwise days without
   * an override are Mon–Fri and callers should warn that the year's holidays are not yet known. */
  knowsYear(year: number): boolean;
}

export type TrafficLight = 'GREEN' | 'YELLOW' | 'RED';

const DAY_MS = 86_400_000;
/** China has kept UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Values look like "Spring Festival,春节,4": English name, Chinese name, index.
const official = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
const KNOWN_YEARS: ReadonlySet<number> = new Set(
  [...Object.keys(official.holidays), ...Object.keys(official.workdays)].map((d) => Number(d.slice(0, 4))),
);

function badDate(d: unknown): DomainError {
  return new DomainError(
    'CALENDAR_BAD_DATE',
    `日期「${String(d)}」格式不正确，应为 YYYY-MM-DD。`,
    `invalid date ${JSON.stringify(d)}, expected YYYY-MM-DD`,
    { date: d },
  );
}

/** Days since 1970-01-01 for a valid `YYYY-MM-DD`; throws CALENDAR_BAD_DATE otherwise. */
function dayNumber(d: ISODate): number {
  const m = typeof d === 'string' ? ISO_RE.exec(d) : null;
  if (!m) throw badDate(d);
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, da);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== da) throw badDate(d);
  return t / DAY_MS;
}

function fromDayNumber(n: number): ISODate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** True for an existing calendar date written `YYYY-MM-DD`. */
export function isISODate(d: unknown): d is ISODate {
  try {
    dayNumber(d as string);
    return true;
  } catch {
    return false;
  }
}

/** Calendar date in Asia/Shanghai of an instant (2026-03-01T16:30Z → 2026-03-02). */
export function shanghaiDate(instant: Date): ISODate {
  return shanghaiParts(instant).date;
}

/** Date, hour and minute of an instant on a Shanghai wall clock, whatever the machine's zone. */
export function shanghaiParts(instant: Date): { date: ISODate; hour: number; minute: number } {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw badDate(instant);
  const wall = new Date(t + SHANGHAI_OFFSET_MS);
  return { date: wall.toISOString().slice(0, 10), hour: wall.getUTCHours(), minute: wall.getUTCMinutes() };
}

/** The instant at hh:mm Shanghai time on a date (shanghaiInstant('2026-03-02') = 2026-03-01T16:00Z). */
export function shanghaiInstant(date: ISODate, hh = 0, mm = 0): Date {
  if (!Number.isInteger(hh) || !Number.isInteger(mm) || hh < 0 || hh > 23 || mm < 0 || mm > 59) {
    throw new DomainError('CALENDAR_BAD_TIME', `时间 ${hh}:${mm} 不正确。`, `invalid time ${hh}:${mm}`);
  }
  return new Date(dayNumber(date) * DAY_MS - SHANGHAI_OFFSET_MS + hh * 3_600_000 + mm * 60_000);
}

/**
 * A calendar with the bureau's overrides. Overrides with a malformed date are refused
 * (CALENDAR_BAD_DATE); when a date appears twice the last entry wins.
 */
export function createCalendar(overrides: readonly CalendarOverride[] = []): WorkCalendar {
  const byDate = new Map<ISODate, CalendarOverride>();
  for (const o of overrides) {
    dayNumber(o.date);
    byDate.set(o.date, o);
  }

  const describeDay = (d: ISODate): DayInfo => {
    const n = dayNumber(d);
    const o = byDate.get(d);
    if (o) return { date: d, workday: o.workday, source: 'OVERRIDE', name: o.note ?? null };
    const adjusted = official.workdays[d];
    if (adjusted) return { date: d, workday: true, source: 'ADJUSTED_WORKDAY', name: officialName(adjusted) };
    const holiday = official.holidays[d];
    if (holiday) return { date: d, workday: false, source: 'HOLIDAY', name: officialName(holiday) };
    const weekday = (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const workday = weekday >= 1 && weekday <= 5;
    return { date: d, workday, source: workday ? 'WEEKDAY' : 'WEEKEND', name: null };
  };
  const isWorkdayN = (n: number): boolean => describeDay(fromDayNumber(n)).workday;

  const step = (d: ISODate, n: number): ISODate => {
    if (!Number.isSafeInteger(n)) {
      throw new DomainError('CALENDAR_BAD_ARGUMENT', `工作日数「${n}」必须是整数。`, `workday count must be an integer, got ${n}`);
    }
    let day = dayNumber(d);
    if (n === 0) {
      while (!isWorkdayN(day)) day += 1;
      return fromDayNumber(day);
    }
    const dir = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      day += dir;
      if (isWorkdayN(day)) left -= 1;
    }
    return fromDayNumber(day);
  };

  return {
    isWorkday: (d) => describeDay(d).workday,
    describeDay,
    addWorkdays: step,
    workdaysBetween(a, b) {
      const [from, to] = [dayNumber(a), dayNumber(b)];
      const [lo, hi] = from <= to ? [from, to] : [to, from];
      let count = 0;
      for (let day = lo + 1; day <= hi; day += 1) if (isWorkdayN(day)) count += 1;
      return from <= to || count === 0 ? count : -count; // never -0
    },
    nextWorkday: (d) => step(d, 1),
    previousWorkday: (d) => step(d, -1),
    knowsYear: (year) => KNOWN_YEARS.has(year),
  };
}

function officialName(value: string): string {
  return value.split(',')[1] ?? value;
}

/**
 * Working days a due date has passed: working days after `due` up to and including `today`, 0 when
 * not past due. A ticket due on Friday is RED on Saturday yet 0 working days overdue until Monday.
 */
export function overdueWorkdays(due: ISODate, today: ISODate, cal: WorkCalendar): number {
  return Math.max(0, cal.workdaysBetween(due, today));
}

/**
 * RED: today is past the due date and the ticket is not DONE (overdue is derived, never stored).
 * YELLOW: not SUBMITTED or DONE, and due today or within `yellowWithinWorkdays` working days
 *   (workdaysBetween(today, due) ≤ N).
 * GREEN: otherwise.
 */
export function trafficLight(
  ticket: { status: TicketStatus; due: ISODate },
  today: ISODate,
  cal: WorkCalendar,
  yellowWithinWorkdays = 3,
): TrafficLight {
  const [t, due] = [dayNumber(today), dayNumber(ticket.due)];
  if (ticket.status === 'DONE') return 'GREEN';
  if (t > due) return 'RED';
  if (ticket.status === 'SUBMITTED') return 'GREEN';
  return cal.workdaysBetween(today, ticket.due) <= yellowWithinWorkdays ? 'YELLOW' : 'GREEN';
}
