/** The bureau's answer to an extension request, for the officer who asked. */
import type { OutMessage, TicketView } from '../types.ts';
import { card, cardMessage, expand, facts, header } from '../template.ts';
import { FACT, HEADING, taskLabel } from '../text.ts';

const TEMPLATE = card([...header, facts], []);

export interface ExtensionDecisionData {
  /** After the decision: `due` is the new date when approved, `originalDue` the first one. */
  ticket: TicketView;
  approved: boolean;
  decidedBy: string;
  note?: string | null;
  /** The date that was asked for (shown when refused). */
  requestedDue?: string | null;
}

export function extensionDecisionCard(d: ExtensionDecisionData): OutMessage {
  const t = d.ticket;
  const rows = [
    { k: FACT.due, v: t.due },
    { k: FACT.originalDue, v: t.originalDue && t.originalDue !== t.due ? t.originalDue : '' },
    { k: FACT.newDue, v: !d.approved && d.requestedDue ? `${d.requestedDue}（未同意）` : '' },
    { k: FACT.decidedBy, v: d.decidedBy },
    { k: FACT.note, v: d.note ?? '' },
  ];
  return cardMessage('extension-decision', expand(TEMPLATE, {
    title: d.approved ? HEADING.extensionApproved(t.id) : HEADING.extensionRejected(t.id),
    subtitle: d.approved ? `新的完成时限为 ${t.due}` : `完成时限仍为 ${t.due}，请按期办理`,
    facts: [{ k: FACT.task, v: taskLabel(t.taskSeq, t.category) ?? '' }, { k: FACT.milestone, v: t.milestone }, ...rows].filter((f) => f.v !== ''),
  }));
}
