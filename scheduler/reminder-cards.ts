/**
 * The card one recipient gets from a sweep: their newly due reminders as one reminder card, built
 * from raw SQL projections (no Prisma per row, no query per ticket).
 */
import { trafficLight, type WorkCalendar } from '../domain/calendar.ts';
import type { Reminder, ReminderTicket } from '../domain/schedule/reminders.ts';
import type { TicketStatus } from '../domain/ticket/types.ts';
import type { RawSql } from '../prisma/raw-sql.ts';
import type { OutMessage } from '../cards/types.ts';
import { REMINDER_MAX_ITEMS } from '../cards/index.ts';
import type { TicketInfo } from '../handlers/services/ticket-views.ts';
import { signAction } from '../handlers/action-token.ts';
import * as V from '../handlers/views.ts';

interface InfoRow {
  id: number;
  kind: TicketInfo['kind'];
  problem_id: number | null;
  title: string;
  task_seq: number | null;
  category: string | null;
  milestone: string | null;
  unit_code: string;
  unit_name: string;
  due: string;
  original_due: string;
  status: TicketStatus;
  progress: number;
  extension_due: string | null;
  extension_reason: string | null;
  disclaim_reason: string | null;
}

const CHUNK = 500;

/** TicketInfo (as handlers' cards show it) for the given tickets, in one query per 500 ids. */
export async function ticketInfosById(
  sql: RawSql,
  ids: readonly number[],
  today: string,
  cal: WorkCalendar,
  yellow: number,
): Promise<Map<number, TicketInfo>> {
  const out = new Map<number, TicketInfo>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const part = unique.slice(i, i + CHUNK);
    const rows = await sql.query<InfoRow>(
      `SELECT t.id, t.kind, t.problem_id, t.title, k.seq AS task_seq, k.category, m.text AS milestone, t.unit_code, u.name AS unit_name,
              t.due, t.original_due, t.status, t.progress, t.extension_due, t.extension_reason, t.disclaim_reason
         FROM ticket t
         JOIN unit u ON u.code = t.unit_code
         LEFT JOIN milestone m ON m.id = t.milestone_id
         LEFT JOIN task k ON k.id = m.task_id
        WHERE t.id IN (${part.map(() => '?').join(', ')})`,
      part,
    );
    for (const r of rows) {
      const id = Number(r.id);
      out.set(id, {
        id,
        kind: r.kind,
        problemId: r.problem_id === null ? null : Number(r.problem_id),
        title: r.title,
        taskSeq: r.task_seq === null ? null : Number(r.task_seq),
        category: r.category,
        milestone: r.milestone ?? r.title,
        unitCode: r.unit_code,
        unitName: r.unit_name,
        due: r.due,
        originalDue: r.original_due,
        workdaysLeft: cal.workdaysBetween(today, r.due),
        light: trafficLight({ status: r.status, due: r.due }, today, cal, yellow),
        status: r.status,
        progress: Number(r.progress),
        extensionDue: r.extension_due,
        extensionReason: r.extension_reason,
        disclaimReason: r.disclaim_reason,
      });
    }
  }
  return out;
}

const ACTING: ReadonlySet<Reminder['audience']> = new Set(['ASSIGNEE', 'UNIT_OFFICERS']);

function kindLabel(r: Reminder): string {
  switch (r.kind) {
    case 'DUE': return '今日到期';
    case 'OVERDUE': return '已逾期';
    case 'ESCALATE_LEADER': return '逾期较久需领导督促';
    case 'ESCALATE_BUREAU': return '逾期较久已报省数据局';
    case 'CHECKIN': return '月度进展填报';
    default: return `${r.kind.slice(r.kind.indexOf('-') + 1)} 个工作日后到期`;
  }
}

/** "今日到期 1 件；已逾期 2 件；3 个工作日后到期 1 件", plus a line for late (catch-up) reminders. */
export function reminderNote(reminders: readonly Reminder[], unitNames?: ReadonlyMap<number, string>): string {
  const counts = new Map<string, number>();
  for (const r of reminders) counts.set(kindLabel(r), (counts.get(kindLabel(r)) ?? 0) + 1);
  const parts = [...counts].map(([label, n]) => `${label} ${n} 件`);
  const late = reminders.filter((r) => r.late).length;
  const lines = [parts.join('；')];
  if (unitNames) {
    // Cards list tickets without their unit; the bureau needs to know whose they are.
    const perUnit = new Map<string, Set<number>>();
    for (const r of reminders) {
      const name = unitNames.get(r.ticketId);
      if (name) perUnit.set(name, (perUnit.get(name) ?? new Set()).add(r.ticketId));
    }
    lines.push(`涉及单位：${[...perUnit].map(([name, ids]) => `${name} ${ids.size} 件`).join('、')}`);
  }
  if (late > 0) lines.push(`其中 ${late} 件为停机或节假日期间未能按时发出的补发提醒。`);
  return lines.join('\n');
}

function headingFor(reminders: readonly Reminder[]): string {
  if (reminders.every((r) => r.audience === 'BUREAU')) return '逾期督办单上报';
  if (reminders.every((r) => r.audience === 'UNIT_LEADER')) return '逾期督办单提请督促';
  return '督办提醒';
}

export interface RecipientReminders {
  recipient: string;
  /** Most pressing first (as groupByRecipient sorts them). */
  reminders: Reminder[];
}

export interface ReminderCard {
  recipient: string;
  message: OutMessage;
  ticketIds: number[];
  /** The reminder keys the card is about. */
  keys: string[];
}

export interface CardContext {
  sql: RawSql;
  today: string;
  cal: WorkCalendar;
  yellow: number;
  secret: string;
  now: Date;
  /** The swept tickets by id: enough to count a ticket the card does not show in full. */
  tickets: ReadonlyMap<number, ReminderTicket>;
}

/** Tickets of a group in card order, each once. */
function ticketOrder(reminders: readonly Reminder[]): number[] {
  return [...new Set(reminders.map((r) => r.ticketId))];
}

/**
 * One card per recipient. A card shows its first REMINDER_MAX_ITEMS tickets and counts the rest
 * by their traffic light, so only the shown tickets are read in full (one query per 500) and
 * only their buttons are signed — and only for the people who act on them (assignee, officers).
 */
export async function buildReminderCards(groups: readonly RecipientReminders[], ctx: CardContext): Promise<ReminderCard[]> {
  const shownIds = new Set(groups.flatMap((g) => ticketOrder(g.reminders).slice(0, REMINDER_MAX_ITEMS)));
  const [full, units] = await Promise.all([
    ticketInfosById(ctx.sql, [...shownIds], ctx.today, ctx.cal, ctx.yellow),
    ctx.sql.query<{ code: string; name: string }>(`SELECT code, name FROM unit`),
  ]);
  const unitName = new Map(units.map((u) => [u.code, u.name]));
  const infoOf = (id: number, shown: boolean): TicketInfo | null => {
    if (shown) return full.get(id) ?? null;
    const t = ctx.tickets.get(id);
    if (!t) return null;
    return {
      id, kind: 'PLAN', problemId: null, title: '', taskSeq: null, category: null, milestone: '', unitCode: t.unitCode, unitName: unitName.get(t.unitCode) ?? t.unitCode,
      due: t.due, originalDue: t.due, workdaysLeft: ctx.cal.workdaysBetween(ctx.today, t.due),
      light: trafficLight(t, ctx.today, ctx.cal, ctx.yellow), status: t.status, progress: 0,
      extensionDue: null, extensionReason: null, disclaimReason: null,
    };
  };
  const cards: ReminderCard[] = [];
  for (const g of groups) {
    const order = ticketOrder(g.reminders);
    const list = order.map((id, i) => infoOf(id, i < REMINDER_MAX_ITEMS)).filter((t): t is TicketInfo => t !== null);
    if (list.length === 0) continue; // deleted in the meantime
    const shown = new Set(list.slice(0, REMINDER_MAX_ITEMS).map((t) => t.id));
    const acting = new Set(g.reminders.filter((r) => ACTING.has(r.audience)).map((r) => r.ticketId));
    const tokensOf = (t: TicketInfo): V.Tokens =>
      shown.has(t.id) && acting.has(t.id)
        ? Object.fromEntries(V.officerActionsFor(t.status).map((a) => [a, signAction(ctx.secret, a, t.id, ctx.now)]))
        : {};
    const forBureau = g.reminders.every((r) => r.audience === 'BUREAU');
    const note = reminderNote(g.reminders, forBureau ? new Map(list.map((t) => [t.id, t.unitName])) : undefined);
    cards.push({
      recipient: g.recipient,
      message: V.reminder(list, note, headingFor(g.reminders), tokensOf),
      ticketIds: list.map((t) => t.id),
      keys: g.reminders.map((r) => r.idempotencyKey),
    });
  }
  return cards;
}
