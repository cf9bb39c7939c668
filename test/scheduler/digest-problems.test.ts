import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDigest } from '../../scheduler/digests.ts';
import { assignPlan } from '../../handlers/services/plan-store.ts';
import { intakeProblem, sourceActor } from '../../handlers/services/problems.ts';
import { actOnTicket } from '../../handlers/services/tickets.ts';
import { dbKinds, type TestDb } from '../support/databases.ts';
import { actorOf, expectNoPersonalData, ID_CARD, messageText, PHONE, problemDb, problemDeps } from '../handlers/problems/support.ts';
import { at, schedulerDeps } from './support.ts';

describe.each(dbKinds)('the 问题整改 section of the weekly digest on %s', (kind) => {
  let t: TestDb;
  const clock = { now: at('2026-06-29', '10:00') };
  beforeEach(async () => {
    clock.now = at('2026-06-29', '10:00');
    t = await problemDb(kind, clock.now);
    const plan = await t.db.prisma.plan.findFirstOrThrow();
    await assignPlan(t.db, plan.id, at('2026-06-01'), 'CONSOLE');
  });
  afterEach(async () => { await t.cleanup(); });

  it('reports received, closed on time, open and overdue problems by unit — counts only — and shows them beside the ranking', async () => {
    const deps = problemDeps(t.db, clock);
    const hotline = sourceActor('12345热线');
    const a = await intakeProblem(deps, { sourceCode: 'HOTLINE_12345', sourceRef: 'D-1', description: `无犯罪记录证明开不出来，手机${PHONE}，身份证${ID_CARD}`, contact: PHONE }, hotline);
    await intakeProblem(deps, { sourceCode: 'HOTLINE_12345', sourceRef: 'D-2', description: '无犯罪记录证明开不出来，已有媒体关注' }, hotline);
    clock.now = at('2026-06-30', '10:00');
    await intakeProblem(deps, { sourceCode: 'HOTLINE_12345', sourceRef: 'D-3', description: '湘易办登录不了' }, hotline);
    const officer = await actorOf(t.db, 'officer-p-gongan');
    const staff = await actorOf(t.db, 'bureau-staff-1');
    const ticketId = a.problem.ticketId!;
    await actOnTicket(t.db, ticketId, { type: 'accept' }, officer, at('2026-06-30', '11:00'));
    await actOnTicket(t.db, ticketId, { type: 'submit', note: `已修复，回访${PHONE}` }, officer, at('2026-07-01', '09:00'));
    await actOnTicket(t.db, ticketId, { type: 'approve' }, staff, at('2026-07-01', '15:00'));

    // Scheduled on Monday 2026-07-06 for week 28: the window is the week just ended (06-29 … 07-05).
    const d = await buildDigest(schedulerDeps(t.db, { renderChart: null }), 'WEEKLY', '2026-W28', at('2026-07-06', '09:00'));
    const section = d.messages.find((m) => m.type === 'markdown' && m.title.endsWith('问题整改'));
    expect(section).toBeDefined();
    const md = messageText(section!);
    expect(md).toContain('问题整改情况（2026年第28周）');
    expect(md).toContain('- 2026-06-29 至 2026-07-05 受理问题 3 件（严重 1、较重 0、一般 2），不予受理 0 件');
    expect(md).toContain('- 2026-06-29 至 2026-07-05 销号 1 件，其中按时整改 1 件，按时整改率 100.0%');
    expect(md).toContain('- 目前整改中 1 件，其中逾期 1 件；待省数据局分派 1 件');
    expect(md).toContain('1. 省公安厅 1 件（逾期 1 件），本期按时整改率 100.0%');
    expect(d.data.problems).toMatchObject({ received: 3, closed: 1, closedOnTime: 1, onTimeRate: 100, open: 1, overdueOpen: 1, pendingRoute: 1 });

    const ranking = d.messages.filter((m) => m.type === 'markdown' && m.title.endsWith('排名')).map(messageText).join('\n');
    expect(ranking).toMatch(/\d+\. 省公安厅 [\d.]+ 分.*｜问题未销号 1（逾期 1）/);
    expect(ranking).toContain('仅作展示，不计入督办得分');
    const everything = d.messages.map(messageText);
    expectNoPersonalData(everything);
    expect(everything.join('\n')).not.toMatch(/无犯罪记录证明开不出来|湘易办登录不了/); // no descriptions at all
  });
});
