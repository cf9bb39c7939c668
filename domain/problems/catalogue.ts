/**
 * The service catalogue as routing sees it: 附件3/附件4 entries per unit, each turned into match
 * patterns. A catalogue name can yield several patterns: "退休证明打印类（退休证明、养老金核定表…）"
 * matches as 退休证明打印 and as each bracketed service; "城乡居民社保(医保)缴费" also as
 * 城乡居民医保缴费; a generic leftover like "提取" only next to a context word (公积金).
 */
import type { ParsedPlan } from '../plan/types.ts';
import { ACTIONS, GENERIC_CONTEXT, normalizeText, QUALIFIERS, SUBJECT_QUALIFIERS, WEAK_SUBJECTS } from './synonyms.ts';
import type { CatalogueEntry, RouteUnit } from './types.ts';

export interface Pattern {
  entry: CatalogueEntry;
  /** Normalised words to find in the text, e.g. 婚姻登记预约. */
  text: string;
  /** Non-action parts: every group must be present, the words of a group are alternatives. */
  subjects: string[][];
  /** Verbs (登记, 预约): their presence raises the strength. */
  actions: string[];
  /** For generic names: one of these words must be present too; null when not generic. */
  context: readonly string[] | null;
}

/** The catalogue and route units of a parsed plan (the seed plan in tests; the database in service). */
export function catalogueFromPlan(plan: ParsedPlan): { catalogue: CatalogueEntry[]; units: RouteUnit[] } {
  const byCode = new Map(plan.units.map((u) => [u.code, u]));
  const catalogue: CatalogueEntry[] = [];
  for (const list of plan.services) {
    const unit = byCode.get(list.unit);
    if (!unit) continue;
    for (const name of list.services) {
      catalogue.push({ unitCode: unit.code, unitName: unit.name, unitKind: unit.kind, annex: list.annex, name });
    }
  }
  const units = plan.units.map((u) => ({ code: u.code, name: u.name, aliases: [...u.aliases], kind: u.kind }));
  return { catalogue, units };
}

/**
 * Split a normalised name into subject groups and actions: 婚姻登记预约 → [[婚姻]], [登记, 预约].
 * Every group must be present; the words of one group are alternatives (个人信息修改与家庭共济 →
 * [[个人信息修改, 家庭共济]]). A leading qualifier becomes its own group (灵活就业医保 →
 * [[灵活就业], [医保]]) so words in between do not break the match.
 */
export function segment(name: string): { subjects: string[][]; actions: string[] } {
  const actions: string[] = [];
  let rest = name;
  for (const a of ACTIONS) {
    // An action word followed by 证/书/表/单 is part of a noun (许可证, 申请表).
    const re = new RegExp(`${a}(?![证书表单])`, 'g');
    if (re.test(rest)) {
      actions.push(a);
      rest = rest.replace(re, '|');
    }
  }
  const subjects: string[][] = [];
  for (const chunk of rest.split('|')) {
    const alts = chunk
      .split(/[/、，,和及与或]+/)
      .map((s) => s.replace(/^(?:类|服务|的)+|(?:类服务|类|服务|的)+$/g, ''))
      .filter((s) => s.length >= 2);
    if (alts.length === 0) continue;
    const first = alts[0]!;
    const q = SUBJECT_QUALIFIERS.find((w) => first.includes(w) && first.length >= w.length + 2);
    if (!q) {
      subjects.push(alts);
      continue;
    }
    const restOfFirst = first.replace(q, '');
    subjects.push([q], alts.length === 1 ? [restOfFirst] : [restOfFirst, ...alts.slice(1)]);
  }
  return { subjects, actions };
}

/**
 * Is a name generic (needs context)? Listed in GENERIC_CONTEXT, or made only of verbs and weak
 * subject of two characters (提取, 证明 — leftovers of "公积金查询、提取、证明…").
 */
function genericContext(name: string, siblings: string[]): readonly string[] | null {
  const listed = GENERIC_CONTEXT[name];
  if (listed) return listed;
  const subjects = segment(name).subjects.flat();
  if (subjects.length > 0 && (name.length > 2 || !subjects.every((s) => WEAK_SUBJECTS.has(s)))) return null;
  const ctx = siblings.flatMap((s) => segment(s).subjects.flat()).filter((s) => s !== name && !s.includes(name));
  return ctx.length > 0 ? ctx : null;
}

/** Service names a catalogue name stands for: the core name plus bracketed services. */
export function namesOf(raw: string): { core: string; extras: string[] } {
  const n = normalizeText(raw);
  // "社保(医保)缴费": a bracket right after a same-length word is an alternative for that word.
  const alt = /(.{2})\((.{2})\)/.exec(n);
  if (alt && !/[含等、]/.test(alt[2]!)) {
    const core = n.replace(alt[0], alt[1]!);
    return { core, extras: [n.replace(alt[0], alt[2]!)] };
  }
  const m = /^(.*?)\((.*)\)(.*)$/.exec(n);
  if (!m) return { core: n.replace(/(?:类服务|类)$/, ''), extras: [] };
  const core = `${m[1]}${m[3]}`.replace(/(?:类服务|类)$/, '');
  const extras = m[2]!
    .replace(/^含/, '')
    .split(/[、，,]|及(?=.{2,}(?:查询|缴费))/)
    .map((s) => s.replace(/^.*等类/, '').replace(/等$/, ''))
    .filter((s) => s.length >= 2 && !QUALIFIERS.has(s));
  return { core, extras };
}

function patternsOfUnitList(entries: CatalogueEntry[]): Pattern[] {
  const out: Pattern[] = [];
  const coreNames = entries.map((e) => namesOf(e.name).core);
  entries.forEach((entry, i) => {
    const { core, extras } = namesOf(entry.name);
    const siblings = coreNames.filter((_, j) => j !== i);
    const coreSubjects = segment(core).subjects.flat();
    for (const [k, text] of [core, ...extras].entries()) {
      // A bracketed generic service (账户查询) takes its context from the core name (养老查询 → 养老).
      const context = genericContext(text, k === 0 ? siblings : coreSubjects);
      const seg = segment(text);
      out.push({ entry, text, subjects: seg.subjects, actions: seg.actions, context });
    }
  });
  return out;
}

/** Patterns of a whole catalogue; siblings (for context) are the entries of the same unit and annex. */
export function buildPatterns(catalogue: readonly CatalogueEntry[]): Pattern[] {
  const groups = new Map<string, CatalogueEntry[]>();
  for (const e of catalogue) {
    const key = `${e.unitCode}\u0000${e.annex}`;
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  return [...groups.values()].flatMap(patternsOfUnitList);
}
