import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { intakeProblem, sourceActor } from '../../../handlers/services/problems.ts';
import { dismissProblem, routeProblemTo } from '../../../handlers/services/problem-routing.ts';
import { verifyAction } from '../../../handlers/action-token.ts';
import { DEFAULT_GRADING_RULES } from '../../../domain/problems/index.ts';
import { shanghaiInstant } from '../../../domain/calendar.ts';
import { dbKinds, type TestDb } from '../../support/databases.ts';
import { actorOf, counts, expectNoPersonalData, ID_CARD, outbox, PHONE, problemDb, problemDeps, SECRET } from './support.ts';

const hotline = sourceActor('12345热线（接口）');

describe.each(dbKinds)('problem intake on %s', (kind) => {
  let t: TestDb;
  const clock = { now: new Date('2026-06-22T02:00:00Z') }; // Monday 10:00 in Shanghai
  const deps = () => problemDeps(t.db, clock);
  beforeEach(async () => {
    clock.now = new Date('2026-06-22T02:00:00Z');
    t = await problemDb(kind, clock.now);
  });
  afterEach(async () => { await t.cleanup(); });

  it('files a problem routing is sure about as a PROBLEM ticket at the unit, with its event, feedback and card', async () => {
    const r = await intakeProblem(deps(), {
      sourceCode: 'HOTLINE_12345', sourceRef: 'RX-1', serviceName: null,
      description: `无犯罪记录证明开不出来，联系电话 ${PHONE}，身份证 ${ID_CARD}`, contact: PHONE,
    }, hotline);
    expect(r.created).toBe(true);
    expect(r.problem).toMatchObject({ status: 'ROUTED', unitCode: 'p-gongan', unitName: '省公安厅', grade: 'GENERAL', due: '2026-07-06' });
    const ticket = await t.db.prisma.ticket.findUniqueOrThrow({ where: { id: r.problem.ticketId! } });
    expect(ticket).toMatchObject({ kind: 'PROBLEM', problemId: r.problem.id, unitCode: 'p-gongan', status: 'ASSIGNED', due: '2026-07-06', originalDue: '2026-07-06' });
    expect(ticket.title).toMatch(new RegExp(`^问题#${r.problem.id} `));
    expectNoPersonalData([ticket.title]);
    // The description is kept as reported (masked only when shown).
    expect((await t.db.prisma.problem.findUniqueOrThrow({ where: { id: r.problem.id } })).description).toContain(PHONE);
    const events = await t.db.prisma.ticketEvent.findMany({ where: { ticketId: ticket.id } });
    expect(events.map((e) => [e.type, e.toStatus, e.actorName])).toEqual([['assign', 'ASSIGNED', '12345热线（接口）']]);
    const feedback = await t.db.prisma.problemFeedback.findMany({ where: { problemId: r.problem.id }, orderBy: { id: 'asc' } });
    expect(feedback.map((f) => f.stage)).toEqual(['受理', '交办']);
    expect(feedback[1]!.message).toBe('已交由省公安厅整改，整改时限 2026-07-06。');
    const cards = (await outbox(t.db)).filter((m) => m.kind === 'problem-assigned');
    expect(cards.map((c) => c.target)).toEqual(['unit:p-gongan']);
    expect(cards[0]!.text).toContain(`问题整改单 #${ticket.id} · 问题P${r.problem.id}`);
    expect(cards[0]!.text).toContain('138****5678');
    expectNoPersonalData(cards.map((c) => c.text));
  });

  it('answers a repeat of the same source reference with the same problem and changes nothing', async () => {
    const input = { sourceCode: 'HOTLINE_12345', sourceRef: 'RX-2', description: '婚姻登记预约系统一直转圈' };
    const first = await intakeProblem(deps(), input, hotline);
    const before = await counts(t.db);
    clock.now = new Date('2026-06-23T02:00:00Z');
    const again = await intakeProblem(deps(), { ...input, description: '另一段描述' }, hotline);
    expect(again.created).toBe(false);
    expect(again.problem).toEqual(first.problem);
    expect(await counts(t.db)).toEqual(before);
    // The same reference from another source is another problem.
    expect((await intakeProblem(deps(), { ...input, sourceCode: 'EVALUATION' }, hotline)).created).toBe(true);
  });

  it('files one problem when the same report arrives twice at once', async () => {
    const input = { sourceCode: 'HOTLINE_12345', sourceRef: 'RX-3', description: '公积金查询不到缴存记录' };
    const [a, b] = await Promise.all([intakeProblem(deps(), input, hotline), intakeProblem(deps(), input, hotline)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.problem.id).toBe(b.problem.id);
    expect(await t.db.prisma.problem.count()).toBe(1);
    expect(await t.db.prisma.ticket.count({ where: { kind: 'PROBLEM' } })).toBe(1);
    expect(await t.db.prisma.gradingRule.count()).toBe(DEFAULT_GRADING_RULES.length); // seeded once by the first of the two
  });

  it('keeps a problem routing is unsure about for the bureau, with one signed button per candidate unit', async () => {
    const r = await intakeProblem(deps(), { sourceCode: 'HOTLINE_12345', sourceRef: 'RX-4', description: `医保缴费交不上，电话${PHONE}` }, hotline);
    expect(r.problem).toMatchObject({ status: 'PENDING_ROUTE', unitCode: null, ticketId: null, due: null });
    expect(await t.db.prisma.ticket.count({ where: { kind: 'PROBLEM' } })).toBe(0);
    const card = (await outbox(t.db)).find((m) => m.kind === 'problem-route')!;
    expect(card.target).toBe('bureau');
    expect(card.text).toContain(`待分派｜问题P${r.problem.id}`);
    expectNoPersonalData([card.text]);
    const msg = card.message.type === 'card' ? card.message.card : null;
    const buttons = JSON.stringify(msg).match(/"token":"(routeProblem[^"]+)"/g) ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    const token = /"token":"([^"]+)"/.exec(buttons[0]!)![1]!;
    const claim = verifyAction(SECRET, token, clock.now);
    expect(claim).toMatchObject({ action: 'routeProblem', ticketId: r.problem.id });
    expect(await t.db.prisma.unit.findUnique({ where: { code: claim.arg! } })).not.toBeNull();
  });

  it('opens the ticket when the bureau decides, and a second decision changes nothing', async () => {
    const staff = await actorOf(t.db, 'bureau-staff-1');
    const r = await intakeProblem(deps(), { sourceCode: 'BUREAU', sourceRef: 'chat-1', description: '湘易办登录不了' }, staff);
    expect(r.problem.status).toBe('PENDING_ROUTE');
    clock.now = new Date('2026-06-24T02:00:00Z'); // decided two days later: the SLA counts from today
    const d = await routeProblemTo(deps(), r.problem.id, 'p-gongan', staff);
    expect(d).toMatchObject({ kind: 'routed', unitName: '省公安厅', due: '2026-07-08' });
    const before = await counts(t.db);
    expect(await routeProblemTo(deps(), r.problem.id, 'p-gongan', staff)).toMatchObject({ kind: 'already-routed', unitCode: 'p-gongan' });
    await expect(dismissProblem(deps(), r.problem.id, '重复', staff)).rejects.toMatchObject({ code: 'PROBLEM_DECIDED' });
    expect(await counts(t.db)).toEqual(before);
    const ev = await t.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: d.ticketId } });
    expect(ev).toMatchObject({ type: 'assign', actorName: '李娜', actorRole: 'BUREAU_STAFF' });
  });

  it('dismisses a waiting problem with a reason the source can read, and refuses a unit officer', async () => {
    const staff = await actorOf(t.db, 'bureau-staff-1');
    const officer = await actorOf(t.db, 'officer-p-gongan');
    const r = await intakeProblem(deps(), { sourceCode: 'HOTLINE_12345', sourceRef: 'RX-5', description: '湘易办登录不了' }, hotline);
    await expect(dismissProblem(deps(), r.problem.id, '非本省事项', officer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(routeProblemTo(deps(), r.problem.id, 'p-gongan', officer)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(dismissProblem(deps(), r.problem.id, '  ', staff)).rejects.toMatchObject({ code: 'PROBLEM_REASON_REQUIRED' });
    await dismissProblem(deps(), r.problem.id, '非本省事项', staff);
    const p = await t.db.prisma.problem.findUniqueOrThrow({ where: { id: r.problem.id }, include: { feedbacks: true } });
    expect(p.status).toBe('DISMISSED');
    expect(p.feedbacks.map((f) => [f.stage, f.message])).toContainEqual(['不予受理', '经省数据局核实，不予受理：非本省事项']);
    await expect(routeProblemTo(deps(), r.problem.id, 'p-gongan', staff)).rejects.toMatchObject({ code: 'PROBLEM_DECIDED' });
  });

  it('dates a severe problem reported before 国庆 after the holiday', async () => {
    clock.now = shanghaiInstant('2026-09-30', 11, 0);
    const r = await intakeProblem(deps(), {
      sourceCode: 'HOTLINE_12345', sourceRef: 'RX-6', description: '无犯罪记录证明开不出来，已有媒体关注', reportedAt: shanghaiInstant('2026-09-30', 9, 30),
    }, hotline);
    // SEVERE = 2 working days: 10-01…10-07 are holidays, 10-08 and 10-09 the next working days.
    expect(r.problem).toMatchObject({ grade: 'SEVERE', due: '2026-10-09' });
    expect((await t.db.prisma.ticket.findUniqueOrThrow({ where: { id: r.problem.ticketId! } })).urgent).toBe(true);
  });

  it('grades the third report of a service within 7 days as 较重, counting repeats in the database', async () => {
    const grades: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await intakeProblem(deps(), { sourceCode: 'EVALUATION', sourceRef: `EV-${i}`, serviceName: '公积金查询', description: '查询页面打不开' }, hotline);
      grades.push(r.problem.grade);
      clock.now = new Date(clock.now.getTime() + 86_400_000);
    }
    expect(grades).toEqual(['GENERAL', 'GENERAL', 'SERIOUS']);
    expect(await t.db.prisma.gradingRule.count()).toBe(DEFAULT_GRADING_RULES.length);
  });

  it('refuses an empty description or a report from the future, writing nothing', async () => {
    await expect(intakeProblem(deps(), { sourceCode: 'X', sourceRef: 'a', description: '  ' }, hotline)).rejects.toMatchObject({ code: 'PROBLEM_INPUT' });
    await expect(intakeProblem(deps(), { sourceCode: 'X', sourceRef: 'b', description: '有问题', reportedAt: new Date('2026-06-23T02:00:00Z') }, hotline)).rejects.toMatchObject({ code: 'PROBLEM_INPUT' });
    expect(await t.db.prisma.problem.count()).toBe(0);
  });
});
