/** Status of everything, a task or a unit, aggregated in SQL (counts by state, overdue). */
import type { Target } from '../../domain/commands/types.ts';
import { isBureauRole } from '../../domain/access.ts';
import { TICKET_STATUS_LABELS, type TicketStatus } from '../../domain/ticket/types.ts';
import { ticketInfos, type TicketInfo } from './ticket-views.ts';
import { findUnit } from './units.ts';
import type { HandlerArgs } from '../context.ts';

export interface StatusView {
  title: string;
  total: number;
  counts: { label: string; count: number }[];
  overdue: number;
  completion: number;
  overdueList: TicketInfo[];
}

export async function statusSummary(args: HandlerArgs, target: Target | null): Promise<StatusView | string> {
  const db = args.deps.db;
  const where: Record<string, unknown> = {};
  let title = '全部督办单';
  const seesAll = isBureauRole(args.actor.role) || args.actor.role === 'LEADER';
  if (!seesAll) {
    where.unitCode = args.actor.unitCode ?? '-';
    title = '本单位督办单';
  }
  if (target?.kind === 'task') {
    const task = await db.prisma.task.findFirst({ where: { seq: target.seq }, select: { seq: true, category: true } });
    if (!task) return `方案中没有任务${target.seq}。`;
    where.milestone = { task: { seq: target.seq } };
    title = `任务${task.seq}（${task.category}）`;
  } else if (target?.kind === 'unit') {
    const u = await findUnit(db, target.text);
    if (!u) return `未找到单位「${target.text}」。`;
    if (!seesAll && u.code !== args.actor.unitCode) return '您只能查看本单位的督办单。';
    where.unitCode = u.code;
    title = u.name;
  }
  const [groups, overdue] = await Promise.all([
    db.prisma.ticket.groupBy({ by: ['status'], where, _count: { _all: true } }),
    db.prisma.ticket.count({ where: { ...where, status: { not: 'DONE' }, due: { lt: args.today } } }),
  ]);
  const byStatus = new Map(groups.map((g) => [g.status as TicketStatus, g._count._all]));
  const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return `${title}：暂无督办单。`;
  const overdueList = await ticketInfos(db, { ...where, status: { not: 'DONE' }, due: { lt: args.today } }, args.today, args.cal, args.deps.yellowWorkdays, 5);
  return {
    title,
    total,
    counts: (Object.keys(TICKET_STATUS_LABELS) as TicketStatus[]).map((s) => ({ label: TICKET_STATUS_LABELS[s], count: byStatus.get(s) ?? 0 })),
    overdue,
    completion: Math.round(((byStatus.get('DONE') ?? 0) / total) * 100),
    overdueList,
  };
}
