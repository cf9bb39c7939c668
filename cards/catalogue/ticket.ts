/** A ticket as its unit sees it: task, milestone, due date and working days, unit, state, light. */
import type { Button, OutMessage, TicketView } from '../types.ts';
import { card, cardMessage, expand, facts, header, notice, submitButtons, ticketFacts, ticketSubtitle, ticketTitle } from '../template.ts';
import { cardDone } from '../done.ts';

const TEMPLATE = card([...header, notice, facts]);

export interface TicketCardData {
  ticket: TicketView;
  /** In display order; WeCom shows six at most, DingTalk five. */
  buttons: readonly Button[];
  /** A highlighted line above the facts (e.g. why it was returned). */
  notice?: string | null;
  /** Renders the card in its done state (see cardDone). */
  doneLine?: string | null;
}

export function ticketCard(d: TicketCardData): OutMessage {
  const t = d.ticket;
  const msg = cardMessage('ticket', expand(TEMPLATE, {
    title: ticketTitle(t),
    subtitle: ticketSubtitle(t),
    notice: d.notice ?? '',
    facts: ticketFacts(t, { light: false }),
    buttons: submitButtons(d.buttons, t.id),
  }));
  return d.doneLine ? cardDone(msg, d.doneLine) : msg;
}
