/**
 * A used card, rendered in its "done" state for an in-place update: buttons and inputs removed, one
 * line saying what happened ("已签收 · 李娜 · 11-29 10:02"). Nobody can click a stale button twice.
 */
import type { AcElement, AdaptiveCard, OutMessage } from './types.ts';
import { LIST } from './text.ts';
import { toPlainText } from './render/markdown.ts';

function strip(elements: AcElement[]): AcElement[] {
  const out: AcElement[] = [];
  for (const el of elements) {
    if (el.type === 'ActionSet' || el.type.startsWith('Input.') || el.id === 'done') continue;
    if (el.type === 'Container' && Array.isArray(el.items)) {
      out.push({ ...el, items: strip(el.items as AcElement[]) });
    } else if (el.type === 'ColumnSet' && Array.isArray(el.columns)) {
      out.push({ ...el, columns: (el.columns as AcElement[]).map((c) => ({ ...c, items: strip((c.items as AcElement[]) ?? []) })) });
    } else {
      out.push(el);
    }
  }
  return out;
}

export function cardDone(card: AdaptiveCard, line: string): AdaptiveCard;
export function cardDone(msg: OutMessage, line: string): OutMessage;
export function cardDone(x: AdaptiveCard | OutMessage, line: string): AdaptiveCard | OutMessage {
  const text = `${LIST.doneMark} ${line}`;
  if (x.type === 'AdaptiveCard') {
    const body = strip(structuredClone(x.body));
    body.push({ type: 'TextBlock', id: 'done', text, color: 'Good', weight: 'Bolder', wrap: true });
    return { ...x, body, actions: [] };
  }
  switch (x.type) {
    case 'card': {
      const card = cardDone(x.card, line);
      return { ...x, card, fallbackText: toPlainText(card) };
    }
    case 'text':
      return { ...x, text: `${x.text}\n${text}` };
    case 'markdown':
      return { ...x, markdown: `${x.markdown}\n\n**${text}**` };
    case 'image':
      return x;
  }
}
