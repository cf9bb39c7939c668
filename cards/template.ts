/**
 * What every card in catalogue/ shares: the templating call, template fragments (header, notice,
 * facts, buttons) and the data helpers that fill them. A card = one template + one data function.
 *
 * adaptivecards-templating leaves an unbound `${x}` in place and throws on `null` inside a string,
 * so data functions always pass every bound field, with '' for "absent" (`$when` hides the element).
 * Bound values are not re-evaluated: user text containing `${…}` is shown as typed.
 */
import * as ACData from 'adaptivecards-templating';
import type { AdaptiveCard, Button, CardName, OutMessage, TicketView } from './types.ts';
import { BUTTON_LABEL, FACT, actionText, lightLabel, STATUS_LABEL, taskLabel, ticketNoun, workdaysLeftText, type ActionText } from './text.ts';
import { toPlainText } from './render/markdown.ts';
import { truncateChars } from './render/truncate.ts';

export type Template = Record<string, unknown>;

// Parsing a template costs more than expanding it (≈5 ms a card): keep one parsed Template per definition.
const parsed = new WeakMap<Template, ACData.Template>();

export function expand(template: Template, data: Record<string, unknown>): AdaptiveCard {
  let t = parsed.get(template);
  if (!t) {
    t = new ACData.Template(template);
    parsed.set(template, t);
  }
  return t.expand({ $root: data }) as AdaptiveCard;
}

export function cardMessage(name: CardName, card: AdaptiveCard): OutMessage {
  return { type: 'card', name, card, fallbackText: toPlainText(card) };
}

// ---- template fragments ----

export const header = [
  { type: 'TextBlock', id: 'title', text: '${title}', weight: 'Bolder', size: 'Medium', wrap: true },
  { type: 'TextBlock', id: 'subtitle', text: '${subtitle}', isSubtle: true, wrap: true, spacing: 'Small', $when: '${subtitle != ""}' },
];

export const notice = { type: 'TextBlock', id: 'notice', text: '${notice}', color: 'Attention', weight: 'Bolder', wrap: true, $when: '${notice != ""}' };

export const facts = { type: 'FactSet', id: 'facts', $when: '${count(facts) > 0}', facts: [{ $data: '${facts}', title: '${k}', value: '${v}' }] };

/** Buttons from `buttons: SubmitButton[]` (used for `actions` and inside ActionSets). */
export const submitActions = [
  {
    $data: '${buttons}',
    type: 'Action.Submit',
    title: '${title}',
    style: '${style}',
    associatedInputs: '${associatedInputs}',
    data: { action: '${action}', token: '${token}', command: '${command}', hint: '${hint}' },
  },
];

export function card(body: unknown[], actions: unknown[] = submitActions): Template {
  return { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.5', body, actions };
}

// ---- data helpers ----

export interface SubmitButton extends ActionText {
  title: string;
  action: string;
  token: string;
  style: 'default' | 'positive' | 'destructive';
  associatedInputs: 'auto' | 'none';
}

const STYLE: Partial<Record<Button['action'], SubmitButton['style']>> = {
  accept: 'positive',
  approve: 'positive',
  extensionApprove: 'positive',
  return: 'destructive',
  extensionReject: 'destructive',
};

/**
 * Buttons for ticket #id, in the caller's order. `needsInputs` lists the actions whose click must
 * carry the card's (required) inputs; every other button submits without validating them.
 */
export function submitButtons(buttons: readonly Button[], id: number, needsInputs: readonly Button['action'][] = [], label?: (b: Button) => string): SubmitButton[] {
  return buttons.map((b) => ({
    title: label ? label(b) : BUTTON_LABEL[b.action],
    action: b.action,
    token: b.token,
    style: STYLE[b.action] ?? 'default',
    associatedInputs: needsInputs.includes(b.action) ? 'auto' : 'none',
    ...actionText(b.action, id),
  }));
}

export type Fact = { k: string; v: string };

/** Task, milestone, due date with working days, unit, state and light: what identifies a ticket. */
export function ticketFacts(t: TicketView, opts: { light?: boolean } = {}): Fact[] {
  const task = taskLabel(t.taskSeq, t.category);
  const out: Fact[] = [];
  if (task) out.push({ k: FACT.task, v: task });
  out.push({ k: t.kind === 'PROBLEM' ? FACT.problem : FACT.milestone, v: t.milestone });
  out.push({ k: FACT.due, v: t.status === 'DONE' ? t.due : `${t.due}（${workdaysLeftText(t.workdaysLeft)}）` });
  if (t.originalDue && t.originalDue !== t.due) out.push({ k: FACT.originalDue, v: t.originalDue });
  out.push({ k: FACT.unit, v: t.unitName });
  out.push({ k: FACT.status, v: `${STATUS_LABEL[t.status]} · ${t.progress}%` });
  if (opts.light !== false && t.status !== 'DONE') out.push({ k: FACT.light, v: lightLabel(t.light) });
  if (t.assignee) out.push({ k: FACT.assignee, v: t.assignee });
  return out;
}

/** "督办单 #12 · 任务6" (or "问题整改单 #12") — the title line of cards about one ticket. */
export function ticketTitle(t: TicketView): string {
  return t.taskSeq === null ? `${ticketNoun(t.kind)} #${t.id}` : `督办单 #${t.id} · 任务${t.taskSeq}`;
}

/** "🔴 逾期 · 已逾期 3 个工作日", or the state once nothing is due any more. */
export function ticketSubtitle(t: TicketView): string {
  if (t.status === 'DONE') return STATUS_LABEL.DONE;
  if (t.status === 'SUBMITTED') return `${STATUS_LABEL.SUBMITTED} · ${workdaysLeftText(t.workdaysLeft)}`;
  return `${lightLabel(t.light)} · ${workdaysLeftText(t.workdaysLeft)}`;
}

/** Shortens a text shown inside a list line (cards stay readable; renderers enforce hard limits). */
export const clip = (s: string, max: number): string => truncateChars(s, max);
