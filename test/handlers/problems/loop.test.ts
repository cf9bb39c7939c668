import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeProblem, sourceActor } from '../../../handlers/services/problems.ts';
import { actOnTicket } from '../../../handlers/services/tickets.ts';
import { sourceFeedback } from '../../../handlers/services/problem-views.ts';
import { problemStatsByUnit, problemTotals } from '../../../handlers/services/problem-stats.ts';
import { unitStats } from '../../../handlers/services/ranking-stats.ts';
import { loadCalendar } from '../../../handlers/services/calendar.ts';
import { dbKinds, type TestDb } from '../../support/databases.ts';
import { actorOf, expectNoPersonalData, PHONE, problemDb, problemDeps } from './support.ts';

describe.each(dbKinds)('the rectification loop of a problem on %s', (kind) => {
  let t: TestDb;
  const clock = { now: new Date('2026-06-22T02:00:00Z') };
  beforeEach(async () => {
    clock.now = new Date('2026-06-22T02:00:00Z');
    t = await problemDb(kind, clock.now);
  });
  afterEach(async () => { await t.cleanup(); });

  async function routed(ref: string) {
    const r = await intakeProblem(problemDeps(t.db, clock), { sourceCode: 'HOTLINE_12345', sourceRef: ref, description: '无犯罪记录证明开不出来' }, sourceActor('12345热线'));
    return { problemId: r.problem.id, ticketId: r.problem.ticketId! };
  }

  it('accept → report → 退回 → report → 销号: the problem closes with the rectification note, every step in the timeline and the feedback', async () => {
    const { problemId, ticketId } = await routed('L-1');
    const officer = await actorOf(t.db, 'officer-p-gongan');
    const staff = await actorOf(t.db, 'bureau-staff-1');
    await actOnTicket(t.db, ticketId, { type: 'accept' }, officer, clock.now);
    await actOnTicket(t.db, ticketId, { type: 'submit', note: '已修复证明开具接口' }, officer, clock.now);
    await actOnTicket(t.db, ticketId, { type: 'return', reason: '缺少修复后的办理截图' }, staff, clock.now);
    expect((await t.db.prisma.problem.findUniqueOrThrow({ where: { id: problemId } })).status).toBe('ROUTED');
    await actOnTicket(t.db, ticketId, { type: 'progress', percent: 90, note: '补充截图' }, officer, clock.now);
    await actOnTicket(t.db, ticketId, { type: 'submit', note: `已修复并回访群众（${PHONE}）` }, officer, clock.now);
    clock.now = new Date('2026-06-25T02:00:00Z');
    await actOnTicket(t.db, ticketId, { type: 'approve', note: '核验通过' }, staff, clock.now);

    const p = await t.db.prisma.problem.findUniqueOrThrow({ where: { id: problemId } });
    expect(p.status).toBe('CLOSED');
    expect(p.closedAt?.toISOString()).toBe('2026-06-25T02:00:00.000Z');
    const events = await t.db.prisma.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.type, e.actorName])).toEqual([
      ['assign', '12345热线'], ['accept', '省公安厅联络员'], ['submit', '省公安厅联络员'], ['return', '李娜'],
      ['progress', '省公安厅联络员'], ['submit', '省公安厅联络员'], ['approve', '李娜'],
    ]);
    const fb = (await sourceFeedback(t.db, 'HOTLINE_12345', 'L-1'))!;
    expect(fb.problem).toMatchObject({ status: 'CLOSED', ticketStatus: 'DONE' });
    expect(fb.feedback.map((f) => f.stage)).toEqual(['受理', '交办', '整改', '整改反馈', '退回', '整改反馈', '销号']);
    expect(fb.feedback[4]!.message).toContain('缺少修复后的办理截图');
    expect(fb.feedback[6]!.message).toMatch(/问题销号。整改情况：已修复并回访群众（138\*\*\*\*5678）核验意见：核验通过/);
    expectNoPersonalData(fb.feedback.map((f) => f.message));
  });

  it('a refused step changes neither the problem nor its feedback', async () => {
    const { problemId, ticketId } = await routed('L-2');
    const other = await actorOf(t.db, 'officer-p-minzheng');
    const before = await t.db.prisma.problemFeedback.count({ where: { problemId } });
    await expect(actOnTicket(t.db, ticketId, { type: 'accept' }, other, clock.now)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(actOnTicket(t.db, ticketId, { type: 'approve' }, await actorOf(t.db, 'bureau-staff-1'), clock.now)).rejects.toMatchObject({ code: 'TICKET_ILLEGAL_TRANSITION' });
    expect(await t.db.prisma.problemFeedback.count({ where: { problemId } })).toBe(before);
  });

  it('a reassignment moves the problem to the new unit and tells the source', async () => {
    const { problemId, ticketId } = await routed('L-3');
    await actOnTicket(t.db, ticketId, { type: 'reassign', unitCode: 'p-minzheng', note: '改派' }, await actorOf(t.db, 'bureau-staff-1'), clock.now);
    expect((await t.db.prisma.problem.findUniqueOrThrow({ where: { id: problemId } })).unitCode).toBe('p-minzheng');
    const fb = (await sourceFeedback(t.db, 'HOTLINE_12345', 'L-3'))!;
    expect(fb.feedback.at(-1)).toMatchObject({ stage: '交办', message: '已改派至省民政厅整改。' });
    expect(fb.problem.unitName).toBe('省民政厅');
  });

  it('counts problems per unit beside the ranking, never inside the plan score', async () => {
    const cal = await loadCalendar(t.db);
    const before = await unitStats(t.db, cal, '2026-08-01');
    const a = await routed('S-1');
    const b = await routed('S-2');
    const staff = await actorOf(t.db, 'bureau-staff-1');
    const officer = await actorOf(t.db, 'officer-p-gongan');
    await actOnTicket(t.db, a.ticketId, { type: 'accept' }, officer, clock.now);
    await actOnTicket(t.db, a.ticketId, { type: 'submit', note: '已整改' }, officer, clock.now);
    await actOnTicket(t.db, a.ticketId, { type: 'return', reason: '不完整' }, staff, clock.now);
    await actOnTicket(t.db, a.ticketId, { type: 'progress', percent: 100, note: '补充' }, officer, clock.now);
    await actOnTicket(t.db, a.ticketId, { type: 'submit' }, officer, clock.now);
    await actOnTicket(t.db, a.ticketId, { type: 'approve' }, staff, clock.now);
    // The plan ranking's figures for 省公安厅 did not move: problem tickets are not plan tickets.
    expect(await unitStats(t.db, cal, '2026-08-01')).toEqual(before);

    const period = { from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z'), asOf: '2026-07-20' };
    const gongan = (await problemStatsByUnit(t.db, period)).find((u) => u.unitCode === 'p-gongan')!;
    expect(gongan).toMatchObject({ received: 2, closed: 1, closedOnTime: 1, onTimeRate: 100, open: 1, overdueOpen: 1 });
    expect(b.ticketId).toBeGreaterThan(a.ticketId);
    expect(await problemTotals(t.db, period)).toMatchObject({ received: 2, closed: 1, onTimeRate: 100, open: 1, overdueOpen: 1, pendingRoute: 0 });
    const july = { from: new Date('2026-07-01T00:00:00Z'), to: new Date('2026-08-01T00:00:00Z'), asOf: '2026-07-02' };
    expect(await problemTotals(t.db, july)).toMatchObject({ received: 0, closed: 0, onTimeRate: null, open: 1, overdueOpen: 0 });
  });
});
