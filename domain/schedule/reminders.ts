/**
 * Which reminders are due on a day. Pure: the sweep passes today's date (Asia/Shanghai), the
 * calendar and the policy; the outbox dedupes by `idempotencyKey`, so running a sweep twice, or
 * on several replicas, sends nothing twice.
 *
 * Schedule of an open ticket (ASSIGNED, IN_PROGRESS, RETURNED; SUBMITTED and DONE get nothing),
 * all on working days, following the current `due` (an extension moves `due`, so every later
 * reminder moves with it and gets a new key):
 *   T-n   on addWorkdays(D, -n) for each n of policy.beforeDue  → the assignee (or the unit's officers
 *         while nobody has accepted); D = due, or the last working day before it when due is a day off
 *   DUE   on D
 *   OVERDUE           every working day after due, with the overdue working days so far
 *   ESCALATE_LEADER   once, on the N-th overdue working day → the unit leader
 *   ESCALATE_BUREAU   once, on the M-th overdue working day → the bureau group
 * Recurring (持续) tickets also get CHECKIN on the first working day of each month
 * (key `checkin:<ticketId>:<YYYY-MM>`).
 *
 * Non-urgent tickets are reminded on working days only. Urgent tickets are swept every day: past
 * due they get OVERDUE on days off too (one per calendar day); quiet hours: see send-window.ts.
 *
 * Catch-up. Reminder days are working days, so a holiday never hides one; but the sweep may not
 * have run (downtime). The caller passes `since`, the last day a sweep completed (default: the day
 * before `today`). Of the reminders scheduled in (since, today], each audience of a ticket gets
 * only the latest — the most relevant one, marked `late` when its day is before today: back after
 * a long holiday with T-3, T-1 and DUE missed, the assignee gets only DUE (or OVERDUE), not three
 * cards. Escalations go to other people, so a missed one is still sent.
 */
import { overdueWorkdays, type WorkCalendar } from '../calendar.ts';
import type { ISODate } from '../plan/types.ts';
import type { TicketStatus } from '../ticket/types.ts';
import { addDays, firstWorkdayOfMonth } from './periods.ts';
import type { ReminderPolicy } from './policy.ts';

export { canSendNow, nextSendWindow } from './send-window.ts';
export { DEFAULT_REMINDER_POLICY, parseReminderPolicy, type ReminderPolicy } from './policy.ts';

export type ReminderKind =
  | `T-${number}`
  | `SLA-${number}`
  | 'DUE'
  | 'OVERDUE'
  | 'ESCALATE_LEADER'
  | 'ESCALATE_BUREAU'
  | 'CHECKIN';
export type ReminderAudience = 'ASSIGNEE' | 'UNIT_OFFICERS' | 'UNIT_LEADER' | 'BUREAU';

export interface ReminderTicket {
  id: number;
  unitCode: string;
  assigneeId: string | null;
  status: TicketStatus;
  due: ISODate;
  urgent: boolean;
  /** 持续 tasks: a monthly check-in besides the due-date schedule. */
  recurring?: boolean;
}

export interface Reminder {
  ticketId: number;
  kind: ReminderKind;
  /** The day this reminder is scheduled for (before today when it is a late catch-up). */
  day: ISODate;
  audience: ReminderAudience;
  /** Overdue working days as of today (0 when not past due). */
  overdueWorkdays: number;
  idempotencyKey: string;
  unitCode: string;
  assigneeId: string | null;
  due: ISODate;
  urgent: boolean;
  late: boolean;
}

export interface SweepOptions {
  /** Last day a sweep completed; reminders scheduled after it and up to today are due. Default: the day before today. */
  since?: ISODate;
}

const OPEN: ReadonlySet<TicketStatus> = new Set(['ASSIGNED', 'IN_PROGRESS', 'RETURNED']);

interface Ladder {
  prefix: 'T' | 'SLA';
  before: readonly number[];
  leaderAfter: number | null;
  bureauAfter: number | null;
}

type Slot = { kind: ReminderKind; day: ISODate; audience: ReminderAudience };

/** The latest slot of the assignee's track on or before today (calendar days). */
function assigneeSlot(t: ReminderTicket, today: ISODate, cal: WorkCalendar, ladder: Ladder, audience: ReminderAudience): Slot | null {
  const dueDay = cal.isWorkday(t.due) ? t.due : cal.previousWorkday(t.due);
  if (today > t.due) {
    // non-urgent sweeps run on working days only, so `today` is then a working day past due
    return { kind: 'OVERDUE', day: today, audience };
  }
  if (today >= dueDay) return { kind: 'DUE', day: dueDay, audience };
  for (const n of [...ladder.before].sort((a, b) => a - b)) {
    const day = cal.addWorkdays(dueDay, -n);
    if (day <= today) return { kind: `${ladder.prefix}-${n}`, day, audience };
  }
  return null;
}

function slotsFor(t: ReminderTicket, today: ISODate, since: ISODate, cal: WorkCalendar, ladder: Ladder): Slot[] {
  const audience: ReminderAudience = t.assigneeId === null ? 'UNIT_OFFICERS' : 'ASSIGNEE';
  const candidates: (Slot | null)[] = [assigneeSlot(t, today, cal, ladder, audience)];
  if (ladder.leaderAfter !== null) {
    candidates.push({ kind: 'ESCALATE_LEADER', day: cal.addWorkdays(t.due, ladder.leaderAfter), audience: 'UNIT_LEADER' });
  }
  if (ladder.bureauAfter !== null) {
    candidates.push({ kind: 'ESCALATE_BUREAU', day: cal.addWorkdays(t.due, ladder.bureauAfter), audience: 'BUREAU' });
  }
  return candidates.filter((s): s is Slot => s !== null && s.day > since && s.day <= today);
}

function toReminder(t: ReminderTicket, s: Slot, today: ISODate, cal: WorkCalendar, key?: string): Reminder {
  return {
    ticketId: t.id,
    kind: s.kind,
    day: s.day,
    audience: s.audience,
    overdueWorkdays: overdueWorkdays(t.due, today, cal),
    idempotencyKey: key ?? `reminder:${t.id}:${s.kind}:${s.day}`,
    unitCode: t.unitCode,
    assigneeId: t.assigneeId,
    due: t.due,
    urgent: t.urgent,
    late: s.day < today,
  };
}

/** Sweeps run for non-urgent tickets on working days only, for urgent ones every day. */
function sweepable(t: { status: TicketStatus; urgent?: boolean }, today: ISODate, cal: WorkCalendar): boolean {
  return OPEN.has(t.status) && (t.urgent === true || cal.isWorkday(today));
}

function sweep(
  items: readonly ReminderTicket[],
  today: ISODate,
  cal: WorkCalendar,
  ladder: Ladder,
  opts: SweepOptions,
): Reminder[] {
  const since = opts.since ?? addDays(today, -1);
  const out: Reminder[] = [];
  for (const t of items) {
    if (!sweepable(t, today, cal)) continue;
    for (const s of slotsFor(t, today, since, cal, ladder)) out.push(toReminder(t, s, today, cal));
  }
  return out;
}

const KIND_ORDER = ['ESCALATE_BUREAU', 'ESCALATE_LEADER', 'OVERDUE', 'DUE'];

/** Most pressing first: escalations, overdue (longest first), due today, then T-1 before T-3, check-ins last. */
export function compareReminders(a: Reminder, b: Reminder): number {
  const rank = (r: Reminder): number => {
    const i = KIND_ORDER.indexOf(r.kind);
    if (i >= 0) return i;
    if (r.kind === 'CHECKIN') return 1000;
    return KIND_ORDER.length + Number(r.kind.slice(r.kind.indexOf('-') + 1));
  };
  return (
    rank(a) - rank(b) ||
    b.overdueWorkdays - a.overdueWorkdays ||
    (a.due < b.due ? -1 : a.due > b.due ? 1 : 0) ||
    a.ticketId - b.ticketId ||
    (a.idempotencyKey < b.idempotencyKey ? -1 : a.idempotencyKey > b.idempotencyKey ? 1 : 0)
  );
}

/** Reminders due today for plan tickets (and check-ins of recurring ones), most pressing first. */
export function dueReminders(
  tickets: readonly ReminderTicket[],
  today: ISODate,
  cal: WorkCalendar,
  policy: ReminderPolicy,
  opts: SweepOptions = {},
): Reminder[] {
  const ladder: Ladder = {
    prefix: 'T',
    before: policy.beforeDue,
    leaderAfter: policy.escalateLeaderAfter,
    bureauAfter: policy.escalateBureauAfter,
  };
  const due = sweep(tickets, today, cal, ladder, opts);
  const checkins = monthlyCheckins(tickets.filter((t) => t.recurring === true), today, cal, opts);
  return [...due, ...checkins].sort(compareReminders);
}

/**
 * CHECKIN for open recurring (持续) tickets on the first working day of each month; a missed one
 * (downtime) is sent late, only the latest month's.
 */
export function monthlyCheckins(
  tickets: readonly ReminderTicket[],
  today: ISODate,
  cal: WorkCalendar,
  opts: SweepOptions = {},
): Reminder[] {
  const since = opts.since ?? addDays(today, -1);
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const thisMonth = firstWorkdayOfMonth(y, m, cal);
  const day = thisMonth <= today ? thisMonth : firstWorkdayOfMonth(m === 1 ? y - 1 : y, m === 1 ? 12 : m - 1, cal);
  if (!(day > since && day <= today)) return [];
  const out: Reminder[] = [];
  for (const t of tickets) {
    if (!sweepable(t, today, cal)) continue;
    const audience: ReminderAudience = t.assigneeId === null ? 'UNIT_OFFICERS' : 'ASSIGNEE';
    out.push(toReminder(t, { kind: 'CHECKIN', day, audience }, today, cal, `checkin:${t.id}:${day.slice(0, 7)}`));
  }
  return out;
}

export interface SlaItem {
  id: number;
  unitCode: string;
  assigneeId: string | null;
  status: TicketStatus;
  /** The day the request was received; the SLA counts working days after it. */
  requestDate: ISODate;
  /** Working days to answer (task 13: 10). */
  slaWorkdays: number;
  urgent?: boolean;
}

/**
 * Requests with a deadline in working days (task 13: the source department answers a
 * data-correction request within 10 working days of the request date). The deadline is the
 * slaWorkdays-th working day after the request date; reminders SLA-3, SLA-1, DUE, then OVERDUE every
 * working day, with the same keys and catch-up as tickets, and no escalation (the bureau sees
 * overdue requests in its digest). Each reminder's `due` is the computed deadline.
 */
export function slaChecks(items: readonly SlaItem[], today: ISODate, cal: WorkCalendar, opts: SweepOptions = {}): Reminder[] {
  const tickets: ReminderTicket[] = items.map((i) => ({
    id: i.id,
    unitCode: i.unitCode,
    assigneeId: i.assigneeId,
    status: i.status,
    due: cal.addWorkdays(i.requestDate, i.slaWorkdays),
    urgent: i.urgent === true,
  }));
  return sweep(tickets, today, cal, { prefix: 'SLA', before: [3, 1], leaderAfter: null, bureauAfter: null }, opts).sort(compareReminders);
}

export interface RecipientGroup {
  recipientKey: string;
  reminders: Reminder[];
}

/**
 * One card per person: `resolve` maps a reminder (audience, unit, assignee) to the recipient keys
 * it reaches — several for UNIT_OFFICERS, none when nobody is configured. A reminder reaching the
 * same recipient twice is listed once. Groups are sorted by key, reminders most pressing first.
 */
export function groupByRecipient(
  reminders: readonly Reminder[],
  resolve: (r: Reminder) => string | readonly string[] | null,
): RecipientGroup[] {
  const groups = new Map<string, Map<string, Reminder>>();
  for (const r of reminders) {
    const keys = resolve(r);
    for (const key of keys === null ? [] : typeof keys === 'string' ? [keys] : keys) {
      const g = groups.get(key) ?? new Map<string, Reminder>();
      groups.set(key, g);
      if (!g.has(r.idempotencyKey)) g.set(r.idempotencyKey, r);
    }
  }
  return [...groups.keys()]
    .sort()
    .map((recipientKey) => ({ recipientKey, reminders: [...(groups.get(recipientKey)?.values() ?? [])].sort(compareReminders) }));
}
