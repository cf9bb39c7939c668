/**
 * Reads an expanded Adaptive Card into the flat shape every renderer works from: title, subtitle,
 * notice, done line, facts, other text lines, inputs and buttons, in reading order. Element ids set
 * by the catalogue (title, subtitle, notice, done) say which text plays which part; a card without
 * them still reads (its first TextBlock becomes the title).
 */
import type { AcAction, AcElement, AdaptiveCard } from '../types.ts';
import { truncateChars } from './truncate.ts';

export interface FlatInput {
  id: string;
  type: string;
  label: string;
  required: boolean;
  choices: { title: string; value: string }[];
}

export type FlatButton =
  | {
      kind: 'submit';
      title: string;
      action: string;
      token: string;
      command: string;
      hint: string;
      /** Required inputs this click must carry (none when `associatedInputs: 'none'`). */
      needs: FlatInput[];
    }
  | { kind: 'url'; title: string; url: string };

export interface FlatCard {
  title: string;
  subtitle: string;
  notice: string;
  done: string;
  /** The closing summary ("等共20件…", id `more`): renderers keep it when they shorten the rest. */
  footer: string;
  facts: { k: string; v: string }[];
  lines: string[];
  inputs: FlatInput[];
  buttons: FlatButton[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const list = (v: unknown): AcElement[] => (Array.isArray(v) ? (v as AcElement[]) : []);

export function readCard(card: AdaptiveCard): FlatCard {
  const flat: FlatCard = { title: '', subtitle: '', notice: '', done: '', footer: '', facts: [], lines: [], inputs: [], buttons: [] };
  const actions: AcAction[] = [];

  const visit = (elements: AcElement[]): void => {
    for (const el of elements) {
      switch (el.type) {
        case 'TextBlock': {
          const text = str(el.text).trim();
          if (!text) break;
          if (el.id === 'title' || (!flat.title && el.id === undefined)) flat.title ||= text;
          else if (el.id === 'subtitle') flat.subtitle = text;
          else if (el.id === 'notice') flat.notice = text;
          else if (el.id === 'done') flat.done = text;
          else if (el.id === 'more') flat.footer = text;
          else flat.lines.push(text);
          break;
        }
        case 'FactSet':
          for (const f of list(el.facts)) flat.facts.push({ k: str(f.title), v: str(f.value) });
          break;
        case 'Container':
          visit(list(el.items));
          break;
        case 'ColumnSet':
          for (const c of list(el.columns)) visit(list(c.items));
          break;
        case 'ActionSet':
          actions.push(...(list(el.actions) as unknown as AcAction[]));
          break;
        default:
          if (el.type.startsWith('Input.')) {
            flat.inputs.push({
              id: str(el.id),
              type: el.type,
              label: str(el.label) || str(el.placeholder) || str(el.id),
              required: el.isRequired === true,
              choices: list(el.choices).map((c) => ({ title: str(c.title), value: str(c.value) })),
            });
          }
      }
    }
  };
  visit(card.body);
  actions.push(...(card.actions ?? []));

  const required = flat.inputs.filter((i) => i.required);
  for (const a of actions) {
    if (a.type === 'Action.OpenUrl') {
      flat.buttons.push({ kind: 'url', title: str(a.title), url: str(a.url) });
    } else if (a.type === 'Action.Submit' && a.data) {
      flat.buttons.push({
        kind: 'submit',
        title: str(a.title),
        action: str(a.data.action),
        token: str(a.data.token),
        command: str(a.data.command),
        hint: str(a.data.hint),
        needs: a.associatedInputs === 'none' ? [] : required,
      });
    }
  }
  return flat;
}

/** The same card with each text line and fact value shortened to `max` characters (for small platforms). */
export function clipCard(f: FlatCard, max: number): FlatCard {
  return {
    ...f,
    notice: truncateChars(f.notice, max),
    facts: f.facts.map((x) => ({ k: x.k, v: truncateChars(x.v, max) })),
    lines: f.lines.map((l) => truncateChars(l, max)),
  };
}

/**
 * One line per distinct action: a list of tickets repeats 签收/更新进度 per ticket, and the
 * repeats are folded into the first ("…（其余同理）") so the hints do not crowd out the content.
 */
export function foldedButtons(buttons: readonly FlatButton[]): { button: FlatButton; repeated: boolean }[] {
  const out: { button: FlatButton; repeated: boolean }[] = [];
  const index = new Map<string, number>();
  for (const b of buttons) {
    const key = b.kind === 'submit' ? `submit:${b.action}:${b.needs.length > 0}` : `url:${b.url}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push({ button: b, repeated: false });
    } else out[at]!.repeated = true;
  }
  return out;
}
