/**
 * Quiet hours. Ordinary reminders go out on working days inside `policy.sendWindow` (default
 * 09:00–17:30 Asia/Shanghai, both minutes included), so an 调休 Saturday counts and a holiday
 * Monday does not. Urgent tickets bypass the working-day rule and the office window but still
 * respect `policy.urgentWindow` (default 08:00–22:00 every day; null = any hour): nobody is woken
 * at night. Urgent messages are still sent once per idempotency key — that is the outbox's job.
 */
import { shanghaiInstant, shanghaiParts, type WorkCalendar } from '../calendar.ts';
import type { ISODate } from '../plan/types.ts';
import { minutesOf, type ReminderPolicy } from './policy.ts';

type Window = { start: string; end: string };

function inside(w: Window, hour: number, minute: number): boolean {
  const m = hour * 60 + minute;
  return minutesOf(w.start) <= m && m <= minutesOf(w.end);
}

function at(date: ISODate, hm: string): Date {
  const m = minutesOf(hm);
  return shanghaiInstant(date, Math.floor(m / 60), m % 60);
}

function nextDay(date: ISODate): ISODate {
  return shanghaiParts(new Date(shanghaiInstant(date).getTime() + 36 * 3_600_000)).date;
}

/** May a reminder (urgent or not) be sent at this instant? */
export function canSendNow(instant: Date, cal: WorkCalendar, policy: ReminderPolicy, urgent = false): boolean {
  const { date, hour, minute } = shanghaiParts(instant);
  if (urgent) return policy.urgentWindow === null || inside(policy.urgentWindow, hour, minute);
  return cal.isWorkday(date) && inside(policy.sendWindow, hour, minute);
}

/**
 * The earliest instant at or after `instant` when `canSendNow` holds: `instant` itself when
 * sending is allowed now, else the start of the next window.
 */
export function nextSendWindow(instant: Date, cal: WorkCalendar, policy: ReminderPolicy, urgent = false): Date {
  if (canSendNow(instant, cal, policy, urgent)) return instant;
  const { date, hour, minute } = shanghaiParts(instant);
  const window = urgent ? policy.urgentWindow : policy.sendWindow;
  if (window === null) return instant; // unreachable: a null urgent window always allows
  const beforeStart = hour * 60 + minute < minutesOf(window.start);
  if (urgent) return at(beforeStart ? date : nextDay(date), window.start);
  const day = beforeStart && cal.isWorkday(date) ? date : cal.nextWorkday(date);
  return at(day, window.start);
}
