/**
 * Slash commands. Parsing, usage and "did you mean" come from the declaration in domain/commands;
 * this file decides what each command does. Permissions are checked by `authorize` (one place).
 */
import { parseCommand, helpText, type ParsedCommand } from '../../domain/commands/index.ts';
import type { Target } from '../../domain/commands/types.ts';
import { authorize, isBureauRole, type AccessAction } from '../../domain/access.ts';
import { ACTIONS } from '../actions.ts';
import { perform, tokens } from '../ticket-flow.ts';
import { tokensFor } from './card-actions.ts';
import { ticketInfos, OPEN_STATUSES, type TicketInfo } from '../services/ticket-views.ts';
import { exportTickets } from '../services/export.ts';
import { statusSummary } from '../services/status.ts';
import { findUnit } from '../services/units.ts';
import { rankingReply, digestNow } from '../services/reports.ts';
import { handleProblemCommand } from './problems.ts';
import { maskPersonalData } from '../../domain/problems/index.ts';
import { chaseTickets } from '../services/chase.ts';
import * as V from '../views.ts';
import type { HandlerArgs } from '../context.ts';

export async function handleCommand(args: HandlerArgs, text: string): Promise<boolean> {
  const parsed = parseCommand(text, { today: args.today, role: args.actor.role });
  if (!parsed) return false;
  if (!parsed.ok) {
    await args.conv.reply(V.text(parsed.error.message), args.key('command-error'));
    return true;
  }
  await run(args, parsed.command);
  return true;
}

function deny(args: HandlerArgs, action: AccessAction, unit?: string | null): string | null {
  return authorize(args.actor, action, unit)?.message ?? null;
}

async function say(args: HandlerArgs, message: string, suffix = 'reply') {
  await args.conv.reply(V.text(message), args.key(suffix));
}

/** Tickets a target names, limited to what the actor may see. */
async function ticketsOf(args: HandlerArgs, target: Target | null, onlyOpen: boolean): Promise<TicketInfo[] | string> {
  const where: Record<string, unknown> = onlyOpen ? { status: { in: OPEN_STATUSES } } : {};
  if (!isBureauRole(args.actor.role) && args.actor.role !== 'LEADER') where.unitCode = args.actor.unitCode ?? '-';
  if (target?.kind === 'ticket') where.id = target.id;
  if (target?.kind === 'task') where.milestone = { task: { seq: target.seq } };
  if (target?.kind === 'unit') {
    const unit = await findUnit(args.deps.db, target.text);
    if (!unit) return `未找到单位「${target.text}」，请使用单位全称或常用简称，例如“省公安厅”“长沙市”。`;
    if (where.unitCode && where.unitCode !== unit.code) return `您只能查看本单位的督办单。`;
    where.unitCode = unit.code;
  }
  return ticketInfos(args.deps.db, where, args.today, args.cal, args.deps.yellowWorkdays, 200);
}

async function run(args: HandlerArgs, c: ParsedCommand): Promise<void> {
  switch (c.name) {
    case '帮助':
      return void (await args.conv.reply(V.help(helpText(c.topic ?? undefined, args.actor.role)), args.key('help')));
    case '我的': {
      const list = await ticketsOf(args, null, true);
      if (typeof list === 'string') return say(args, list);
      if (!list.length) return say(args, '您所在单位目前没有待办的督办单。');
      return void (await args.conv.reply(V.mine(list, (t) => tokensFor(args, t)), args.key('mine')));
    }
    case '进度': {
      if (c.sub === '查询') {
        const d = deny(args, 'view');
        if (d) return say(args, d);
        if (c.target?.kind === 'ticket') {
          const [t] = (await ticketsOf(args, c.target, false)) as TicketInfo[];
          if (!t) return say(args, `未找到督办单 #${c.target.id}（或无权查看）。`);
          await args.conv.reply(V.ticketAssigned(t, tokensFor(args, t)), args.key('status'));
          return void (await args.conv.reply(await timeline(args, t.id), args.key('timeline')));
        }
        const s = await statusSummary(args, c.target);
        if (typeof s === 'string') return say(args, s);
        return void (await args.conv.reply(V.status(s), args.key('status')));
      }
      // 进度 更新
      const list = await ticketsOf(args, c.target, true);
      if (typeof list === 'string') return say(args, list);
      if (!list.length) return say(args, c.target.kind === 'ticket' ? `督办单 #${c.target.id} 不在您单位的待办中（可能已提交、已办结或不属于本单位）。` : `任务${c.target.seq} 没有您单位待办的督办单。`);
      if (list.length > 1) return void (await args.conv.reply(V.chooser(list, c.percent, c.note, (t) => tokens(args, t.id, [ACTIONS.chooseTicket])), args.key('choose')));
      return reportResult(args, await perform(args, list[0]!.id, { type: 'progress', percent: c.percent, note: c.note }), `督办单 #${list[0]!.id} 进度已更新为 ${c.percent}%。`);
    }
    case '签收':
      return reportResult(args, await perform(args, c.ticket, { type: 'accept' }), `已签收督办单 #${c.ticket}。`);
    case '提交':
      return reportResult(args, await perform(args, c.ticket, { type: 'submit', note: c.note }), `督办单 #${c.ticket} 已提交省数据局审核。`);
    case '退单': {
      const [t] = (await ticketsOf(args, { kind: 'ticket', id: c.ticket }, false)) as TicketInfo[];
      if (!t) return say(args, `未找到督办单 #${c.ticket}（或不属于本单位）。`);
      const { disclaimTicket } = await import('../services/ticket-extras.ts');
      return say(args, await disclaimTicket(args, t, c.reason));
    }
    case '审核':
      return c.sub === '通过'
        ? reportResult(args, await perform(args, c.ticket, { type: 'approve', note: c.note }), `督办单 #${c.ticket} 已审核通过，办结。`)
        : reportResult(args, await perform(args, c.ticket, { type: 'return', reason: c.reason }), `督办单 #${c.ticket} 已退回：${c.reason}`);
    case '延期':
      if (c.sub === '申请') return reportResult(args, await perform(args, c.ticket, { type: 'requestExtension', newDue: c.due, reason: c.reason }), `已申请将督办单 #${c.ticket} 延期至 ${c.due}，等待省数据局审批。`);
      return reportResult(args, await perform(args, c.ticket, { type: 'decideExtension', approve: c.sub === '同意', note: c.note }), `已${c.sub}督办单 #${c.ticket} 的延期申请。`);
    case '督办': {
      const d = deny(args, 'assign');
      if (d) return say(args, d);
      const list = await ticketsOf(args, c.target, true);
      if (typeof list === 'string') return say(args, list);
      if (!list.length) return say(args, c.target.kind === 'task' ? `任务${c.target.seq} 没有待办的督办单（可能已全部办结，或承办单位尚待确认）。` : `督办单 #${c.target.id} 不存在或已不在待办状态。`);
      for (const t of list) await args.deps.notifier.notify({ unit: t.unitCode }, V.ticketAssigned(t, tokens(args, t.id, V.officerActionsFor(t.status))), `resend:${t.id}:${args.key('')}`, t.id);
      return say(args, `已向 ${new Set(list.map((t) => t.unitCode)).size} 个单位重发 ${list.length} 件督办单。`);
    }
    case '催办': {
      const d = deny(args, 'chase');
      if (d) return say(args, d);
      if (c.target.kind === 'unit' && c.target.text === '全部') return say(args, '催办需指定督办单、任务或单位，不能一次催办全部。');
      const list = await ticketsOf(args, c.target, true);
      if (typeof list === 'string') return say(args, list);
      if (!list.length) return say(args, '没有需要催办的待办督办单。');
      const r = await chaseTickets(args, list, c.note ?? null, args.key(''));
      return say(args, `已向 ${r.units} 个单位催办 ${r.tickets} 件督办单。`);
    }
    case '导出': {
      const d = deny(args, 'export');
      if (d) return say(args, d);
      if (c.kind === '回执') return say(args, '暂无单位提交的回执表（附件1、5、6），没有可导出的内容。');
      const r = await exportTickets(args.deps.db, args.deps.exportDir, args.today, args.cal, args.deps.yellowWorkdays, null);
      return void (await args.conv.reply(V.exportReady(r.rows, `${args.deps.publicUrl}/exports/${encodeURIComponent(r.name)}`), args.key('export')));
    }
    case '排名': {
      const d = deny(args, 'view');
      if (d) return say(args, d);
      return void (await args.conv.reply(await rankingReply(args, c.scope), args.key('ranking')));
    }
    case '问题':
      return handleProblemCommand(args, c);
    case '通报': {
      const d = deny(args, 'view');
      if (d) return say(args, d);
      // Bureau staff post to the leadership groups; a leader gets the same digest here.
      return digestNow(args, c.kind, isBureauRole(args.actor.role));
    }
  }
}

const EVENT_LABEL: Record<string, string> = {
  assign: '交办', accept: '签收', progress: '更新进度', submit: '提交审核', approve: '审核通过', return: '退回', resume: '恢复办理',
  requestExtension: '申请延期', decideExtension: '审批延期', reassign: '改派', evidence: '提交佐证', chase: '催办', difficulty: '反馈困难',
  disclaim: '退单', confirmDisclaim: '维持原单位',
};

/** The ticket's timeline: every event with its actor, and the evidence on file. */
async function timeline(args: HandlerArgs, ticketId: number) {
  const events = await args.deps.db.prisma.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: 'asc' }, take: 50 });
  // A problem's ticket: notes may repeat the reporter's personal data, shown masked.
  const problem = (await args.deps.db.prisma.ticket.findUnique({ where: { id: ticketId }, select: { kind: true } }))?.kind === 'PROBLEM';
  const note = (s: string) => (problem ? maskPersonalData(s) : s);
  const fmt = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  const lines = events.map((e) => `- ${fmt.format(e.createdAt)} ${e.actorName} ${EVENT_LABEL[e.type] ?? e.type}${e.note ? `：${note(e.note)}` : ''}`);
  return V.markdown(`督办单 #${ticketId} 办理记录`, lines.join('\n') || '暂无记录');
}

async function reportResult(args: HandlerArgs, r: Awaited<ReturnType<typeof perform>>, success: string): Promise<void> {
  await say(args, r.ok ? success : r.message, r.ok ? 'done' : 'refused');
}
