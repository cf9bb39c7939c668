/**
 * Adaptive Card → WeCom `template_card` (message/send, or update_template_card's `template_card`).
 *
 * - Submit buttons → `button_interaction` (≤6 buttons, key = the caller's signed token ≤1024 B);
 *   a card without callback buttons → `text_notice`, which WeCom only accepts with a `card_action`
 *   link: without `linkUrl` the card is sent as markdown instead.
 * - FactSet → horizontal_content_list (≤6, value ≤30 chars); longer or extra facts, other text
 *   lines and the how-to hints go to sub_title_text (≤160 chars, hints kept whole).
 * - Inputs cannot be typed into a template_card. A button that needs a required input opens the
 *   console/H5 form at `formUrl` when given; else it is replaced by a text hint such as
 *   "回复「/进度 更新 #12 80% 进展说明」即可更新进度". One single-choice Input.ChoiceSet of ≤10
 *   options (改派 → unit) becomes `button_selection`, which WeCom returns with the click.
 * - Group robots (`target: 'webhook'`) get no callbacks: buttons become hints there.
 * - Images: WeCom needs a media_id, which only the adapter can upload; here an image message is
 *   sent as markdown (link, or its alt text).
 */
import type { AdaptiveCard, OutMessage } from '../types.ts';
import { BRAND, LIST } from '../text.ts';
import { clipCard, foldedButtons, readCard, type FlatButton, type FlatInput } from './read.ts';
import { toMarkdown } from './markdown.ts';
import { charCount, fitWithTail, truncateBytes, truncateChars, utf8Bytes } from './truncate.ts';
import { limits, type WecomButton, type WecomMessage, type WecomTarget, type WecomTemplateCard } from './wecom-limits.ts';

export { limits, validate, type WecomButton, type WecomMessage, type WecomTarget, type WecomTemplateCard } from './wecom-limits.ts';

export interface WecomRenderOptions {
  /** Unique per card (e.g. the outbox message id); sanitized into task_id. */
  taskId: string;
  target?: WecomTarget;
  /** Where a click on the card body leads (console ticket page); required by text_notice. */
  linkUrl?: string;
  /** Console/H5 page where the card's form can be filled in. */
  formUrl?: string;
}

/** FNV-1a (32 bit): a short, stable suffix that keeps sanitized ids distinct. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A caller id as a valid task_id (`^[A-Za-z0-9_\-@]{1,128}$`); changed ids get a hash suffix so two ids never collide. */
export function wecomTaskId(id: string): string {
  if (limits.taskIdPattern.test(id)) return id;
  const suffix = `-${fnv1a(id)}`;
  return `${id.replace(/[^A-Za-z0-9_\-@]/g, '_').slice(0, limits.taskIdBytes - suffix.length)}${suffix}`;
}

// WeCom documents styles 1–4 without naming colours; only the grouping matters here.
const STYLE = { positive: 1, default: 1, destructive: 2 } as const;

const hintLines = (buttons: FlatButton[]): string[] =>
  foldedButtons(buttons).map(({ button: b, repeated }) => (b.kind === 'url' ? `${b.title}：${b.url}` : `${b.title}：${b.hint || b.command}${repeated ? LIST.sameForOthers : ''}`));

/** The one choice input WeCom can show (button_selection), if the card has it. */
function selectionOf(inputs: FlatInput[]): WecomTemplateCard['button_selection'] | undefined {
  const choice = inputs.filter((i) => i.type === 'Input.ChoiceSet');
  const c = choice[0];
  if (choice.length !== 1 || !c || c.choices.length < 1 || c.choices.length > limits.selectionOptions) return undefined;
  if (utf8Bytes(c.id) > limits.keyBytes || c.choices.some((o) => !o.value || utf8Bytes(o.value) > limits.optionIdBytes)) return undefined;
  return {
    question_key: c.id,
    title: truncateChars(c.label, limits.selectionTitle),
    option_list: c.choices.map((o) => ({ id: o.value, text: truncateChars(o.title, limits.optionText) })),
  };
}

/** Sub-title lines are shortened to this many characters each, so several fit in 160. */
const LINE_CHARS = 60;

export function wecomTemplateCard(card: AdaptiveCard, opts: WecomRenderOptions): WecomMessage {
  const target = opts.target ?? 'app';
  const f = clipCard(readCard(card), LINE_CHARS);
  const callbacks = target === 'app';
  const selection = callbacks ? selectionOf(f.inputs) : undefined;
  let selectionUsed = false;

  const buttons: WecomButton[] = [];
  const jumps: { type: 1; title: string; url: string }[] = [];
  // Hints for what a person cannot click: `must` ones (the card's purpose) are kept whole,
  // `extra` ones (buttons past the sixth) give way to the content.
  const must: FlatButton[] = [];
  const extra: FlatButton[] = [];
  const keys = new Set<string>();
  const add = (b: WecomButton, source: FlatButton) => (buttons.length < limits.buttons ? buttons.push(b) : extra.push(source));
  const link = (title: string, url: string, source: FlatButton) => {
    if (utf8Bytes(url) > limits.urlBytes) must.push(source);
    else if (callbacks) add({ type: 1, text: truncateChars(title, limits.buttonText), style: STYLE.default, url }, source);
    else if (jumps.length < limits.jumps) jumps.push({ type: 1, title: truncateChars(title, limits.jumpTitle), url });
    else extra.push(source);
  };

  for (const b of f.buttons) {
    if (b.kind === 'url') {
      link(b.title, b.url, b);
      continue;
    }
    const missing = b.needs.filter((i) => i.id !== selection?.question_key);
    if (missing.length > 0) {
      if (opts.formUrl) link(b.title, opts.formUrl, b);
      else must.push(b);
    } else if (!callbacks || !b.token || utf8Bytes(b.token) > limits.keyBytes || keys.has(b.token)) {
      // A token cannot be shortened without breaking its signature: say how to do it by text.
      must.push(b);
    } else {
      keys.add(b.token);
      if (b.needs.length > 0) selectionUsed = true;
      add({ type: 0, text: truncateChars(b.title, limits.buttonText), style: STYLE.positive, key: b.token }, b);
    }
  }

  const horizontal: { type: 0; keyname: string; value: string }[] = [];
  const overflow: string[] = [];
  for (const x of f.facts) {
    if (!x.k || !x.v) continue;
    if (horizontal.length < limits.horizontal && charCount(x.v) <= limits.value) horizontal.push({ type: 0, keyname: truncateChars(x.k, limits.keyname), value: x.v });
    else overflow.push(`${x.k}：${x.v}`);
  }
  const body = [f.done, f.notice, ...overflow, ...f.lines, ...hintLines(extra)].filter(Boolean).join('\n');
  const sub = fitWithTail(body, [f.footer, ...hintLines(must)].filter(Boolean).join('\n'), limits.subTitle);

  const common = {
    source: { desc: BRAND, desc_color: 0 },
    main_title: { title: truncateChars(f.title || BRAND, limits.title), ...(f.subtitle ? { desc: truncateChars(f.subtitle, limits.desc) } : {}) },
    ...(sub ? { sub_title_text: sub } : {}),
    ...(horizontal.length ? { horizontal_content_list: horizontal } : {}),
    ...(opts.linkUrl && utf8Bytes(opts.linkUrl) <= limits.urlBytes ? { card_action: { type: 1 as const, url: opts.linkUrl } } : {}),
  };
  if (callbacks && buttons.length > 0) {
    return {
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        ...common,
        ...(selection && selectionUsed ? { button_selection: selection } : {}),
        button_list: buttons,
        task_id: wecomTaskId(opts.taskId),
      },
    };
  }
  if (common.card_action) {
    return { msgtype: 'template_card', template_card: { card_type: 'text_notice', ...common, ...(jumps.length ? { jump_list: jumps } : {}) } };
  }
  // text_notice needs a card_action link; without one the card goes out as markdown.
  return wecomMarkdown({ type: 'card', name: 'ticket', card, fallbackText: '' }, target, opts.formUrl);
}

/** Text, markdown and image messages (and cards that cannot be template cards) as WeCom markdown/text. */
export function wecomMarkdown(msg: OutMessage, target: WecomTarget = 'app', formUrl?: string): WecomMessage {
  const max = limits.markdownBytes[target];
  const md = (content: string): WecomMessage => ({ msgtype: 'markdown', markdown: { content: truncateBytes(content, max) } });
  switch (msg.type) {
    case 'text':
      return { msgtype: 'text', text: { content: truncateBytes(msg.text, limits.textBytes) } };
    case 'markdown':
      return md(msg.markdown.trimStart().startsWith(`**${msg.title}`) || msg.markdown.trimStart().startsWith('#') ? msg.markdown : `**${msg.title}**\n\n${msg.markdown}`);
    case 'card':
      return { msgtype: 'markdown', markdown: { content: toMarkdown(msg.card, { maxBytes: max, ...(formUrl ? { formUrl } : {}) }).markdown } };
    case 'image':
      return md(msg.url ? `**${msg.title}**\n\n[${msg.alt || msg.title}](${msg.url})` : `**${msg.title}**\n\n${msg.alt}`);
  }
}

/** Any message, the way WeCom takes it. */
export function render(msg: OutMessage, opts: WecomRenderOptions): WecomMessage {
  return msg.type === 'card' ? wecomTemplateCard(msg.card, opts) : wecomMarkdown(msg, opts.target ?? 'app', opts.formUrl);
}
