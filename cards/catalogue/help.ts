/** Help: the command list is passed in (it comes from the command declarations in domain/commands). */
import type { HelpEntry, OutMessage } from '../types.ts';
import { card, cardMessage, expand, header } from '../template.ts';
import { HEADING } from '../text.ts';

const TEMPLATE = card([
  ...header,
  { type: 'TextBlock', id: 'text', text: '${text}', wrap: true, $when: '${text != ""}' },
  { $data: '${commands}', type: 'TextBlock', text: '${usage} — ${description}', wrap: true, spacing: 'Small' },
  { type: 'TextBlock', id: 'footer', text: '${footer}', wrap: true, isSubtle: true, $when: '${footer != ""}' },
], []);

export interface HelpCardData {
  title?: string;
  /** Pre-formatted help text (e.g. one command's detailed usage). */
  text?: string;
  commands?: readonly HelpEntry[];
  footer?: string;
}

export function helpCard(d: HelpCardData): OutMessage {
  return cardMessage('help', expand(TEMPLATE, {
    title: d.title ?? HEADING.help,
    subtitle: '',
    text: d.text ?? '',
    commands: (d.commands ?? []).map((c) => ({ usage: c.usage, description: c.description })),
    footer: d.footer ?? '',
  }));
}
