/**
 * Milestones of a task, from the dated clauses of its 具体内容.
 *
 * Clause rules:
 * - The content is cut into sentences at "；" / "。" (not inside brackets).
 * - A dated clause runs from its deadline phrase to the next deadline phrase or the end of the
 *   sentence. The first clause of a sentence also keeps the text before its deadline phrase, so a
 *   subject written first ("省数据局于6月底前…") stays with it.
 * - Units of a clause: the units it names as its actor (the run of unit names at its start, or right
 *   after the deadline phrase), else the task's responsible units. Units named later in the clause
 *   ("报省数据局备案") are objects, not actors.
 * - An undated sentence whose actor units are not already covered by a dated clause becomes a
 *   milestone at the task's final due (if there is one).
 * - No dated clause and a final due: one milestone at the final due with the whole content and the
 *   responsible units. No dated clause and no final due (持续): no milestones.
 * - Milestones are sorted by due (stable: clauses of the same date keep their order).
 */
import { findDeadlines, type DeadlineMatch } from './deadline.ts';
import { scanSubject, type Resolved } from './responsible.ts';
import { clean } from './text.ts';
import type { ISODate, PlanMilestone } from './types.ts';
import type { UnitDirectory } from './units.ts';

interface Span {
  start: number;
  end: number;
}

/** Sentences of `text` split at ；/。 outside brackets (offsets exclude the separator). */
export function sentences(text: string): Span[] {
  const out: Span[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '（' || ch === '(') depth++;
    else if ((ch === '）' || ch === ')') && depth > 0) depth--;
    else if (depth === 0 && (ch === '；' || ch === ';' || ch === '。')) {
      out.push({ start, end: i });
      start = i + 1;
    }
  }
  out.push({ start, end: text.length });
  return out.filter((s) => clean(text.slice(s.start, s.end)) !== '');
}

/** Clause text: trimmed, without leading/trailing separators. */
export function clauseText(s: string): string {
  return s.replace(/^[\s\u3000，,、；;。]+|[\s\u3000，,、；;。]+$/g, '');
}

/** The actor of a dated clause: at its start, else right after its deadline phrase. */
function actorOf(content: string, start: number, d: DeadlineMatch, end: number, dir: UnitDirectory, names: string[]): Resolved | null {
  if (d.index > start) {
    const before = scanSubject(content.slice(start, d.index), dir, names);
    if (before) return before;
  }
  return scanSubject(content.slice(d.end, end), dir, names);
}

export function buildMilestones(
  content: string,
  finalDue: ISODate | null,
  responsible: Resolved,
  dir: UnitDirectory,
  planYear: number,
): PlanMilestone[] {
  const names = dir.names();
  const deadlines = findDeadlines(content, planYear);
  const dated: PlanMilestone[] = [];
  const undated: Span[] = [];

  // Sentences and deadlines are both in text order: one walk, not a filter per sentence (which is
  // quadratic: a pasted text with 20 000 dated clauses took seconds).
  let next = 0;
  for (const s of sentences(content)) {
    while (next < deadlines.length && deadlines[next]!.index < s.start) next++;
    const inside: DeadlineMatch[] = [];
    while (next < deadlines.length && deadlines[next]!.index < s.end) inside.push(deadlines[next++]!);
    if (inside.length === 0) {
      undated.push(s);
      continue;
    }
    inside.forEach((d, j) => {
      const start = j === 0 ? s.start : d.index;
      const end = inside[j + 1]?.index ?? s.end;
      const actor = actorOf(content, start, d, end, dir, names) ?? responsible;
      dated.push({
        due: d.due,
        text: clauseText(content.slice(start, end)),
        units: [...actor.units],
        unresolved: [...actor.unresolved],
      });
    });
  }

  if (dated.length === 0) {
    if (finalDue === null) return [];
    return [{ due: finalDue, text: clauseText(content), units: [...responsible.units], unresolved: [...responsible.unresolved] }];
  }

  const milestones = [...dated];
  if (finalDue !== null) {
    const coveredUnits = new Set(dated.flatMap((m) => m.units));
    const coveredPhrases = new Set(dated.flatMap((m) => m.unresolved));
    for (const s of undated) {
      const actor = scanSubject(content.slice(s.start, s.end), dir, names);
      if (!actor) continue;
      const adds = actor.units.some((u) => !coveredUnits.has(u)) || actor.unresolved.some((p) => !coveredPhrases.has(p));
      if (!adds) continue;
      milestones.push({ due: finalDue, text: clauseText(content.slice(s.start, s.end)), units: actor.units, unresolved: actor.unresolved });
      actor.units.forEach((u) => coveredUnits.add(u));
      actor.unresolved.forEach((p) => coveredPhrases.add(p));
    }
  }
  // Array.prototype.sort is stable.
  return milestones.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}
