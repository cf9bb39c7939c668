/**
 * Digests (通报): weekly and monthly to the leadership groups, the daily overdue list to the bureau
 * group. `buildDigest` aggregates in SQL and writes the Chinese text; `publishDigest` records one
 * `digest` row per group and enqueues its messages in the same transaction — the row is unique on
 * (kind, period, group), so a second attempt (a re-run, another replica) inserts and sends nothing.
 * `runDueDigests` publishes what the schedule says is due since the last pass; a run missed while
 * the server was down is published once on restart, marked （补发）.
 *
 * What a digest reports: figures as of the moment it is built; "newly done" over a window of whole
 * days — for a scheduled weekly/monthly digest the period before the one it is scheduled in (the
 * week or month just ended), for the daily list its day, and for an on-demand digest (/通报,
 * period label 'YYYY-MM-DDTHH:MM') the current week/month/day up to now. Rank changes are against
 * the latest scheduled digest of the same kind.
 */
import { isISODate, shanghaiDate, shanghaiInstant, shanghaiParts, type WorkCalendar } from '../domain/calendar.ts';
import { DomainError } from '../domain/errors.ts';
import {
  addDays,
  DEFAULT_DIGEST_SCHEDULE,
  missedRuns,
  periodFor,
  periodOfDay,
  type Period,
  type PeriodKind,
} from '../domain/schedule/periods.ts';
import { rankUnits, rankWithTrend, type RankedKind, type UnitStats } from '../domain/schedule/ranking.ts';
import type { OutMessage } from '../cards/types.ts';
import { enqueue } from '../bot/outbox/enqueue.ts';
import type { OutboxInput } from '../bot/outbox/types.ts';
import { loadCalendar } from '../handlers/services/calendar.ts';
import * as V from '../handlers/views.ts';
import { digestFigures, type DigestFigures, type DoneWindow } from './digest-figures.ts';
import {
  digestTitle,
  ON_DEMAND_RE,
  periodText,
  overdueMarkdown,
  problemMarkdown,
  rankingMessages,
  summaryMarkdown,
  type DigestKind,
  type RankingSection,
} from './digest-text.ts';
import { instantParam } from './instant.ts';
import { problemSection } from './digest-problems.ts';
import type { ProblemTotals } from '../handlers/services/problem-stats.ts';
import type { CompletionChartInput, SchedulerDeps } from './types.ts';

export type { DigestKind } from './digest-text.ts';

export type DigestDeps = Pick<SchedulerDeps, 'db' | 'log' | 'notifyPlatforms' | 'renderChart' | 'yellowWorkdays' | 'digestSchedule'> & {
  now?: () => Date;
  cal?: WorkCalendar;
};

/** What the next digest of the kind compares its ranks with. */
export interface DigestData {
  kind: DigestKind;
  period: string;
  asOf: string;
  total: number;
  done: number;
  completionRate: number;
  byStatus: DigestFigures['byStatus'];
  red: number;
  yellow: number;
  newlyDone: number;
  window: { from: string; to: string };
  ranking: Record<RankedKind, { unitCode: string; unitName: string; rank: number; score: number }[]> | null;
  /** The 问题整改 figures, when the problem loop is in use. */
  problems?: ProblemTotals | null;
}

export interface BuiltDigest {
  kind: DigestKind;
  period: string;
  late: boolean;
  title: string;
  /** Markdown messages in order, then the chart image when there is one. */
  messages: OutMessage[];
  /** All markdown, as stored in `digest.content`. */
  content: string;
  data: DigestData;
  figures: DigestFigures;
  ranking: RankingSection[] | null;
}

const RANKED: RankedKind[] = ['PROVINCIAL', 'CITY'];

function periodKindOf(kind: DigestKind): PeriodKind {
  return kind === 'DAILY_OVERDUE' ? 'DAILY' : kind;
}

function badPeriod(kind: DigestKind, label: string): DomainError {
  return new DomainError('DIGEST_BAD_PERIOD', `通报期次「${label}」不正确。`, `invalid ${kind} digest period ${JSON.stringify(label)}`);
}

/** The period a scheduled label names: '2026-06-22', '2026-W26', '2026-06'. */
export function parsePeriodLabel(kind: PeriodKind, label: string): Period {
  let day: string | null = null;
  if (kind === 'DAILY' && isISODate(label)) day = label;
  if (kind === 'MONTHLY' && /^\d{4}-\d{2}$/.test(label) && isISODate(`${label}-01`)) day = `${label}-01`;
  const w = kind === 'WEEKLY' ? /^(\d{4})-W(\d{2})$/.exec(label) : null;
  if (w) {
    // ISO week 1 is the week with 4 January in it.
    const week1 = periodOfDay('WEEKLY', `${w[1]}-01-04`).start;
    day = addDays(week1, (Number(w[2]) - 1) * 7);
  }
  const p = day === null ? null : periodOfDay(kind, day);
  if (!p || p.label !== label) throw badPeriod(kind === 'DAILY' ? 'DAILY_OVERDUE' : kind, label);
  return p;
}

/** The on-demand period label of an instant (Asia/Shanghai minute): never collides with a scheduled one. */
export function onDemandPeriod(now: Date): string {
  const p = shanghaiParts(now);
  return `${p.date}T${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** /通报 [周报|月报|逾期] → digest kind. */
export function digestKindOfCommand(kind: '周报' | '月报' | '逾期'): DigestKind {
  return kind === '月报' ? 'MONTHLY' : kind === '逾期' ? 'DAILY_OVERDUE' : 'WEEKLY';
}

/** The "newly done" window of a digest (see the file comment). */
export function reportWindow(kind: DigestKind, period: string, now: Date): DoneWindow {
  const pk = periodKindOf(kind);
  let from: Date;
  let to: Date;
  if (ON_DEMAND_RE.test(period)) {
    from = shanghaiInstant(periodFor(pk, now).start);
    to = now;
  } else {
    const p = parsePeriodLabel(pk, period);
    if (pk === 'DAILY') {
      from = shanghaiInstant(p.start);
      to = new Date(Math.min(now.getTime(), shanghaiInstant(addDays(p.end, 1)).getTime()));
    } else {
      const previous = periodOfDay(pk, addDays(p.start, -1));
      from = shanghaiInstant(previous.start);
      to = shanghaiInstant(p.start);
    }
  }
  if (to.getTime() < from.getTime()) to = from;
  const firstDay = shanghaiDate(from);
  const lastDay = to.getTime() > from.getTime() ? shanghaiDate(new Date(to.getTime() - 1)) : firstDay;
  return { from, to, firstDay, lastDay };
}

type PreviousRanking = Record<RankedKind, { unitCode: string; rank: number }[]>;

interface History {
  /** Ranks of the latest scheduled digest of the kind (the reference for ↑↓), or null. */
  ranking: PreviousRanking | null;
  /** Overall completion of the latest scheduled digests, oldest first. */
  trend: { label: string; completion: number }[];
}

const TREND_POINTS = 8;

/** '2026-W25' → '第25周', '2026-05' → '5月', '2026-06-22' → '6/22'. */
function shortLabel(period: string): string {
  let m = /^\d{4}-W(\d{2})$/.exec(period);
  if (m) return `第${Number(m[1])}周`;
  m = /^\d{4}-(\d{2})$/.exec(period);
  if (m) return `${Number(m[1])}月`;
  m = /^\d{4}-(\d{2})-(\d{2})$/.exec(period);
  return m ? `${Number(m[1])}/${Number(m[2])}` : '本期';
}

/**
 * The latest scheduled digests of a kind before this period (one row per period: the groups of a
 * period share their figures). Scheduled labels never contain 'T'; on-demand digests are no reference.
 */
async function history(deps: Pick<DigestDeps, 'db' | 'log'>, kind: DigestKind, period: string): Promise<History> {
  const sql = deps.db.sql;
  const latest = await sql.query<{ id: unknown }>(
    `SELECT MIN(id) AS id FROM digest WHERE kind = ? AND period <> ? AND period NOT LIKE '%T%' AND data IS NOT NULL
      GROUP BY period ORDER BY MAX(created_at) DESC, MAX(id) DESC LIMIT ?`,
    [kind, period, TREND_POINTS - 1],
  );
  if (latest.length === 0) return { ranking: null, trend: [] };
  const ids = latest.map((r) => Number(r.id));
  const rows = await sql.query<{ id: unknown; period: string; data: string }>(
    `SELECT id, period, data FROM digest WHERE id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  const parsed = new Map<number, { period: string; data: Partial<DigestData> }>();
  for (const r of rows) {
    try {
      parsed.set(Number(r.id), { period: r.period, data: JSON.parse(r.data) as Partial<DigestData> });
    } catch (e) {
      deps.log.warn({ kind, period: r.period, err: (e as Error).message }, 'stored digest data is not JSON; left out of trends');
    }
  }
  const ordered = ids.flatMap((id) => parsed.get(id) ?? []); // newest first
  return {
    ranking: ordered[0]?.data.ranking ?? null,
    trend: ordered
      .filter((d) => typeof d.data.completionRate === 'number')
      .map((d) => ({ label: shortLabel(d.period), completion: d.data.completionRate! }))
      .reverse(),
  };
}

/**
 * The ranking of a digest: `units` ranked by the published rules, with ↑↓ against the latest
 * scheduled digest of the kind, and the completion trend of those digests. The web ranking board
 * (web/server/read/ranking.ts) calls this too, so the console shows the digest's numbers.
 */
export async function digestRanking(
  deps: Pick<DigestDeps, 'db' | 'log'>,
  kind: DigestKind,
  period: string,
  units: readonly UnitStats[],
): Promise<{ sections: RankingSection[]; trend: History['trend'] }> {
  const ranked = rankUnits(units);
  const past = await history(deps, kind, period);
  const sections = RANKED.map((k) => ({ kind: k, rows: rankWithTrend(ranked[k].rows, past.ranking?.[k] ?? null), unranked: ranked[k].unranked }));
  return { sections, trend: past.trend };
}

async function chartMessage(
  deps: DigestDeps,
  title: string,
  figures: DigestFigures,
  trend: CompletionChartInput['trend'],
): Promise<OutMessage | null> {
  if (!deps.renderChart) return null;
  const units = figures.units
    .filter((u) => u.total > 0)
    .map((u) => ({ unitCode: u.unitCode, unitName: u.unitName, kind: u.kind, total: u.total, done: u.done, doneOnTime: u.doneOnTime, overdueOpen: u.overdueOpen }));
  try {
    const png = await deps.renderChart({ title, asOf: figures.asOf, units, trend });
    return { type: 'image', title: `${title} 各单位完成情况`, alt: `${title}：各单位督办单完成情况图`, pngBase64: Buffer.from(png).toString('base64') };
  } catch (e) {
    // A digest without its picture is better than no digest.
    deps.log.warn({ title, err: (e as Error).message }, 'digest chart failed; sending the digest without it');
    return null;
  }
}

export async function buildDigest(deps: DigestDeps, kind: DigestKind, period: string, now: Date, opts: { late?: boolean } = {}): Promise<BuiltDigest> {
  const late = opts.late === true;
  const cal = deps.cal ?? (await loadCalendar(deps.db));
  const today = shanghaiDate(now);
  const window = reportWindow(kind, period, now);
  const daily = kind === 'DAILY_OVERDUE';
  const figures = await digestFigures(deps.db, cal, today, window, {
    limit: daily ? 20 : 10,
    yellowWorkdays: deps.yellowWorkdays ?? 3,
    withRanking: !daily,
  });
  const title = digestTitle(kind, period, late);
  const markdowns: { title: string; md: string }[] = [];
  let ranking: RankingSection[] | null = null;
  let problems: Awaited<ReturnType<typeof problemSection>> = null;
  let chart: OutMessage | null = null;
  if (daily) {
    markdowns.push({ title, md: overdueMarkdown(title, figures, now, late) });
  } else {
    markdowns.push({ title, md: summaryMarkdown(title, figures, now, late) });
    problems = await problemSection(deps.db, window, today);
    if (problems) markdowns.push({ title: `${title} 问题整改`, md: problemMarkdown(`问题整改情况（${periodText(period)}）`, problems) });
    const past = await digestRanking(deps, kind, period, figures.units);
    ranking = past.sections;
    const beside = problems ? new Map(problems.byUnit.map((u) => [u.unitCode, u])) : undefined;
    for (const md of rankingMessages(ranking, today, beside)) markdowns.push({ title: `${title} 排名`, md });
    chart = await chartMessage(deps, title, figures, [...past.trend, { label: shortLabel(period), completion: figures.completionRate }]);
  }
  const messages: OutMessage[] = markdowns.map((m) => V.markdown(m.title, m.md));
  if (chart) messages.push(chart);
  const data: DigestData = {
    kind,
    period,
    asOf: today,
    total: figures.total,
    done: figures.done,
    completionRate: figures.completionRate,
    byStatus: figures.byStatus,
    red: figures.red,
    yellow: figures.yellow,
    newlyDone: figures.newlyDone,
    window: { from: window.from.toISOString(), to: window.to.toISOString() },
    ranking: ranking
      ? (Object.fromEntries(ranking.map((s) => [s.kind, s.rows.map((r) => ({ unitCode: r.unitCode, unitName: r.unitName, rank: r.rank, score: r.score }))])) as DigestData['ranking'])
      : null,
    problems: problems?.totals ?? null,
  };
  return { kind, period, late, title, messages, content: markdowns.map((m) => m.md).join('\n\n'), data, figures, ranking };
}

export interface PublishResult {
  /** Groups that got the digest now. */
  published: number;
  /** Groups that already had it (earlier attempt or another replica). */
  already: number;
  messages: number;
}

interface GroupRow {
  id: string;
  platform: string;
  chat_id: string | null;
}

export async function publishDigest(
  deps: DigestDeps,
  kind: DigestKind,
  period: string,
  opts: { late?: boolean; now?: Date } = {},
): Promise<PublishResult> {
  const now = opts.now ?? deps.now?.() ?? new Date();
  const { db, log } = deps;
  const purpose = kind === 'DAILY_OVERDUE' ? 'BUREAU' : 'LEADERSHIP';
  const groups = (await db.sql.query<GroupRow>(`SELECT id, platform, chat_id FROM chat_group WHERE purpose = ? ORDER BY id`, [purpose]))
    .filter((g) => (deps.notifyPlatforms as string[]).includes(g.platform));
  if (groups.length === 0) {
    log.warn({ kind, period, purpose }, 'digest not published: no chat group of that purpose on the notify platforms');
    return { published: 0, already: 0, messages: 0 };
  }
  const done = new Set(
    (await db.sql.query<{ group_id: string }>(`SELECT group_id FROM digest WHERE kind = ? AND period = ?`, [kind, period])).map((r) => r.group_id),
  );
  const pending = groups.filter((g) => !done.has(g.id));
  if (pending.length === 0) return { published: 0, already: groups.length, messages: 0 };

  const built = await buildDigest(deps, kind, period, now, { late: opts.late === true });
  const result = await db.sql.transaction(async (tx) => {
    const inserted = await tx.insertManyReturning<{ group_id: string }>(
      'digest',
      ['kind', 'period', 'group_id', 'late', 'content', 'data', 'created_at'],
      pending.map((g) => [kind, period, g.id, built.late, built.content, JSON.stringify(built.data), instantParam(db.provider, now)]),
      ['kind', 'period', 'group_id'],
      ['group_id'],
    );
    const ours = new Set(inserted.map((r) => r.group_id));
    const messages: OutboxInput[] = [];
    for (const g of pending.filter((x) => ours.has(x.id))) {
      // A group without a chat id (robot webhook only) is addressed by its purpose.
      const target = g.chat_id ? `group:${g.chat_id}` : purpose === 'BUREAU' ? 'bureau' : 'leadership';
      built.messages.forEach((message, i) => {
        messages.push({
          idempotencyKey: `${g.platform}:digest:${kind}:${period}:${g.id}:${i + 1}`,
          platform: g.platform as OutboxInput['platform'],
          target,
          kind: message.type === 'image' ? 'digest-chart' : 'digest',
          payload: { message },
        });
      });
    }
    return { published: ours.size, already: groups.length - ours.size, messages: await enqueue(tx, messages, now) };
  });
  log.info({ kind, period, late: built.late, ...result }, 'digest published');
  return result;
}

export interface DueDigest {
  kind: DigestKind;
  period: string;
  late: boolean;
  scheduledAt: Date;
  result: PublishResult;
}

/** Publishes every digest the schedule says is due in (lastRunAt, now]; see `missedRuns`. */
export async function runDueDigests(deps: DigestDeps, now: Date, lastRunAt: Date | null): Promise<DueDigest[]> {
  const cal = deps.cal ?? (await loadCalendar(deps.db));
  const runs = missedRuns(deps.digestSchedule ?? DEFAULT_DIGEST_SCHEDULE, lastRunAt, now, cal);
  const out: DueDigest[] = [];
  for (const run of runs) {
    const kind: DigestKind = run.kind === 'DAILY' ? 'DAILY_OVERDUE' : run.kind;
    const result = await publishDigest({ ...deps, cal }, kind, run.period.label, { late: run.late, now });
    out.push({ kind, period: run.period.label, late: run.late, scheduledAt: run.scheduledAt, result });
  }
  return out;
}
