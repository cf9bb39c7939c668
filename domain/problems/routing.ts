/**
 * Routing (分流): which unit should fix a reported problem. The owner of a service is the unit that
 * lists it in 附件3/附件4; for services that 各市州 own, the city the text names.
 *
 * 1. Recognise services: every catalogue pattern is scored against the text (the source's service
 *    name when it names a service, else service name + description), see {@link matchAll}; a
 *    pattern seen only partially inside a longer matched service is dropped.
 * 2. City-owned services keep only the cities the text names (浏阳 → 长沙市); a service owned by a
 *    provincial unit and the cities (公积金退休提取) goes to the provincial unit when the text says 省直.
 * 3. A unit the text names (税务局, 派出所) adds a little to its matches; with no service
 *    recognised, a single named unit gets the problem at exactly the threshold.
 * 4. Confidence = best unit score s1 damped by the best other unit s2 (strong matches only):
 *    s1 × (1 − s2 / (2 s1)). Two units equally likely → at most half the score → the bureau decides.
 *
 * Measured on test/fixtures/problems/routing.json (128 reports): precision 100%, coverage 86.7%.
 */
import { buildPatterns, type Pattern } from './catalogue.ts';
import { matchAll, NOISE, type Match } from './match.ts';
import { buildPlaceIndex, findCities, type PlaceIndex } from './places.ts';
import { normalizeText, UNIT_MENTIONS } from './synonyms.ts';
import type { CatalogueEntry, RouteCandidate, RouteResult, RouteUnit } from './types.ts';

/** Below this (or with unitCode null) a problem waits for the bureau (PENDING_ROUTE). */
export const ROUTE_CONFIDENCE_THRESHOLD = 0.6;

/** Words that tie a problem to the provincial co-owner of a city service (公积金退休提取). */
const PROVINCIAL_MARKERS = /省直|省级|省本级/;
/** What naming a unit adds to that unit's service matches. */
const MENTION_BONUS = 0.05;
/** Confidence of routing by a named unit alone, no service recognised: just enough to route. */
const MENTION_ONLY = ROUTE_CONFIDENCE_THRESHOLD;

const NO_SERVICE = '未能在附件3、附件4服务清单中识别所涉服务，需省数据局人工分派';

const patternCache = new WeakMap<readonly CatalogueEntry[], Pattern[]>();
const placeCache = new WeakMap<readonly RouteUnit[], PlaceIndex>();

function patternsOf(catalogue: readonly CatalogueEntry[]): Pattern[] {
  let p = patternCache.get(catalogue);
  if (!p) patternCache.set(catalogue, (p = buildPatterns(catalogue)));
  return p;
}

function placesOf(units: readonly RouteUnit[]): PlaceIndex {
  let p = placeCache.get(units);
  if (!p) placeCache.set(units, (p = buildPlaceIndex(units)));
  return p;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** Units the text names (税务局, 派出所 …, or a unit's own name), with the words used. */
function mentionedUnits(text: string, units: readonly RouteUnit[]): Map<string, { unit: RouteUnit; said: string }> {
  const t = normalizeText(text);
  const out = new Map<string, { unit: RouteUnit; said: string }>();
  for (const u of units) {
    if (u.kind === 'CITY') continue;
    const said = [u.name, ...u.aliases].find((n) => n.length >= 3 && t.includes(normalizeText(n)));
    if (said) out.set(u.code, { unit: u, said });
  }
  for (const [re, name] of UNIT_MENTIONS) {
    const m = re.exec(t);
    const u = m ? units.find((x) => x.name === name || x.aliases.includes(name)) : undefined;
    if (m && u && !out.has(u.code)) out.set(u.code, { unit: u, said: m[0] });
  }
  return out;
}

/** A catalogue name without its list of bracketed services: 税务票证（含…电子发票等） → 税务票证. */
function catalogueLine(name: string): string {
  const m = /^(.*?)[（(](.*?)[）)](.*)$/.exec(name);
  if (!m) return name;
  return /[含等、，]/.test(m[2]!) || m[2]!.length > 4 ? `${m[1]}${m[3]}` : name;
}

function annexNote(entries: CatalogueEntry[]): string {
  const annexes = [...new Set(entries.map((e) => e.annex))].sort();
  return `（${annexes.map((a) => `附件${a}`).join('、')}）`;
}

function ownersText(entries: CatalogueEntry[]): string {
  const provincial = [...new Set(entries.filter((e) => e.unitKind !== 'CITY').map((e) => e.unitName))];
  const city = entries.some((e) => e.unitKind === 'CITY');
  return [...provincial, ...(city ? ['各市州'] : [])].join('和');
}

interface Narrowed {
  matches: Match[];
  /** Per service shared with cities: what the text said about the place. */
  notes: Map<string, string>;
}

/** Keep the cities the text names; prefer the provincial co-owner when the text says 省直. */
function narrowByPlace(matches: Match[], text: string, places: PlaceIndex): Narrowed {
  const cities = findCities(normalizeText(text), places);
  const provincialSaid = PROVINCIAL_MARKERS.exec(normalizeText(text))?.[0] ?? null;
  const notes = new Map<string, string>();
  const byService = new Map<string, Match[]>();
  for (const m of matches) {
    const k = m.pattern.entry.name;
    byService.set(k, [...(byService.get(k) ?? []), m]);
  }
  const out: Match[] = [];
  for (const [service, group] of byService) {
    const cityOwned = group.filter((m) => m.pattern.entry.unitKind === 'CITY');
    if (cityOwned.length === 0) {
      out.push(...group);
      continue;
    }
    const provincial = group.filter((m) => m.pattern.entry.unitKind !== 'CITY');
    const named = cityOwned.filter((m) => cities.some((c) => c.code === m.pattern.entry.unitCode));
    if (named.length > 0) {
      out.push(...named);
      const said = cities.filter((c) => named.some((m) => m.pattern.entry.unitCode === c.code)).map((c) => `「${c.said}」`);
      notes.set(service, `描述提到${said.join('、')}`);
    } else if (provincial.length > 0 && provincialSaid) {
      out.push(...provincial);
      notes.set(service, `描述提到「${provincialSaid}」`);
    } else {
      out.push(...group);
      notes.set(service, '描述未提及所在市州');
    }
  }
  return { matches: out, notes };
}

/** The unit a problem should go to, how sure that is, and why (in Chinese). */
export function routeProblem(
  input: { serviceName?: string | null; description: string },
  catalogue: CatalogueEntry[],
  units: RouteUnit[],
): RouteResult {
  const patterns = patternsOf(catalogue);
  const serviceName = (input.serviceName ?? '').trim();
  const full = serviceName === '' ? input.description : `${serviceName}|${input.description}`;

  // The source's service name is a structured claim: when it names a catalogue service, the
  // description only helps to find the city (a 考试报名 mentioned in a 非税缴费 report is context).
  let matches = serviceName === '' ? [] : matchAll(serviceName, patterns);
  if (!matches.some((m) => m.score >= 0.75)) matches = matchAll(full, patterns);
  const { matches: narrowed, notes } = narrowByPlace(matches, full, placesOf(units));
  const mentions = mentionedUnits(full, units);

  const byUnit = new Map<string, Match>();
  for (const m of narrowed) {
    const bonus = mentions.has(m.pattern.entry.unitCode) ? MENTION_BONUS : 0;
    const scored = bonus > 0 ? { ...m, score: round(Math.min(1, m.score + bonus)) } : m;
    const cur = byUnit.get(m.pattern.entry.unitCode);
    if (!cur || scored.score > cur.score) byUnit.set(m.pattern.entry.unitCode, scored);
  }
  const ranked = [...byUnit.values()].sort((a, b) => b.score - a.score);
  const candidates: RouteCandidate[] = ranked.slice(0, 5).map((m) => ({
    unitCode: m.pattern.entry.unitCode,
    score: m.score,
    matched: m.display,
  }));
  const top = ranked[0];
  if (!top || top.score < 0.4) return byMentionOnly(mentions, candidates);

  const rivals = ranked.slice(1).filter((m) => m.score >= NOISE);
  const s2 = rivals[0]?.score ?? 0;
  const confidence = round(top.score * (1 - s2 / (2 * top.score)));
  const service = top.pattern.entry.name;
  const sameService = catalogue.filter((e) => e.name === service);
  // A bracketed service (电子发票) names its catalogue line (税务票证); a completed leftover (公积金提取) need not.
  const line = catalogueLine(service);
  const sameWords = top.display.endsWith(line) || line.includes(top.display) || top.display.includes(line);
  const annexes = annexNote(sameService).replace(/）$/, sameWords ? '）' : `「${line}」）`);
  const owner = `服务「${top.display}」${sameService.length > 1 ? `由${ownersText(sameService)}负责` : `属${top.pattern.entry.unitName}`}${annexes}`;
  const note = notes.get(service);

  if (rivals.length > 0 && s2 >= top.score - 1e-9) {
    const tied = [top, ...rivals.filter((m) => m.score >= top.score - 1e-9)];
    const cityTie = note !== undefined && tied.every((m) => m.pattern.entry.name === service);
    const reason = cityTie
      ? `${owner}，${note}，需人工分派`
      : `可能属${[...new Set(tied.map((m) => `${m.pattern.entry.unitName}（「${m.display}」）`))].slice(0, 4).join('、')}，无法确定，需人工分派`;
    return { unitCode: null, confidence, reason, candidates, service: cityTie ? service : null };
  }
  const mention = mentions.get(top.pattern.entry.unitCode);
  const where = note ? `，${note}，属${top.pattern.entry.unitName}` : mention ? `，描述提到「${mention.said}」` : '';
  const doubt =
    confidence >= ROUTE_CONFIDENCE_THRESHOLD
      ? ''
      : rivals.length > 0
        ? `；也可能属${rivals[0]!.pattern.entry.unitName}（「${rivals[0]!.display}」），需人工确认`
        : '；匹配较弱，需人工确认';
  return { unitCode: top.pattern.entry.unitCode, confidence, reason: `${owner}${where}${doubt}`, candidates, service };
}

/** No service recognised: a single unit the text names gets it, barely above the threshold. */
function byMentionOnly(mentions: Map<string, { unit: RouteUnit; said: string }>, candidates: RouteCandidate[]): RouteResult {
  const named = [...mentions.values()];
  if (named.length !== 1) {
    const also = named.length > 1 ? `；描述提到${named.map((n) => `「${n.said}」`).join('、')}，无法确定单位` : '';
    return { unitCode: null, confidence: 0, reason: `${NO_SERVICE}${also}`, candidates, service: null };
  }
  const { unit, said } = named[0]!;
  return {
    unitCode: unit.code,
    confidence: MENTION_ONLY,
    reason: `未识别具体服务，描述点名「${said}」，按${unit.name}分派`,
    candidates: [{ unitCode: unit.code, score: MENTION_ONLY, matched: said }],
    service: null,
  };
}
