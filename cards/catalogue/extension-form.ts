/** The extension form: new due date and a reason, submitted with the `extension` action. */
import type { OutMessage, TicketView } from '../types.ts';
import { ACTIONS } from '../types.ts';
import { card, cardMessage, expand, facts, header, submitActions, submitButtons, ticketFacts } from '../template.ts';
import { HEADING, INPUT } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  { type: 'Input.Date', id: 'newDue', label: INPUT.newDue, value: '${suggested}', isRequired: true, errorMessage: INPUT.newDueError },
  { type: 'Input.Text', id: 'reason', label: INPUT.extensionReason, isMultiline: true, maxLength: 500, isRequired: true, errorMessage: INPUT.extensionReasonError },
], submitActions);

export interface ExtensionFormData {
  ticket: TicketView;
  token: string;
  /** Pre-filled date (ISO); the current due date when absent. */
  suggestedDue?: string | null;
}

export function extensionFormCard(d: ExtensionFormData): OutMessage {
  const t = d.ticket;
  return cardMessage('extension-form', expand(TEMPLATE, {
    title: HEADING.extensionForm(t.id),
    subtitle: '',
    facts: ticketFacts(t),
    suggested: d.suggestedDue ?? t.due,
    buttons: submitButtons([{ action: ACTIONS.extension, token: d.token }], t.id, [ACTIONS.extension], () => INPUT.submitExtension),
  }));
}
