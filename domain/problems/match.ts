/**
 * Recognising catalogue services in a text: each {@link Pattern} gets a score 0..1, then patterns
 * seen only partially inside a longer matched service are dropped.
 */
import type { Pattern } from './catalogue.ts';
import { expandText, normalizeText, SUBJECT_QUALIFIERS, WEAK_SUBJECTS } from './synonyms.ts';

/** Scores below this are noise: they neither route nor make a strong match ambiguous. */
export const NOISE = 0.6;
/** A match that needed a synonym hint counts a little less than the citizen's own words. */
const HINT_FACTOR = 0.92;

export interface Match {
  pattern: Pattern;
  score: number;
  /** Words of the text that carried the match (for subsumption). */
  words: string[];
  /** Wording shown to people: 公积金提取 for the leftover 提取, 电子发票 for a bracketed service. */
  display: string;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** 2 characters 0.8, 3 → 0.9, 4 or more → 1: short names are more often coincidences. */
const specificity = (len: number): number => Math.min(1, 0.6 + 0.1 * len);

/**
 * How present a subject word is: 1 verbatim; 0.9 with a short insertion (财政票据 in
 * 财政电子票据); for long words the share of their character pairs found, when ≥ 0.7.
 */
export function presence(word: string, text: string): number {
  if (text.includes(word)) return 1;
  if (word.length < 4) return 0;
  for (let i = 2; i <= word.length - 2; i++) {
    const head = text.indexOf(word.slice(0, i));
    if (head >= 0) {
      const tail = text.indexOf(word.slice(i), head + i);
      if (tail >= 0 && tail - (head + i) <= 4) return 0.9;
    }
  }
  if (word.length < 5) return 0;
  let hit = 0;
  for (let i = 0; i < word.length - 1; i++) if (text.includes(word.slice(i, i + 2))) hit++;
  const cov = hit / (word.length - 1);
  return cov >= 0.7 ? cov : 0;
}

const ownerCache = new WeakMap<readonly Pattern[], Map<string, number>>();

/** How many owners (each provincial unit; all cities as one) have a pattern containing these words. */
function owners(words: string[], patterns: readonly Pattern[]): number {
  let cache = ownerCache.get(patterns);
  if (!cache) ownerCache.set(patterns, (cache = new Map()));
  const key = words.join('|');
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const set = new Set<string>();
  for (const p of patterns) {
    if (words.every((w) => p.text.includes(w))) set.add(p.entry.unitKind === 'CITY' ? 'CITY' : p.entry.unitCode);
  }
  cache.set(key, set.size);
  return set.size;
}

interface Strength {
  s: number;
  words: string[];
  ctx: string | null;
}

/**
 * Strength of one pattern in one text, before specificity:
 *   name contained → 1; every subject group present with a verb → 0.8 + 0.15 × share of verbs
 *   + 0.05 per further subject group (at most 1);
 *   subjects of a verbless name → 0.9; subjects without the name's verbs → 0.8 when one owner
 *   has those words, 0.5 otherwise; 0 when the subjects found are all weak (政务, 老人…).
 * Generic names (提取) also need a context word (公积金).
 */
function strength(p: Pattern, text: string, all: readonly Pattern[]): Strength {
  const ctx = p.context ? (p.context.find((c) => text.includes(c)) ?? null) : null;
  if (p.context && ctx === null) return { s: 0, words: [], ctx };
  const ctxWords = ctx ? [ctx] : [];
  if (text.includes(p.text)) return { s: 1, words: [...ctxWords, p.text], ctx };
  const found: string[] = [];
  let least = 1;
  for (const group of p.subjects) {
    let best = 0;
    let bestWord = '';
    for (const w of group) {
      const c = presence(w, text);
      if (c > best) [best, bestWord] = [c, w];
    }
    if (best === 0) return { s: 0, words: [], ctx };
    least = Math.min(least, best);
    found.push(bestWord);
  }
  const verbs = p.actions.filter((a) => text.includes(a));
  const words = [...ctxWords, ...found, ...verbs];
  if (found.length === 0) {
    // A generic name made of verbs only (提取): its context word plus every verb.
    return { s: ctx && verbs.length === p.actions.length && verbs.length > 0 ? 0.9 : 0, words, ctx };
  }
  if (verbs.length > 0) {
    // More of the name found (verbs, a second subject such as 进出境人员) is more evidence.
    const s = 0.8 + (0.15 * verbs.length) / p.actions.length + 0.05 * (found.length - 1);
    return { s: least * Math.min(1, s), words, ctx };
  }
  if (found.every((w) => WEAK_SUBJECTS.has(w))) return { s: 0, words, ctx };
  if (p.actions.length === 0) return { s: 0.9 * least, words, ctx };
  const telling = found.filter((w) => !SUBJECT_QUALIFIERS.includes(w));
  return { s: least * (owners(telling.length > 0 ? telling : found, all) === 1 ? 0.8 : 0.5), words, ctx };
}

type Expanded = ReturnType<typeof expandText>;

function scorePattern(p: Pattern, plain: string, expanded: Expanded, all: readonly Pattern[]): Match | null {
  const a = strength(p, plain, all);
  const b = strength(p, expanded.text, all);
  const useA = a.s >= b.s * HINT_FACTOR;
  const best = useA ? a : b;
  if (best.s === 0) return null;
  if (!useA) {
    // Words a hint supplied stand for the citizen's phrase that triggered it (for subsumption).
    const own = best.words.filter((w) => plain.includes(w));
    const triggers = expanded.hints.filter((h) => h.words.some((hw) => best.words.some((w) => hw.includes(w) || w.includes(hw))));
    best.words = [...own, ...triggers.map((h) => h.trigger)];
  }
  const len = (best.ctx ?? '').length + p.text.length;
  const score = round(best.s * specificity(len) * (useA ? 1 : HINT_FACTOR));
  const core = p.entry.name.split(/[（(]/)[0]!;
  const display = best.ctx && p.text.length <= 2 ? `${best.ctx}${p.text}` : normalizeText(core) === p.text ? core : p.text;
  return { pattern: p, score, words: best.words, display };
}

/** Every pattern the text matches, without those subsumed by a longer matched service. */
export function matchAll(text: string, patterns: readonly Pattern[]): Match[] {
  const plain = normalizeText(text);
  const expanded = expandText(text);
  const matches = patterns.map((p) => scorePattern(p, plain, expanded, patterns)).filter((m): m is Match => m !== null);
  // A match whose words all lie inside a longer service name that also matched is that service
  // seen partially (公积金提取 inside 公积金退休提取, 经营许可 inside 道路运输经营许可证).
  return matches.filter(
    (m) =>
      !matches.some(
        (o) =>
          o.pattern.entry.name !== m.pattern.entry.name &&
          o.score >= NOISE &&
          o.score >= 0.75 * m.score &&
          o.pattern.text.length > m.pattern.text.length &&
          m.words.every((w) => o.pattern.text.includes(w) || o.words.some((ow) => ow.includes(w))),
      ),
  );
}
