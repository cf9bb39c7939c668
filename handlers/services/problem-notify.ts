/**
 * Who hears about a problem when it arrives: the unit gets its problem card (the officer's
 * buttons), or — when routing was not sure — the bureau group gets the routing card with one
 * button per candidate unit. Keys are derived from the problem and ticket ids, so announcing again
 * (a repeated intake after a crash) adds nothing that is already queued.
 */
import type { Database } from '../../prisma/client.ts';
import type { OutMessage } from '../../cards/types.ts';
import * as C from '../../cards/index.ts';
import { shanghaiDate, shanghaiParts } from '../../domain/calendar.ts';
import { GRADE_LABELS, routeProblem, type RouteCandidate } from '../../domain/problems/index.ts';
import { signAction } from '../action-token.ts';
import { ACTIONS } from '../actions.ts';
import * as V from '../views.ts';
import { loadCalendar } from './calendar.ts';
import { loadRoutingData } from './problem-setup.ts';
import { problemView, type ProblemView } from './problem-views.ts';
import { ticketInfo, type TicketInfo } from './ticket-views.ts';
import type { ProblemDeps } from './problems.ts';

/** Candidate units shown on the routing card (WeCom shows six buttons; one is 不予受理). */
export const ROUTE_CARD_CANDIDATES = 3;
const TOKEN_ARG_RE = /^[A-Za-z0-9_-]{1,64}$/;

export function timeText(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

export function problemCardView(p: ProblemView): C.ProblemCardView {
  return {
    id: p.id,
    gradeLabel: GRADE_LABELS[p.grade],
    gradeReason: p.gradeReason,
    source: p.sourceName,
    service: p.serviceName,
    description: p.description,
    contact: p.contact,
    reportedAt: timeText(p.reportedAt),
    attachments: p.attachments.length,
  };
}

/** The unit's card for a problem ticket, with the buttons its officers may use now. */
export function problemAssignedMessage(secret: string, now: Date, info: TicketInfo, p: ProblemView, doneLine?: string): OutMessage {
  const buttons = V.officerActionsFor(info.status).map((a) => ({ action: a, token: signAction(secret, a, info.id, now) }));
  return C.problemAssignedCard({ ticket: info, problem: problemCardView(p), buttons, doneLine: doneLine ?? null });
}

/**
 * The problem card for a problem's ticket (null for any other ticket): what a unit sees when the
 * ticket comes to it again (改派) or when its card is replaced after a click, description included.
 */
export async function problemCardFor(deps: Pick<ProblemDeps, 'db' | 'actionSecret'>, now: Date, info: TicketInfo, doneLine?: string): Promise<OutMessage | null> {
  if (info.kind !== 'PROBLEM' || info.problemId === null) return null;
  const p = await problemView(deps.db, info.problemId);
  return p ? problemAssignedMessage(deps.actionSecret, now, info, p, doneLine) : null;
}

async function candidatesOf(db: Database, id: number): Promise<RouteCandidate[]> {
  const p = await db.prisma.problem.findUnique({ where: { id }, select: { serviceName: true, description: true } });
  if (!p) return [];
  const routing = await loadRoutingData(db);
  return routeProblem({ serviceName: p.serviceName, description: p.description }, routing.catalogue, routing.units).candidates;
}

/** The bureau's routing card: top candidates as one-click buttons, 不予受理 with a reason. */
export async function problemRouteMessage(deps: Pick<ProblemDeps, 'db' | 'actionSecret'>, p: ProblemView, now: Date, candidates?: RouteCandidate[]): Promise<OutMessage> {
  const list = (candidates ?? (await candidatesOf(deps.db, p.id))).slice(0, ROUTE_CARD_CANDIDATES);
  const units = await deps.db.prisma.unit.findMany({ where: { code: { in: list.map((c) => c.unitCode) } }, select: { code: true, name: true } });
  const nameOf = new Map(units.map((u) => [u.code, u.name]));
  return C.problemRouteCard({
    problem: problemCardView(p),
    reason: p.routeReason,
    candidates: list.filter((c) => nameOf.has(c.unitCode)).map((c) => ({
      unitName: nameOf.get(c.unitCode)!,
      matched: c.matched,
      score: c.score,
      token: TOKEN_ARG_RE.test(c.unitCode) ? signAction(deps.actionSecret, ACTIONS.routeProblem, p.id, now, c.unitCode) : null,
    })),
    dismissToken: signAction(deps.actionSecret, ACTIONS.dismissProblem, p.id, now),
  });
}

/** Sends what a new (or repeated) problem calls for; see the file comment. */
export async function announceProblem(deps: ProblemDeps, problemId: number, candidates?: RouteCandidate[]): Promise<void> {
  const { db } = deps;
  const p = await problemView(db, problemId);
  if (!p) return;
  const now = deps.now();
  if (p.status === 'PENDING_ROUTE') {
    await deps.notifier.notify({ group: 'BUREAU' }, await problemRouteMessage(deps, p, now, candidates), `problem-route:${p.id}`);
    return;
  }
  if (p.status !== 'ROUTED' || p.ticketId === null) return;
  // Only while the ticket is as it was opened: once anything happened, the unit has had its card.
  if ((await db.prisma.ticketEvent.count({ where: { ticketId: p.ticketId, type: { not: 'assign' } } })) > 0) return;
  const info = await ticketInfo(db, p.ticketId, shanghaiDate(now), await loadCalendar(db), deps.yellowWorkdays);
  if (!info) return;
  await deps.notifier.notify({ unit: info.unitCode }, problemAssignedMessage(deps.actionSecret, now, info, p), `problem-assigned:${info.id}`, info.id);
}
