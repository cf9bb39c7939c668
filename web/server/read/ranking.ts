/**
 * The ranking board (晾晒): the digest's ranking, computed by the digest's own code — unitStats
 * (handlers/services/ranking-stats.ts), the published score (domain/schedule/ranking.ts) and the
 * digest's ↑↓ reference (scheduler/digests.ts `digestRanking`) — so the console and the digest
 * always show the same numbers for the same moment.
 *
 * Periods: 'week' and 'month' are the on-demand weekly and monthly digests of now (/通报 周报|月报):
 * scores to today, rank changes against the latest scheduled digest of that kind, figures of the
 * period (done, problems) over the digest's window. 'plan' is the same scores since the plan
 * began, without a rank change (there is no previous period).
 *
 * Beside the score, not part of it: problems (section 九, problem-stats.ts) and returns compliance
 * (returns-compliance.ts).
 */
import type { Database } from '../../../prisma/client.ts';
import { shanghaiDate } from '../../../domain/calendar.ts';
import { rankUnits, RANKING_RULES_ZH, RANKING_WEIGHTS, type RankedKind } from '../../../domain/schedule/ranking.ts';
import { loadCalendar } from '../../../handlers/services/calendar.ts';
import { unitStats } from '../../../handlers/services/ranking-stats.ts';
import { problemStatsByUnit, type ProblemUnitStats } from '../../../handlers/services/problem-stats.ts';
import { returnsComplianceByUnit, type UnitReturnsCompliance } from '../../../handlers/services/returns-compliance.ts';
import { digestRanking, onDemandPeriod, reportWindow, type DigestKind } from '../../../scheduler/digests.ts';
import type { RankingSection } from '../../../scheduler/digest-text.ts';
import { instantParam } from '../../../scheduler/instant.ts';
import { memoCalendar } from '../../../domain/calendar-memo.ts';

export const RANKING_PERIODS = ['week', 'month', 'plan'] as const;
export type RankingPeriod = (typeof RANKING_PERIODS)[number];

const DIGEST_KIND: Record<Exclude<RankingPeriod, 'plan'>, DigestKind> = { week: 'WEEKLY', month: 'MONTHLY' };
const PERIOD_LABEL: Record<RankingPeriod, string> = { week: '本周', month: '本月', plan: '方案实施以来' };
const KIND_LABEL: Record<RankedKind, string> = { PROVINCIAL: '省直单位', CITY: '市州' };

const num = (v: unknown): number => Number(v ?? 0);

interface Log {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
}

/** The digest the ↑↓ of a kind refer to (the same choice as the digest's own history). */
async function reference(db: Database, kind: DigestKind, period: string) {
  const rows = await db.sql.query<{ period: string }>(
    `SELECT period FROM digest WHERE kind = ? AND period <> ? AND period NOT LIKE '%T%' AND data IS NOT NULL
      GROUP BY period ORDER BY MAX(created_at) DESC, MAX(id) DESC LIMIT 1`,
    [kind, period],
  );
  return rows[0]?.period ?? null;
}

/** Plan tickets done in [from, to) per unit. */
async function doneInWindow(db: Database, from: Date, to: Date): Promise<Map<string, number>> {
  const rows = await db.sql.query<{ unit_code: string; n: unknown }>(
    `SELECT unit_code, COUNT(*) AS n FROM ticket WHERE kind = 'PLAN' AND status = 'DONE' AND done_at >= ? AND done_at < ? GROUP BY unit_code`,
    [instantParam(db.provider, from), instantParam(db.provider, to)],
  );
  return new Map(rows.map((r) => [r.unit_code, num(r.n)]));
}

function problemColumns(p: ProblemUnitStats | undefined) {
  return p ? { received: p.received, closed: p.closed, onTimeRate: p.onTimeRate, open: p.open, overdueOpen: p.overdueOpen } : null;
}

function returnsColumns(r: UnitReturnsCompliance | undefined) {
  return r ? { compliance: r.compliance, missingAnnexes: r.missingAnnexes, rowsWithViolations: r.rowsWithViolations } : null;
}

export async function rankingBoard(db: Database, log: Log, period: RankingPeriod, now: Date) {
  // unitStats asks the calendar about the same due dates once per unit: answers are pure, so cache them.
  const cal = memoCalendar(await loadCalendar(db));
  const today = shanghaiDate(now);
  const units = await unitStats(db, cal, today);
  let sections: RankingSection[];
  let label: string | null = null;
  let comparedWith: string | null = null;
  let window: { from: Date; to: Date };
  if (period === 'plan') {
    const ranked = rankUnits(units);
    sections = (['PROVINCIAL', 'CITY'] as const).map((k) => ({
      kind: k,
      rows: ranked[k].rows.map((r) => ({ ...r, previousRank: null, delta: null, arrow: '—' as const })),
      unranked: ranked[k].unranked,
    }));
    window = { from: new Date(0), to: now };
  } else {
    const kind = DIGEST_KIND[period];
    label = onDemandPeriod(now);
    const [r, ref] = await Promise.all([digestRanking({ db, log }, kind, label, units), reference(db, kind, label)]);
    sections = r.sections;
    comparedWith = ref;
    window = reportWindow(kind, label, now);
  }
  const [done, problems, returns] = await Promise.all([
    doneInWindow(db, window.from, window.to),
    problemStatsByUnit(db, { from: window.from, to: window.to, asOf: today }),
    returnsComplianceByUnit(db),
  ]);
  const problemOf = new Map(problems.map((p) => [p.unitCode, p]));
  const returnsOf = new Map(returns.map((r) => [r.unitCode, r]));
  return {
    period,
    periodLabel: PERIOD_LABEL[period],
    asOf: today,
    digestPeriod: label,
    comparedWith,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    weights: RANKING_WEIGHTS,
    rulesMarkdown: RANKING_RULES_ZH,
    groups: sections.map((s) => ({
      kind: s.kind,
      label: KIND_LABEL[s.kind],
      rows: s.rows.map((r) => ({
        unitCode: r.unitCode,
        unitName: r.unitName,
        rank: r.rank,
        tied: s.rows.filter((x) => x.rank === r.rank).length > 1,
        score: r.score,
        parts: r.parts,
        previousRank: r.previousRank,
        delta: r.delta,
        arrow: period === 'plan' ? null : r.arrow,
        total: r.total,
        done: r.done,
        doneOnTime: r.doneOnTime,
        overdueOpen: r.overdueOpen,
        overdueWorkdaysSum: r.overdueWorkdaysSum,
        returnedAfterReview: r.returnedAfterReview,
        disclaims: r.disclaims ?? 0,
        doneInPeriod: done.get(r.unitCode) ?? 0,
        problems: problemColumns(problemOf.get(r.unitCode)),
        returns: returnsColumns(returnsOf.get(r.unitCode)),
      })),
      unranked: s.unranked.map((u) => ({
        unitCode: u.unitCode,
        unitName: u.unitName,
        doneInPeriod: done.get(u.unitCode) ?? 0,
        problems: problemColumns(problemOf.get(u.unitCode)),
        returns: returnsColumns(returnsOf.get(u.unitCode)),
      })),
    })),
  };
}

export type RankingBoard = Awaited<ReturnType<typeof rankingBoard>>;
