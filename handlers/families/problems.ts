/**
 * `/问题` for bureau staff and the buttons of the routing card: file a problem from the chat, route
 * one to a unit (or reassign it), dismiss one, list the open ones. Filing is idempotent on the
 * inbound event: a redelivered or recovered message finds its problem and files nothing new.
 */
import type { ParsedCommand } from '../../domain/commands/index.ts';
import { authorize, type AccessAction } from '../../domain/access.ts';
import { GRADE_LABELS } from '../../domain/problems/index.ts';
import { isDomainError } from '../../domain/errors.ts';
import { TICKET_STATUS_LABELS } from '../../domain/ticket/types.ts';
import { cardDone } from '../../cards/index.ts';
import type { ActionClaim } from '../action-token.ts';
import { ACTIONS } from '../actions.ts';
import { perform } from '../ticket-flow.ts';
import * as V from '../views.ts';
import type { HandlerArgs } from '../context.ts';
import { intakeProblem } from '../services/problems.ts';
import { dismissProblem, routeProblemTo } from '../services/problem-routing.ts';
import { problemRouteMessage, timeText } from '../services/problem-notify.ts';
import { listProblems, problemLine, problemView } from '../services/problem-views.ts';
import { findUnit } from '../services/units.ts';

type ProblemCommand = Extract<ParsedCommand, { name: '问题' }>;

const LIST_LIMIT = 30;

async function say(args: HandlerArgs, text: string, suffix = 'problem'): Promise<void> {
  await args.conv.reply(V.text(text), args.key(suffix));
}

function denied(args: HandlerArgs, action: AccessAction): string | null {
  return authorize(args.actor, action)?.message ?? null;
}

/** The inbound event as a source reference: the platform's own message key. */
function chatRef(args: HandlerArgs): string {
  const { platform } = args.message.chat;
  const key = args.message.eventKey;
  return key.startsWith(`${platform}:`) ? key : `${platform}:${key}`;
}

export async function handleProblemCommand(args: HandlerArgs, c: ProblemCommand): Promise<void> {
  try {
    switch (c.sub) {
      case '登记':
        return await file(args, c.service, c.description);
      case '分派':
        return await route(args, c.problem, c.unit);
      case '不予受理': {
        const d = denied(args, 'dismissProblem');
        if (d) return say(args, d);
        await dismissProblem(args.deps, c.problem, c.reason, args.actor);
        return say(args, `问题 P${c.problem} 已不予受理：${c.reason}。来源系统可查看该反馈。`);
      }
      case '列表':
        return await list(args);
    }
  } catch (e) {
    if (!isDomainError(e)) throw e;
    args.deps.log.info({ code: e.code, actor: args.actor.personId }, `problem command refused: ${e.messageEn}`);
    return say(args, e.message, 'problem-refused');
  }
}

async function file(args: HandlerArgs, service: string, description: string): Promise<void> {
  const d = denied(args, 'reportProblem');
  if (d) return say(args, d);
  const r = await intakeProblem(args.deps, { sourceCode: 'BUREAU', sourceRef: chatRef(args), serviceName: service, description }, args.actor);
  const p = r.problem;
  if (!r.created) return say(args, `该消息已登记为问题 P${p.id}，未重复登记。`);
  const grade = `${GRADE_LABELS[p.grade]}（${p.gradeReason}）`;
  if (p.status === 'ROUTED') {
    return say(args, `已登记问题 P${p.id}，等级：${grade}。已交由${p.unitName}整改：问题整改单 #${p.ticketId}，整改时限 ${p.due}。`);
  }
  return say(args, `已登记问题 P${p.id}，等级：${grade}。未能确定承办单位，已向统筹调度群发送分派卡片；也可回复「/问题 分派 P${p.id} 单位名称」。`);
}

async function route(args: HandlerArgs, problemId: number, unitText: string): Promise<void> {
  const d = denied(args, 'routeProblem');
  if (d) return say(args, d);
  const unit = await findUnit(args.deps.db, unitText);
  if (!unit) return say(args, `未找到单位「${unitText}」，请使用单位全称或常用简称，例如“省公安厅”“长沙市”。`);
  const r = await routeProblemTo(args.deps, problemId, unit.code, args.actor);
  if (r.kind === 'routed') return say(args, `已将问题 P${problemId} 交由${r.unitName}整改：问题整改单 #${r.ticketId}，整改时限 ${r.due}。`);
  if (r.unitCode === unit.code) return say(args, `问题 P${problemId} 已由${r.unitName}整改（问题整改单 #${r.ticketId}），无需重复分派。`);
  // Already at another unit: 分派 means 改派, through the ticket's own reassignment.
  const done = await perform(args, r.ticketId, { type: 'reassign', unitCode: unit.code, note: `问题P${problemId}改派` });
  return say(args, done.ok ? `已将问题 P${problemId} 由${r.unitName}改派至${unit.name}（问题整改单 #${r.ticketId}）。` : done.message);
}

async function list(args: HandlerArgs): Promise<void> {
  const d = denied(args, 'listProblems');
  if (d) return say(args, d);
  const { total, items } = await listProblems(args.deps.db, { status: ['PENDING_ROUTE', 'ROUTED'], limit: LIST_LIMIT });
  if (total === 0) return say(args, '目前没有未销号的问题。');
  const lines = items.map((p) => `- ${problemLine(p, (s) => TICKET_STATUS_LABELS[s])}`);
  if (total > items.length) lines.push(`……共 ${total} 件，其余请在督办控制台查看。`);
  await args.conv.reply(V.markdown(`未销号问题（${total} 件）`, [`**未销号问题**（${total} 件，个人信息已脱敏）`, ...lines].join('\n')), args.key('problem-list'));
}

// ---- the routing card's buttons ----

export const PROBLEM_ACTIONS: ReadonlySet<string> = new Set([ACTIONS.routeProblem, ACTIONS.dismissProblem]);

function stamp(args: HandlerArgs): string {
  return `${args.actor.name} · ${timeText(args.deps.now()).slice(5)}`;
}

async function closeCard(args: HandlerArgs, problemId: number, line: string): Promise<void> {
  const p = await problemView(args.deps.db, problemId);
  if (!p) return;
  const card = await problemRouteMessage(args.deps, p, args.deps.now(), []);
  await args.conv.updateCard(cardDone(card, `${line} · ${stamp(args)}`), args.key('update'));
}

/** A click on 交由 XX 办理 (the unit is signed in the token) or 不予受理 (the reason typed on the card). */
export async function handleProblemAction(args: HandlerArgs, claim: ActionClaim, values: Record<string, string>): Promise<void> {
  const problemId = claim.ticketId;
  try {
    if (claim.action === ACTIONS.routeProblem) {
      if (!claim.arg) return say(args, '该按钮无效，请使用最新的卡片。', 'problem-bad');
      const r = await routeProblemTo(args.deps, problemId, claim.arg, args.actor);
      if (r.kind === 'already-routed') {
        await say(args, `问题 P${problemId} 已交由${r.unitName}整改（问题整改单 #${r.ticketId}），无需重复点击。`, 'problem-stale');
        return closeCard(args, problemId, `已交由${r.unitName}办理`);
      }
      await say(args, `已将问题 P${problemId} 交由${r.unitName}整改：问题整改单 #${r.ticketId}，整改时限 ${r.due}。`);
      return closeCard(args, problemId, `已交由${r.unitName}办理`);
    }
    const reason = (values.reason ?? '').trim();
    if (!reason) return say(args, '不予受理需要填写原因，请在卡片的“不予受理的原因”中填写后再点“不予受理”。', 'problem-reason');
    await dismissProblem(args.deps, problemId, reason, args.actor);
    await say(args, `问题 P${problemId} 已不予受理：${reason}。`);
    return closeCard(args, problemId, `已不予受理：${reason}`);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    args.deps.log.info({ code: e.code, problemId, actor: args.actor.personId }, `problem action refused: ${e.messageEn}`);
    return say(args, e.message, 'problem-refused');
  }
}
