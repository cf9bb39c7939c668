/**
 * Masking personal data (脱敏) in problem reports before anyone but the database sees them. What
 * is masked, and what is kept so the bureau can still tell reports apart:
 *
 *   mobile         13812345678, +86 138-1234-5678   → 138****5678 (3 + 4 kept)
 *   landline       0731-88886666, (0731)88886666    → 0731-****6666 (area code + 4)
 *   ID card        18 digits/X with a birth date, old 15 digits → 430*************34 (3 + 2)
 *   bank card      16–19 digits, groups of 4 allowed → 6222 **** **** 0123 (4 + 4)
 *   e-mail         zhangsan@example.com             → z***@example.com
 *   passport       E12345678, EA1234567, G12345678  → E******78
 *   licence plate  湘A12345, 湘A·D12345             → 湘A***45
 *   QQ / 微信号     after the word QQ or 微信          → first 2 kept
 *   name           after 姓名/联系人/申请人/我叫        → 张*
 *
 * Kept as they are: dates, times, amounts, hotline and service numbers (12345, 12315, 400-…),
 * and digit runs labelled as case numbers (办件编号 2026…). Masking is idempotent: a masked
 * text masks to itself: every mask breaks the run it replaced, and no rule starts or ends next to
 * a star, even across a separator (the kept 0000 of 1300********-0000 must not join the next number
 * into a new match).
 */

const STAR = '*';

/**
 * Long case and order numbers are not personal: a 16–19 digit run after such a label is left alone
 * (phone and ID numbers are masked whatever label they follow).
 */
const CASE_LABEL = /(?:编号|单号|件号|流水号|订单号|受理号|业务号|工单号|申请号|案号)[:：\s#]*$/;

/** Replace the digits (or letters) of `s` except the first `head` and last `tail`, keeping separators. */
function keepEnds(s: string, head: number, tail: number, isSecret: (ch: string) => boolean = (ch) => /[0-9A-Za-z]/.test(ch)): string {
  const total = [...s].filter(isSecret).length;
  let seen = 0;
  return [...s]
    .map((ch) => {
      if (!isSecret(ch)) return ch;
      seen++;
      return seen > head && seen <= total - tail ? STAR : ch;
    })
    .join('');
}

type Rule = { re: RegExp; mask: (m: string, ...groups: string[]) => string; caseNumbersExempt?: boolean };

const validBirth = (y: string, mo: string, d: string): boolean => {
  const [yy, mm, dd] = [Number(y), Number(mo), Number(d)];
  return yy >= 1900 && yy <= 2100 && mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31;
};

const RULES: Rule[] = [
  // e-mail first: its local part may hold digits that look like a phone number.
  {
    re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    mask: (m) => `${m[0]}***${m.slice(m.indexOf('@'))}`,
  },
  // ID card, 18 characters: 6-digit region, birth date, 3 digits, check digit or X.
  {
    re: /(?<![0-9*])(?<!\*[ -])[1-9]\d{5}((?:18|19|20)\d{2})(\d{2})(\d{2})\d{3}[0-9Xx](?![0-9*])/g,
    mask: (m, y, mo, d) => (validBirth(y!, mo!, d!) ? keepEnds(m, 3, 2) : m),
  },
  // Bank card: 16–19 digits, optionally in groups of four.
  {
    re: /(?<![0-9*])(?<!\*[ -])\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![0-9*])/g,
    mask: (m) => keepEnds(m, 4, 4),
    caseNumbersExempt: true,
  },
  // Old ID card, 15 digits: region, yyMMdd, 3 digits.
  {
    re: /(?<![0-9*])(?<!\*[ -])[1-9]\d{5}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}(?![0-9*])/g,
    mask: (m) => keepEnds(m, 3, 2),
  },
  // Mainland mobile, optionally +86 and separated 3-4-4.
  {
    re: /(?<![0-9*])(?<!\*[ -])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![0-9*])/g,
    mask: (m) => {
      const lead = /^\+?86[ -]?(?=1)/.exec(m)?.[0] ?? '';
      return lead + keepEnds(m.slice(lead.length), 3, 4);
    },
  },
  // Landline with area code: 0731-88886666, (0731)88886666, 010 12345678.
  {
    re: /(?<![0-9*])(?<!\*[ -])(?:\(0\d{2,3}\)|0\d{2,3}[ -]?)\d{7,8}(?![0-9*])/g,
    mask: (m) => {
      const area = /^\(?0\d{2,3}\)?[ -]?/.exec(m)![0];
      return area + keepEnds(m.slice(area.length), 0, 4);
    },
  },
  // Passport (E12345678, EA1234567, old G12345678).
  { re: /(?<![0-9A-Za-z*])(?:E[A-HJ-NP-Z]?\d{7,8}|G\d{8})(?![0-9A-Za-z*])/g, mask: (m) => keepEnds(m, 1, 2) },
  // Licence plate: province, city letter, optional dot, 5 (6 for new energy) letters/digits.
  {
    re: /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·•\s]?[A-HJ-NP-Z0-9]{5,6}(?![0-9A-Za-z])/g,
    mask: (m) => m.slice(0, 2) + keepEnds(m.slice(2), 0, 2),
  },
  // QQ or WeChat id after its label.
  {
    re: /((?:QQ|qq|微信号?|vx|VX|wx)[号]?[:：\s]*)([A-Za-z0-9_-]{5,20})/g,
    mask: (_m, label, id) => `${label}${id!.slice(0, 2)}${STAR.repeat(id!.length - 2)}`,
  },
  // A name after its label: keep the surname.
  {
    re: /((?:姓名|联系人|申请人|反映人|我叫)[:：\s]*)([\u4e00-\u9fa5]{2,4})/g,
    mask: (_m, label, name) => `${label}${name![0]}${STAR.repeat(name!.length - 1)}`,
  },
];

/** The text with personal data masked; idempotent. */
export function maskPersonalData(text: string): string {
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.re, (...args: unknown[]) => {
      const m = args[0] as string;
      const offset = args.find((a, i) => i > 0 && typeof a === 'number') as number;
      const groups = args.slice(1, args.indexOf(offset)) as string[];
      if (rule.caseNumbersExempt && CASE_LABEL.test(out.slice(Math.max(0, offset - 12), offset))) return m;
      return rule.mask(m, ...groups);
    });
  }
  return out;
}

/**
 * The reporter's contact field masked: phone numbers, e-mails, IDs as in the text; a bare name
 * keeps its surname (张*); any other handle keeps two characters at each end.
 */
export function maskContact(contact: string | null): string | null {
  if (contact === null) return null;
  const c = contact.trim();
  if (c === '') return c;
  const masked = maskPersonalData(c);
  if (masked !== c || c.includes(STAR)) return masked;
  if (/^[\u4e00-\u9fa5·]{2,6}$/.test(c)) return c[0] + STAR.repeat(c.length - 1);
  if (c.length <= 4) return STAR.repeat(c.length);
  return c.slice(0, 2) + STAR.repeat(c.length - 4) + c.slice(-2);
}
