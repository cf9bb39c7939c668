/**
 * Where a task stands in the plan's source text, so that the review page can show the paragraph a
 * task was parsed from. Pure: lines in, line ranges out.
 *
 * The task's content is compared with the lines ignoring white space and the export's marks
 * (`[image: …]`, `[bookmark: …]`): the line sharing the longest beginning with the content wins
 * (else the first line containing its start), and the range extends over the following lines
 * that continue the content exactly (cells split across lines).
 */

export interface LineRange {
  from: number;
  to: number;
}

const MARKS = /\[(?:image|bookmark):[^\]]*\]/g;
const KEY_CHARS = 14;
/** Fewer common characters than this is no match (a date cell such as "2026年9月"). */
const MIN_PREFIX = 10;
/** A cell is never split over more lines than this. */
const MAX_SPAN = 30;

export function normalizeForMatch(s: string): string {
  return s.replace(MARKS, '').replace(/[\s\u3000]/g, '');
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export function locateContent(lines: readonly string[], content: string, normalized = lines.map(normalizeForMatch)): LineRange | null {
  const c = normalizeForMatch(content);
  if (c.length < 4) return null;
  // The line sharing the longest beginning with the content (tasks often begin alike: "2026年7月底前，省数据局…").
  let from = -1;
  let best = 0;
  normalized.forEach((n, i) => {
    const p = commonPrefix(n, c);
    if (p > best) {
      best = p;
      from = i;
    }
  });
  let read: string;
  if (from >= 0 && best >= Math.min(c.length, MIN_PREFIX)) {
    read = normalized[from]!.slice(0, best);
  } else {
    const key = c.slice(0, Math.min(KEY_CHARS, c.length));
    from = normalized.findIndex((n) => n.includes(key));
    if (from < 0) return null;
    read = normalized[from]!.slice(normalized[from]!.indexOf(key));
  }
  // A following line belongs to the task only if it continues the content exactly.
  let to = from;
  for (let j = from + 1; j < normalized.length && j <= from + MAX_SPAN && read.length < c.length && c.startsWith(read); j++) {
    const n = normalized[j]!;
    if (n === '') continue;
    if (!c.startsWith(read + n)) break;
    to = j;
    read += n;
  }
  return { from, to };
}

/** Line ranges of many contents at once (the lines are normalized once). */
export function locateAll(lines: readonly string[], contents: { id: string; content: string }[]): Record<string, LineRange> {
  const normalized = lines.map(normalizeForMatch);
  const out: Record<string, LineRange> = {};
  for (const { id, content } of contents) {
    const r = locateContent(lines, content, normalized);
    if (r) out[id] = r;
  }
  return out;
}
