/**
 * The ranking board shows the digest's numbers: for the same moment, the API's rows (rank, score,
 * parts, change against the previous digest) are the rows of the weekly and monthly digest the
 * scheduler would build. Problems and returns compliance sit beside the score.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { buildDigest, onDemandPeriod, publishDigest, type DigestDeps } from '../../scheduler/digests.ts';
import { returnsComplianceByUnit } from '../../handlers/services/returns-compliance.ts';
import { RANKING_RULES_ZH } from '../../domain/schedule/ranking.ts';
import { createLogger } from '../../bot/logger.ts';
import type { RankingBoard } from '../../web/server/read/ranking.ts';
import { startConsoleApp, type ConsoleApp } from './console-app.ts';

type Row = RankingBoard['groups'][number]['rows'][number];

describe.each(dbKinds)('ranking board (%s)', (kind) => {
  let c: ConsoleApp;
  let staff: WebClient;
  let officer: WebClient;
  let deps: DigestDeps;
  const now = new Date('2026-07-06T02:00:00Z'); // Monday, week 2026-W28

  /** Tickets of a unit: the first `n`, due mid-June so that they are judged. */
  async function judged(unit: string, n: number): Promise<number[]> {
    const ids = (await c.db.prisma.ticket.findMany({ where: { unitCode: unit }, orderBy: { id: 'asc' }, take: n, select: { id: true } })).map((t) => t.id);
    await c.db.prisma.ticket.updateMany({ where: { id: { in: ids } }, data: { due: '2026-06-15', originalDue: '2026-06-15' } });
    return ids;
  }
  const done = (ids: number[], at: string) => c.db.prisma.ticket.updateMany({ where: { id: { in: ids } }, data: { status: 'DONE', progress: 100, doneAt: new Date(at), acceptedAt: new Date('2026-06-03T02:00:00Z') } });

  beforeAll(async () => {
    c = await startConsoleApp(kind, now);
    staff = await signedIn(c.db, c.base, 'BUREAU_STAFF');
    officer = await signedIn(c.db, c.base, 'UNIT_OFFICER', { unitCode: 'p-gongan' });
    deps = { db: c.db, log: createLogger('silent'), notifyPlatforms: ['CONSOLE'], renderChart: null, yellowWorkdays: 3 };
    const gongan = await judged('p-gongan', 4);
    const minzheng = await judged('p-minzheng', 4);
    const changsha = await judged('c-changsha', 3);
    const zhuzhou = await judged('c-zhuzhou', 3);
    // Last week's digest: 民政 ahead of 公安, 株洲 ahead of 长沙.
    await done(minzheng.slice(0, 3), '2026-06-12T02:00:00Z');
    await done(zhuzhou.slice(0, 2), '2026-06-12T02:00:00Z');
    await done(gongan.slice(0, 1), '2026-06-20T02:00:00Z'); // late
    const published = await publishDigest(deps, 'WEEKLY', '2026-W27', { now: new Date('2026-06-29T01:00:00Z') });
    expect(published.published).toBeGreaterThan(0);
    // Since then 公安 and 长沙 caught up; a return was recorded against 民政.
    await done(gongan.slice(1), '2026-06-14T02:00:00Z');
    await done(changsha, '2026-06-13T02:00:00Z');
    await c.db.prisma.ticketEvent.create({ data: { ticketId: minzheng[0]!, type: 'return', actorName: '李娜', actorRole: 'BUREAU_STAFF', note: '材料不全', createdAt: new Date('2026-07-01T02:00:00Z') } });
    // A problem routed to 公安 this week (section 九), open.
    await c.db.prisma.problemSource.upsert({ where: { code: 'test' }, create: { code: 'test', name: '测试来源' }, update: {} });
    const p = await c.db.prisma.problem.create({
      data: {
        sourceCode: 'test', sourceRef: 'r-1', description: '办件超时', grade: 'GENERAL', gradeReason: '默认', unitCode: 'p-gongan', routeConfidence: 1,
        routeReason: '测试', status: 'ROUTED', reportedAt: new Date('2026-07-06T01:00:00Z'), createdBy: 'test', createdAt: new Date('2026-07-06T01:00:00Z'),
      },
    });
    await c.db.prisma.ticket.create({ data: { kind: 'PROBLEM', problemId: p.id, unitCode: 'p-gongan', title: '问题整改：办件超时', due: '2026-07-20', originalDue: '2026-07-20' } });
  }, 180_000);
  afterAll(async () => {
    await c?.stop();
  });

  const pick = (r: { unitCode: string; rank: number; score: number; parts: unknown; previousRank: number | null; delta: number | null; arrow: string | null }) =>
    ({ unitCode: r.unitCode, rank: r.rank, score: r.score, parts: r.parts, previousRank: r.previousRank, delta: r.delta, arrow: r.arrow });

  it('shows the same rows as the weekly digest, with ↑↓ against last week', async () => {
    const r = await staff.json<RankingBoard>('/api/ranking?period=week');
    expect(r.status).toBe(200);
    expect(r.body.comparedWith).toBe('2026-W27');
    const digest = await buildDigest(deps, 'WEEKLY', onDemandPeriod(now), now);
    expect(r.body.groups.map((g) => g.kind)).toEqual(['PROVINCIAL', 'CITY']);
    for (const section of digest.ranking!) {
      const g = r.body.groups.find((x) => x.kind === section.kind)!;
      expect(g.rows.map(pick)).toEqual(section.rows.map(pick));
      expect(g.unranked.map((u) => u.unitCode)).toEqual(section.unranked.map((u) => u.unitCode));
    }
    const prov = r.body.groups[0]!.rows;
    const city = r.body.groups[1]!.rows;
    // Last week the units with tickets due by 29 June were ranked; now every unit is.
    expect(prov.slice(0, 2).map((x) => x.unitCode)).toEqual(['p-gongan', 'p-minzheng']);
    expect(prov[0]).toMatchObject({ rank: 1, arrow: '↑', previousRank: 2, delta: 1 });
    expect(prov[1]).toMatchObject({ rank: 2, arrow: '↓', previousRank: 1, delta: -1, returnedAfterReview: 1 });
    expect(city.slice(0, 2).map((x) => [x.unitCode, x.arrow])).toEqual([['c-changsha', '↑'], ['c-zhuzhou', '↓']]);
    // The parts add up to the score.
    for (const row of [...prov, ...city]) {
      const sum = Object.values(row.parts).reduce((a, b) => a + b, 0);
      expect(Math.round(sum * 10)).toBe(Math.round(row.score * 10));
    }
    expect(r.body.rulesMarkdown).toBe(RANKING_RULES_ZH);
  });

  it('shows the monthly digest’s rows for 本月, and the plan to date without rank changes', async () => {
    const month = await staff.json<RankingBoard>('/api/ranking?period=month');
    const digest = await buildDigest(deps, 'MONTHLY', onDemandPeriod(now), now);
    for (const section of digest.ranking!) {
      expect(month.body.groups.find((g) => g.kind === section.kind)!.rows.map(pick)).toEqual(section.rows.map(pick));
    }
    expect(month.body.comparedWith).toBeNull();
    const plan = await staff.json<RankingBoard>('/api/ranking?period=plan');
    const rows = plan.body.groups.flatMap((g) => g.rows);
    expect(rows.every((x) => x.arrow === null && x.previousRank === null)).toBe(true);
    expect(rows.map((x) => [x.unitCode, x.rank, x.score])).toEqual(month.body.groups.flatMap((g) => g.rows).map((x) => [x.unitCode, x.rank, x.score]));
    // 本期办结: the week saw none of the June completions; the plan to date saw them all.
    const week = await staff.json<RankingBoard>('/api/ranking?period=week');
    expect(week.body.groups.flatMap((g) => g.rows).every((x) => x.doneInPeriod === 0)).toBe(true);
    expect(rows.find((x) => x.unitCode === 'p-gongan')!.doneInPeriod).toBe(4);
  });

  it('puts problems and returns compliance beside the score, not in it', async () => {
    const week = (await officer.json<RankingBoard>('/api/ranking?period=week')).body;
    const gongan = week.groups[0]!.rows.find((x) => x.unitCode === 'p-gongan')! as Row;
    expect(gongan.problems).toMatchObject({ received: 1, open: 1, overdueOpen: 0, onTimeRate: null });
    const returns = (await returnsComplianceByUnit(c.db)).find((u) => u.unitCode === 'p-gongan')!;
    expect(gongan.returns).toEqual({ compliance: returns.compliance, missingAnnexes: returns.missingAnnexes, rowsWithViolations: returns.rowsWithViolations });
    const digest = await buildDigest(deps, 'WEEKLY', onDemandPeriod(now), now);
    expect(gongan.score).toBe(digest.ranking![0]!.rows.find((x) => x.unitCode === 'p-gongan')!.score);
  });

  it('answers a bad period in Chinese and people without a session with 401', async () => {
    const bad = await staff.json<{ message: string }>('/api/ranking?period=year');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/期间应为/);
    expect((await fetch(`${c.base}/api/ranking`)).status).toBe(401);
    expect(await (await staff.fetch('/ranking')).text()).toContain('/app/ranking.js');
  });
});
