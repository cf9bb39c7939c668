/**
 * One reminder card for all open tickets of one recipient (not one card per ticket). Lists the
 * first `maxItems` and says how many there are in all ("等共20件"), so the card stays small enough
 * for every platform.
 */
import type { Button, OutMessage, TicketView } from '../types.ts';
import { card, cardMessage, clip, expand, header, submitButtons } from '../template.ts';
import { BUTTON_LABEL, LIGHT_EMOJI, LIST, STATUS_LABEL, workdaysLeftText } from '../text.ts';

const TEMPLATE = card([
  ...header,
  { type: 'TextBlock', id: 'note', text: '${note}', wrap: true, $when: '${note != ""}' },
  {
    $data: '${items}',
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: '${line}', wrap: true },
      { type: 'ActionSet', $when: '${count(buttons) > 0}', actions: [{ $data: '${buttons}', type: 'Action.Submit', title: '${title}', style: '${style}', associatedInputs: 'none', data: { action: '${action}', token: '${token}', command: '${command}', hint: '${hint}' } }] },
    ],
  },
  { type: 'TextBlock', id: 'more', text: '${more}', wrap: true, isSubtle: true, $when: '${more != ""}' },
], []);

export const REMINDER_MAX_ITEMS = 5;

export interface ReminderCardData {
  heading: string;
  /** The bureau's words to add (催办附言). */
  note?: string | null;
  tickets: readonly { ticket: TicketView; buttons: readonly Button[] }[];
  maxItems?: number;
}

/** "🔴 #12 任务6：2026年6月底前…｜2026-06-30（已逾期 3 个工作日）｜办理中 40%" */
export function ticketLine(t: TicketView, milestoneChars = 40): string {
  const task = t.taskSeq === null ? '' : `任务${t.taskSeq}：`;
  return `${LIGHT_EMOJI[t.light]} #${t.id} ${task}${clip(t.milestone, milestoneChars)}｜${t.due}（${workdaysLeftText(t.workdaysLeft)}）｜${STATUS_LABEL[t.status]} ${t.progress}%`;
}

function summary(tickets: readonly { ticket: TicketView }[]): string {
  const red = tickets.filter((x) => x.ticket.light === 'RED').length;
  const yellow = tickets.filter((x) => x.ticket.light === 'YELLOW').length;
  const parts = [`共 ${tickets.length} 件`];
  if (red) parts.push(`${LIGHT_EMOJI.RED} 逾期 ${red} 件`);
  if (yellow) parts.push(`${LIGHT_EMOJI.YELLOW} 临期 ${yellow} 件`);
  return parts.join(' · ');
}

export function reminderCard(d: ReminderCardData): OutMessage {
  const max = Math.max(1, d.maxItems ?? REMINDER_MAX_ITEMS);
  const shown = d.tickets.slice(0, max);
  return cardMessage('reminder', expand(TEMPLATE, {
    title: d.heading,
    subtitle: summary(d.tickets),
    note: d.note ? LIST.note(d.note) : '',
    items: shown.map(({ ticket: t, buttons }) => ({
      line: ticketLine(t),
      // Buttons of several tickets sit on one card: each says which ticket it acts on.
      buttons: submitButtons(buttons, t.id, [], (b) => `${BUTTON_LABEL[b.action]} #${t.id}`),
    })),
    more: d.tickets.length > shown.length ? LIST.more(d.tickets.length) : '',
  }));
}
