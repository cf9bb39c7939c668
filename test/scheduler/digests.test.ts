import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../prisma/client.ts';
import {
  buildDigest,
  digestKindOfCommand,
  onDemandPeriod,
  parsePeriodLabel,
  publishDigest,
  reportWindow,
  runDueDigests,
} from '../../scheduler/digests.ts';
import type { CompletionChartInput } from '../../scheduler/types.ts';
import { renderDigestChart } from '../../scheduler/digest-chart.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';
import { addTicket, at, outbox, schedulerDeps, seedDirectory } from './support.ts';
import { raceReplicas } from './replica.ts';

/**
 * The hand-computed fixture, as of Monday 2026-06-22 (06-19..21 is the 端午 holiday). Tickets are
 * created 06-01; "acc" is the 签收 day, times are Shanghai.
 *
 *  unit        ticket  status       due    acc    done            counted
 *  省公安厅    G1      DONE         06-10  06-02  06-09 10:00     on time
 *              G2      DONE         06-10  06-02  06-16 10:00     late; done last week
 *              G3      IN_PROGRESS  06-18  06-03  —               RED, 1 overdue working day (06-22)
 *              G4      ASSIGNED     06-24  —      —               YELLOW, 2 working days left
 *  省民政厅    M1      DONE         06-30  06-02  06-18 15:00     on time; done last week
 *              M2      SUBMITTED    06-12  06-02  —               RED (not done), 5 overdue working days
 *  省财政厅    F1, F2  exactly as M1 (done 06-17), M2             ties with 省民政厅
 *  长沙市      C1      RETURNED     06-25  06-04  —               YELLOW, 3 left; returned once
 *              C2      DONE         06-05  06-02  06-22 08:00     late; done this week (not last)
 *              C3      IN_PROGRESS  07-31  06-01  —               green
 *  株洲市      no tickets                                          not ranked
 *
 * total 11, done 5 → 45.5 %; ASSIGNED 1, IN_PROGRESS 2, SUBMITTED 2, RETURNED 1, DONE 5;
 * red 3 (M2, F2, G3), yellow 2 (G4, C1); done 06-15..06-21: G2, M1, F1 = 3.
 * Scores (ranking rules, tenths rounded half up):
 * Only tickets already due or done count (G4, C1 and C3 are not due yet on 06-22):
 * Overdue working days: open tickets up to the statistics day, done ones up to the day they were done.
 *  省公安厅 total 3: on time 40·1/3 = 13.3, completion 25·2/3 = 16.7,
 *           overdue G3 1 wd + G2 done 4 wd late (06-11, 06-12, 06-15, 06-16) → 15·(1 − 5/3/10) = 12.5,
 *           response (avg 签收 4/3 wd) 10·(5 − 4/3)/4 = 9.2, returns 10.0 → 61.7
 *  省民政厅 total 2: 20.0 + 12.5 + 15·(1 − 5/2/10) = 11.3 + 10.0 (avg 1 wd) + 10.0 → 63.8; 省财政厅 the same
 *  长沙市   total 1 (C2, done 06-22, 10 wd after its due 06-05; 06-19 is 端午): 0.0 + 25.0 + 15·(1 − 10/10) = 0.0
 *           + 10.0 (1 wd) + 10.0 (C1's return is on a ticket not yet due) → 45.0
 */
async function seedFixture(db: Database): Promise<Record<string, number>> {
  await db.prisma.unit.createMany({
    data: [
      { code: 'p-caizheng', name: '省财政厅', kind: 'PROVINCIAL', sortOrder: 4 },
      { code: 'c-zhuzhou', name: '株洲市', kind: 'CITY', sortOrder: 5 },
    ],
  });
  const d = (date: string, hm = '10:00') => at(date, hm);
  const ids: Record<string, number> = {};
  const add = async (name: string, unitCode: string, status: 'ASSIGNED' | 'IN_PROGRESS' | 'SUBMITTED' | 'RETURNED' | 'DONE', due: string, acc: string | null, done: Date | null) => {
    ids[name] = await addTicket(db, { unitCode, status, due, title: `${name} 督办事项`, createdAt: d('2026-06-01', '09:00'), acceptedAt: acc ? d(acc) : null, doneAt: done, assigneeId: null });
  };
  await add('G1', 'p-gongan', 'DONE', '2026-06-10', '2026-06-02', d('2026-06-09'));
  await add('G2', 'p-gongan', 'DONE', '2026-06-10', '2026-06-02', d('2026-06-16'));
  await add('G3', 'p-gongan', 'IN_PROGRESS', '2026-06-18', '2026-06-03', null);
  await add('G4', 'p-gongan', 'ASSIGNED', '2026-06-24', null, null);
  await add('M1', 'p-minzheng', 'DONE', '2026-06-30', '2026-06-02', d('2026-06-18', '15:00'));
  await add('M2', 'p-minzheng', 'SUBMITTED', '2026-06-12', '2026-06-02', null);
  await add('F1', 'p-caizheng', 'DONE', '2026-06-30', '2026-06-02', d('2026-06-17', '15:00'));
  await add('F2', 'p-caizheng', 'SUBMITTED', '2026-06-12', '2026-06-02', null);
  await add('C1', 'c-changsha', 'RETURNED', '2026-06-25', '2026-06-04', null);
  await add('C2', 'c-changsha', 'DONE', '2026-06-05', '2026-06-02', d('2026-06-22', '08:00'));
  await add('C3', 'c-changsha', 'IN_PROGRESS', '2026-07-31', '2026-06-01', null);
  await db.prisma.ticketEvent.create({
    data: { ticketId: ids.C1!, type: 'return', fromStatus: 'SUBMITTED', toStatus: 'RETURNED', actorName: '李娜', actorRole: 'BUREAU_STAFF', note: '缺少佐证', createdAt: d('2026-06-10') },
  });
  return ids;
}

/** Last week's scheduled digest (the reference for ↑↓) and a later on-demand one that must be ignored. */
async function seedPreviousDigests(db: Database): Promise<void> {
  const ranking = (p: [string, number][], c: [string, number][]) =>
    JSON.stringify({ ranking: { PROVINCIAL: p.map(([unitCode, rank]) => ({ unitCode, rank })), CITY: c.map(([unitCode, rank]) => ({ unitCode, rank })) } });
  await db.prisma.digest.createMany({
    data: [
      { kind: 'WEEKLY', period: '2026-W25', groupId: 'g-lead', content: '…', data: ranking([['p-gongan', 1], ['p-minzheng', 2], ['p-caizheng', 3]], [['c-changsha', 1]]), createdAt: at('2026-06-15', '09:00') },
      { kind: 'WEEKLY', period: '2026-06-20T10:00', groupId: 'g-lead', content: '…', data: ranking([['p-gongan', 3]], [['c-changsha', 2]]), createdAt: at('2026-06-20', '10:00') },
    ],
  });
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('digest periods', () => {
  it('parses scheduled labels and refuses others', () => {
    expect(parsePeriodLabel('WEEKLY', '2026-W26')).toEqual({ kind: 'WEEKLY', label: '2026-W26', start: '2026-06-22', end: '2026-06-28' });
    expect(parsePeriodLabel('WEEKLY', '2026-W01').start).toBe('2025-12-29');
    expect(parsePeriodLabel('MONTHLY', '2026-10').end).toBe('2026-10-31');
    expect(() => parsePeriodLabel('WEEKLY', '2026-W54')).toThrow(/通报期次/);
    expect(() => parsePeriodLabel('MONTHLY', '2026-13')).toThrow(/通报期次/);
  });

  it('reports on the week just ended, the day itself, or the current period for an on-demand digest', () => {
    const w = reportWindow('WEEKLY', '2026-W26', at('2026-06-22', '09:00'));
    expect([w.from.toISOString(), w.to.toISOString(), w.firstDay, w.lastDay]).toEqual(['2026-06-14T16:00:00.000Z', '2026-06-21T16:00:00.000Z', '2026-06-15', '2026-06-21']);
    const m = reportWindow('MONTHLY', '2026-10', at('2026-10-08', '09:00'));
    expect([m.firstDay, m.lastDay]).toEqual(['2026-09-01', '2026-09-30']);
    const daily = reportWindow('DAILY_OVERDUE', '2026-06-22', at('2026-06-23', '10:00')); // caught up the next day
    expect([daily.firstDay, daily.lastDay]).toEqual(['2026-06-22', '2026-06-22']);
    const now = at('2026-06-24', '10:15');
    expect(onDemandPeriod(now)).toBe('2026-06-24T10:15');
    const od = reportWindow('WEEKLY', onDemandPeriod(now), now);
    expect([od.from.toISOString(), od.to, od.firstDay, od.lastDay]).toEqual(['2026-06-21T16:00:00.000Z', now, '2026-06-22', '2026-06-24']);
    expect(['周报', '月报', '逾期'].map((k) => digestKindOfCommand(k as '周报'))).toEqual(['WEEKLY', 'MONTHLY', 'DAILY_OVERDUE']);
  });
});

describe.each(dbKinds)('digests on %s', (kind) => {
  let t: TestDb;
  let ids: Record<string, number>;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    await seedDirectory(t.db);
    ids = await seedFixture(t.db);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('computes the weekly figures and the ranking as counted by hand', async () => {
    await seedPreviousDigests(t.db);
    let chartInput: CompletionChartInput | null = null;
    const deps = schedulerDeps(t.db, { renderChart: (input) => ((chartInput = input), png) });
    const d = await buildDigest(deps, 'WEEKLY', '2026-W26', at('2026-06-22', '09:00'));

    expect(d.figures).toMatchObject({
      asOf: '2026-06-22', total: 11, done: 5, completionRate: 45.5,
      byStatus: { ASSIGNED: 1, IN_PROGRESS: 2, SUBMITTED: 2, RETURNED: 1, DONE: 5 },
      red: 3, yellow: 2, newlyDone: 3,
    });
    expect(d.figures.atRisk.map((r) => [r.id, r.light, r.workdays])).toEqual([
      [ids.M2, 'RED', 5], [ids.F2, 'RED', 5], [ids.G3, 'RED', 1], [ids.G4, 'YELLOW', 2], [ids.C1, 'YELLOW', 3],
    ]);
    const rows = (k: 'PROVINCIAL' | 'CITY') => d.ranking!.find((s) => s.kind === k)!.rows.map((r) => [r.unitName, r.rank, r.score, r.arrow, r.delta]);
    expect(rows('PROVINCIAL')).toEqual([
      ['省民政厅', 1, 63.8, '↑', 1],
      ['省财政厅', 1, 63.8, '↑', 2],
      ['省公安厅', 3, 61.7, '↓', -2],
    ]);
    expect(rows('CITY')).toEqual([['长沙市', 1, 45, '—', 0]]);
    expect(d.ranking!.find((s) => s.kind === 'CITY')!.unranked.map((u) => u.unitName)).toEqual(['株洲市']);

    const [summary, ranking, image] = d.messages;
    expect(d.messages).toHaveLength(3);
    expect(summary).toMatchObject({ type: 'markdown', title: '督办工作周报（2026年第26周）' });
    const md = summary!.type === 'markdown' ? summary!.markdown : '';
    expect(md).toContain('统计截至 2026-06-22（2026-06-22 09:00 生成）');
    expect(md).toContain('- 督办单共 11 件，已办结 5 件，办结率 45.5%');
    expect(md).toContain('- 按状态：待签收 1 件｜办理中 2 件｜待审核 2 件｜已退回 1 件｜已办结 5 件');
    expect(md).toContain('- 🔴 逾期未办结 3 件；🟡 3 个工作日内到期（未提交）2 件');
    expect(md).toContain('- 2026-06-15 至 2026-06-21 新办结 3 件');
    expect(md).toContain('**风险事项**（共 5 件，列出前 5 件：逾期在前、临期在后）');
    expect(md).toContain(`1. 🔴 #${ids.M2} 省民政厅｜M2 督办事项｜时限 2026-06-12｜已逾期 5 个工作日｜待审核`);
    expect(md).toContain(`5. 🟡 #${ids.C1} 长沙市｜C1 督办事项｜时限 2026-06-25｜剩余 3 个工作日｜已退回`);
    const rmd = ranking!.type === 'markdown' ? ranking!.markdown : '';
    expect(rmd).toContain('1. 省民政厅 63.8 分（并列） ↑1\n1. 省财政厅 63.8 分（并列） ↑2\n3. 省公安厅 61.7 分 ↓2');
    expect(rmd).toContain('1. 长沙市 45.0 分 —');
    expect(rmd).toContain('未参与排名（无纳入考核的督办单）：株洲市');
    expect(image).toMatchObject({ type: 'image', pngBase64: Buffer.from(png).toString('base64') });
    expect(chartInput!.units.map((u) => [u.unitName, u.total, u.done, u.doneOnTime])).toEqual([
      ['省公安厅', 3, 2, 1], ['省民政厅', 2, 1, 1], ['长沙市', 1, 1, 0], ['省财政厅', 2, 1, 1],
    ]);
    expect(d.data.ranking!.PROVINCIAL.map((r) => [r.unitCode, r.rank])).toEqual([['p-minzheng', 1], ['p-caizheng', 1], ['p-gongan', 3]]);
  });

  it('draws the chart with scheduler/chart.ts, the trend from the stored digests', async () => {
    await t.db.prisma.digest.create({
      data: { kind: 'WEEKLY', period: '2026-W25', groupId: 'g-lead', content: '…', data: JSON.stringify({ completionRate: 30, ranking: null }), createdAt: at('2026-06-15', '09:00') },
    });
    let input: CompletionChartInput | null = null;
    const d = await buildDigest(schedulerDeps(t.db, { renderChart: async (i) => ((input = i), renderDigestChart(i)) }), 'WEEKLY', '2026-W26', at('2026-06-22', '09:00'));
    expect(input!.trend).toEqual([{ label: '第25周', completion: 30 }, { label: '第26周', completion: 45.5 }]);
    const image = d.messages.at(-1)!;
    expect(image.type).toBe('image');
    const bytes = Buffer.from(image.type === 'image' ? image.pngBase64! : '', 'base64');
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.length).toBeGreaterThan(5_000);
  });

  it('publishes to each leadership group once, digest row and messages together', async () => {
    await t.db.prisma.chatGroup.create({ data: { id: 'g-lead-2', name: '厅领导群', platform: 'CONSOLE', chatId: 'leaders-2', purpose: 'LEADERSHIP' } });
    await t.db.prisma.chatGroup.create({ data: { id: 'g-lead-wecom', name: '企业微信领导群', platform: 'WECOM', chatId: 'wx-leaders', purpose: 'LEADERSHIP' } });
    const deps = schedulerDeps(t.db, { renderChart: () => png });
    const first = await publishDigest(deps, 'WEEKLY', '2026-W26', { now: at('2026-06-22', '09:00') });
    expect(first).toEqual({ published: 2, already: 0, messages: 6 });
    const again = await publishDigest(deps, 'WEEKLY', '2026-W26', { now: at('2026-06-22', '09:30') });
    expect(again).toEqual({ published: 0, already: 2, messages: 0 });

    const rows = await t.db.prisma.digest.findMany({ orderBy: { groupId: 'asc' } });
    expect(rows.map((r) => [r.kind, r.period, r.groupId, r.late])).toEqual([['WEEKLY', '2026-W26', 'g-lead', false], ['WEEKLY', '2026-W26', 'g-lead-2', false]]);
    expect(rows[0]!.content).toContain('办结率 45.5%');
    const sent = await outbox(t.db);
    expect(sent.map((m) => [m.target, m.kind])).toEqual([
      ['group:leaders', 'digest'], ['group:leaders', 'digest'], ['group:leaders', 'digest-chart'],
      ['group:leaders-2', 'digest'], ['group:leaders-2', 'digest'], ['group:leaders-2', 'digest-chart'],
    ]);
    expect(sent[0]!.key).toBe('CONSOLE:digest:WEEKLY:2026-W26:g-lead:1');
  });

  it('sends the daily overdue list to the bureau group', async () => {
    const r = await publishDigest(schedulerDeps(t.db), 'DAILY_OVERDUE', '2026-06-22', { now: at('2026-06-22', '17:00') });
    expect(r.published).toBe(1);
    const [m] = await outbox(t.db);
    expect(m!.target).toBe('group:bureau-room');
    expect(m!.text).toContain('**逾期督办单日报（2026-06-22）**');
    expect(m!.text).toContain('- 逾期未办结督办单 3 件（督办单共 11 件，办结率 45.5%）');
    expect(m!.text).toContain('- 2026-06-22 办结 1 件');
    expect(m!.text).toContain('**逾期单位**（按逾期件数）\n- 省公安厅 1 件\n- 省民政厅 1 件\n- 省财政厅 1 件');
    expect(m!.text).toContain(`3. 🔴 #${ids.G3} 省公安厅｜G3 督办事项｜时限 2026-06-18｜已逾期 1 个工作日｜办理中`);
  });

  it('publishes /通报 under its own period, compared with the last scheduled ranking', async () => {
    await seedPreviousDigests(t.db);
    const now = at('2026-06-22', '10:15');
    const deps = schedulerDeps(t.db);
    await publishDigest(deps, 'WEEKLY', '2026-W26', { now: at('2026-06-22', '09:00') });
    const r = await publishDigest(deps, digestKindOfCommand('周报'), onDemandPeriod(now), { now });
    expect(r.published).toBe(1);
    const sent = await outbox(t.db);
    const onDemand = sent.filter((m) => m.key.includes('2026-06-22T10:15'));
    expect(onDemand[0]!.text).toContain('督办工作周报（2026-06-22 10:15 即时生成）');
    expect(onDemand[0]!.text).toContain('- 2026-06-22 新办结 1 件'); // C2, this morning
    // against this morning's scheduled digest, nothing moved
    expect(onDemand[1]!.text).toContain('1. 省民政厅 63.8 分（并列） —');
  });

  it('sends the Monday digest missed during downtime once, on restart, marked 补发', async () => {
    const deps = schedulerDeps(t.db);
    // last pass Friday 06-26 after the daily list; the server is back on Tuesday 06-30 10:00
    const due = await runDueDigests(deps, at('2026-06-30', '10:00'), at('2026-06-26', '17:05'));
    expect(due.map((d) => [d.kind, d.period, d.late, d.result.published])).toEqual([
      ['WEEKLY', '2026-W27', true, 1],
      ['DAILY_OVERDUE', '2026-06-29', true, 1],
    ]);
    const weekly = await t.db.prisma.digest.findMany({ where: { kind: 'WEEKLY' } });
    expect(weekly.map((w) => [w.period, w.groupId, w.late])).toEqual([['2026-W27', 'g-lead', true]]);
    const leaders = (await outbox(t.db)).filter((m) => m.target === 'group:leaders');
    expect(leaders[0]!.text).toContain('督办工作周报（2026年第27周）（补发）');
    expect(leaders[0]!.text).toContain('- 2026-06-22 至 2026-06-28 新办结');

    // the next pass, or a replica that missed the record, sends nothing more
    expect(await runDueDigests(deps, at('2026-06-30', '10:30'), at('2026-06-30', '10:00'))).toEqual([]);
    const replay = await runDueDigests(deps, at('2026-06-30', '10:31'), at('2026-06-26', '17:05'));
    expect(replay.map((d) => d.result.published)).toEqual([0, 0]);
    expect((await outbox(t.db)).filter((m) => m.target === 'group:leaders')).toHaveLength(leaders.length);
  });

  it('sends the digest due at the tick on time, not marked late', async () => {
    const due = await runDueDigests(schedulerDeps(t.db), at('2026-06-22', '09:00'), at('2026-06-19', '17:00'));
    expect(due.map((d) => [d.kind, d.period, d.late])).toEqual([['WEEKLY', '2026-W26', false]]);
    // the first pass ever (no last run) only publishes what is due within the last 15 minutes
    const fresh = await runDueDigests(schedulerDeps(t.db), at('2026-06-22', '17:10'), null);
    expect(fresh.map((d) => [d.kind, d.period, d.late])).toEqual([['DAILY_OVERDUE', '2026-06-22', false]]);
  });

  it('publishes once when two replicas publish the same digest at the same moment', async () => {
    await t.db.prisma.chatGroup.create({ data: { id: 'g-lead-2', name: '厅领导群', platform: 'CONSOLE', chatId: 'leaders-2', purpose: 'LEADERSHIP' } });
    const now = at('2026-06-22', '09:00');
    const results = (await raceReplicas(
      [[t.url, 'replica-b', now.toISOString(), 'digest', 'WEEKLY', '2026-W26'], [t.url, 'replica-c', now.toISOString(), 'digest', 'WEEKLY', '2026-W26']],
      () => publishDigest(schedulerDeps(t.db), 'WEEKLY', '2026-W26', { now }),
    )) as { published: number }[];
    expect(results.reduce((n, r) => n + r.published, 0)).toBe(2);
    expect(await t.db.prisma.digest.count()).toBe(2);
    const sent = await outbox(t.db);
    expect(sent.map((m) => m.target).sort()).toEqual(['group:leaders', 'group:leaders', 'group:leaders-2', 'group:leaders-2']);
  });
});
