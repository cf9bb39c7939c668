/** A one-field form (反馈困难, 退单原因): one required text, submitted with the given action. */
import type { ActionId, OutMessage, TicketView } from '../types.ts';
import { card, cardMessage, expand, facts, header, submitActions, submitButtons, ticketFacts } from '../template.ts';
import { INPUT } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  { type: 'Input.Text', id: '${field}', label: '${label}', isMultiline: true, maxLength: 500, isRequired: true, errorMessage: '${error}' },
], submitActions);

export interface NoteFormData {
  ticket: TicketView;
  token: string;
  action: ActionId;
  /** "反馈困难" */
  title: string;
  /** Input label, "遇到的困难" */
  label: string;
  /** The value's key in the submitted form ('note', 'reason'). */
  field: string;
  /** Submit button text, ≤ 10 characters. */
  submit: string;
}

export function noteFormCard(d: NoteFormData): OutMessage {
  const t = d.ticket;
  return cardMessage('note-form', expand(TEMPLATE, {
    title: `${d.title}｜督办单 #${t.id}`,
    subtitle: '',
    facts: ticketFacts(t),
    field: d.field,
    label: d.label,
    error: INPUT.required(d.label),
    buttons: submitButtons([{ action: d.action, token: d.token }], t.id, [d.action], () => d.submit),
  }));
}
