/** Extension request for bureau staff: the new date and the reason; 同意延期 / 不同意. */
import type { OutMessage, TicketView } from '../types.ts';
import { ACTIONS } from '../types.ts';
import { card, cardMessage, expand, facts, header, submitButtons, ticketFacts, ticketSubtitle } from '../template.ts';
import { FACT, HEADING, INPUT } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  { type: 'Input.Text', id: 'note', label: INPUT.decisionNote, maxLength: 200 },
]);

export interface ExtensionRequestData {
  /** `extensionDue` / `extensionReason` are read when `newDue` / `reason` are not given. */
  ticket: TicketView & { extensionDue?: string | null; extensionReason?: string | null };
  requester: string;
  newDue?: string | null;
  reason?: string | null;
  approveToken: string;
  rejectToken: string;
}

export function extensionRequestCard(d: ExtensionRequestData): OutMessage {
  const t = d.ticket;
  return cardMessage('extension-request', expand(TEMPLATE, {
    title: HEADING.extensionRequest(t.id, t.unitName),
    subtitle: ticketSubtitle(t),
    facts: [
      ...ticketFacts(t),
      { k: FACT.newDue, v: d.newDue ?? t.extensionDue ?? '' },
      { k: FACT.reason, v: d.reason ?? t.extensionReason ?? '' },
      { k: FACT.requester, v: d.requester },
    ].filter((f) => f.v !== ''),
    buttons: submitButtons([{ action: ACTIONS.extensionApprove, token: d.approveToken }, { action: ACTIONS.extensionReject, token: d.rejectToken }], t.id),
  }));
}
