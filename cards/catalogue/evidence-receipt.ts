/** Receipt for an uploaded evidence file: name, size and the start of its sha256. */
import type { Button, EvidenceView, OutMessage, TicketView } from '../types.ts';
import { card, cardMessage, expand, facts, header, submitButtons, ticketTitle, clip } from '../template.ts';
import { FACT, fileSizeText, HEADING, LIST } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  { type: 'TextBlock', id: 'next', text: '${next}', wrap: true, isSubtle: true, $when: '${next != ""}' },
]);

export const SHA256_PREFIX = 12;

export interface EvidenceReceiptData {
  ticket: TicketView;
  evidence: EvidenceView;
  /** E.g. 提交审核, when the ticket may now be submitted. */
  buttons?: readonly Button[];
}

export function evidenceReceiptCard(d: EvidenceReceiptData): OutMessage {
  const { ticket: t, evidence: e } = d;
  const buttons = d.buttons ?? [];
  return cardMessage('evidence-receipt', expand(TEMPLATE, {
    title: e.duplicate ? HEADING.evidenceDuplicate : HEADING.evidenceStored,
    subtitle: `${ticketTitle(t)}｜${clip(t.milestone, 40)}`,
    facts: [
      { k: FACT.fileName, v: e.name },
      { k: FACT.fileSize, v: fileSizeText(e.size) },
      { k: FACT.sha256, v: e.sha256.slice(0, SHA256_PREFIX) },
    ],
    next: buttons.length || t.status === 'SUBMITTED' || t.status === 'DONE' ? '' : LIST.evidenceNext(t.id),
    buttons: submitButtons(buttons, t.id),
  }));
}
