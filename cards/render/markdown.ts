/**
 * Adaptive Card → markdown or plain text: the fallback where cards cannot go, and the
 * `fallbackText` of every card message. Facts become "- 键：值" lines and buttons the text commands
 * that do the same thing ("签收：回复「/签收 #12」即可签收"), so nothing depends on clicking.
 */
import type { AdaptiveCard, OutMessage } from '../types.ts';
import { BRAND, LIST } from '../text.ts';
import { foldedButtons, readCard, type FlatButton, type FlatCard } from './read.ts';
import { fitWithTail, truncateBytes, truncateChars, utf8Bytes } from './truncate.ts';

export const limits = {
  /** Default cap when the caller names none (WeCom robot markdown); platform renderers pass theirs. */
  maxBytes: 4096,
  titleChars: 64,
} as const;

export interface MarkdownOptions {
  maxBytes?: number;
  /** Where the console/H5 form opens; buttons that need typed input link there when given. */
  formUrl?: string;
}

export interface MarkdownOut {
  title: string;
  markdown: string;
}

/** How to do by text what a button does. */
export function buttonLine(b: FlatButton, formUrl?: string, repeated = false): string {
  if (b.kind === 'url') return `- [${b.title}](${b.url})`;
  if (formUrl && b.needs.length > 0) return `- [${b.title}](${formUrl})`;
  return `- ${b.title}：${b.hint || b.command}${repeated ? LIST.sameForOthers : ''}`;
}

/** Hint lines for buttons, repeats folded. */
export function buttonLines(buttons: readonly FlatButton[], formUrl?: string): string[] {
  return foldedButtons(buttons.filter((b) => b.kind === 'url' || b.hint || b.command)).map((x) => buttonLine(x.button, formUrl, x.repeated));
}

/** The card's text as markdown blocks (no footer, no buttons). `lineBreak` separates plain lines inside a block. */
export function cardBlocks(f: FlatCard, rich: boolean, lineBreak = '\n'): string[] {
  const out: string[] = [];
  const head = rich ? `**${f.title}**` : f.title;
  if (f.title || f.subtitle) out.push([head, f.subtitle].filter(Boolean).join(lineBreak));
  if (f.notice) out.push(rich ? `> ${f.notice}` : f.notice);
  if (f.facts.length) out.push(f.facts.map((x) => `- ${x.k}：${x.v}`).join('\n'));
  if (f.lines.length) out.push(f.lines.join(lineBreak));
  if (f.done) out.push(rich ? `**${f.done}**` : f.done);
  return out;
}

function actionsBlock(f: FlatCard, formUrl?: string): string {
  const lines = buttonLines(f.buttons, formUrl);
  return lines.length ? [LIST.buttonsHeading, ...lines].join('\n') : '';
}

export function toMarkdown(card: AdaptiveCard, opts: MarkdownOptions = {}): MarkdownOut {
  const f = readCard(card);
  const body = cardBlocks(f, true).join('\n\n');
  const tail = [f.footer, actionsBlock(f, opts.formUrl)].filter(Boolean).join('\n\n');
  const markdown = fitWithTail(body, tail, opts.maxBytes ?? limits.maxBytes, utf8Bytes, '\n\n');
  return { title: truncateChars(f.title || BRAND, limits.titleChars), markdown };
}

/** Plain text of a card, untruncated (outlets that send it cap it themselves). */
export function toPlainText(card: AdaptiveCard): string {
  const f = readCard(card);
  return [...cardBlocks(f, false), f.footer, actionsBlock(f)].filter(Boolean).join('\n\n');
}

/** Any message as markdown, e.g. for a text-only outlet or a digest channel. */
export function render(msg: OutMessage, opts: MarkdownOptions = {}): MarkdownOut {
  const max = opts.maxBytes ?? limits.maxBytes;
  switch (msg.type) {
    case 'card':
      return toMarkdown(msg.card, opts);
    case 'markdown':
      return { title: truncateChars(msg.title || BRAND, limits.titleChars), markdown: truncateBytes(msg.markdown, max) };
    case 'text':
      return { title: truncateChars(msg.text.trim().split('\n', 1)[0] || BRAND, limits.titleChars), markdown: truncateBytes(msg.text, max) };
    case 'image':
      return { title: msg.title, markdown: truncateBytes(msg.url ? `**${msg.title}**\n\n![${msg.alt}](${msg.url})` : `**${msg.title}**\n\n${msg.alt}`, max) };
  }
}

export function validate(out: MarkdownOut, opts: { maxBytes?: number } = {}): string[] {
  const problems: string[] = [];
  const max = opts.maxBytes ?? limits.maxBytes;
  if (!out.title.trim()) problems.push('markdown: empty title');
  if (!out.markdown.trim()) problems.push('markdown: empty body');
  if (utf8Bytes(out.markdown) > max) problems.push(`markdown: ${utf8Bytes(out.markdown)} bytes > ${max}`);
  return problems;
}
