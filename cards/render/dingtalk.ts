/**
 * Adaptive Card → DingTalk robot messages (robot/oToMessages/batchSend, robot/groupMessages/send:
 * `msgKey` + `msgParam` JSON string ≤15,000 bytes; see ../shared/reference/protocols.md §8), and
 * the `cardParamMap` of an interactive card for in-place updates.
 *
 * - Cards with buttons → `sampleActionCard` (1 button) / `sampleActionCard2..5`; without →
 *   `sampleMarkdown`. Title ≤100 chars, text ≤500 chars (DingTalk's suggested sizes), button ≤20.
 * - Robot-card buttons can only open URLs. A button with a complete text command opens
 *   `dtmd://dingtalkclient/sendMessage?content=<command>`, so the click sends the command
 *   ("/签收 #12") into the chat as the person. (In a group the bot only hears messages that @ it,
 *   so group clicks depend on the chat's robot settings; 1:1 chats always work.) Buttons that
 *   need typed input open `formUrl` when given, else become a hint line in the text; so do
 *   buttons past the fifth and URLs longer than 500 chars.
 * - Interactive card: every value of `cardParamMap` is a string (lists as JSON). The card template
 *   binds `buttons` and must send the item's `action` (the signed token) as callback param
 *   `action`, which is what bot/dingtalk/decode.ts reads.
 */
import type { AdaptiveCard, OutMessage } from '../types.ts';
import { clipCard, readCard, type FlatButton, type FlatCard } from './read.ts';
import { buttonLines, cardBlocks } from './markdown.ts';
import { charCount, fitWithTail, truncateBytes, truncateChars, utf8Bytes } from './truncate.ts';

export const limits = {
  titleChars: 100,
  /** Action card text; plain markdown/text messages are only bounded by msgParamBytes. */
  textChars: 500,
  buttons: 5,
  buttonTitleChars: 20,
  urlChars: 500,
  msgParamBytes: 15_000,
  /** Not documented for cardParamMap; the robot message cap is used as a conservative bound. */
  cardParamBytes: 15_000,
} as const;

export type DingtalkMsgKey =
  | 'sampleText' | 'sampleMarkdown' | 'sampleImageMsg'
  | 'sampleActionCard' | 'sampleActionCard2' | 'sampleActionCard3' | 'sampleActionCard4' | 'sampleActionCard5';

/** As the robot send APIs take it: `msgParam` is a JSON string. */
export interface DingtalkRobotMessage {
  msgKey: DingtalkMsgKey;
  msgParam: string;
}

export interface DingtalkRenderOptions {
  /** Console/H5 page where the card's form can be filled in. */
  formUrl?: string;
}

export const sendMessageUrl = (command: string): string => `dtmd://dingtalkclient/sendMessage?content=${encodeURIComponent(command)}`;

interface Split {
  links: { title: string; url: string }[];
  hints: FlatButton[];
}

/** Which buttons become links (≤ max) and which become hint lines. */
function split(f: FlatCard, opts: DingtalkRenderOptions, max: number): Split {
  const out: Split = { links: [], hints: [] };
  const urlOf = (b: FlatButton): string | null => {
    if (b.kind === 'url') return b.url;
    if (b.needs.length > 0) return opts.formUrl ?? null;
    return b.command ? sendMessageUrl(b.command) : null;
  };
  for (const b of f.buttons) {
    const url = urlOf(b);
    if (url && charCount(url) <= limits.urlChars && out.links.length < max) out.links.push({ title: truncateChars(b.title, limits.buttonTitleChars), url });
    else out.hints.push(b);
  }
  return out;
}

/** Lines and fact values are shortened to this many characters in a 500-character action card. */
const LINE_CHARS = 80;

/** Builds a msgParam whose `field` is shortened until the JSON fits in `maxBytes`. */
function fitParam(build: (s: string) => Record<string, string>, s: string, maxBytes: number): string {
  let text = s;
  for (;;) {
    const json = JSON.stringify(build(text));
    const excess = utf8Bytes(json) - maxBytes;
    if (excess <= 0 || text === '') return json;
    text = truncateBytes(text, Math.max(0, utf8Bytes(text) - excess - 8));
  }
}

export function dingtalkActionCard(card: AdaptiveCard, opts: DingtalkRenderOptions = {}): DingtalkRobotMessage {
  const f = clipCard(readCard(card), LINE_CHARS);
  const { links, hints } = split(f, opts, limits.buttons);
  const body = cardBlocks(f, true, '\n\n').join('\n\n');
  const tail = [f.footer, buttonLines(hints).join('\n')].filter(Boolean).join('\n\n');
  const text = fitWithTail(body, tail, limits.textChars, charCount, '\n\n');
  const title = truncateChars(f.title || '督办', limits.titleChars);
  const [first] = links;
  if (!first) return { msgKey: 'sampleMarkdown', msgParam: fitParam((t) => ({ title, text: t }), text, limits.msgParamBytes) };
  if (links.length === 1) {
    return { msgKey: 'sampleActionCard', msgParam: fitParam((t) => ({ title, text: t, singleTitle: first.title, singleURL: first.url }), text, limits.msgParamBytes) };
  }
  const buttons: Record<string, string> = {};
  links.forEach((l, i) => {
    buttons[`actionTitle${i + 1}`] = l.title;
    buttons[`actionURL${i + 1}`] = l.url;
  });
  return { msgKey: `sampleActionCard${links.length}` as DingtalkMsgKey, msgParam: fitParam((t) => ({ title, text: t, ...buttons }), text, limits.msgParamBytes) };
}

/** Any message, the way the DingTalk robot send APIs take it. */
export function render(msg: OutMessage, opts: DingtalkRenderOptions = {}): DingtalkRobotMessage {
  switch (msg.type) {
    case 'card':
      return dingtalkActionCard(msg.card, opts);
    case 'text':
      return { msgKey: 'sampleText', msgParam: fitParam((t) => ({ content: t }), msg.text, limits.msgParamBytes) };
    case 'markdown': {
      const title = truncateChars(msg.title, limits.titleChars);
      return { msgKey: 'sampleMarkdown', msgParam: fitParam((t) => ({ title, text: t }), msg.markdown, limits.msgParamBytes) };
    }
    case 'image':
      // A base64 image must be uploaded for a media_id first (adapter's job); until then, its alt text.
      if (msg.url && charCount(msg.url) <= limits.urlChars) return { msgKey: 'sampleImageMsg', msgParam: JSON.stringify({ photoURL: msg.url }) };
      return { msgKey: 'sampleMarkdown', msgParam: fitParam((t) => ({ title: truncateChars(msg.title, limits.titleChars), text: t }), `**${msg.title}**\n\n${msg.alt}`, limits.msgParamBytes) };
  }
}

/**
 * Interactive-card data (string values only): title, subtitle, notice, done/doneLine, markdown
 * (facts and lines), facts and buttons as JSON. Buttons are callbacks carrying the token.
 */
export function cardParamMap(card: AdaptiveCard, opts: DingtalkRenderOptions = {}): Record<string, string> {
  const f = readCard(card);
  const buttons: { text: string; action: string; actionId: string }[] = [];
  const links: { text: string; url: string }[] = [];
  const hints: FlatButton[] = [];
  for (const b of f.buttons) {
    if (b.kind === 'url') links.push({ text: truncateChars(b.title, limits.buttonTitleChars), url: b.url });
    else if (b.needs.length && opts.formUrl) links.push({ text: truncateChars(b.title, limits.buttonTitleChars), url: opts.formUrl });
    else if (b.needs.length || !b.token) hints.push(b);
    else buttons.push({ text: truncateChars(b.title, limits.buttonTitleChars), action: b.token, actionId: b.action });
  }
  const fixed = {
    title: truncateChars(f.title, limits.titleChars),
    subtitle: f.subtitle,
    notice: f.notice,
    done: f.done ? 'true' : 'false',
    doneLine: f.done,
    facts: JSON.stringify(f.facts),
    buttons: JSON.stringify(buttons),
    links: JSON.stringify(links),
  };
  const body = cardBlocks({ ...f, title: '', subtitle: '', notice: '', done: '' }, true, '\n\n').join('\n\n');
  const tail = [f.footer, buttonLines(hints).join('\n')].filter(Boolean).join('\n\n');
  const text = fitWithTail(body, tail, Math.max(0, limits.cardParamBytes - utf8Bytes(JSON.stringify(fixed)) - 64), utf8Bytes, '\n\n');
  return { ...fixed, markdown: text };
}

/** Problems that would make DingTalk reject or cut a robot message; [] when it is fine. */
export function validate(m: DingtalkRobotMessage): string[] {
  const p: string[] = [];
  if (utf8Bytes(m.msgParam) > limits.msgParamBytes) p.push(`msgParam: ${utf8Bytes(m.msgParam)} bytes > ${limits.msgParamBytes}`);
  let param: Record<string, unknown>;
  try {
    param = JSON.parse(m.msgParam) as Record<string, unknown>;
  } catch {
    return [...p, 'msgParam: not JSON'];
  }
  const str = (k: string) => (typeof param[k] === 'string' ? (param[k] as string) : undefined);
  const need = (k: string) => (str(k) ? undefined : p.push(`${m.msgKey}.${k}: missing`));
  const max = (k: string, n: number) => {
    const v = str(k);
    if (v !== undefined && charCount(v) > n) p.push(`${m.msgKey}.${k}: ${charCount(v)} chars > ${n}`);
  };
  if (m.msgKey === 'sampleText') need('content');
  else if (m.msgKey === 'sampleImageMsg') need('photoURL');
  else {
    need('title');
    need('text');
    max('title', limits.titleChars);
  }
  if (m.msgKey.startsWith('sampleActionCard')) {
    max('text', limits.textChars);
    const n = m.msgKey === 'sampleActionCard' ? 1 : Number(m.msgKey.slice('sampleActionCard'.length));
    const pairs = n === 1 ? [['singleTitle', 'singleURL']] : Array.from({ length: n }, (_, i) => [`actionTitle${i + 1}`, `actionURL${i + 1}`]);
    for (const [t, u] of pairs as [string, string][]) {
      need(t);
      need(u);
      max(t, limits.buttonTitleChars);
      max(u, limits.urlChars);
    }
  }
  return p;
}

export function validateCardParams(map: Record<string, unknown>): string[] {
  const p: string[] = [];
  for (const [k, v] of Object.entries(map)) if (typeof v !== 'string') p.push(`cardParamMap.${k}: not a string`);
  const bytes = utf8Bytes(JSON.stringify(map));
  if (bytes > limits.cardParamBytes) p.push(`cardParamMap: ${bytes} bytes > ${limits.cardParamBytes}`);
  if (!map.title) p.push('cardParamMap.title: missing');
  return p;
}
