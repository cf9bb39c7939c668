import { describe, expect, it } from 'vitest';
import { createCalendar, shanghaiInstant } from '../../../domain/calendar.ts';
import { DomainError } from '../../../domain/errors.ts';
import { DEFAULT_REMINDER_POLICY, parseReminderPolicy } from '../../../domain/schedule/policy.ts';
import { canSendNow, nextSendWindow } from '../../../domain/schedule/send-window.ts';

const cal = createCalendar();
const policy = DEFAULT_REMINDER_POLICY;
const at = (d: string, hh: number, mm = 0): Date => shanghaiInstant(d, hh, mm);

describe('quiet hours for ordinary reminders (working days 09:00–17:30 Asia/Shanghai)', () => {
  it.each([
    ['2026-10-12', 8, 59, false],
    ['2026-10-12', 9, 0, true],
    ['2026-10-12', 17, 30, true],
    ['2026-10-12', 17, 31, false],
    ['2026-10-10', 10, 0, true], // Saturday, 调休上班
    ['2026-10-17', 10, 0, false], // ordinary Saturday
    ['2026-10-05', 10, 0, false], // Monday of National Day
    ['2026-09-27', 10, 0, false], // Sunday, 中秋
  ] as const)('%s %d:%d → %s', (d, hh, mm, ok) => {
    expect(canSendNow(at(d, hh, mm), cal, policy)).toBe(ok);
  });

  it('reads the wall clock in Shanghai, not UTC', () => {
    expect(canSendNow(new Date('2026-10-12T01:00:00Z'), cal, policy)).toBe(true); // 09:00 in Shanghai
    expect(canSendNow(new Date('2026-10-12T09:31:00Z'), cal, policy)).toBe(false); // 17:31
  });
});

describe('urgent tickets: any day, but not at night (08:00–22:00 by default)', () => {
  it.each([
    ['2026-10-17', 20, 0, true], // Saturday evening
    ['2026-10-03', 8, 0, true], // holiday morning
    ['2026-10-12', 7, 59, false],
    ['2026-10-12', 22, 0, true],
    ['2026-10-12', 22, 1, false],
    ['2026-10-13', 3, 0, false],
  ] as const)('%s %d:%d → %s', (d, hh, mm, ok) => {
    expect(canSendNow(at(d, hh, mm), cal, policy, true)).toBe(ok);
  });

  it('may be sent at any hour when the urgent window is switched off', () => {
    const anyHour = parseReminderPolicy({ urgentWindow: null });
    expect(canSendNow(at('2026-10-13', 3, 0), cal, anyHour, true)).toBe(true);
    expect(canSendNow(at('2026-10-13', 3, 0), cal, anyHour, false)).toBe(false);
    expect(nextSendWindow(at('2026-10-13', 3, 0), cal, anyHour, true)).toEqual(at('2026-10-13', 3, 0));
  });
});

describe('nextSendWindow', () => {
  it.each([
    [at('2026-10-12', 10, 15), at('2026-10-12', 10, 15)], // allowed now: now
    [at('2026-10-12', 8, 0), at('2026-10-12', 9, 0)],
    [at('2026-10-12', 18, 0), at('2026-10-13', 9, 0)],
    [at('2026-10-09', 18, 0), at('2026-10-10', 9, 0)], // Friday evening → make-up Saturday
    [at('2026-10-10', 17, 45), at('2026-10-12', 9, 0)],
    [at('2026-09-30', 18, 0), at('2026-10-08', 9, 0)], // over National Day
    [at('2026-10-03', 11, 0), at('2026-10-08', 9, 0)],
  ])('%s → %s', (from, expected) => {
    expect(nextSendWindow(from, cal, policy)).toEqual(expected);
    expect(canSendNow(nextSendWindow(from, cal, policy), cal, policy)).toBe(true);
  });

  it('for urgent tickets waits only for the morning', () => {
    expect(nextSendWindow(at('2026-10-17', 23, 0), cal, policy, true)).toEqual(at('2026-10-18', 8, 0));
    expect(nextSendWindow(at('2026-10-03', 2, 0), cal, policy, true)).toEqual(at('2026-10-03', 8, 0));
  });

  it('uses a configured window', () => {
    const p = parseReminderPolicy('{"sendWindow":{"start":"08:30","end":"18:00"}}');
    expect(canSendNow(at('2026-10-12', 8, 30), cal, p)).toBe(true);
    expect(canSendNow(at('2026-10-12', 18, 0), cal, p)).toBe(true);
    expect(nextSendWindow(at('2026-10-12', 18, 1), cal, p)).toEqual(at('2026-10-13', 8, 30));
  });
});

describe('parseReminderPolicy', () => {
  it('defaults every field', () => {
    expect(parseReminderPolicy({})).toEqual({
      beforeDue: [5, 3, 1],
      escalateLeaderAfter: 3,
      escalateBureauAfter: 7,
      sendWindow: { start: '09:00', end: '17:30' },
      urgentWindow: { start: '08:00', end: '22:00' },
    });
    expect(parseReminderPolicy(undefined)).toEqual(DEFAULT_REMINDER_POLICY);
    expect(parseReminderPolicy({ beforeDue: [1, 10, 2] }).beforeDue).toEqual([10, 2, 1]);
  });

  function refused(input: unknown): DomainError {
    try {
      parseReminderPolicy(input);
    } catch (e) {
      if (e instanceof DomainError) return e;
      throw e;
    }
    throw new Error('accepted');
  }

  it.each([
    ['{not json', 'JSON'],
    [{ escalateLeaderAfter: 7, escalateBureauAfter: 7 }, 'escalateBureauAfter'],
    [{ sendWindow: { start: '9:00', end: '17:30' } }, 'sendWindow.start'],
    [{ sendWindow: { start: '18:00', end: '09:00' } }, 'sendWindow'],
    [{ beforeDue: [3, 3] }, 'beforeDue'],
    [{ beforeDue: [0] }, 'beforeDue'],
  ])('refuses %j', (input, mentions) => {
    const e = refused(input);
    expect(e.code).toBe('SCHEDULE_BAD_POLICY');
    expect(e.message).toContain(mentions);
    expect(e.message).toMatch(/^提醒策略/);
  });
});
