/**
 * The progress figure in a free-text reply: 80%, 进度80, 百分之八十, 八成, 一半, or a completion
 * phrase (已完成, 已办结, 完成了) meaning 100 when no figure is given.
 */
import { parseNumeral } from '../commands/text.ts';

export interface PercentMatch {
  /** Rounded; may exceed 100 (the caller reports that as invalid). */
  value: number;
  /** Span of the phrase, including a lead-in such as 进度 / 完成了 / 已达到. */
  index: number;
  end: number;
  /** Where the figure itself starts (after the lead-in). */
  valueIndex: number;
}

/** Lead-in words that belong to the percent phrase and are cut from the note with it. */
const LEAD =
  '(?<lead>(?:(?:目前|当前|现在|整体|总体)?(?:工作)?(?:进度|进展)\\s*(?:已经|已)?\\s*(?:为|是|达到|达|到|至|约为|约)?\\s*[:：]?\\s*' +
  '|(?:已经?)?(?:完成|办结)了?\\s*(?:约)?\\s*|(?:已经?)?(?:达到|达)\\s*)?)';
const CN = '[零〇一二两三四五六七八九十百]{1,6}';
/** A Chinese figure must end here (进度一般 is not 1%). */
const AFTER_CN_RE = /^(?:$|[\s,，、.。:：;；!！?？(（]|了|左右|以上|多|啦)/;

interface Pattern {
  re: RegExp;
  value: (m: RegExpExecArray) => number | null;
  chinese?: (m: RegExpExecArray) => boolean;
}

const PATTERNS: readonly Pattern[] = [
  { re: new RegExp(`${LEAD}(\\d{1,6}(?:\\.\\d{1,4})?)\\s*%`, 'g'), value: (m) => Number(m[2]) },
  { re: new RegExp(`${LEAD}百分之\\s*(\\d{1,6}(?:\\.\\d{1,4})?|${CN})`, 'g'), value: (m) => numeral(m[2]) },
  { re: new RegExp(`${LEAD}百分百`, 'g'), value: () => 100 },
  {
    re: new RegExp(`${LEAD}([一二两三四五六七八九十]|10|\\d)\\s*成(?![员本果立为功效绩熟都])`, 'g'),
    value: (m) => {
      const n = numeral(m[2]);
      return n === null || n > 10 ? null : n * 10;
    },
  },
  { re: new RegExp(`${LEAD}一半`, 'g'), value: () => 50 },
  {
    re: new RegExp(
      `(?<lead>(?:进度|进展)\\s*(?:已经|已)?\\s*(?:为|是|达到|达|到|至)?\\s*[:：]?\\s*)(\\d{1,6}(?![\\d.%])|${CN})(?![号项个天日月年件条次家])`,
      'g',
    ),
    value: (m) => numeral(m[2]),
    chinese: (m) => !/^\d/.test(m[2] ?? ''),
  },
];

function numeral(text: string | undefined): number | null {
  if (text === undefined) return null;
  return /^\d+\.\d+$/.test(text) ? Number(text) : parseNumeral(text);
}

/** Every percent phrase in `text`, in order, without overlaps. */
export function findPercents(text: string): PercentMatch[] {
  const found: PercentMatch[] = [];
  for (const { re, value, chinese } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const end = m.index + m[0].length;
      if (chinese?.(m) && !AFTER_CN_RE.test(text.slice(end, end + 2))) continue;
      const v = value(m);
      if (v === null || !Number.isFinite(v)) continue;
      found.push({ value: Math.round(v), index: m.index, end, valueIndex: m.index + (m.groups?.lead?.length ?? 0) });
    }
  }
  found.sort((a, b) => a.index - b.index || b.end - a.end);
  const out: PercentMatch[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (!last || f.index >= last.end) out.push(f);
  }
  return out;
}

/**
 * The figure the sender means: the first, unless a later one is introduced by 到/至
 * ("进度由60%提升到80%" → 80).
 */
export function choosePercent(text: string, matches: readonly PercentMatch[]): PercentMatch | undefined {
  const raised = matches.filter((m) => /(?:到|至)\s*[:：]?\s*$/.test(text.slice(Math.max(0, m.valueIndex - 6), m.valueIndex)));
  return matches.length > 1 && raised.length > 0 ? raised[raised.length - 1] : matches[0];
}

export interface CompletionMatch {
  index: number;
  end: number;
}

/** Words that make 完成 not (yet) done: 未完成, 尚未完成, 基本完成, 争取完成, 将完成… */
const NOT_DONE = '未没不无难尚待将要需须能会可应在争力确拟计预基';

const COMPLETION_RES: readonly RegExp[] = [
  // 已完成, 已经办结, 已按时完成, 均已完成 (no negation or hedge in between)
  new RegExp(`(?:已经|均已|都已|已)(?:[^，,。.;；!！?？\\s${NOT_DONE}]{0,4}?)(?:完成|办结|完结)`, 'g'),
  // 完成了, 办结了 (past tense), unless negated or hedged just before
  new RegExp(`(?<![${NOT_DONE}])(?:全部|全面)?(?:完成|办结|完结)了`, 'g'),
  // the whole reply is just 完成 / 全部完成 / 办结
  /^[\s,，、:：;；。.!！]*(?:全部|全面)?(?:完成|办结|完结)[\s,，、:：;；。.!！]*$/g,
];

/** A phrase saying the work is done, or null. */
export function findCompletion(text: string): CompletionMatch | null {
  for (const re of COMPLETION_RES) {
    for (const m of text.matchAll(re)) return { index: m.index, end: m.index + m[0].length };
  }
  return null;
}
