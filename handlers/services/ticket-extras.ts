/**
 * Ticket steps outside the main state machine: 反馈困难 (a note to the bureau, no state change) and
 * 退单 (the unit says the ticket is not theirs; its clock pauses until the bureau reassigns it or
 * confirms it). Permissions come from the same `authorize` as every other action.
 */
import { authorize } from '../../domain/access.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import type { TicketInfo } from './ticket-views.ts';
import type { HandlerArgs } from '../context.ts';
import { ACTIONS } from '../actions.ts';
import { info, perform, tokens } from '../ticket-flow.ts';
import * as V from '../views.ts';

async function event(args: HandlerArgs, ticketId: number, type: string, note: string, data: Record<string, unknown> = {}) {
  return args.deps.db.prisma.ticketEvent.create({
    data: {
      ticketId, type, actorId: args.actor.personId, actorName: args.actor.name, actorRole: args.actor.role,
      note, data: JSON.stringify(data), createdAt: args.deps.now(),
    },
  });
}

export async function recordDifficulty(args: HandlerArgs, t: TicketInfo, note: string): Promise<string> {
  const denied = authorize(args.actor, 'difficulty', t.unitCode);
  if (denied) return denied.message;
  const ev = await event(args, t.id, 'difficulty', note);
  await args.deps.notifier.notify({ group: 'BUREAU' }, V.text(`⚠️ ${t.unitName} 反馈督办单 #${t.id}（任务${t.taskSeq ?? '-'}）办理困难：${note}（${args.actor.name}）`), `difficulty:${t.id}:${ev.id}`, t.id);
  return `已将困难反馈给省数据局：${note}`;
}

export async function disclaimTicket(args: HandlerArgs, t: TicketInfo, reason: string): Promise<string> {
  const denied = authorize(args.actor, 'disclaim', t.unitCode);
  if (denied) return denied.message;
  if (t.status === 'DONE' || t.status === 'SUBMITTED') return `督办单 #${t.id} 当前状态不能退单。`;
  if (t.disclaimReason) return `督办单 #${t.id} 已申请退单，正在等待省数据局处理。`;
  const now = args.deps.now();
  const updated = await args.deps.db.prisma.ticket.updateMany({ where: { id: t.id, disclaimReason: null }, data: { disclaimReason: reason, disclaimedAt: now, version: { increment: 1 } } });
  if (updated.count !== 1) return `督办单 #${t.id} 已申请退单，正在等待省数据局处理。`;
  const ev = await event(args, t.id, 'disclaim', reason);
  const units = await args.deps.db.prisma.unit.findMany({ where: { code: { not: t.unitCode } }, orderBy: { sortOrder: 'asc' }, select: { code: true, name: true } });
  await args.deps.notifier.notify(
    { group: 'BUREAU' },
    V.disclaimRequest({ ...t, disclaimReason: reason }, args.actor.name, units, tokens(args, t.id, [ACTIONS.reassign, ACTIONS.confirmDisclaim])),
    `disclaim:${t.id}:${ev.id}`,
    t.id,
  );
  return `已提交退单申请（不属于本单位）：${reason}。办理时限暂停计算，等待省数据局改派或确认。`;
}

export async function decideDisclaim(
  args: HandlerArgs,
  t: TicketInfo,
  reassignTo: string | null,
  note: string | null,
): Promise<{ ok: true; info: TicketInfo; line: string } | { ok: false; message: string }> {
  const denied = authorize(args.actor, 'decideDisclaim', t.unitCode);
  if (denied) return { ok: false, message: denied.message };
  const row = await args.deps.db.prisma.ticket.findUniqueOrThrow({ where: { id: t.id } });
  if (!row.disclaimReason || !row.disclaimedAt) return { ok: false, message: `督办单 #${t.id} 没有待处理的退单申请（可能已被处理）。` };
  // The clock paused while the bureau decided: move the due date by the working days that passed.
  const from = shanghaiDate(row.disclaimedAt);
  const paused = Math.max(0, args.cal.workdaysBetween(from, args.today));
  const due = paused > 0 ? args.cal.addWorkdays(row.due, paused) : row.due;
  const cleared = await args.deps.db.prisma.ticket.updateMany({
    where: { id: t.id, version: row.version },
    data: { disclaimReason: null, disclaimedAt: null, due, version: { increment: 1 } },
  });
  if (cleared.count !== 1) return { ok: false, message: `督办单 #${t.id} 刚被他人处理，请查看最新状态。` };
  if (reassignTo) {
    const r = await perform(args, t.id, { type: 'reassign', unitCode: reassignTo, note: note ?? `退单改派：${row.disclaimReason}` });
    if (!r.ok) return r;
    return { ok: true, info: r.info, line: `已改派至${r.info.unitName}` };
  }
  const ev = await event(args, t.id, 'confirmDisclaim', note ?? '维持原承办单位', { reason: row.disclaimReason, pausedWorkdays: paused, due });
  const i = (await info(args, t.id))!;
  await args.deps.notifier.notify({ unit: t.unitCode }, V.text(`督办单 #${t.id} 的退单申请未获同意，仍由${t.unitName}承办${note ? `（${note}）` : ''}。办理时限顺延 ${paused} 个工作日至 ${due}。`), `disclaim-confirmed:${t.id}:${ev.id}`, t.id);
  return { ok: true, info: i, line: '已维持原承办单位' };
}
