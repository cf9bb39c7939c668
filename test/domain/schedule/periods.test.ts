import { describe, expect, it } from 'vitest';
import { createCalendar, shanghaiInstant } from '../../../domain/calendar.ts';
import { DomainError } from '../../../domain/errors.ts';
import {
  DEFAULT_DIGEST_SCHEDULE,
  firstWorkdayOfMonth,
  missedRuns,
  periodFor,
  periodOfDay,
  scheduledInstant,
  type ScheduledRun,
} from '../../../domain/schedule/periods.ts';

const cal = createCalendar();
const at = (d: string, hh: number, mm = 0): Date => shanghaiInstant(d, hh, mm);
const brief = (runs: ScheduledRun[]): string[] =>
  runs.map((r) => `${r.kind} ${r.period.label} ${r.scheduledAt.toISOString()}${r.late ? ' late' : ''}`);

describe('periods', () => {
  it('labels daily, ISO-week and monthly periods in Shanghai time', () => {
    expect(periodFor('WEEKLY', at('2026-06-01', 9))).toEqual({ kind: 'WEEKLY', label: '2026-W23', start: '2026-06-01', end: '2026-06-07' });
    expect(periodFor('MONTHLY', at('2026-06-19', 9))).toEqual({ kind: 'MONTHLY', label: '2026-06', start: '2026-06-01', end: '2026-06-30' });
    expect(periodFor('DAILY', at('2026-06-19', 9))).toEqual({ kind: 'DAILY', label: '2026-06-19', start: '2026-06-19', end: '2026-06-19' });
    expect(periodFor('DAILY', new Date('2026-06-18T16:30:00Z')).label).toBe('2026-06-19'); // 00:30 in Shanghai
    expect(periodFor('WEEKLY', new Date('2026-06-07T16:30:00Z')).label).toBe('2026-W24'); // Monday 00:30 in Shanghai
    expect(periodOfDay('MONTHLY', '2026-02-10').end).toBe('2026-02-28');
  });

  it('follows the ISO week-numbering year', () => {
    expect(periodOfDay('WEEKLY', '2025-12-29').label).toBe('2026-W01');
    expect(periodOfDay('WEEKLY', '2026-01-01').label).toBe('2026-W01');
    expect(periodOfDay('WEEKLY', '2026-12-31').label).toBe('2026-W53'); // 2026 starts on a Thursday: 53 weeks
    expect(periodOfDay('WEEKLY', '2027-01-03').label).toBe('2026-W53');
    expect(periodOfDay('WEEKLY', '2027-01-04').label).toBe('2027-W01');
    expect(periodOfDay('WEEKLY', '2026-10-08').label).toBe('2026-W41');
  });

  it.each([
    [2026, 1, '2026-01-04'], // Jan 1–3 off, Sunday the 4th is a make-up workday
    [2026, 2, '2026-02-02'],
    [2026, 3, '2026-03-02'],
    [2026, 5, '2026-05-06'], // 劳动节 May 1–5
    [2026, 6, '2026-06-01'],
    [2026, 10, '2026-10-08'], // National Day
  ])('first working day of %d-%d is %s', (y, m, d) => {
    expect(firstWorkdayOfMonth(y, m, cal)).toBe(d);
  });

  it('refuses a month that does not exist', () => {
    expect(() => firstWorkdayOfMonth(2026, 13, cal)).toThrow(DomainError);
  });
});

describe('scheduled runs', () => {
  it('weekly on the first working day of the week, none in a week without one', () => {
    expect(scheduledInstant(periodOfDay('WEEKLY', '2026-06-03'), cal)).toEqual(at('2026-06-01', 9));
    expect(scheduledInstant(periodOfDay('WEEKLY', '2026-10-05'), cal)).toEqual(at('2026-10-08', 9)); // Thursday after National Day
    expect(scheduledInstant(periodOfDay('WEEKLY', '2026-02-18'), cal)).toBeNull(); // Feb 16–22: all Spring Festival
    expect(scheduledInstant(periodOfDay('WEEKLY', '2026-02-23'), cal)).toEqual(at('2026-02-24', 9));
  });

  it('daily at 17:00 on working days only (the make-up Saturday included)', () => {
    expect(scheduledInstant(periodOfDay('DAILY', '2026-10-10'), cal)).toEqual(at('2026-10-10', 17));
    expect(scheduledInstant(periodOfDay('DAILY', '2026-06-19'), cal)).toBeNull(); // 端午
    expect(scheduledInstant(periodOfDay('MONTHLY', '2026-10-20'), cal)).toEqual(at('2026-10-08', 9));
  });
});

describe('missedRuns', () => {
  const s = DEFAULT_DIGEST_SCHEDULE;

  it('fires a run on time during normal operation', () => {
    expect(brief(missedRuns(s, at('2026-06-08', 8, 59), at('2026-06-08', 9, 0), cal))).toEqual([
      `WEEKLY 2026-W24 ${at('2026-06-08', 9).toISOString()}`,
    ]);
    expect(missedRuns(s, at('2026-06-08', 9, 0), at('2026-06-08', 9, 1), cal)).toEqual([]); // already done
  });

  it('catches up the Monday 09:00 weekly digest missed while the server was down, marked late', () => {
    const runs = missedRuns(s, at('2026-06-05', 17, 5), at('2026-06-08', 11, 0), cal);
    expect(brief(runs)).toEqual([`WEEKLY 2026-W24 ${at('2026-06-08', 9).toISOString()} late`]);
  });

  it('sends only the most recent missed run per kind', () => {
    // down from Thursday noon to Monday 18:00: Thursday's and Friday's dailies collapse into Monday's
    const runs = missedRuns(s, at('2026-06-04', 12, 0), at('2026-06-08', 18, 0), cal);
    expect(brief(runs)).toEqual([
      `WEEKLY 2026-W24 ${at('2026-06-08', 9).toISOString()} late`,
      `DAILY 2026-06-08 ${at('2026-06-08', 17).toISOString()} late`,
    ]);
  });

  it('across National Day: the monthly and weekly runs of 10-08, no daily for the holiday', () => {
    const runs = missedRuns(s, at('2026-09-30', 17, 30), at('2026-10-08', 9, 30), cal);
    expect(brief(runs)).toEqual([
      `WEEKLY 2026-W41 ${at('2026-10-08', 9).toISOString()} late`,
      `MONTHLY 2026-10 ${at('2026-10-08', 9).toISOString()} late`,
    ]);
    expect(missedRuns(s, at('2026-09-30', 17, 30), at('2026-10-08', 9, 10), cal).every((r) => !r.late)).toBe(true);
  });

  it('publishes nothing old on first start, and skips disabled kinds', () => {
    expect(missedRuns(s, null, at('2026-06-08', 11, 0), cal)).toEqual([]);
    expect(brief(missedRuns(s, null, at('2026-06-08', 9, 5), cal))).toEqual([`WEEKLY 2026-W24 ${at('2026-06-08', 9).toISOString()}`]);
    const noWeekly = { ...s, weekly: null };
    expect(missedRuns(noWeekly, at('2026-06-05', 17, 5), at('2026-06-08', 11, 0), cal)).toEqual([]);
  });
});
