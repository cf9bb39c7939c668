import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCalendar,
  isISODate,
  overdueWorkdays,
  shanghaiDate,
  shanghaiInstant,
  shanghaiParts,
  trafficLight,
} from '../../domain/calendar.ts';
import { DomainError } from '../../domain/errors.ts';

const cal = createCalendar();

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

describe('official 2026 calendar from chinese-days', () => {
  it.each([
    ['2026-01-01', false, 'HOLIDAY', '元旦'],
    ['2026-01-04', true, 'ADJUSTED_WORKDAY', '元旦'], // Sunday, 调休上班
    ['2026-02-13', true, 'WEEKDAY', null],
    ['2026-02-14', true, 'ADJUSTED_WORKDAY', '春节'], // Saturday, 调休上班
    ['2026-02-15', false, 'HOLIDAY', '春节'],
    ['2026-02-18', false, 'HOLIDAY', '春节'],
    ['2026-02-23', false, 'HOLIDAY', '春节'], // Monday, last day off
    ['2026-02-24', true, 'WEEKDAY', null],
    ['2026-02-28', true, 'ADJUSTED_WORKDAY', '春节'], // Saturday, 调休上班
    ['2026-03-01', false, 'WEEKEND', null],
    ['2026-09-20', true, 'ADJUSTED_WORKDAY', '国庆节'], // Sunday
    ['2026-09-25', false, 'HOLIDAY', '中秋'],
    ['2026-10-01', false, 'HOLIDAY', '国庆节'],
    ['2026-10-07', false, 'HOLIDAY', '国庆节'], // Wednesday
    ['2026-10-08', true, 'WEEKDAY', null],
    ['2026-10-10', true, 'ADJUSTED_WORKDAY', '国庆节'], // Saturday
    ['2026-10-11', false, 'WEEKEND', null],
  ] as const)('%s workday=%s (%s %s)', (date, workday, source, name) => {
    expect(cal.isWorkday(date)).toBe(workday);
    expect(cal.describeDay(date)).toEqual({ date, workday, source, name });
  });

  it('knows the years the package carries and no others', () => {
    expect(cal.knowsYear(2026)).toBe(true);
    expect(cal.knowsYear(2025)).toBe(true);
    expect(cal.knowsYear(2004)).toBe(true);
    expect(cal.knowsYear(2027)).toBe(false);
    expect(cal.knowsYear(2003)).toBe(false);
  });

  it('falls back to Monday–Friday in an unknown year', () => {
    // 2027-02-05 is a Friday, 2027-02-06 a Saturday (no official arrangement yet)
    expect(cal.isWorkday('2027-02-05')).toBe(true);
    expect(cal.isWorkday('2027-02-06')).toBe(false);
    expect(cal.isWorkday('2027-02-08')).toBe(true);
    expect(cal.describeDay('2027-02-06').source).toBe('WEEKEND');
  });

  it('does not depend on the machine time zone (the package function does)', () => {
    const before = process.env.TZ;
    try {
      for (const [tz, offset] of [['America/Los_Angeles', 480], ['Pacific/Kiritimati', -840], ['UTC', 0]] as const) {
        process.env.TZ = tz;
        expect(new Date('2026-03-02T12:00:00Z').getTimezoneOffset()).toBe(offset); // the zone really changed
        const c = createCalendar();
        expect(c.isWorkday('2026-03-02')).toBe(true); // Monday
        expect(c.isWorkday('2026-02-14')).toBe(true);
        expect(c.addWorkdays('2026-09-30', 1)).toBe('2026-10-08');
        expect(shanghaiDate(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
        expect(shanghaiInstant('2026-03-02', 9, 0).toISOString()).toBe('2026-03-02T01:00:00.000Z');
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});

describe('addWorkdays / nextWorkday / previousWorkday', () => {
  it.each([
    // Spring Festival: the make-up Saturday 02-14 counts, 02-15..02-23 do not
    ['2026-02-13', 1, '2026-02-14'],
    ['2026-02-13', 2, '2026-02-24'],
    ['2026-02-14', 1, '2026-02-24'],
    ['2026-02-12', 5, '2026-02-26'],
    ['2026-02-24', -1, '2026-02-14'],
    ['2026-02-24', -2, '2026-02-13'],
    ['2026-02-27', 1, '2026-02-28'],
    ['2026-02-28', 1, '2026-03-02'],
    // National Day: 10-01..10-07 off, 10-10 (Saturday) on
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-09-30', 3, '2026-10-10'],
    ['2026-09-30', 4, '2026-10-12'],
    ['2026-10-12', -5, '2026-09-29'], // T-5 before a Monday due date
    ['2026-10-11', -5, '2026-09-29'], // due on a Sunday: the 5th working day before it
    ['2026-09-21', -1, '2026-09-20'], // the make-up Sunday
    // n = 0: the day itself when it is a working day, else the next one
    ['2026-10-09', 0, '2026-10-09'],
    ['2026-10-03', 0, '2026-10-08'],
    ['2026-02-14', 0, '2026-02-14'],
    // across a year end
    ['2026-12-31', 1, '2027-01-01'], // 2027 unknown: Friday counts
    ['2026-01-05', -1, '2026-01-04'],
  ] as const)('addWorkdays(%s, %i) = %s', (d, n, expected) => {
    expect(cal.addWorkdays(d, n)).toBe(expected);
  });

  it('nextWorkday and previousWorkday skip holidays and keep make-up days', () => {
    expect(cal.nextWorkday('2026-10-01')).toBe('2026-10-08');
    expect(cal.nextWorkday('2026-10-09')).toBe('2026-10-10');
    expect(cal.previousWorkday('2026-10-08')).toBe('2026-09-30');
    expect(cal.previousWorkday('2026-10-12')).toBe('2026-10-10');
    expect(cal.nextWorkday('2026-02-13')).toBe('2026-02-14');
    expect(cal.previousWorkday('2026-02-24')).toBe('2026-02-14');
  });

  it('refuses a non-integer count and malformed dates', () => {
    expect(codeOf(() => cal.addWorkdays('2026-10-01', 1.5))).toBe('CALENDAR_BAD_ARGUMENT');
    expect(codeOf(() => cal.addWorkdays('2026-10-01', Number.NaN))).toBe('CALENDAR_BAD_ARGUMENT');
    for (const bad of ['2026-02-30', '2026/03/01', '2026-3-1', '', '2026-13-01']) {
      expect(codeOf(() => cal.isWorkday(bad))).toBe('CALENDAR_BAD_DATE');
      expect(isISODate(bad)).toBe(false);
    }
    expect(isISODate('2028-02-29')).toBe(true);
  });
});

describe('workdaysBetween', () => {
  it.each([
    ['2026-09-30', '2026-10-10', 3], // 10-08, 10-09, 10-10
    ['2026-10-01', '2026-10-10', 3],
    ['2026-10-01', '2026-10-07', 0],
    ['2026-10-10', '2026-09-30', -3],
    ['2026-09-30', '2026-09-30', 0],
    ['2026-10-08', '2026-10-08', 0],
    ['2026-02-13', '2026-02-28', 6], // 02-14, 02-24..02-27, 02-28
    ['2026-02-13', '2026-02-23', 1],
    ['2026-09-18', '2026-09-21', 2], // the make-up Sunday 09-20 and Monday 09-21
    ['2026-01-01', '2026-12-31', 248], // getWorkdaysInRange('2026-01-02', '2026-12-31') in the package,
  ] as const)('workdaysBetween(%s, %s) = %i', (a, b, expected) => {
    expect(cal.workdaysBetween(a, b)).toBe(expected);
  });

  const day = fc.integer({ min: 0, max: 1200 }).map((n) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));

  it('is antisymmetric and additive', () => {
    fc.assert(
      fc.property(day, day, day, (a, b, c) => {
        expect(cal.workdaysBetween(b, a)).toBe(0 - cal.workdaysBetween(a, b));
        expect(cal.workdaysBetween(a, b) + cal.workdaysBetween(b, c)).toBe(cal.workdaysBetween(a, c));
      }),
    );
  });

  it('agrees with addWorkdays', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 40 }), (d, n) => {
        expect(cal.workdaysBetween(d, cal.addWorkdays(d, n))).toBe(n);
        expect(cal.isWorkday(cal.addWorkdays(d, -n))).toBe(true);
        const back = cal.workdaysBetween(cal.addWorkdays(d, -n), d);
        expect(back).toBe(cal.isWorkday(d) ? n : n - 1);
      }),
    );
  });
});

describe('bureau overrides', () => {
  const withOverrides = createCalendar([
    { date: '2026-10-09', workday: false, note: '防汛调整' },
    { date: '2026-10-03', workday: true },
    { date: '2027-02-06', workday: true, note: '2027年春节调休' },
  ]);

  it('win over the package in both directions', () => {
    expect(withOverrides.isWorkday('2026-10-09')).toBe(false);
    expect(withOverrides.describeDay('2026-10-09')).toEqual({ date: '2026-10-09', workday: false, source: 'OVERRIDE', name: '防汛调整' });
    expect(withOverrides.isWorkday('2026-10-03')).toBe(true);
    expect(withOverrides.describeDay('2026-10-03').name).toBeNull();
    expect(withOverrides.addWorkdays('2026-09-30', 1)).toBe('2026-10-03');
    expect(withOverrides.addWorkdays('2026-09-30', 3)).toBe('2026-10-10');
    expect(withOverrides.workdaysBetween('2026-09-30', '2026-10-10')).toBe(3); // 10-03, 10-08, 10-10
  });

  it('fill a year the package does not know yet', () => {
    expect(withOverrides.isWorkday('2027-02-06')).toBe(true);
    expect(withOverrides.knowsYear(2027)).toBe(false); // still warn: only the package knows a whole year
    expect(withOverrides.nextWorkday('2027-02-05')).toBe('2027-02-06');
  });

  it('do not leak into other calendars', () => {
    expect(cal.isWorkday('2026-10-09')).toBe(true);
    expect(cal.isWorkday('2026-10-03')).toBe(false);
  });

  it('the last entry for a date wins; a malformed date is refused', () => {
    const c = createCalendar([
      { date: '2026-10-10', workday: false },
      { date: '2026-10-10', workday: true },
    ]);
    expect(c.isWorkday('2026-10-10')).toBe(true);
    expect(codeOf(() => createCalendar([{ date: '2026-10-32', workday: true }]))).toBe('CALENDAR_BAD_DATE');
  });
});

describe('Asia/Shanghai dates', () => {
  it.each([
    ['2026-03-01T16:30:00Z', '2026-03-02', 0, 30],
    ['2026-03-01T15:59:00Z', '2026-03-01', 23, 59],
    ['2026-03-01T16:00:00Z', '2026-03-02', 0, 0],
    ['2025-12-31T16:00:00Z', '2026-01-01', 0, 0],
    ['2026-06-30T01:30:00Z', '2026-06-30', 9, 30],
    ['2028-02-28T20:00:00Z', '2028-02-29', 4, 0],
  ])('%s is %s %i:%i in Shanghai', (iso, date, hour, minute) => {
    expect(shanghaiDate(new Date(iso))).toBe(date);
    expect(shanghaiParts(new Date(iso))).toEqual({ date, hour, minute });
  });

  it('shanghaiInstant is the inverse', () => {
    expect(shanghaiInstant('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(shanghaiInstant('2026-03-02', 9, 30).toISOString()).toBe('2026-03-02T01:30:00.000Z');
    expect(shanghaiInstant('2026-01-01', 23, 59).toISOString()).toBe('2026-01-01T15:59:00.000Z');
    expect(shanghaiParts(shanghaiInstant('2026-10-10', 17, 45))).toEqual({ date: '2026-10-10', hour: 17, minute: 45 });
  });

  it('refuses impossible times and invalid instants', () => {
    expect(codeOf(() => shanghaiInstant('2026-03-02', 24, 0))).toBe('CALENDAR_BAD_TIME');
    expect(codeOf(() => shanghaiInstant('2026-03-02', 9, 60))).toBe('CALENDAR_BAD_TIME');
    expect(codeOf(() => shanghaiDate(new Date(Number.NaN)))).toBe('CALENDAR_BAD_DATE');
  });
});

describe('traffic lights', () => {
  it.each([
    // status, due, today, light
    ['IN_PROGRESS', '2026-10-09', '2026-09-30', 'YELLOW'], // 9 calendar days but only 2 working days (10-08, 10-09)
    ['IN_PROGRESS', '2026-10-14', '2026-09-30', 'GREEN'], // 6 working days
    ['IN_PROGRESS', '2026-10-13', '2026-10-08', 'GREEN'], // 4 working days
    ['IN_PROGRESS', '2026-10-13', '2026-10-09', 'YELLOW'], // 3 working days (10-10 counts)
    ['ASSIGNED', '2026-10-13', '2026-10-13', 'YELLOW'], // due today
    ['RETURNED', '2026-10-12', '2026-10-11', 'YELLOW'],
    ['ASSIGNED', '2026-10-12', '2026-10-13', 'RED'],
    ['IN_PROGRESS', '2026-09-30', '2026-10-01', 'RED'], // past due on a holiday is still overdue
    ['RETURNED', '2026-09-30', '2026-10-08', 'RED'],
    ['SUBMITTED', '2026-10-09', '2026-10-08', 'GREEN'], // submitted is never yellow
    ['SUBMITTED', '2026-10-09', '2026-10-12', 'RED'], // but overdue until approved
    ['DONE', '2026-10-09', '2026-10-08', 'GREEN'],
    ['DONE', '2026-10-09', '2026-12-01', 'GREEN'],
  ] as const)('%s due %s on %s → %s', (status, due, today, light) => {
    expect(trafficLight({ status, due }, today, cal)).toBe(light);
  });

  it('honours the yellow window', () => {
    const t = { status: 'IN_PROGRESS', due: '2026-10-14' } as const;
    expect(trafficLight(t, '2026-09-30', cal, 6)).toBe('YELLOW');
    expect(trafficLight(t, '2026-09-30', cal, 5)).toBe('GREEN');
    expect(trafficLight(t, '2026-10-14', cal, 0)).toBe('YELLOW');
    expect(trafficLight(t, '2026-10-13', cal, 0)).toBe('GREEN');
  });

  it('counts overdue working days', () => {
    expect(overdueWorkdays('2026-09-30', '2026-10-01', cal)).toBe(0); // overdue, but no working day has passed
    expect(overdueWorkdays('2026-09-30', '2026-10-08', cal)).toBe(1);
    expect(overdueWorkdays('2026-09-30', '2026-10-12', cal)).toBe(4);
    expect(overdueWorkdays('2026-10-12', '2026-10-01', cal)).toBe(0);
    expect(overdueWorkdays('2026-10-12', '2026-10-12', cal)).toBe(0);
  });
});
