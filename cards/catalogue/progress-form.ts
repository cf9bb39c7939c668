/** The progress form: percent 0–100 and a note, submitted with the `progress` action. */
import type { OutMessage, TicketView } from '../types.ts';
import { ACTIONS } from '../types.ts';
import { card, cardMessage, expand, facts, header, submitActions, submitButtons, ticketFacts } from '../template.ts';
import { HEADING, INPUT } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  { type: 'Input.Number', id: 'percent', label: INPUT.percent, min: 0, max: 100, value: '${percent}', isRequired: true, errorMessage: INPUT.percentError },
  { type: 'Input.Text', id: 'note', label: INPUT.progressNote, isMultiline: true, maxLength: 500, placeholder: INPUT.progressNotePlaceholder },
], submitActions);

export interface ProgressFormData {
  ticket: TicketView;
  token: string;
}

export function progressFormCard(d: ProgressFormData): OutMessage {
  const t = d.ticket;
  return cardMessage('progress-form', expand(TEMPLATE, {
    title: HEADING.progressForm(t.id),
    subtitle: '',
    facts: ticketFacts(t),
    percent: t.progress,
    buttons: submitButtons([{ action: ACTIONS.progress, token: d.token }], t.id, [ACTIONS.progress], () => INPUT.submitProgress),
  }));
}
