/**
 * Card button clicks. The token says which ticket and which action (HMAC-checked); the form values
 * carry what the person typed. A button that was already used answers politely and changes nothing;
 * a successful click replaces the card in place so that nobody clicks a stale button twice.
 */
import { verifyAction } from '../action-token.ts';
import { ACTIONS } from '../actions.ts';
import { isDomainError } from '../../domain/errors.ts';
import { TICKET_STATUS_LABELS } from '../../domain/ticket/types.ts';
import { info, perform, tokens } from '../ticket-flow.ts';
import { disclaimTicket, recordDifficulty, decideDisclaim } from '../services/ticket-extras.ts';
import * as V from '../views.ts';
import { handleProblemAction, PROBLEM_ACTIONS } from './problems.ts';
import { problemCardFor } from '../services/problem-notify.ts';
import type { HandlerArgs } from '../context.ts';

const DONE_LINES: Record<string, string> = {
  accept: '已签收',
  progress: '已更新进度',
  submit: '已提交审核',
  approve: '已审核通过',
  return: '已退回',
  requestExtension: '已申请延期',
  decideExtension: '已审批延期',
};

function stamp(args: HandlerArgs): string {
  const d = args.deps.now();
  const hh = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return `${args.actor.name} · ${hh}`;
}

export async function handleCardAction(args: HandlerArgs, token: string, values: Record<string, string>): Promise<void> {
  let claim;
  try {
    claim = verifyAction(args.deps.actionSecret, token, args.deps.now());
  } catch (e) {
    if (!isDomainError(e)) throw e;
    args.deps.log.warn({ code: e.code, actor: args.actor.personId }, e.messageEn);
    await args.conv.reply(V.text(e.message), args.key('forged'));
    return;
  }
  // The routing card's buttons are about a problem, not a ticket.
  if (PROBLEM_ACTIONS.has(claim.action)) return handleProblemAction(args, claim, values);
  const { action, ticketId } = claim;
  const current = await info(args, ticketId);
  if (!current) {
    await args.conv.reply(V.text(`督办单 #${ticketId} 已不存在。`), args.key('gone'));
    return;
  }
  const v = (k: string) => (values[k] ?? '').trim();

  const act = async (ticketAction: Parameters<typeof perform>[2], line: string) => {
    const r = await perform(args, ticketId, ticketAction);
    if (r.ok) {
      const done = `${line} · ${stamp(args)}`;
      const card = (await problemCardFor(args.deps, args.deps.now(), r.info, done)) ?? V.cardDone(r.info, done, tokensFor(args, r.info));
      await args.conv.updateCard(card, args.key('update'));
    } else if (r.code === 'TICKET_ILLEGAL_TRANSITION') {
      // A used or stale button: say so politely, refresh the card, change nothing.
      await args.conv.reply(V.text(`该操作已处理过，督办单 #${ticketId} 当前状态为「${TICKET_STATUS_LABELS[current.status]}」，无需重复点击。`), args.key('stale'));
      await args.conv.updateCard(V.ticketAssigned(current, tokensFor(args, current)), args.key('refresh'));
    } else {
      await args.conv.reply(V.text(r.message), args.key('refused'));
    }
  };

  switch (action) {
    case ACTIONS.accept:
      return act({ type: 'accept' }, DONE_LINES.accept!);
    case ACTIONS.progress:
      if (!v('percent')) return args.conv.reply(V.progressForm(current, tokens(args, ticketId, [ACTIONS.progress])), args.key('form'));
      return act({ type: 'progress', percent: Number(v('percent')), note: v('note') || null }, `${DONE_LINES.progress}至 ${v('percent')}%`);
    case ACTIONS.submit:
      return act({ type: 'submit', note: v('note') || null }, DONE_LINES.submit!);
    case ACTIONS.evidence:
      return args.conv.reply(V.text(`请直接在本会话发送佐证文件（PDF、图片、Word、Excel 等），并在说明中写明督办单编号，例如「#${ticketId} 关停计划表」。`), args.key('evidence-hint'));
    case ACTIONS.extension:
      if (!v('newDue')) return args.conv.reply(V.extensionForm(current, tokens(args, ticketId, [ACTIONS.extension])), args.key('form'));
      return act({ type: 'requestExtension', newDue: v('newDue'), reason: v('reason') }, DONE_LINES.requestExtension!);
    case ACTIONS.approve:
      return act({ type: 'approve', note: v('note') || null }, DONE_LINES.approve!);
    case ACTIONS.return:
      if (!v('reason')) return args.conv.reply(V.text('退回需要填写原因，请在卡片的“退回原因”中填写后再点“退回”。'), args.key('reason'));
      return act({ type: 'return', reason: v('reason') }, `${DONE_LINES.return}：${v('reason')}`);
    case ACTIONS.extensionApprove:
    case ACTIONS.extensionReject:
      return act({ type: 'decideExtension', approve: action === ACTIONS.extensionApprove, note: v('note') || null }, action === ACTIONS.extensionApprove ? '已同意延期' : '已不同意延期');
    case ACTIONS.difficulty: {
      if (!v('note')) return args.conv.reply(V.difficultyForm(current, tokens(args, ticketId, [ACTIONS.difficulty])), args.key('form'));
      const r = await recordDifficulty(args, current, v('note'));
      return args.conv.reply(V.text(r), args.key('difficulty'));
    }
    case ACTIONS.disclaim: {
      if (!v('reason')) return args.conv.reply(V.disclaimForm(current, tokens(args, ticketId, [ACTIONS.disclaim])), args.key('form'));
      const r = await disclaimTicket(args, current, v('reason'));
      return args.conv.reply(V.text(r), args.key('disclaim'));
    }
    case ACTIONS.reassign:
    case ACTIONS.confirmDisclaim: {
      const r = await decideDisclaim(args, current, action === ACTIONS.reassign ? v('unit') : null, v('note') || null);
      if (r.ok) await args.conv.updateCard(V.cardDone(r.info, `${r.line} · ${stamp(args)}`, {}), args.key('update'));
      else await args.conv.reply(V.text(r.message), args.key('refused'));
      return;
    }
    case ACTIONS.chooseTicket: {
      const percent = Number(v('percent'));
      if (!Number.isFinite(percent)) return args.conv.reply(V.progressForm(current, tokens(args, ticketId, [ACTIONS.progress])), args.key('form'));
      return act({ type: 'progress', percent, note: v('note') || null }, `${DONE_LINES.progress}至 ${percent}%`);
    }
    default:
      await args.conv.reply(V.text('无法识别的按钮操作，请使用最新的卡片。'), args.key('unknown'));
  }
}

/** Buttons a person sees on a ticket card, by role and state. */
export function tokensFor(args: HandlerArgs, i: { id: number; status: string }): Record<string, string> {
  const bureau = args.actor.role === 'BUREAU_ADMIN' || args.actor.role === 'BUREAU_STAFF';
  if (i.status === 'DONE') return {};
  if (bureau && i.status === 'SUBMITTED') return tokens(args, i.id, [ACTIONS.approve, ACTIONS.return]);
  return tokens(args, i.id, V.OFFICER_ACTIONS);
}
