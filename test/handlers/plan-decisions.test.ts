/**
 * Bureau decisions on the plan's undecided responsible units ("省直相关单位") on the shipped 2026
 * plan: the tickets they create, the cards queued for them, and what a second decision does.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import type { Actor } from '../../domain/access.ts';
import { parsePlan } from '../../domain/plan/parse.ts';
import { assignPlan, loadPlan, milestoneIdFor, taskIdFor } from '../../handlers/services/plan-store.ts';
import { decidePhrase } from '../../handlers/services/plan-decisions.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const NOW = new Date('2026-06-22T02:00:00Z');
const STAFF: Actor = { personId: null, name: '李娜', role: 'BUREAU_STAFF', unitCode: 'bureau' };
const LEADER: Actor = { personId: null, name: '王建国', role: 'LEADER', unitCode: null };
const PLATFORMS = ['CONSOLE', 'WECOM'];

// One database per kind; each test decides other tasks' phrases, so that they do not depend on each other.
describe.each(dbKinds)('plan decisions (%s)', (kind) => {
  let t: TestDb;
  let planId: string;
  let undecidedAtFirst: number[];
  const task = (seq: number) => taskIdFor(planId, seq);

  beforeAll(async () => {
    t = await freshDatabase(kind);
    const text = readFileSync(SEED_PLAN_FILE, 'utf8');
    planId = (await loadPlan(t.db, parsePlan(text), text, NOW)).planId;
    undecidedAtFirst = (await assignPlan(t.db, planId, NOW, 'CONSOLE')).unresolved.map((u) => u.taskSeq);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const ticketsOf = (milestoneId: string) => t.db.prisma.ticket.findMany({ where: { milestoneId }, orderBy: { unitCode: 'asc' } });
  const cards = () => t.db.prisma.outboxMessage.count({ where: { kind: 'ticket-assigned' } });

  it('creates one ticket per chosen unit on the milestone that carries the phrase, with the decider as actor and a card per platform', async () => {
    const m2 = milestoneIdFor(task(8), 2);
    expect(await ticketsOf(m2)).toEqual([]);
    const before = await cards();
    const r = await decidePhrase(t.db, { taskId: task(8), phrase: '省直相关单位', unitCodes: ['p-gongan', 'p-renshe'], note: '依据企业服务清单' }, STAFF, '李娜（lina）', NOW, PLATFORMS);

    expect(r.milestones.map((m) => m.due)).toEqual(['2026-08-31']);
    expect(r.created.map((c) => c.unitCode).sort()).toEqual(['p-gongan', 'p-renshe']);
    const tickets = await ticketsOf(m2);
    expect(tickets.map((k) => [k.unitCode, k.status, k.kind, k.due])).toEqual([
      ['p-gongan', 'ASSIGNED', 'PLAN', '2026-08-31'],
      ['p-renshe', 'ASSIGNED', 'PLAN', '2026-08-31'],
    ]);
    expect(tickets[0]!.title).toMatch(/^任务8（打造特色专区）：8月底前，省直相关单位/);
    const events = await t.db.prisma.ticketEvent.findMany({ where: { ticketId: { in: tickets.map((k) => k.id) } } });
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e).toMatchObject({ type: 'assign', toStatus: 'ASSIGNED', actorName: '李娜', actorRole: 'BUREAU_STAFF' });
      expect(e.note).toContain('省直相关单位');
      expect(e.note).toContain('依据企业服务清单');
    }
    const outbox = await t.db.prisma.outboxMessage.findMany({ where: { ticketId: { in: tickets.map((k) => k.id) } } });
    expect(outbox.map((o) => [o.platform, o.target, o.kind, o.status]).sort((a, b) => `${a[1]}${a[0]}`.localeCompare(`${b[1]}${b[0]}`))).toEqual([
      ['CONSOLE', 'unit:p-gongan', 'ticket-assigned', 'PENDING'],
      ['WECOM', 'unit:p-gongan', 'ticket-assigned', 'PENDING'],
      ['CONSOLE', 'unit:p-renshe', 'ticket-assigned', 'PENDING'],
      ['WECOM', 'unit:p-renshe', 'ticket-assigned', 'PENDING'],
    ]);
    expect(outbox.map((o) => JSON.parse(o.payload))).toContainEqual({ card: 'ticket-assigned', ticketId: tickets[0]!.id });
    expect(await cards()).toBe(before + 4);
    const d = await t.db.prisma.planDecision.findUniqueOrThrow({ where: { taskId_phrase: { taskId: task(8), phrase: '省直相关单位' } } });
    expect(JSON.parse(d.unitCodes)).toEqual(['p-gongan', 'p-renshe']);
    expect(d).toMatchObject({ note: '依据企业服务清单', decidedBy: '李娜（lina）' });
    expect(d.decidedAt.toISOString()).toBe(NOW.toISOString());
  });

  it('deciding the same again creates nothing; a changed decision adds the new unit on every milestone carrying the phrase and keeps the dropped unit’s tickets', async () => {
    const input = { taskId: task(11), phrase: '省直有关单位', unitCodes: ['p-waishi', 'p-gongan'] };
    const first = await decidePhrase(t.db, input, STAFF, '李娜', NOW, PLATFORMS);
    // Task 11: the phrase is on the July and the September milestones.
    expect(first.milestones.map((m) => m.due)).toEqual(['2026-07-31', '2026-09-30']);
    expect(first.created.map((c) => `${c.due} ${c.unitCode}`).sort()).toEqual(['2026-07-31 p-gongan', '2026-07-31 p-waishi', '2026-09-30 p-gongan', '2026-09-30 p-waishi']);
    const tickets = await t.db.prisma.ticket.count();
    const outbox = await t.db.prisma.outboxMessage.count();

    const again = await decidePhrase(t.db, input, STAFF, '李娜', NOW, PLATFORMS);
    expect(again.created).toEqual([]);
    expect(again.alreadyAssigned).toBe(4);
    expect(await t.db.prisma.ticket.count()).toBe(tickets);
    expect(await t.db.prisma.outboxMessage.count()).toBe(outbox);

    const changed = await decidePhrase(t.db, { ...input, unitCodes: ['p-gongan', 'p-minzheng'] }, STAFF, '陈涛', NOW, PLATFORMS);
    expect(changed.created.map((c) => `${c.due} ${c.unitCode}`).sort()).toEqual(['2026-07-31 p-minzheng', '2026-09-30 p-minzheng']);
    expect(changed.kept).toEqual([{ unitCode: 'p-waishi', tickets: 2 }]);
    expect((await ticketsOf(milestoneIdFor(task(11), 1))).map((k) => k.unitCode)).toEqual(['p-gongan', 'p-minzheng', 'p-waishi']);
    const d = await t.db.prisma.planDecision.findMany({ where: { taskId: task(11) } });
    expect(d).toHaveLength(1);
    expect(JSON.parse(d[0]!.unitCodes)).toEqual(['p-gongan', 'p-minzheng']);
    expect(d[0]!.decidedBy).toBe('陈涛');
  });

  it('records 不涉及具体单位 and a phrase without a dated milestone without creating tickets', async () => {
    const tickets = await t.db.prisma.ticket.count();
    const decisions = await t.db.prisma.planDecision.count();
    const phrase9 = '省工信厅、省数据局、省发展改革委、省科技厅、省财政厅、省商务厅、省税务局等政策制定单位';
    const none = await decidePhrase(t.db, { taskId: task(9), phrase: phrase9, unitCodes: [] }, STAFF, '李娜', NOW, PLATFORMS);
    expect(none.created).toEqual([]);
    // Task 29 names 省直有关单位 only for its recurring duty, which has no dated milestone.
    const undated = await decidePhrase(t.db, { taskId: task(29), phrase: '省直有关单位', unitCodes: ['p-gongan'] }, STAFF, '李娜', NOW, PLATFORMS);
    expect(undated.milestones).toEqual([]);
    expect(undated.created).toEqual([]);
    expect(await t.db.prisma.ticket.count()).toBe(tickets);
    expect(await t.db.prisma.planDecision.count()).toBe(decisions + 2);
    expect(JSON.parse((await t.db.prisma.planDecision.findFirstOrThrow({ where: { taskId: task(9) } })).unitCodes)).toEqual([]);
  });

  it('refuses a leader, a phrase the task does not have and an unknown unit, and writes nothing', async () => {
    const tickets = await t.db.prisma.ticket.count();
    const decisions = await t.db.prisma.planDecision.count();
    await expect(decidePhrase(t.db, { taskId: task(8), phrase: '省直相关单位', unitCodes: ['p-jiaoyu'] }, LEADER, '王建国', NOW, PLATFORMS)).rejects.toMatchObject({ code: 'FORBIDDEN', message: '领导账号仅可查看，不能执行「交办」。' });
    await expect(decidePhrase(t.db, { taskId: task(8), phrase: '有关单位', unitCodes: ['p-jiaoyu'] }, STAFF, '李娜', NOW, PLATFORMS)).rejects.toMatchObject({ code: 'PHRASE_NOT_FOUND', message: '任务8没有待确认的表述「有关单位」，请刷新页面。' });
    await expect(decidePhrase(t.db, { taskId: task(8), phrase: '省直相关单位', unitCodes: ['p-jiaoyu', 'p-nowhere'] }, STAFF, '李娜', NOW, PLATFORMS)).rejects.toMatchObject({ code: 'UNIT_NOT_FOUND', message: '未找到单位编码：p-nowhere。' });
    await expect(decidePhrase(t.db, { taskId: 'no-such-task', phrase: '省直相关单位', unitCodes: [] }, STAFF, '李娜', NOW, PLATFORMS)).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    expect(await t.db.prisma.ticket.count()).toBe(tickets);
    expect(await t.db.prisma.planDecision.count()).toBe(decisions);
  });

  it('two bureau staff adding the same unit at once create its ticket once', async () => {
    const input = { taskId: task(8), phrase: '省直相关单位', unitCodes: ['p-gongan', 'p-renshe', 'p-jiaoyu'] };
    const [a, b] = await Promise.all([decidePhrase(t.db, input, STAFF, '李娜', NOW, PLATFORMS), decidePhrase(t.db, input, STAFF, '陈涛', NOW, PLATFORMS)]);
    expect(a.created.length + b.created.length).toBe(1);
    expect(await t.db.prisma.ticket.count({ where: { milestoneId: milestoneIdFor(task(8), 2) } })).toBe(3);
  });

  it('plan assignment stops listing decided phrases and leaves the decisions’ tickets alone', async () => {
    expect(undecidedAtFirst).toEqual(expect.arrayContaining([8, 11]));
    const tickets = await t.db.prisma.ticket.count();
    const r = await assignPlan(t.db, planId, NOW, 'CONSOLE');
    expect(r.created).toEqual([]);
    expect(r.unresolved).toEqual([]);
    expect(await t.db.prisma.ticket.count()).toBe(tickets);
  });
});
