import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../../domain/calendar.ts';
import { isDomainError } from '../../../domain/errors.ts';
import { DEFAULT_PROBLEM_SLA, problemDue } from '../../../domain/problems/sla.ts';

const cal = createCalendar();
const due = (day: string, grade: 'GENERAL' | 'SERIOUS' | 'SEVERE'): string => problemDue(day, grade, DEFAULT_PROBLEM_SLA, cal);

describe('problemDue on the 2026 holiday calendar', () => {
  it('defaults: 严重 2, 较重 5, 一般 10 working days (一般 = task 13’s data-correction time limit)', () => {
    expect(DEFAULT_PROBLEM_SLA).toEqual({ SEVERE: 2, SERIOUS: 5, GENERAL: 10 });
  });

  it('counts working days after an ordinary Monday', () => {
    expect(due('2026-06-08', 'SEVERE')).toBe('2026-06-10');
    expect(due('2026-06-08', 'SERIOUS')).toBe('2026-06-15');
    // 06-19 端午 (Friday) is a holiday: ten working days end a day later.
    expect(due('2026-06-08', 'GENERAL')).toBe('2026-06-23');
  });

  it('a problem reported on 2026-09-30 is due after 国庆 (10-01…10-07), with Saturday 10-10 a 调休 workday', () => {
    expect(due('2026-09-30', 'SEVERE')).toBe('2026-10-09'); // 10-08, 10-09
    expect(due('2026-09-30', 'SERIOUS')).toBe('2026-10-13'); // 10-08, 09, 10 (Sat), 12, 13
    expect(due('2026-09-30', 'GENERAL')).toBe('2026-10-20');
  });

  it('skips 中秋 (09-25…09-27) and counts Sunday 09-20, a 调休 workday', () => {
    expect(due('2026-09-24', 'SEVERE')).toBe('2026-09-29');
    expect(due('2026-09-18', 'SEVERE')).toBe('2026-09-21'); // 09-20 (Sun, 调休), 09-21
  });

  it('counts the 调休 Saturday after 劳动节 (05-09)', () => {
    expect(due('2026-05-08', 'SEVERE')).toBe('2026-05-11'); // 05-09 (Sat), 05-11
    expect(due('2026-04-30', 'SEVERE')).toBe('2026-05-07'); // 05-01…05-05 off, 05-06, 05-07
  });

  it('a problem reported on a holiday or weekend counts from the next working day', () => {
    expect(due('2026-10-03', 'SEVERE')).toBe('2026-10-09');
    expect(due('2026-06-13', 'SEVERE')).toBe('2026-06-16'); // Saturday: Mon 15, Tue 16
  });

  it('honours the bureau’s calendar overrides and its own SLA', () => {
    const closed = createCalendar([{ date: '2026-10-08', workday: false, note: '系统停机' }]);
    expect(problemDue('2026-09-30', 'SEVERE', DEFAULT_PROBLEM_SLA, closed)).toBe('2026-10-10');
    expect(problemDue('2026-09-30', 'SEVERE', { ...DEFAULT_PROBLEM_SLA, SEVERE: 1 }, cal)).toBe('2026-10-08');
  });

  it('refuses a non-positive or fractional SLA with a coded error', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      try {
        problemDue('2026-06-08', 'SEVERE', { ...DEFAULT_PROBLEM_SLA, SEVERE: bad }, cal);
        expect.unreachable();
      } catch (e) {
        expect(isDomainError(e) && e.code).toBe('PROBLEM_BAD_SLA');
      }
    }
  });
});
