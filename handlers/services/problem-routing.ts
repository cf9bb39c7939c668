/**
 * The bureau's decisions on a problem routing was not sure about: 交办 to a unit (a card button or
 * `/问题 分派 P12 单位`) — which opens the PROBLEM ticket — or 不予受理 with a reason. Each moves
 * the problem out of PENDING_ROUTE with a conditional UPDATE, so a second click, a second person
 * or a stale card finds it decided and changes nothing.
 */
import { authorize, type Actor } from '../../domain/access.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import { DomainError } from '../../domain/errors.ts';
import { problemDue } from '../../domain/problems/index.ts';
import { loadCalendar } from './calendar.ts';
import { loadProblemSla } from './problem-setup.ts';
import { addFeedback, FEEDBACK_STAGE, openProblemTicket } from './problem-tickets.ts';
import { announceProblem } from './problem-notify.ts';
import { PROBLEM_STATUS_LABELS } from './problem-views.ts';
import type { ProblemDeps } from './problems.ts';

export type RouteDecision =
  | { kind: 'routed'; ticketId: number; unitName: string; due: string }
  /** Already at a unit: the caller may reassign its ticket instead. */
  | { kind: 'already-routed'; ticketId: number; unitCode: string; unitName: string };

function refuse(code: string, zh: string, en: string): never {
  throw new DomainError(code, zh, en);
}

async function load(deps: ProblemDeps, id: number) {
  const p = await deps.db.prisma.problem.findUnique({ where: { id }, include: { ticket: { select: { id: true, unit: { select: { code: true, name: true } } } } } });
  if (!p) refuse('PROBLEM_NOT_FOUND', `未找到问题 P${id}。`, `problem ${id} not found`);
  return p;
}

function decided(id: number, status: keyof typeof PROBLEM_STATUS_LABELS): never {
  return refuse('PROBLEM_DECIDED', `问题 P${id} 当前状态为「${PROBLEM_STATUS_LABELS[status]}」，无需再分派。`, `problem ${id} is ${status}`);
}

/**
 * 交办: the problem goes to `unitCode` as a PROBLEM ticket. Its due date counts the SLA from the
 * day of the decision (or the report, if later): the time the bureau took is not the unit's.
 */
export async function routeProblemTo(deps: ProblemDeps, problemId: number, unitCode: string, actor: Actor): Promise<RouteDecision> {
  const denied = authorize(actor, 'routeProblem');
  if (denied) throw denied;
  const p = await load(deps, problemId);
  if (p.status === 'ROUTED' && p.ticket) return { kind: 'already-routed', ticketId: p.ticket.id, unitCode: p.ticket.unit.code, unitName: p.ticket.unit.name };
  if (p.status !== 'PENDING_ROUTE') decided(problemId, p.status);
  const unit = await deps.db.prisma.unit.findUnique({ where: { code: unitCode }, select: { code: true, name: true } });
  if (!unit) refuse('PROBLEM_UNIT', `未找到单位「${unitCode}」。`, `unit ${unitCode} not found`);
  const now = deps.now();
  const [sla, cal] = await Promise.all([loadProblemSla(deps.db), loadCalendar(deps.db)]);
  const reported = shanghaiDate(p.reportedAt);
  const today = shanghaiDate(now);
  const due = problemDue(reported > today ? reported : today, p.grade, sla, cal);
  const by = { personId: actor.personId, name: actor.name, role: actor.role };
  const ticketId = await deps.db.sql.transaction(async (tx) => {
    const changed = await tx.execute(
      `UPDATE problem SET status = 'ROUTED', unit_code = ?, route_confidence = 1, route_reason = ? WHERE id = ? AND status = 'PENDING_ROUTE'`,
      [unit.code, `${p.routeReason}；由${actor.name}分派至${unit.name}`, problemId],
    );
    if (changed !== 1) return null;
    return openProblemTicket(tx, {
      problemId, unitCode: unit.code, unitName: unit.name, service: p.serviceName, description: p.description, grade: p.grade, due, by, now,
      how: `由${actor.name}分派`,
    });
  });
  if (ticketId === null) {
    const again = await load(deps, problemId);
    if (again.ticket) return { kind: 'already-routed', ticketId: again.ticket.id, unitCode: again.ticket.unit.code, unitName: again.ticket.unit.name };
    decided(problemId, again.status);
  }
  deps.log.info({ problemId, unit: unit.code, ticketId, by: actor.personId }, 'problem routed by the bureau');
  await announceProblem(deps, problemId);
  return { kind: 'routed', ticketId, unitName: unit.name, due };
}

/** 不予受理: only while it waits for a unit; the source reads the reason in its feedback. */
export async function dismissProblem(deps: ProblemDeps, problemId: number, reason: string, actor: Actor): Promise<void> {
  const denied = authorize(actor, 'dismissProblem');
  if (denied) throw denied;
  const why = reason.trim();
  if (!why) refuse('PROBLEM_REASON_REQUIRED', '不予受理须写明原因。', 'dismissal needs a reason');
  const p = await load(deps, problemId);
  if (p.status === 'ROUTED') {
    refuse('PROBLEM_DECIDED', `问题 P${problemId} 已交由${p.ticket?.unit.name ?? '承办单位'}整改，不能再不予受理；整改结果由核验（通过或退回）决定。`, `problem ${problemId} is already routed`);
  }
  if (p.status !== 'PENDING_ROUTE') decided(problemId, p.status);
  const now = deps.now();
  const done = await deps.db.sql.transaction(async (tx) => {
    const changed = await tx.execute(`UPDATE problem SET status = 'DISMISSED' WHERE id = ? AND status = 'PENDING_ROUTE'`, [problemId]);
    if (changed !== 1) return false;
    await addFeedback(tx, problemId, FEEDBACK_STAGE.dismissed, `经省数据局核实，不予受理：${why}`, now);
    return true;
  });
  if (!done) decided(problemId, (await load(deps, problemId)).status);
  deps.log.info({ problemId, by: actor.personId }, 'problem dismissed by the bureau');
}
