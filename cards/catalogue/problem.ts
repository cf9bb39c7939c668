/**
 * Problem cards (section 九). The unit's card: what was reported (masked by the caller), the grade,
 * the source and the rectification deadline, with the officer's buttons. The bureau's routing
 * card, for a problem routing was not sure about: one button per candidate unit ("交由 XX 办理",
 * the unit signed inside its token), the text command for any other unit, and 不予受理 with a
 * required reason.
 */
import type { Button, OutMessage, TicketView } from '../types.ts';
import { ACTIONS } from '../types.ts';
import { card, cardMessage, expand, facts, header, notice, submitButtons, ticketFacts, ticketSubtitle, ticketTitle } from '../template.ts';
import { FACT, INPUT, PROBLEM, replyHint } from '../text.ts';
import { cardDone } from '../done.ts';

/** A problem as cards show it; every text already masked by the caller. */
export interface ProblemCardView {
  id: number;
  gradeLabel: string;
  gradeReason: string;
  source: string;
  service: string | null;
  description: string;
  contact: string | null;
  /** "2026-06-22 10:15" (Asia/Shanghai). */
  reportedAt: string;
  attachments: number;
}

function problemFacts(p: ProblemCardView): { k: string; v: string }[] {
  return [
    { k: PROBLEM.fact.service, v: p.service ?? PROBLEM.unknownService },
    { k: PROBLEM.fact.grade, v: p.gradeLabel },
    { k: PROBLEM.fact.source, v: p.source },
    { k: PROBLEM.fact.reportedAt, v: p.reportedAt },
    ...(p.contact ? [{ k: PROBLEM.fact.contact, v: p.contact }] : []),
    ...(p.attachments ? [{ k: PROBLEM.fact.attachments, v: `${p.attachments} 个` }] : []),
  ];
}

const ASSIGNED = card([
  ...header,
  notice,
  { type: 'TextBlock', id: 'description', text: '${description}', wrap: true },
  facts,
]);

export interface ProblemAssignedData {
  ticket: TicketView;
  problem: ProblemCardView;
  buttons: readonly Button[];
  doneLine?: string | null;
}

export function problemAssignedCard(d: ProblemAssignedData): OutMessage {
  const t = d.ticket;
  const p = d.problem;
  const msg = cardMessage('problem-assigned', expand(ASSIGNED, {
    title: `${ticketTitle(t)} · ${PROBLEM.ref(p.id)}`,
    subtitle: ticketSubtitle(t),
    notice: PROBLEM.assignedNotice(p.gradeLabel, t.due),
    description: PROBLEM.description(p.description),
    facts: [...problemFacts(p), ...ticketFacts(t, { light: false }).filter((f) => f.k !== FACT.problem)],
    buttons: submitButtons(d.buttons, t.id),
  }));
  return d.doneLine ? cardDone(msg, d.doneLine) : msg;
}

const ROUTE = card([
  ...header,
  { type: 'TextBlock', id: 'description', text: '${description}', wrap: true },
  facts,
  { type: 'TextBlock', id: 'candidatesHeading', text: '${candidatesHeading}', weight: 'Bolder', wrap: true, $when: '${candidatesHeading != ""}' },
  {
    $data: '${candidates}',
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: '${line}', wrap: true },
      { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: '${title}', style: 'positive', associatedInputs: 'none', data: '${data}' }] },
    ],
  },
  { type: 'TextBlock', id: 'other', text: '${other}', wrap: true, isSubtle: true },
  { type: 'Input.Text', id: 'reason', label: INPUT.dismissReason, isMultiline: true, maxLength: 500, isRequired: true, errorMessage: INPUT.dismissReasonError },
]);

export interface RouteCandidateView {
  unitName: string;
  /** What matched (service, city). */
  matched: string;
  /** 0–1. */
  score: number;
  /** Signed routeProblem token with the unit inside; null when the unit cannot go in a token. */
  token: string | null;
}

export interface ProblemRouteData {
  problem: ProblemCardView;
  /** Why routing was not sure (from the router). */
  reason: string;
  candidates: readonly RouteCandidateView[];
  dismissToken: string;
}

export function problemRouteCard(d: ProblemRouteData): OutMessage {
  const p = d.problem;
  const withButton = d.candidates.filter((c) => c.token !== null);
  return cardMessage('problem-route', expand(ROUTE, {
    title: PROBLEM.routeHeading(p.id, p.gradeLabel),
    subtitle: PROBLEM.routeReason(d.reason),
    description: PROBLEM.description(p.description),
    facts: [...problemFacts(p), { k: PROBLEM.fact.gradeReason, v: p.gradeReason }],
    candidatesHeading: d.candidates.length ? PROBLEM.candidatesHeading : '',
    candidates: withButton.map((c) => {
      const command = PROBLEM.routeCommand(p.id, c.unitName);
      return {
        line: PROBLEM.candidateLine(c.unitName, c.matched, c.score),
        title: PROBLEM.routeButton(c.unitName),
        data: { action: ACTIONS.routeProblem, token: c.token!, command, hint: replyHint(command, `交由${c.unitName}办理`) },
      };
    }),
    other: PROBLEM.otherUnit(p.id),
    buttons: submitButtons([{ action: ACTIONS.dismissProblem, token: d.dismissToken }], p.id, [ACTIONS.dismissProblem]),
  }));
}
