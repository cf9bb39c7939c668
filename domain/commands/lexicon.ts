/**
 * Command words: names, aliases and pinyin from the catalogue, looked up exactly, as the prefix of
 * a message, or — for "did you mean" — by edit distance. Mixed forms such as `督ban` (the IME
 * switched off half-way) are compared too, so they are recognised as typos of `/督办`.
 */
import { COMMANDS } from './catalogue.ts';
import type { CommandName, CommandSpec } from './types.ts';

export type Command = CommandSpec & { readonly name: CommandName };

export const COMMAND_LIST: readonly Command[] = COMMANDS;

interface Entry {
  word: string;
  command: Command;
}

/** Accepted words, longest first so that a prefix match takes `shenhe` before `sh`. */
const ACCEPTED: readonly Entry[] = COMMAND_LIST.flatMap((command) =>
  [command.name, ...command.aliases, command.pinyin.join('')].map((word) => ({ word: word.toLowerCase(), command })),
).sort((a, b) => b.word.length - a.word.length);

/** Half-hanzi, half-pinyin spellings: only offered as suggestions, never accepted. */
function mixedForms(command: Command): string[] {
  const hanzi = [...command.name];
  if (hanzi.length !== command.pinyin.length) return [];
  const out: string[] = [];
  for (let mask = 1; mask < (1 << hanzi.length) - 1; mask++) {
    out.push(hanzi.map((h, i) => (mask & (1 << i) ? (command.pinyin[i] ?? h) : h)).join(''));
  }
  return out;
}

const SUGGESTABLE: readonly Entry[] = [
  ...ACCEPTED,
  ...COMMAND_LIST.flatMap((command) => mixedForms(command).map((word) => ({ word, command }))),
];

const ASCII_WORD_CHAR = /[a-z0-9_]/i;

/** The command a whole word names (name, alias or pinyin; case-insensitive), if any. */
export function commandByWord(word: string): Command | undefined {
  const w = word.trim().replace(/^\//, '').toLowerCase();
  return ACCEPTED.find((e) => e.word === w)?.command;
}

/**
 * The command word at the start of `text` (the text after the slash). Chinese names need no space
 * after them (`/督办任务6`); ASCII aliases do need a word boundary (`/shenhe` is not `/sh`+`enhe`).
 */
export function matchCommandPrefix(text: string): { command: Command; length: number } | null {
  const lower = text.toLowerCase();
  for (const e of ACCEPTED) {
    if (!lower.startsWith(e.word)) continue;
    const last = e.word[e.word.length - 1] ?? '';
    const next = lower[e.word.length] ?? '';
    if (ASCII_WORD_CHAR.test(last) && ASCII_WORD_CHAR.test(next)) continue;
    return { command: e.command, length: e.word.length };
  }
  return null;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions: `stauts` → `status`
 * is 1) over code points.
 */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) {
    rows.push(Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  }
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1);
      row[j] = d;
    }
  }
  return at(s.length, t.length);
}

/** Longest word compared for suggestions: longer input is not a mistyped command word. */
const MAX_TYPO_LENGTH = 12;

/**
 * The command `word` is most likely a typo of, among those `allowed`; null when nothing is close.
 * Close means at most one edit per three characters of the candidate (at least one), and fewer
 * edits than the candidate has characters. Ties go to the command listed first.
 */
export function nearestCommand(word: string, allowed: (c: Command) => boolean = () => true): Command | null {
  const w = word.toLowerCase();
  if (w === '' || [...w].length > MAX_TYPO_LENGTH) return null;
  let best: { command: Command; distance: number; order: number } | null = null;
  for (const e of SUGGESTABLE) {
    if (!allowed(e.command)) continue;
    const length = [...e.word].length;
    const distance = editDistance(w, e.word);
    if (distance > Math.max(1, Math.floor(length / 3)) || distance >= length) continue;
    const order = COMMAND_LIST.indexOf(e.command);
    if (!best || distance < best.distance || (distance === best.distance && order < best.order)) {
      best = { command: e.command, distance, order };
    }
  }
  return best?.command ?? null;
}
