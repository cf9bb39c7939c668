/**
 * Resolving unit phrases to unit codes.
 *
 * - 省直各单位 / 各省直单位 (and 省直各部门…) → every PROVINCIAL collective unit of the directory.
 * - 各市州 → the 14 cities.
 * - A named unit (name or alias) → its code.
 * - Phrases that need a person's decision go to `unresolved`, verbatim: 省直相关单位, 省直有关单位,
 *   各级各部门, and enumerations closed by 等…单位 ("省工信厅、…、省税务局等政策制定单位" — the named
 *   units still resolve, the whole enumeration is kept as the unresolved phrase).
 */
import { clean } from './text.ts';
import type { UnitDirectory } from './units.ts';

export interface Resolved {
  units: string[];
  unresolved: string[];
}

const ALL_PROVINCIAL = ['省直各单位', '各省直单位', '省直各部门', '各省直部门', '省直各单位（部门）'];
const ALL_CITIES = ['各市州', '各市（州）', '各市(州)', '14个市州', '全省各市州', '各市州人民政府'];
const COLLECTIVE = [...ALL_PROVINCIAL, ...ALL_CITIES].sort((a, b) => b.length - a.length);

/** Collective phrases a person has to resolve, matched at the start of a text. */
const UNRESOLVED_AT = /^(?:(?:全省)?各级各(?:部门|单位)|(?:省直|省级|中央在湘)?(?:各)?(?:相关|有关)(?:单位|部门|机构)(?:（部门）)?)/;
/** "等政策制定单位" after an enumeration of units. */
const ETC_AT = /^等[^，。；、,;\s]{0,15}?(?:单位|部门|机构)/;

type Item = { kind: 'provincial' } | { kind: 'cities' } | { kind: 'unresolved' } | { kind: 'name'; name: string };

/** Remove annotations such as "（牵头）" and surrounding spaces. */
function stripNotes(s: string): string {
  return clean(s.replace(/[（(][^）)]*[）)]$/u, ''));
}

function classify(raw: string, dir: UnitDirectory): Item {
  const item = raw.replace(/[\s\u3000]/g, '');
  if (ALL_PROVINCIAL.includes(item)) return { kind: 'provincial' };
  if (ALL_CITIES.includes(item)) return { kind: 'cities' };
  if (dir.lookup(item)) return { kind: 'name', name: item };
  if (/相关|有关/.test(item) || /^各/.test(item) || /^(全省)?各级/.test(item) || /(单位|部门|机构)$/.test(item)) {
    return { kind: 'unresolved' };
  }
  return { kind: 'name', name: item };
}

interface ListItem {
  item: Item;
  /** The item as written (annotations removed). */
  text: string;
  /** Set when this item closes an enumeration with 等…: the verbatim enumeration. */
  etcPhrase?: string;
}

/** Split a list of units ("A、B等C单位，各市州") into classified items. */
function listItems(text: string, dir: UnitDirectory): ListItem[] {
  const out: ListItem[] = [];
  for (const group of text.split(/[，,；;\n]+/)) {
    const parts = group.split('、');
    parts.forEach((part, i) => {
      const p = stripNotes(part);
      if (p === '') return;
      const etc = /^(.+?)等(.+)$/.exec(p);
      if (etc && !dir.lookup(p) && classify(etc[2] ?? '', dir).kind === 'unresolved') {
        const phrase = clean(parts.slice(0, i + 1).join('、'));
        const head = stripNotes(etc[1] ?? '');
        out.push({ item: classify(head, dir), text: head, etcPhrase: phrase });
      } else {
        out.push({ item: classify(p, dir), text: p });
      }
    });
  }
  return out;
}

/** Unit names a list text mentions (not collective phrases): used to build the document's units. */
export function collectUnitNames(text: string, dir: UnitDirectory): string[] {
  return listItems(text, dir).flatMap(({ item }) => (item.kind === 'name' ? [item.name] : []));
}

/** Resolve a list of units, e.g. the 责任单位 column. Unknown names that the directory lacks are unresolved. */
export function resolveUnitList(text: string, dir: UnitDirectory): Resolved {
  const units: string[] = [];
  const unresolved: string[] = [];
  for (const { item, text: written, etcPhrase } of listItems(text, dir)) {
    if (item.kind === 'provincial') units.push(...dir.provincialCollective());
    else if (item.kind === 'cities') units.push(...dir.cities());
    else if (item.kind === 'name') {
      const unit = dir.lookup(item.name);
      if (unit) units.push(unit.code);
      else unresolved.push(item.name);
    }
    if (item.kind === 'unresolved') unresolved.push(etcPhrase ?? written);
    else if (etcPhrase) unresolved.push(etcPhrase);
  }
  return { units: dir.order(units), unresolved: dedupe(unresolved) };
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs.filter((x) => x !== ''))];
}

interface Match {
  len: number;
  units: string[];
  unresolved: boolean;
}

function matchAt(text: string, pos: number, dir: UnitDirectory, names: string[]): Match | null {
  const rest = text.slice(pos);
  let best: Match | null = null;
  const consider = (m: Match): void => {
    if (!best || m.len > best.len) best = m;
  };
  for (const c of COLLECTIVE) {
    if (rest.startsWith(c)) {
      consider({ len: c.length, units: ALL_PROVINCIAL.includes(c) ? dir.provincialCollective() : dir.cities(), unresolved: false });
    }
  }
  const u = UNRESOLVED_AT.exec(rest);
  if (u) consider({ len: u[0].length, units: [], unresolved: true });
  for (const n of names) {
    if (rest.startsWith(n)) {
      const unit = dir.lookup(n);
      if (unit) consider({ len: n.length, units: [unit.code], unresolved: false });
      break; // names are longest first
    }
  }
  return best;
}

/**
 * The units a clause names as its actor: the run of unit names at the start of `text`
 * ("省直各单位、各市州将…", "省数据局下发…"). Units named later in the clause ("报省数据局备案")
 * are objects, not actors. Null when the text does not start with a unit.
 */
export function scanSubject(text: string, dir: UnitDirectory, names = dir.names()): Resolved | null {
  let pos = /^[\s\u3000，,、：:]*(?:由|请)?/.exec(text)?.[0].length ?? 0;
  let runStart = pos;
  const units: string[] = [];
  const unresolved: string[] = [];
  let found = false;
  for (;;) {
    const m = matchAt(text, pos, dir, names);
    if (!m) break;
    found = true;
    if (m.unresolved) unresolved.push(text.slice(pos, pos + m.len));
    units.push(...m.units);
    pos += m.len;
    const etc = ETC_AT.exec(text.slice(pos));
    if (etc) {
      unresolved.push(text.slice(runStart, pos + etc[0].length));
      pos += etc[0].length;
      runStart = pos;
    }
    const sep = /^(?:、|，|,|以及|和|及|与)/.exec(text.slice(pos));
    if (!sep || !matchAt(text, pos + sep[0].length, dir, names)) break;
    pos += sep[0].length;
    if (sep[0] === '，' || sep[0] === ',') runStart = pos;
  }
  return found ? { units: dir.order(units), unresolved: dedupe(unresolved) } : null;
}
