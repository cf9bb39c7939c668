/** Fixtures for scheduler suites: a small directory, tickets by hand, the outbox as cards, a clock. */
import { shanghaiInstant } from '../../domain/calendar.ts';
import { DEFAULT_REMINDER_POLICY } from '../../domain/schedule/policy.ts';
import type { Database } from '../../prisma/client.ts';
import type { OutMessage } from '../../cards/types.ts';
import type { SchedulerDeps, SchedulerLog } from '../../scheduler/types.ts';

export const silentLog: SchedulerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** An instant on the Shanghai wall clock: at('2026-10-10', '10:00'). */
export function at(date: string, hm = '10:00'): Date {
  const [h, m] = hm.split(':').map(Number);
  return shanghaiInstant(date, h!, m!);
}

export function schedulerDeps(db: Database, over: Partial<SchedulerDeps> = {}): SchedulerDeps {
  return {
    db,
    now: () => new Date('2026-06-22T02:00:00Z'),
    log: silentLog,
    notifyPlatforms: ['CONSOLE'],
    actionSecret: 'test-secret',
    policy: DEFAULT_REMINDER_POLICY,
    owner: 'replica-a',
    ...over,
  };
}

export const PEOPLE = {
  gonganOfficer: 'p-gongan-officer',
  gonganLeader: 'p-gongan-leader',
  minzhengOfficer: 'p-minzheng-officer',
  minzhengLeader: 'p-minzheng-leader',
} as const;

/** Three ranked units, the bureau, their officers and leaders, a leadership and a bureau group. */
export async function seedDirectory(db: Database): Promise<void> {
  await db.prisma.unit.createMany({
    data: [
      { code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL', sortOrder: 1 },
      { code: 'p-minzheng', name: '省民政厅', kind: 'PROVINCIAL', sortOrder: 2 },
      { code: 'c-changsha', name: '长沙市', kind: 'CITY', sortOrder: 3 },
      { code: 'bureau', name: '省数据局', kind: 'BUREAU', collective: false, sortOrder: 0 },
    ],
  });
  await db.prisma.person.createMany({
    data: [
      { id: PEOPLE.gonganOfficer, name: '公安联络员', role: 'UNIT_OFFICER', unitCode: 'p-gongan', consoleId: 'c1' },
      { id: PEOPLE.gonganLeader, name: '公安分管领导', role: 'UNIT_LEADER', unitCode: 'p-gongan', consoleId: 'c2' },
      { id: PEOPLE.minzhengOfficer, name: '民政联络员', role: 'UNIT_OFFICER', unitCode: 'p-minzheng', consoleId: 'c3' },
      { id: PEOPLE.minzhengLeader, name: '民政分管领导', role: 'UNIT_LEADER', unitCode: 'p-minzheng', consoleId: 'c4' },
      { id: 'p-staff', name: '李娜', role: 'BUREAU_STAFF', unitCode: 'bureau', consoleId: 'c5' },
    ],
  });
  await db.prisma.chatGroup.createMany({
    data: [
      { id: 'g-lead', name: '领导群', platform: 'CONSOLE', chatId: 'leaders', purpose: 'LEADERSHIP' },
      { id: 'g-bureau', name: '数据局工作群', platform: 'CONSOLE', chatId: 'bureau-room', purpose: 'BUREAU' },
    ],
  });
}

export interface TicketSpec {
  unitCode?: string;
  assigneeId?: string | null;
  status?: 'ASSIGNED' | 'IN_PROGRESS' | 'SUBMITTED' | 'RETURNED' | 'DONE';
  due: string;
  urgent?: boolean;
  milestoneId?: string | null;
  title?: string;
  createdAt?: Date;
  acceptedAt?: Date | null;
  doneAt?: Date | null;
}

export async function addTicket(db: Database, s: TicketSpec): Promise<number> {
  const t = await db.prisma.ticket.create({
    data: {
      unitCode: s.unitCode ?? 'p-gongan',
      assigneeId: s.assigneeId === undefined ? PEOPLE.gonganOfficer : s.assigneeId,
      status: s.status ?? 'IN_PROGRESS',
      due: s.due,
      originalDue: s.due,
      urgent: s.urgent ?? false,
      milestoneId: s.milestoneId ?? null,
      title: s.title ?? `督办事项（${s.due}）`,
      createdAt: s.createdAt ?? new Date('2026-06-01T01:00:00Z'),
      acceptedAt: s.acceptedAt ?? null,
      doneAt: s.doneAt ?? null,
    },
  });
  return t.id;
}

export interface OutboxCard {
  key: string;
  platform: string;
  target: string;
  kind: string;
  message: OutMessage;
  /** Tickets listed on a reminder card (from its text lines). */
  ticketIds: number[];
  text: string;
}

export async function outbox(db: Database): Promise<OutboxCard[]> {
  const rows = await db.sql.query<{ idempotency_key: string; platform: string; target: string; kind: string; payload: string }>(
    `SELECT idempotency_key, platform, target, kind, payload FROM outbox_message ORDER BY id`,
  );
  return rows.map((r) => {
    const message = (JSON.parse(r.payload) as { message: OutMessage }).message;
    const text = message.type === 'card' ? message.fallbackText : message.type === 'markdown' ? message.markdown : message.type === 'text' ? message.text : message.title;
    const ticketIds = [...text.matchAll(/^(?:🔴|🟡|🟢) #(\d+) /gmu)].map((m) => Number(m[1]));
    return { key: r.idempotency_key, platform: r.platform, target: r.target, kind: r.kind, message, ticketIds, text };
  });
}

export async function reminderLog(db: Database): Promise<{ key: string; ticket_id: number; kind: string; day: string; recipient: string }[]> {
  const rows = await db.sql.query<{ key: string; ticket_id: number; kind: string; day: string; recipient: string }>(
    `SELECT key, ticket_id, kind, day, recipient FROM reminder_log ORDER BY key`,
  );
  return rows.map((r) => ({ ...r, ticket_id: Number(r.ticket_id) }));
}
