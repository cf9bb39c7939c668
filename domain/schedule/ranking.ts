/**
 * The published ranking (晾晒) of units, computed separately for 省直单位 (PROVINCIAL) and 市州
 * (CITY). Every rule is stated once here and printed for readers by `RANKING_RULES_ZH`, which is
 * built from the same constants so the two cannot drift apart.
 *
 * Input per unit (aggregated elsewhere, over the tickets 纳入考核 for the period: due on or before
 * the cut-off date, or already done):
 *   total, done, doneOnTime (done on or before due), overdueOpen (informational),
 *   overdueWorkdaysSum (per ticket: overdue working days at completion, or so far when open),
 *   acceptedCount / acceptWorkdaysSum (working days from assignment to 签收),
 *   returnedAfterReview (number of 退回; a ticket returned twice counts twice),
 *   disclaims (informational: tickets the unit disputed; a reassigned ticket leaves its totals).
 *
 * Parts (each rounded half up to 0.1 point; the score is their sum, so the table adds up):
 *   按时完成率 40 × doneOnTime / total
 *   完成率     25 × done / total
 *   逾期扣分   15 × max(0, 1 − avg overdue working days per ticket / 10)
 *   响应速度   10 × clamp((5 − avg 签收 working days) / 4, 0, 1); 0 when nothing was accepted
 *   审核退回   10 × max(0, 1 − returnedAfterReview / total)
 * Units with total = 0 are not ranked; they are listed separately.
 *
 * Order: score ↓, on-time rate ↓, overdueWorkdaysSum ↑ — units equal on all three share a rank
 * (competition ranking 1, 2, 2, 4); sortOrder ↑, name (pinyin) and code only fix the listing order.
 */
import { DomainError } from '../errors.ts';

export const RANKING_WEIGHTS = Object.freeze({ onTime: 40, completion: 25, overdue: 15, response: 10, returns: 10 });
/** Average overdue working days per ticket at which the overdue part reaches 0. */
export const OVERDUE_ZERO_AT = 10;
/** Average 签收 time (working days) still worth full marks, and the time worth 0. */
export const RESPONSE_FULL_WITHIN = 1;
export const RESPONSE_ZERO_AT = 5;

export type RankedKind = 'PROVINCIAL' | 'CITY';

export interface UnitStats {
  unitCode: string;
  unitName: string;
  kind: RankedKind;
  total: number;
  done: number;
  doneOnTime: number;
  overdueOpen: number;
  overdueWorkdaysSum: number;
  acceptedCount: number;
  acceptWorkdaysSum: number;
  returnedAfterReview: number;
  disclaims?: number;
  /** Listing order of the unit directory; only breaks otherwise exact ties. */
  sortOrder?: number;
}

export interface ScoreParts {
  onTime: number;
  completion: number;
  overdue: number;
  response: number;
  returns: number;
}

export interface UnitScore {
  /** 0–100, one decimal; the sum of `parts`. */
  score: number;
  parts: ScoreParts;
}

export type RankedUnit = UnitStats & UnitScore & { rank: number };

export interface RankingGroup {
  kind: RankedKind;
  rows: RankedUnit[];
  /** Units without tickets in scope, in listing order. */
  unranked: UnitStats[];
}

export type TrendArrow = '↑' | '↓' | '—' | '新';

export type TrendRow<T> = T & { previousRank: number | null; delta: number | null; arrow: TrendArrow };

/** weight × num / den in tenths of a point, rounded half up, exactly (integers only). */
function tenths(weight: number, num: number, den: number): number {
  return Math.floor((20 * weight * num + den) / (2 * den));
}

function check(u: UnitStats): void {
  const counts = ['total', 'done', 'doneOnTime', 'overdueOpen', 'overdueWorkdaysSum', 'acceptedCount', 'acceptWorkdaysSum', 'returnedAfterReview'] as const;
  const bad: string[] = counts.filter((k) => !Number.isSafeInteger(u[k]) || u[k] < 0);
  if (u.done > u.total) bad.push('done');
  if (u.doneOnTime > u.done) bad.push('doneOnTime');
  if (u.acceptedCount > u.total) bad.push('acceptedCount');
  if (u.overdueOpen > u.total - u.done) bad.push('overdueOpen');
  if (u.kind !== 'PROVINCIAL' && u.kind !== 'CITY') bad.push('kind');
  if (bad.length > 0) {
    throw new DomainError(
      'RANKING_BAD_INPUT',
      `单位「${u.unitName}」的统计数据不正确（${bad.join('、')}）。`,
      `inconsistent ranking input for ${u.unitCode}: ${bad.join(', ')}`,
      { unitCode: u.unitCode, fields: bad },
    );
  }
}

/** The score of a unit with at least one ticket (see the rules above). */
export function scoreUnit(u: UnitStats): UnitScore {
  check(u);
  if (u.total === 0) {
    throw new DomainError('RANKING_NO_TICKETS', `单位「${u.unitName}」没有纳入考核的督办单，不参与排名。`, `unit ${u.unitCode} has no tickets`);
  }
  const w = RANKING_WEIGHTS;
  const overdueDen = OVERDUE_ZERO_AT * u.total;
  const responseDen = (RESPONSE_ZERO_AT - RESPONSE_FULL_WITHIN) * u.acceptedCount;
  const responseNum = Math.min(responseDen, Math.max(0, RESPONSE_ZERO_AT * u.acceptedCount - u.acceptWorkdaysSum));
  const parts = {
    onTime: tenths(w.onTime, u.doneOnTime, u.total),
    completion: tenths(w.completion, u.done, u.total),
    overdue: tenths(w.overdue, Math.max(0, overdueDen - u.overdueWorkdaysSum), overdueDen),
    response: u.acceptedCount === 0 ? 0 : tenths(w.response, responseNum, responseDen),
    returns: tenths(w.returns, Math.max(0, u.total - u.returnedAfterReview), u.total),
  };
  const sum = parts.onTime + parts.completion + parts.overdue + parts.response + parts.returns;
  return {
    score: sum / 10,
    parts: {
      onTime: parts.onTime / 10,
      completion: parts.completion / 10,
      overdue: parts.overdue / 10,
      response: parts.response / 10,
      returns: parts.returns / 10,
    },
  };
}

/** Negative when a ranks ahead of b on the rank-deciding fields; 0 = they share a rank. */
function compareRank(a: RankedUnit, b: RankedUnit): number {
  return (
    Math.round(b.score * 10) - Math.round(a.score * 10) ||
    b.doneOnTime * a.total - a.doneOnTime * b.total || // on-time rate, compared exactly
    a.overdueWorkdaysSum - b.overdueWorkdaysSum
  );
}

function compareListing(a: UnitStats, b: UnitStats): number {
  const order = (u: UnitStats): number => u.sortOrder ?? Number.MAX_SAFE_INTEGER;
  return (
    order(a) - order(b) ||
    a.unitName.localeCompare(b.unitName, 'zh-Hans-CN') ||
    (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0)
  );
}

function rankGroup(kind: RankedKind, units: readonly UnitStats[]): RankingGroup {
  const scored = units
    .filter((u) => u.total > 0)
    .map((u): RankedUnit => ({ ...u, ...scoreUnit(u), rank: 0 }))
    .sort((a, b) => compareRank(a, b) || compareListing(a, b));
  scored.forEach((row, i) => {
    const prev = scored[i - 1];
    row.rank = prev && compareRank(prev, row) === 0 ? prev.rank : i + 1;
  });
  return { kind, rows: scored, unranked: units.filter((u) => u.total === 0).sort(compareListing) };
}

/** Rankings of provincial units and of cities; units of other kinds are refused. */
export function rankUnits(units: readonly UnitStats[]): Record<RankedKind, RankingGroup> {
  units.forEach(check);
  const codes = new Set<string>();
  for (const u of units) {
    if (codes.has(u.unitCode)) {
      throw new DomainError('RANKING_BAD_INPUT', `单位「${u.unitName}」重复出现。`, `duplicate unit ${u.unitCode}`, { unitCode: u.unitCode });
    }
    codes.add(u.unitCode);
  }
  return {
    PROVINCIAL: rankGroup('PROVINCIAL', units.filter((u) => u.kind === 'PROVINCIAL')),
    CITY: rankGroup('CITY', units.filter((u) => u.kind === 'CITY')),
  };
}

/**
 * Rank change against the previous period of the same group, matched by unit code. delta =
 * previousRank − rank (positive: moved up): '↑' up, '↓' down, '—' same rank, '新' not ranked before
 * (delta null).
 */
export function rankWithTrend<T extends { unitCode: string; rank: number }>(
  current: readonly T[],
  previous: readonly { unitCode: string; rank: number }[] | null,
): TrendRow<T>[] {
  const before = new Map((previous ?? []).map((p) => [p.unitCode, p.rank]));
  return current.map((row) => {
    const previousRank = before.get(row.unitCode) ?? null;
    const delta = previousRank === null ? null : previousRank - row.rank;
    const arrow: TrendArrow = delta === null ? '新' : delta > 0 ? '↑' : delta < 0 ? '↓' : '—';
    return { ...row, previousRank, delta, arrow };
  });
}

const W = RANKING_WEIGHTS;

/** The rules as printed in the README and under every published ranking. */
export const RANKING_RULES_ZH = `## 排名规则

省直单位、市州分别排名。纳入考核的督办单：截止统计日已到期的督办单，以及已办结的督办单。得分满分 100 分，由以下五项相加，每项四舍五入保留一位小数：

| 项目 | 分值 | 计算方法 |
|---|---|---|
| 按时完成率 | ${W.onTime} 分 | ${W.onTime} ×（按期办结数 ÷ 纳入考核数） |
| 完成率 | ${W.completion} 分 | ${W.completion} ×（办结数 ÷ 纳入考核数） |
| 逾期扣分 | ${W.overdue} 分 | 平均每件逾期工作日（已办结的按办结时计、未办结的计至统计日）每 1 个工作日扣 ${W.overdue / OVERDUE_ZERO_AT} 分，平均达到 ${OVERDUE_ZERO_AT} 个工作日时本项为 0 |
| 响应速度 | ${W.response} 分 | 平均签收用时不超过 ${RESPONSE_FULL_WITHIN} 个工作日得满分，每多 1 个工作日扣 ${W.response / (RESPONSE_ZERO_AT - RESPONSE_FULL_WITHIN)} 分，达到 ${RESPONSE_ZERO_AT} 个工作日时为 0；尚无签收的得 0 分 |
| 审核退回 | ${W.returns} 分 | ${W.returns} ×（1 − 退回次数 ÷ 纳入考核数），最低 0 分；同一督办单多次退回按次数计 |

- 没有纳入考核督办单的单位不参与排名，单独列出。
- 得分相同时依次比较：按时完成率高者在前、逾期工作日合计少者在前；三项全部相同的单位并列同一名次（其后名次顺延），并列单位按单位排序号、单位名称列出。
- 名次变化与上一期同类排名比较：↑ 上升、↓ 下降、— 持平、新 上期未参与排名。
- 未签收数、逾期未办结数、申请改派数仅作展示，不另行计分。
`;
