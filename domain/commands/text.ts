/**
 * Text helpers shared by the command grammar and the free-text reply parser: normalising what chat
 * clients send (full-width digits and signs, odd spaces, @mentions) and reading Chinese numerals.
 *
 * Normalisation maps one character to one character (or drops invisible ones), so what is cut out
 * of the normalised text is what the user wrote. Chinese punctuation (，：；（）) is kept: it ends up
 * in notes shown to people.
 */

/** Full-width forms turned into ASCII: digits, letters and the signs used in commands. */
const FULL_WIDTH_SIGNS = new Set(['＃', '％', '／', '－', '．', '＠', '＋', '＿']);
const SPACES_RE = /[\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;
const INVISIBLE_RE = /[\u200b-\u200d\u2060\ufeff]/g;

function isFullWidthAlnum(code: number): boolean {
  return (code >= 0xff10 && code <= 0xff19) || (code >= 0xff21 && code <= 0xff3a) || (code >= 0xff41 && code <= 0xff5a);
}

/** Full-width digits/letters/#%/-.@ → ASCII, exotic spaces (incl. U+3000, U+2005) → space, ZWSP removed. */
export function normalizeText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (isFullWidthAlnum(code) || FULL_WIDTH_SIGNS.has(ch)) out += String.fromCharCode(code - 0xfee0);
    else if (ch === '﹪') out += '%';
    else if (ch === '﹟') out += '#';
    else out += ch;
  }
  return out.replace(SPACES_RE, ' ').replace(INVISIBLE_RE, '');
}

/** Leading `@督办助手 ` mentions (WeCom and DingTalk put the bot's name first in group messages). */
export function stripLeadingMentions(text: string): string {
  return text.replace(/^\s*(?:@[^\s@/]+\s*)+/, '');
}

/** `@name` mentions anywhere, when followed by a space or the end of the text. */
export function stripMentions(text: string): string {
  return text.replace(/(^|\s)@[^\s@]+(?=\s|$)/g, '$1');
}


/** Trim separators and sentence punctuation from both ends. */
export function trimPunctuation(text: string): string {
  return text.replace(/^[\s,，、:：;；。.!！~～\-—]+/, '').replace(/[\s,，、:：;；。.!！~～]+$/, '');
}

/** Digits or a Chinese numeral up to 999 (the regex source, no groups). */
export const NUMBER = '(?:\\d+|[零〇一二两三四五六七八九十百]{1,6})';

const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_RE = /^(?:([一二两三四五六七八九])?百)?零?(?:([一二两三四五六七八九])?(十))?([一二两三四五六七八九])?$/;

/**
 * `80` → 80, `八十` → 80, `十五` → 15, `九十九` → 99, `一百` / `百` → 100, `一百零五` → 105,
 * `零` → 0; null when not a number (`一二三`, `abc`, ``).
 */
export function parseNumeral(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (text === '零' || text === '〇') return 0;
  if (text === '' || text.length > 6) return null;
  const m = CN_RE.exec(text);
  if (!m) return null;
  const [, hundreds, tens, ten, ones] = m;
  const hasHundred = text.includes('百');
  const value =
    (hasHundred ? (hundreds ? (CN_DIGIT[hundreds] ?? 0) : 1) * 100 : 0) +
    (ten ? (tens ? (CN_DIGIT[tens] ?? 0) : 1) * 10 : 0) +
    (ones ? (CN_DIGIT[ones] ?? 0) : 0);
  return value;
}
