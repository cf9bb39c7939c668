/** Ticket data as cards show it: task, milestone, unit name, working days left, traffic light. */
import type { Database } from '../../prisma/client.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { trafficLight } from '../../domain/calendar.ts';
import type { TicketStatus } from '../../domain/ticket/types.ts';

export interface TicketInfo {
  id: number;
  kind: 'PLAN' | 'PROBLEM' | 'RETURN';
  /** The problem a PROBLEM ticket rectifies. */
  problemId: number | null;
  title: string;
  taskSeq: number | null;
  category: string | null;
  milestone: string;
  unitCode: string;
  unitName: string;
  due: string;
  originalDue: string;
  /** Working days from today to the due date (negative when overdue). */
  workdaysLeft: number;
  light: 'GREEN' | 'YELLOW' | 'RED';
  status: TicketStatus;
  progress: number;
  extensionDue: string | null;
  extensionReason: string | null;
  disclaimReason: string | null;
}

const include = { unit: { select: { name: true } }, milestone: { include: { task: { select: { seq: true, category: true } } } } } as const;

type Row = Awaited<ReturnType<Database['prisma']['ticket']['findFirstOrThrow']>> & {
  unit: { name: string };
  milestone: { text: string; task: { seq: number; category: string } } | null;
};

function toInfo(t: Row, today: string, cal: WorkCalendar, yellow: number): TicketInfo {
  return {
    id: t.id,
    kind: t.kind,
    problemId: t.problemId,
    title: t.title,
    taskSeq: t.milestone?.task.seq ?? null,
    category: t.milestone?.task.category ?? null,
    milestone: t.milestone?.text ?? t.title,
    unitCode: t.unitCode,
    unitName: t.unit.name,
    due: t.due,
    originalDue: t.originalDue,
    workdaysLeft: cal.workdaysBetween(today, t.due),
    light: trafficLight(t, today, cal, yellow),
    status: t.status,
    progress: t.progress,
    extensionDue: t.extensionDue,
    extensionReason: t.extensionReason,
    disclaimReason: t.disclaimReason,
  };
}

export async function ticketInfo(db: Database, id: number, today: string, cal: WorkCalendar, yellow: number): Promise<TicketInfo | null> {
  const t = await db.prisma.ticket.findUnique({ where: { id }, include });
  return t ? toInfo(t as Row, today, cal, yellow) : null;
}

export async function ticketInfos(
  db: Database,
  where: Parameters<Database['prisma']['ticket']['findMany']>[0] extends infer A ? (A extends { where?: infer W } ? W : never) : never,
  today: string,
  cal: WorkCalendar,
  yellow: number,
  take = 50,
): Promise<TicketInfo[]> {
  const rows = await db.prisma.ticket.findMany({ where, include, orderBy: [{ due: 'asc' }, { id: 'asc' }], take });
  return rows.map((t) => toInfo(t as Row, today, cal, yellow));
}

export const OPEN_STATUSES: TicketStatus[] = ['ASSIGNED', 'IN_PROGRESS', 'RETURNED'];
