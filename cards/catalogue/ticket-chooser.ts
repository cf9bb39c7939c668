/**
 * "您指的是哪一件？" — a reply could mean several tickets; one button per candidate. Each button
 * carries what the reply said (percent, note), so one click records it on the chosen ticket.
 */
import type { OutMessage, TicketView } from '../types.ts';
import { ACTIONS } from '../types.ts';
import { card, cardMessage, expand, header } from '../template.ts';
import { ticketLine } from './reminder.ts';
import { actionText, BUTTON_LABEL, HEADING, LIST } from '../text.ts';

const TEMPLATE = card([
  ...header,
  {
    $data: '${items}',
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: '${line}', wrap: true },
      // `data` is bound whole: percent/note are present only when the reply gave a percent.
      { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: '${title}', style: 'positive', associatedInputs: 'none', data: '${data}' }] },
    ],
  },
  { type: 'TextBlock', id: 'more', text: '${more}', wrap: true, isSubtle: true, $when: '${more != ""}' },
], []);

export const CHOOSER_MAX_ITEMS = 6;

export interface ChooserCardData {
  tickets: readonly { ticket: TicketView; token: string }[];
  /** The progress the reply reported, recorded on the chosen ticket. */
  percent?: number | null;
  note?: string | null;
}

export function chooserCard(d: ChooserCardData): OutMessage {
  const percent = d.percent ?? null;
  const shown = d.tickets.slice(0, CHOOSER_MAX_ITEMS);
  return cardMessage('ticket-chooser', expand(TEMPLATE, {
    title: HEADING.chooser,
    subtitle: percent === null ? '' : LIST.recordPercent(percent, d.note ?? null),
    items: shown.map(({ ticket: t, token }) => ({
      line: ticketLine(t, 60),
      title: `#${t.id} ${BUTTON_LABEL.chooseTicket}`,
      data: {
        action: ACTIONS.chooseTicket,
        token,
        ...actionText(ACTIONS.chooseTicket, t.id, { percent, note: d.note ?? null }),
        // Form values are strings on every platform.
        ...(percent === null ? {} : { percent: String(percent), note: d.note ?? '' }),
      },
    })),
    more: d.tickets.length > shown.length ? `另有 ${d.tickets.length - shown.length} 件未列出，请回复「/进度 更新 #编号 进度% 说明」` : '',
  }));
}
