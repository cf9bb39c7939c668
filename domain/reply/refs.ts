/**
 * Task and ticket references inside a free-text reply: 任务6, 第6项, 6号任务, 任务六, #123,
 * 督办单123, 123号督办单. Bare numbers are never references (they are percentages or counts).
 */
import { parseNumeral } from '../commands/text.ts';
import type { TaskRef, TicketRef } from '../commands/types.ts';

export interface RefMatch {
  ref: TaskRef | TicketRef;
  index: number;
  end: number;
}

const CN = '[零〇一二两三四五六七八九十百]{1,4}';
const NUM = `(\\d{1,4}(?!\\d)|${CN})`;

/**
 * After a Chinese numeral, what may follow for it to be a task number: 任务六已完成 is task 6,
 * 任务一定完成 is not task 1.
 */
const AFTER_CN_RE = /^(?:$|[\s,，、.。:：;；!！?？(（]|项|号|进度|进展|已|完成|办结|目前|当前|现在|的|工作|任务)/;

const PATTERNS: readonly { re: RegExp; kind: 'task' | 'ticket' }[] = [
  { re: /(?:督办单|工单|单号)\s*[#:：]?\s*(\d{1,9})(?!\d)/g, kind: 'ticket' },
  { re: /#\s*(\d{1,9})(?!\d)/g, kind: 'ticket' },
  { re: /(?<!\d)(\d{1,9})\s*号\s*(?:督办单|工单)/g, kind: 'ticket' },
  { re: new RegExp(`第\\s*${NUM}\\s*(?:项|条|号任务|个任务)(?:任务|工作)?`, 'g'), kind: 'task' },
  { re: new RegExp(`任务\\s*(?:第\\s*)?${NUM}(?:\\s*[项号](?!任务))?`, 'g'), kind: 'task' },
  { re: new RegExp(`(?<!\\d)${NUM}\\s*号\\s*任务`, 'g'), kind: 'task' },
];

/** All references in `text`, in order, overlapping matches resolved to the earliest and longest. */
export function findRefs(text: string): RefMatch[] {
  const found: RefMatch[] = [];
  for (const { re, kind } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const number = m[1] ?? '';
      const end = m.index + m[0].length;
      if (!/^\d/.test(number) && !AFTER_CN_RE.test(text.slice(end, end + 2))) continue;
      const n = parseNumeral(number);
      if (n === null || n < 1 || !Number.isSafeInteger(n)) continue;
      const ref: TaskRef | TicketRef = kind === 'task' ? { kind, seq: n } : { kind, id: n };
      found.push({ ref, index: m.index, end });
    }
  }
  found.sort((a, b) => a.index - b.index || b.end - a.end);
  const out: RefMatch[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (!last || f.index >= last.end) out.push(f);
  }
  return out;
}

export function refKey(ref: TaskRef | TicketRef): string {
  return ref.kind === 'task' ? `task:${ref.seq}` : `ticket:${ref.id}`;
}
