/**
 * A unit says a ticket is not theirs (退单): bureau staff reassign it to another unit (改派, the
 * unit choice is required for that button only) or keep it where it is (维持原单位).
 */
import type { OutMessage, TicketView, UnitChoice } from '../types.ts';
import { ACTIONS } from '../types.ts';
import { card, cardMessage, expand, facts, header, submitButtons, ticketFacts, ticketSubtitle } from '../template.ts';
import { FACT, HEADING, INPUT } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  {
    type: 'Input.ChoiceSet', id: 'unit', label: INPUT.reassignTo, style: 'compact', isRequired: true, errorMessage: INPUT.reassignError,
    $when: '${count(units) > 0}',
    choices: [{ $data: '${units}', title: '${name}', value: '${code}' }],
  },
  { type: 'Input.Text', id: 'note', label: INPUT.noteOptional, maxLength: 200 },
]);

export interface DisclaimRequestData {
  /** `disclaimReason` is read when `reason` is not given. */
  ticket: TicketView & { disclaimReason?: string | null };
  requester: string;
  reason?: string | null;
  /** Units it may go to; without any, only 维持原单位 is offered. */
  units: readonly UnitChoice[];
  reassignToken: string;
  confirmToken: string;
}

export function disclaimRequestCard(d: DisclaimRequestData): OutMessage {
  const t = d.ticket;
  const reason = d.reason ?? t.disclaimReason ?? '';
  const buttons = [
    ...(d.units.length ? [{ action: ACTIONS.reassign, token: d.reassignToken }] : []),
    { action: ACTIONS.confirmDisclaim, token: d.confirmToken },
  ];
  return cardMessage('disclaim-request', expand(TEMPLATE, {
    title: HEADING.disclaimRequest(t.id, t.unitName),
    subtitle: ticketSubtitle(t),
    facts: [...ticketFacts(t), ...(reason ? [{ k: FACT.reason, v: reason }] : []), { k: FACT.requester, v: d.requester }],
    units: d.units.map((u) => ({ code: u.code, name: u.name })),
    buttons: submitButtons(buttons, t.id, [ACTIONS.reassign]),
  }));
}
