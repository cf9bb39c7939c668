/**
 * WeCom payload shapes, their documented limits and a validator
 * (https://developer.work.weixin.qq.com/document/path/90236 — template_card field limits; see
 * ../shared/reference/protocols.md §3). "chars" limits are WeCom's recommended display lengths,
 * enforced here as hard limits so nothing is cut by the client mid-word.
 */
import { charCount, utf8Bytes } from './truncate.ts';

export const limits = {
  taskIdBytes: 128,
  taskIdPattern: /^[A-Za-z0-9_\-@]{1,128}$/,
  sourceDesc: 13,
  title: 36,
  desc: 44,
  subTitle: 160,
  horizontal: 6,
  keyname: 5,
  value: 30,
  buttons: 6,
  buttonText: 10,
  keyBytes: 1024,
  jumps: 3,
  jumpTitle: 18,
  selectionTitle: 10,
  selectionOptions: 10,
  optionText: 16,
  optionIdBytes: 128,
  urlBytes: 2048,
  /** Text is truncated by WeCom past 2048 bytes; markdown: 2048 (app message) / 4096 (group robot). */
  textBytes: 2048,
  markdownBytes: { app: 2048, webhook: 4096 },
} as const;

/** `app`: self-built app message (callbacks work). `webhook`: group robot (no button callbacks). */
export type WecomTarget = 'app' | 'webhook';

export type WecomButton =
  | { type: 0; text: string; style: number; key: string }
  | { type: 1; text: string; style: number; url: string };

export interface WecomTemplateCard {
  card_type: 'text_notice' | 'button_interaction';
  source: { desc: string; desc_color: number };
  main_title: { title: string; desc?: string };
  sub_title_text?: string;
  horizontal_content_list?: { type: 0; keyname: string; value: string }[];
  jump_list?: { type: 1; title: string; url: string }[];
  card_action?: { type: 1; url: string };
  button_selection?: { question_key: string; title: string; option_list: { id: string; text: string }[] };
  button_list?: WecomButton[];
  task_id?: string;
}

export type WecomMessage =
  | { msgtype: 'template_card'; template_card: WecomTemplateCard }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string } };

/** Problems that would make WeCom reject or cut the payload; [] when it is fine. */
export function validate(m: WecomMessage, target: WecomTarget = 'app'): string[] {
  const p: string[] = [];
  const chars = (what: string, s: string | undefined, max: number) => {
    if (s !== undefined && charCount(s) > max) p.push(`${what}: ${charCount(s)} chars > ${max}`);
  };
  const bytes = (what: string, s: string | undefined, max: number) => {
    if (s !== undefined && utf8Bytes(s) > max) p.push(`${what}: ${utf8Bytes(s)} bytes > ${max}`);
  };
  if (m.msgtype === 'text') {
    if (!m.text.content.trim()) p.push('text: empty');
    bytes('text', m.text.content, limits.textBytes);
    return p;
  }
  if (m.msgtype === 'markdown') {
    if (!m.markdown.content.trim()) p.push('markdown: empty');
    bytes('markdown', m.markdown.content, limits.markdownBytes[target]);
    return p;
  }
  const c = m.template_card;
  chars('source.desc', c.source.desc, limits.sourceDesc);
  if (!c.main_title.title && !c.sub_title_text) p.push('main_title.title or sub_title_text required');
  chars('main_title.title', c.main_title.title, limits.title);
  chars('main_title.desc', c.main_title.desc, limits.desc);
  chars('sub_title_text', c.sub_title_text, limits.subTitle);
  const h = c.horizontal_content_list ?? [];
  if (h.length > limits.horizontal) p.push(`horizontal_content_list: ${h.length} > ${limits.horizontal}`);
  h.forEach((x, i) => {
    chars(`horizontal[${i}].keyname`, x.keyname, limits.keyname);
    chars(`horizontal[${i}].value`, x.value, limits.value);
    if (!x.keyname || !x.value) p.push(`horizontal[${i}]: empty keyname or value`);
  });
  const j = c.jump_list ?? [];
  if (j.length > limits.jumps) p.push(`jump_list: ${j.length} > ${limits.jumps}`);
  j.forEach((x, i) => {
    chars(`jump[${i}].title`, x.title, limits.jumpTitle);
    bytes(`jump[${i}].url`, x.url, limits.urlBytes);
  });
  if (c.card_action) bytes('card_action.url', c.card_action.url, limits.urlBytes);
  if (c.card_type === 'text_notice') {
    if (!c.card_action) p.push('text_notice: card_action is required');
    if (c.button_list || c.button_selection) p.push('text_notice: no buttons allowed');
  } else {
    if (target === 'webhook') p.push('button_interaction: group robots cannot receive callbacks');
    if (!c.task_id || !limits.taskIdPattern.test(c.task_id)) p.push(`task_id: ${JSON.stringify(c.task_id)} does not match ${limits.taskIdPattern}`);
    const b = c.button_list ?? [];
    if (b.length < 1 || b.length > limits.buttons) p.push(`button_list: ${b.length} buttons, 1–${limits.buttons} allowed`);
    const keys = new Set<string>();
    b.forEach((x, i) => {
      chars(`button[${i}].text`, x.text, limits.buttonText);
      if (!x.text) p.push(`button[${i}]: empty text`);
      if (x.type === 0) {
        if (!x.key) p.push(`button[${i}]: callback button without key`);
        bytes(`button[${i}].key`, x.key, limits.keyBytes);
        if (keys.has(x.key)) p.push(`button[${i}]: duplicate key`);
        keys.add(x.key);
      } else bytes(`button[${i}].url`, x.url, limits.urlBytes);
    });
    const s = c.button_selection;
    if (s) {
      bytes('button_selection.question_key', s.question_key, limits.keyBytes);
      chars('button_selection.title', s.title, limits.selectionTitle);
      if (s.option_list.length < 1 || s.option_list.length > limits.selectionOptions) p.push(`button_selection: ${s.option_list.length} options, 1–${limits.selectionOptions} allowed`);
      s.option_list.forEach((o, i) => {
        bytes(`option[${i}].id`, o.id, limits.optionIdBytes);
        chars(`option[${i}].text`, o.text, limits.optionText);
      });
    }
  }
  return p;
}
