/**
 * The reminder sweep: which open tickets are due a reminder now, who gets it, and one card per
 * recipient through the outbox. The domain (`dueReminders`) decides what is due; this file loads
 * the tickets in one raw projection, resolves audiences to outbox targets and writes, in one
 * transaction, the reminder keys (`reminder_log`, one row per key) and the cards for the keys that
 * were new. A re-run, a restart or a second replica finds the keys taken and sends nothing again.
 *
 * Quiet hours: outside the send window only urgent tickets are swept (inside their own window).
 * Catch-up: `since` is the last day a full (in-window) sweep completed, kept in `job_lease` under
 * SWEEP_STATE and written in the sweep's own transaction, so a day missed entirely (downtime) is
 * caught up by the next full sweep, late and once.
 */
import { createHash } from 'node:crypto';
import { shanghaiDate, type WorkCalendar } from '../domain/calendar.ts';
import { addDays, firstWorkdayOfMonth } from '../domain/schedule/periods.ts';
import {
  canSendNow,
  dueReminders,
  groupByRecipient,
  type Reminder,
  type ReminderTicket,
} from '../domain/schedule/reminders.ts';
import type { TicketStatus } from '../domain/ticket/types.ts';
import type { RawSql, SqlValue } from '../prisma/raw-sql.ts';
import { enqueue } from '../bot/outbox/enqueue.ts';
import type { OutboxInput } from '../bot/outbox/types.ts';
import { loadCalendar } from '../handlers/services/calendar.ts';
import { instantParam } from './instant.ts';
import { lastRun, recordRun } from './lease.ts';
import { memoCalendar } from '../domain/calendar-memo.ts';
import { buildReminderCards, type CardContext, type RecipientReminders, type ReminderCard } from './reminder-cards.ts';
import type { SchedulerDeps } from './types.ts';

/** job_lease row that remembers the last day a full sweep completed. */
export const SWEEP_STATE = 'reminders:last-full-sweep';

export type SweepDeps = Pick<SchedulerDeps, 'db' | 'log' | 'notifyPlatforms' | 'actionSecret' | 'policy' | 'yellowWorkdays'> & {
  /** Calendar to use (default: loaded from the database with the bureau's overrides). */
  cal?: WorkCalendar;
};

export interface SweepResult {
  /** Reminder keys logged by this sweep (new ones only). */
  reminders: number;
  /** Recipients who got a card. */
  cards: number;
  /** Outbox rows written (cards × platforms). */
  messages: number;
  /** True when ordinary (non-urgent) reminders were held back by quiet hours. */
  skippedQuiet: boolean;
  /** Open tickets the sweep looked at. */
  tickets: number;
  /** Reminders nobody could receive (e.g. a unit without a UNIT_LEADER); retried next sweep. */
  unresolved: number;
}

const OPEN_STATUSES = `('ASSIGNED', 'IN_PROGRESS', 'RETURNED')`;

interface OpenRow {
  id: number;
  unit_code: string;
  assignee_id: string | null;
  status: TicketStatus;
  due: string;
  urgent: unknown;
  milestone_id: string | null;
}

/**
 * Open tickets that can have a reminder today: due before the horizon (a T-n reminder day can
 * only have come when the due date is within n working days) — which the (status, due) index
 * answers — and, when a monthly check-in is due in this sweep, those of recurring tasks.
 * Disclaimed tickets are paused until the bureau decides.
 */
async function loadOpenTickets(sql: RawSql, horizon: string, urgentOnly: boolean, withRecurring: boolean): Promise<ReminderTicket[]> {
  const urgent = urgentOnly ? ' AND t.urgent = ?' : '';
  const base = `SELECT t.id, t.unit_code, t.assignee_id, t.status, t.due, t.urgent, t.milestone_id FROM ticket t
    WHERE t.status IN ${OPEN_STATUSES} AND t.disclaim_reason IS NULL${urgent}`;
  const flags: SqlValue[] = urgentOnly ? [true] : [];
  const recurringSql = `SELECT m.id FROM milestone m JOIN task k ON k.id = m.task_id WHERE k.recurring = ?`;
  const [rows, later, recurring] = await Promise.all([
    sql.query<OpenRow>(`${base} AND t.due < ?`, [...flags, horizon]),
    withRecurring ? sql.query<OpenRow>(`${base} AND t.due >= ? AND t.milestone_id IN (${recurringSql})`, [...flags, horizon, true]) : [],
    withRecurring ? sql.query<{ id: string }>(recurringSql, [true]) : [],
  ]);
  const recurringMilestones = new Set(recurring.map((r) => r.id));
  return [...rows, ...later].map((r) => ({
    id: Number(r.id),
    unitCode: r.unit_code,
    assigneeId: r.assignee_id,
    status: r.status,
    due: r.due,
    urgent: r.urgent === true || r.urgent === 1,
    recurring: r.milestone_id !== null && recurringMilestones.has(r.milestone_id),
  }));
}

/** Whether the first working day of this (or last) month falls in (since, today]: see monthlyCheckins. */
function checkinPossible(today: string, since: string, cal: WorkCalendar): boolean {
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const thisMonth = firstWorkdayOfMonth(y, m, cal);
  const day = thisMonth <= today ? thisMonth : firstWorkdayOfMonth(m === 1 ? y - 1 : y, m === 1 ? 12 : m - 1, cal);
  return day > since && day <= today;
}

async function unitLeaders(sql: RawSql): Promise<Map<string, string[]>> {
  const rows = await sql.query<{ id: string; unit_code: string }>(
    `SELECT id, unit_code FROM person WHERE role = 'UNIT_LEADER' AND active = ? AND unit_code IS NOT NULL ORDER BY id`,
    [true],
  );
  const byUnit = new Map<string, string[]>();
  for (const r of rows) byUnit.set(r.unit_code, [...(byUnit.get(r.unit_code) ?? []), `person:${r.id}`]);
  return byUnit;
}

/** Outbox targets of a reminder: `person:<id>`, `unit:<code>` (the unit's group) or `bureau`. */
function resolver(leaders: Map<string, string[]>): (r: Reminder) => readonly string[] {
  return (r) => {
    switch (r.audience) {
      case 'ASSIGNEE': return r.assigneeId ? [`person:${r.assigneeId}`] : [`unit:${r.unitCode}`];
      case 'UNIT_OFFICERS': return [`unit:${r.unitCode}`];
      case 'UNIT_LEADER': return leaders.get(r.unitCode) ?? [];
      case 'BUREAU': return ['bureau'];
    }
  };
}

/** The day after which reminders are due: the last completed full sweep before today, else yesterday. */
async function sweepSince(sql: RawSql, today: string): Promise<string> {
  const { key } = await lastRun(sql, SWEEP_STATE);
  return key !== null && key < today ? key : addDays(today, -1);
}

function hashKeys(keys: readonly string[]): string {
  return createHash('sha256').update([...keys].sort().join('\n')).digest('hex').slice(0, 16);
}

const CHUNK = 500;

/** Which of the keys are already in reminder_log (a read, outside any write lock). */
async function loggedKeys(sql: RawSql, keys: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    const rows = await sql.query<{ key: string }>(`SELECT key FROM reminder_log WHERE key IN (${part.map(() => '?').join(', ')})`, part);
    for (const r of rows) out.add(r.key);
  }
  return out;
}

/**
 * Cards are built for the keys not yet logged before the write transaction (rendering is the
 * costly part and should not hold the database's write lock); the transaction then logs the keys
 * and keeps a card only when all of its keys were really new — a card whose keys another replica
 * took in the meantime is rebuilt from the keys that are still ours.
 */
export async function runReminderSweep(deps: SweepDeps, now: Date, opts: { since?: string } = {}): Promise<SweepResult> {
  const { db, policy, log } = deps;
  const cal = memoCalendar(deps.cal ?? (await loadCalendar(db)));
  const today = shanghaiDate(now);
  const full = canSendNow(now, cal, policy);
  const result: SweepResult = { reminders: 0, cards: 0, messages: 0, skippedQuiet: !full, tickets: 0, unresolved: 0 };
  if (!full && !canSendNow(now, cal, policy, true)) return result;
  if (deps.notifyPlatforms.length === 0) {
    log.warn({ today }, 'reminder sweep skipped: no notify platform configured');
    return result;
  }

  const since = opts.since ?? (await sweepSince(db.sql, today));
  const horizon = cal.addWorkdays(today, Math.max(0, ...policy.beforeDue) + 1);
  const tickets = await loadOpenTickets(db.sql, horizon, !full, checkinPossible(today, since, cal));
  result.tickets = tickets.length;
  const reminders = dueReminders(tickets, today, cal, policy, { since });
  const leaders = reminders.some((r) => r.audience === 'UNIT_LEADER') ? await unitLeaders(db.sql) : new Map<string, string[]>();
  const resolve = resolver(leaders);

  const at = instantParam(db.provider, now);
  const logged = await loggedKeys(db.sql, reminders.map((r) => r.idempotencyKey));
  const logRows: SqlValue[][] = [];
  for (const r of reminders) {
    const to = resolve(r);
    if (to.length === 0) result.unresolved += 1;
    else if (!logged.has(r.idempotencyKey)) logRows.push([r.idempotencyKey, r.ticketId, r.kind, r.day, to.join(','), at]);
  }
  if (result.unresolved > 0) log.warn({ today, unresolved: result.unresolved }, 'reminders without a recipient (no unit leader configured?)');
  // Same key order in every replica: concurrent inserts wait on each other instead of deadlocking.
  logRows.sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  const pending = new Set(logRows.map((r) => String(r[0])));
  const groupsOf = (keys: ReadonlySet<string>): RecipientReminders[] =>
    groupByRecipient(reminders.filter((r) => keys.has(r.idempotencyKey)), resolve).map((g) => ({ recipient: g.recipientKey, reminders: g.reminders }));
  const cardContext = (sql: RawSql): CardContext => ({
    sql, today, cal, yellow: deps.yellowWorkdays ?? 3, secret: deps.actionSecret, now, tickets: new Map(tickets.map((t) => [t.id, t])),
  });
  const prepared = pending.size ? await buildReminderCards(groupsOf(pending), cardContext(db.sql)) : [];

  await db.sql.transaction(async (tx) => {
    const inserted = logRows.length
      ? await tx.insertManyReturning<{ key: string }>('reminder_log', ['key', 'ticket_id', 'kind', 'day', 'recipient', 'created_at'], logRows, ['key'], ['key'])
      : [];
    const fresh = new Set(inserted.map((r) => r.key));
    result.reminders = fresh.size;
    const complete = (c: ReminderCard) => c.keys.every((k) => fresh.has(k));
    let cards = prepared.filter(complete);
    const stale = new Set(prepared.filter((c) => !complete(c)).map((c) => c.recipient));
    if (fresh.size > 0 && stale.size > 0) {
      const regroup = groupsOf(fresh).filter((g) => stale.has(g.recipient));
      cards = [...cards, ...(await buildReminderCards(regroup, cardContext(tx)))];
    }
    const messages: OutboxInput[] = [];
    for (const card of cards) {
      const key = `reminder:${card.recipient}:${today}:${hashKeys(card.keys)}`;
      for (const platform of deps.notifyPlatforms) {
        messages.push({
          idempotencyKey: `${platform}:${key}`,
          platform,
          target: card.recipient,
          kind: 'reminder',
          payload: { message: card.message },
          ...(card.ticketIds.length === 1 ? { ticketId: card.ticketIds[0]! } : {}),
        });
      }
    }
    result.cards = cards.length;
    result.messages = await enqueue(tx, messages, now);
    if (full) await recordRun(tx, SWEEP_STATE, today, now);
  });
  log.info({ today, since, quiet: !full, ...result }, 'reminder sweep done');
  return result;
}
