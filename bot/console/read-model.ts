/** Read models behind the console: aggregated in SQL, paginated, never whole tables in memory. */
import type { Database } from '../../prisma/client.ts';

export const STATUS_LABELS: Record<string, string> = {
  ASSIGNED: '待签收',
  IN_PROGRESS: '办理中',
  SUBMITTED: '待审核',
  RETURNED: '已退回',
  DONE: '已办结',
};

export interface Summary {
  plan: { title: string; docNo: string; tasks: number; milestones: number } | null;
  ticketsByStatus: Record<string, number>;
  overdue: number;
  outbox: Record<string, number>;
}

export async function summary(db: Database, today: string): Promise<Summary> {
  const [plan, byStatus, overdue, outbox] = await Promise.all([
    db.prisma.plan.findFirst({ orderBy: { loadedAt: 'asc' }, select: { id: true, title: true, docNo: true } }),
    db.prisma.ticket.groupBy({ by: ['status'], _count: { _all: true } }),
    db.prisma.ticket.count({ where: { status: { not: 'DONE' }, due: { lt: today } } }),
    db.prisma.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }),
  ]);
  let planInfo: Summary['plan'] = null;
  if (plan) {
    const [tasks, milestones] = await Promise.all([
      db.prisma.task.count({ where: { planId: plan.id } }),
      db.prisma.milestone.count({ where: { task: { planId: plan.id } } }),
    ]);
    planInfo = { title: plan.title, docNo: plan.docNo, tasks, milestones };
  }
  return {
    plan: planInfo,
    ticketsByStatus: Object.fromEntries(byStatus.map((r) => [r.status, r._count._all])),
    overdue,
    outbox: Object.fromEntries(outbox.map((r) => [r.status, r._count._all])),
  };
}

export async function outboxPage(db: Database, opts: { status?: 'PENDING' | 'SENT' | 'DEAD'; limit: number; offset: number }) {
  const where = opts.status ? { status: opts.status } : {};
  const [total, rows] = await Promise.all([
    db.prisma.outboxMessage.count({ where }),
    db.prisma.outboxMessage.findMany({ where, orderBy: { id: 'asc' }, take: opts.limit, skip: opts.offset }),
  ]);
  return { total, rows };
}

export async function ticketPage(db: Database, opts: { unit?: string; status?: string; limit: number; offset: number }) {
  const where = {
    ...(opts.unit ? { unitCode: opts.unit } : {}),
    ...(opts.status ? { status: opts.status as 'ASSIGNED' } : {}),
  };
  const [total, rows] = await Promise.all([
    db.prisma.ticket.count({ where }),
    db.prisma.ticket.findMany({
      where,
      orderBy: [{ due: 'asc' }, { id: 'asc' }],
      take: opts.limit,
      skip: opts.offset,
      include: { unit: { select: { name: true } } },
    }),
  ]);
  return { total, rows };
}
