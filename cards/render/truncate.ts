/**
 * Length limits the platforms count in characters or in UTF-8 bytes. Cuts happen only between
 * grapheme clusters, so a surrogate pair, a multi-byte character, an emoji with a skin tone or a
 * ZWJ family is never split. A "character" is a Unicode code point (what the platforms' "字" is
 * closest to); a lone surrogate counts as 3 bytes, as TextEncoder would send U+FFFD.
 */
export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' });

export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

type Measure = (s: string) => number;

function cut(s: string, max: number, measure: Measure, ellipsis: string): string {
  if (measure(s) <= max) return s;
  let mark = ellipsis;
  let budget = max - measure(ellipsis);
  if (budget < 0) {
    mark = '';
    budget = max;
  }
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(s)) {
    const m = measure(segment);
    if (used + m > budget) break;
    out += segment;
    used += m;
  }
  return out + mark;
}

/** At most `max` code points, ending in `…` when cut. */
export const truncateChars = (s: string, max: number, ellipsis = ELLIPSIS): string => cut(s, max, charCount, ellipsis);

/** At most `maxBytes` UTF-8 bytes, ending in `…` when cut. */
export const truncateBytes = (s: string, maxBytes: number, ellipsis = ELLIPSIS): string => cut(s, maxBytes, utf8Bytes, ellipsis);

/**
 * `body` then `tail` joined by `sep`, within `max` (measured by `measure`): the tail (how to act:
 * hints, commands) is kept whole when it fits on its own and the body is shortened to make room.
 */
export function fitWithTail(body: string, tail: string, max: number, measure: Measure = charCount, sep = '\n'): string {
  if (!tail) return cut(body, max, measure, ELLIPSIS);
  if (!body) return cut(tail, max, measure, ELLIPSIS);
  const whole = `${body}${sep}${tail}`;
  if (measure(whole) <= max) return whole;
  const room = max - measure(tail) - measure(sep);
  if (room < measure(ELLIPSIS) + 1) return cut(whole, max, measure, ELLIPSIS);
  return `${cut(body, room, measure, ELLIPSIS)}${sep}${tail}`;
}
