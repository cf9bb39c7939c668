/**
 * Review request for bureau staff: 通过 / 退回. The reason input is required for 退回 only
 * (通过 submits with `associatedInputs: 'none'`, so the client does not ask for it).
 */
import type { EvidenceView, OutMessage, TicketView } from '../types.ts';
import { ACTIONS } from '../types.ts';
import { card, cardMessage, expand, facts, header, submitButtons, ticketFacts, ticketSubtitle } from '../template.ts';
import { FACT, fileSizeText, HEADING, INPUT, LIST } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  { type: 'TextBlock', id: 'note', text: '${note}', wrap: true, $when: '${note != ""}' },
  { $data: '${evidence}', type: 'TextBlock', text: '📎 ${line}', wrap: true },
  { type: 'Input.Text', id: 'reason', label: INPUT.returnReason, isMultiline: true, maxLength: 500, isRequired: true, errorMessage: INPUT.returnReasonError },
]);

export interface ReviewCardData {
  ticket: TicketView;
  submitter: string;
  /** What the unit wrote when submitting. */
  note?: string | null;
  evidence?: readonly EvidenceView[];
  approveToken: string;
  returnToken: string;
}

export function reviewCard(d: ReviewCardData): OutMessage {
  const t = d.ticket;
  return cardMessage('review-request', expand(TEMPLATE, {
    title: HEADING.review(t.id, t.unitName, t.kind),
    subtitle: ticketSubtitle(t),
    facts: [...ticketFacts(t), { k: FACT.submitter, v: d.submitter }],
    note: d.note ? LIST.submitterNote(d.note) : '',
    evidence: (d.evidence ?? []).map((e) => ({ line: `${e.name}（${fileSizeText(e.size)}）` })),
    buttons: submitButtons(
      [{ action: ACTIONS.approve, token: d.approveToken }, { action: ACTIONS.return, token: d.returnToken }],
      t.id,
      [ACTIONS.return],
    ),
  }));
}
