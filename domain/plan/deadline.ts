/**
 * Chinese deadline phrases → calendar dates.
 *
 *   2026年6月底前 → 2026-06-30     10月底前 → <context year>-10-31     6月10日前 → <year>-06-10
 *   2026年底前    → 2026-12-31     6月中旬前 → <year>-06-20           completion "2026年12月" → 2026-12-31
 *   持续 / 长期 / 常态化 → recurring   "10个工作日" → { workdays: 10 }
 *
 * A phrase inside running text counts as a deadline only with 前/之前/以前 or 底/末/旬 after the
 * month ("2个月前" and bare dates like "7月30日" are not deadlines).
 */
import type { ISODate } from './types.ts';

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Parse `12`, `十二`, `二十五`, `三十一`; null when not a number. */
export function parseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[〇零一二两三四五六七八九十]+$/.test(s)) return null;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (CN_DIGITS[s] ?? null) : null;
  const tens = ten === 0 ? 1 : (CN_DIGITS[s.slice(0, ten)] ?? NaN);
  const ones = ten === s.length - 1 ? 0 : (CN_DIGITS[s.slice(ten + 1)] ?? NaN);
  const n = tens * 10 + ones;
  return Number.isFinite(n) && s.length <= 3 ? n : null;
}

/** Last day of a month (month 1–12). */
export function monthEnd(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `YYYY-MM-DD`, or null when the date does not exist. */
export function isoDate(year: number, month: number, day: number): ISODate | null {
  if (month < 1 || month > 12 || day < 1 || day > monthEnd(year, month) || year < 1900 || year > 2999) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface DeadlineMatch {
  /** Offset of the phrase in the searched text. */
  index: number;
  /** Offset just after the phrase. */
  end: number;
  phrase: string;
  due: ISODate;
  /** The year written in the phrase, null when carried from context. */
  year: number | null;
}

const NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const BEFORE = '(?:\\s*(前|之前|以前))?';
const MONTH_RE = new RegExp(
  `(?:(?<!\\d)(\\d{4})\\s*年\\s*|(?<!\\d))${NUM}\\s*月(?:\\s*${NUM}\\s*[日号]|\\s*(底|末|上旬|中旬|下旬))?${BEFORE}`,
  'g',
);
const YEAR_END_RE = new RegExp(`(?<!\\d)(\\d{4})\\s*年\\s*(底|末)${BEFORE}`, 'g');

function monthMatch(m: RegExpExecArray, carried: number): Omit<DeadlineMatch, 'index' | 'end' | 'phrase'> | null {
  const [, yearText, monthText, dayText, part, before] = m;
  if (!before && !part) return null; // a bare date is not a deadline
  const year = yearText ? Number(yearText) : null;
  const y = year ?? carried;
  const month = parseNumber(monthText ?? '');
  if (month === null) return null;
  let day: number | null;
  if (dayText) day = parseNumber(dayText);
  else if (part === '上旬') day = 10;
  else if (part === '中旬') day = 20;
  else day = monthEnd(y, month);
  const due = day === null ? null : isoDate(y, month, day);
  return due ? { due, year } : null;
}

/**
 * All deadline phrases in `text`, in order. A phrase without a year takes the last year written
 * before it in the same text, else `defaultYear` (the plan year).
 */
export function findDeadlines(text: string, defaultYear: number): DeadlineMatch[] {
  const raw: { index: number; end: number; m: RegExpExecArray; yearEnd: boolean }[] = [];
  for (const m of text.matchAll(MONTH_RE)) raw.push({ index: m.index, end: m.index + m[0].length, m, yearEnd: false });
  for (const m of text.matchAll(YEAR_END_RE)) raw.push({ index: m.index, end: m.index + m[0].length, m, yearEnd: true });
  raw.sort((a, b) => a.index - b.index);
  const out: DeadlineMatch[] = [];
  let carried = defaultYear;
  for (const r of raw) {
    if (out.length > 0 && r.index < (out[out.length - 1]?.end ?? 0)) continue;
    let found: Omit<DeadlineMatch, 'index' | 'end' | 'phrase'> | null;
    if (r.yearEnd) {
      const year = Number(r.m[1]);
      found = { due: isoDate(year, 12, 31) ?? '', year };
    } else {
      found = monthMatch(r.m, carried);
    }
    if (r.m[1]) carried = Number(r.m[1]); // a written year carries on even in a bare date
    if (found?.due) out.push({ index: r.index, end: r.end, phrase: r.m[0], ...found });
  }
  return out;
}

/** Parse one deadline phrase ("2026年6月底前", "10月底前", "6月10日前"); null when it is none. */
export function parseDeadlinePhrase(phrase: string, defaultYear: number): ISODate | null {
  const t = phrase.trim();
  const [first] = findDeadlines(t, defaultYear);
  return first && first.index === 0 && first.end === t.length ? first.due : null;
}

export interface Completion {
  due: ISODate | null;
  recurring: boolean;
}

const RECURRING_RE = /^(持续|长期|常态化|持续推进|长期坚持|持续开展)$/;
const COMPLETION_RE = new RegExp(
  `^(?:(\\d{4})\\s*年\\s*)?${NUM}\\s*月(?:\\s*${NUM}\\s*[日号]|\\s*(底|末))?${BEFORE}$`,
);

/**
 * Parse the 完成时间 column: "2026年12月" → 2026-12-31, "2026年6月10日" → 2026-06-10,
 * "2026年底" → 2026-12-31, "2026-09-30", "持续" → recurring. Null when not understood.
 */
export function parseCompletion(text: string, defaultYear: number): Completion | null {
  const t = text.replace(/[\s\u3000。；;，,]/g, '');
  if (t === '') return null;
  if (RECURRING_RE.test(t)) return { due: null, recurring: true };
  const m = COMPLETION_RE.exec(t);
  if (m) {
    const year = m[1] ? Number(m[1]) : defaultYear;
    const month = parseNumber(m[2] ?? '');
    if (month === null) return null;
    const day = m[3] ? parseNumber(m[3]) : monthEnd(year, month);
    const due = day === null ? null : isoDate(year, month, day);
    return due ? { due, recurring: false } : null;
  }
  const y = /^(\d{4})年(?:底|末)?(?:前|之前|以前)?$/.exec(t);
  if (y) return { due: isoDate(Number(y[1]), 12, 31), recurring: false };
  const d = /^(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?$/.exec(t);
  if (d) {
    const year = Number(d[1]);
    const month = Number(d[2]);
    const due = isoDate(year, month, d[3] ? Number(d[3]) : month >= 1 && month <= 12 ? monthEnd(year, month) : 0);
    return due ? { due, recurring: false } : null;
  }
  return null;
}

/** "自收到…之日起10个工作日予以核实" → { workdays: 10 }; null when no such phrase. */
export function parseSla(text: string): { workdays: number } | null {
  const m = /(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*个\s*工作日/.exec(text);
  const n = m ? parseNumber(m[1] ?? '') : null;
  return n !== null && n > 0 ? { workdays: n } : null;
}
