/**
 * 方案审核 over real HTTP on the seeded 2026 plan: what bureau staff and leaders read, who may
 * decide an undecided responsible unit, and what a decision creates (tickets, cards delivered).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskIdFor } from '../../handlers/services/plan-store.ts';
import { dbKinds } from '../support/databases.ts';
import { startSeededApp, type SeededApp } from '../support/plan-directory-app.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';

interface PlanBody {
  plan: { id: string; docNo: string };
  canDecide: boolean;
  tasks: { id: string; seq: number; responsibleUnits: string[]; tickets: number; milestones: { due: string; units: string[]; unresolved: string[]; tickets: number }[] }[];
  unresolved: { taskId: string; taskSeq: number; phrase: string; milestones: { due: string }[]; decision: { unitCodes: string[]; note: string | null; decidedBy: string } | null }[];
  units: { code: string; name: string; kind: string }[];
}

describe.each(dbKinds)('plan review API (%s)', (kind) => {
  let s: SeededApp;
  let staff: WebClient;
  let leader: WebClient;
  let officer: WebClient;

  beforeAll(async () => {
    s = await startSeededApp(kind);
    staff = await signedIn(s.db, s.base, 'BUREAU_STAFF', { displayName: '李娜' });
    leader = await signedIn(s.db, s.base, 'LEADER');
    officer = await signedIn(s.db, s.base, 'UNIT_OFFICER', { unitCode: 'p-gongan' });
  }, 120_000);
  afterAll(async () => {
    await s.stop();
  });

  it('shows the parsed plan with milestones, resolved units, ticket counts and the undecided phrases', async () => {
    const r = await staff.json<PlanBody>('/api/plan');
    expect(r.status).toBe(200);
    expect(r.body.plan.docNo).toBe('湘数据〔2026〕57号');
    expect(r.body.canDecide).toBe(true);
    expect(r.body.tasks.map((t) => t.seq)).toEqual([...Array.from({ length: 21 }, (_, i) => i + 1), 23, 24, 25, 26, 27, 28, 29]);
    const t1 = r.body.tasks.find((t) => t.seq === 1)!;
    expect(t1.milestones.map((m) => [m.due, m.units.length, m.tickets])).toEqual([['2026-06-30', 46, 46], ['2026-10-31', 46, 46], ['2026-12-31', 46, 46]]);
    const t8 = r.body.tasks.find((t) => t.seq === 8)!;
    expect(t8.milestones.map((m) => [m.due, m.unresolved, m.tickets])).toEqual([['2026-07-31', [], 1], ['2026-08-31', ['省直相关单位'], 0], ['2026-11-30', [], 1]]);
    expect(r.body.unresolved.map((u) => [u.taskSeq, u.phrase, u.milestones.map((m) => m.due), u.decision])).toEqual([
      [8, '省直相关单位', ['2026-08-31'], null],
      [9, '省工信厅、省数据局、省发展改革委、省科技厅、省财政厅、省商务厅、省税务局等政策制定单位', [], null],
      [11, '省直有关单位', ['2026-07-31', '2026-09-30'], null],
      [29, '省直有关单位', [], null],
    ]);
    expect(r.body.units.find((u) => u.code === 'p-gongan')).toEqual({ code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL' });
  });

  it('gives the source text and where each task stands in it', async () => {
    const r = await staff.json<{ lines: string[]; anchors: Record<string, { from: number; to: number }> }>('/api/plan/source');
    expect(r.status).toBe(200);
    const plan = (await staff.json<PlanBody>('/api/plan')).body;
    expect(Object.keys(r.body.anchors)).toHaveLength(28);
    const a8 = r.body.anchors[taskIdFor(plan.plan.id, 8)]!;
    expect(r.body.lines[a8.from]).toContain('企业全生命周期环节梳理下发企业服务清单');
  });

  it('lists the 附件3/附件4 service catalogue per unit', async () => {
    const r = await staff.json<{ units: { code: string; name: string; annex3: string[]; annex4: string[] }[] }>('/api/plan/services');
    expect(r.status).toBe(200);
    expect(r.body.units.find((u) => u.code === 'p-zuzhi')).toMatchObject({ name: '省委组织部', annex3: ['党费缴纳', '党课学习', '党组织关系转移'] });
    expect(r.body.units.some((u) => u.annex4.length > 0)).toBe(true);
  });

  it('lets leaders read but not decide, and keeps unit accounts out', async () => {
    const read = await leader.json<PlanBody>('/api/plan');
    expect(read.status).toBe(200);
    expect(read.body.canDecide).toBe(false);
    expect((await leader.fetch('/plan')).status).toBe(200);
    const decide = await leader.json<{ error: string; message: string }>('/api/plan/decisions', { taskId: read.body.unresolved[0]!.taskId, phrase: '省直相关单位', unitCodes: ['p-gongan'] });
    expect(decide.status).toBe(403);
    expect(decide.body.message).toContain('无权访问');
    const o = await officer.json<{ message: string }>('/api/plan');
    expect(o.status).toBe(403);
    expect((await officer.fetch('/plan')).status).toBe(403);
    expect(await s.db.prisma.planDecision.count()).toBe(0);
  });

  it('refuses a decision without the CSRF token', async () => {
    const plan = (await staff.json<PlanBody>('/api/plan')).body;
    const r = await staff.fetch('/api/plan/decisions', { method: 'POST', csrf: false, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ taskId: taskIdFor(plan.plan.id, 8), phrase: '省直相关单位', unitCodes: ['p-gongan'] }) });
    expect(r.status).toBe(403);
    expect((await r.json()).error).toBe('CSRF');
    expect(await s.db.prisma.planDecision.count()).toBe(0);
  });

  it('a decision creates the tickets, whose cards reach the units; deciding again creates none', async () => {
    const plan = (await staff.json<PlanBody>('/api/plan')).body;
    // The seed's own cards count as delivered, so that the worker below only has the decision's.
    await s.db.prisma.outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'SENT' } });
    const body = { taskId: taskIdFor(plan.plan.id, 8), phrase: '省直相关单位', unitCodes: ['p-gongan', 'p-renshe'], note: '确认涉企事项单位' };
    const r = await staff.json<{ createdCount: number; created: { id: number; unitCode: string }[]; message: string }>('/api/plan/decisions', body);
    expect(r.status).toBe(200);
    expect(r.body.createdCount).toBe(2);
    expect(r.body.message).toBe('已确认任务8「省直相关单位」：省公安厅、省人力资源社会保障厅。新生成督办单 2 件，交办卡片已进入发送队列。');
    const ids = r.body.created.map((c) => c.id);
    const events = await s.db.prisma.ticketEvent.findMany({ where: { ticketId: { in: ids } } });
    expect(events.map((e) => [e.type, e.actorName, e.actorRole])).toEqual([['assign', '李娜', 'BUREAU_STAFF'], ['assign', '李娜', 'BUREAU_STAFF']]);
    expect(await s.db.prisma.outboxMessage.count({ where: { ticketId: { in: ids }, kind: 'ticket-assigned', status: 'PENDING' } })).toBe(2);
    while ((await s.app.worker.runOnce()).claimed > 0);
    expect(await s.db.prisma.outboxMessage.count({ where: { ticketId: { in: ids }, status: 'SENT' } })).toBe(2);
    const gongan = r.body.created.find((c) => c.unitCode === 'p-gongan')!;
    const delivered = await s.db.prisma.consoleMessage.findMany({ where: { room: 'group:unit-p-gongan', direction: 'OUT' }, orderBy: { id: 'desc' }, take: 1 });
    expect(delivered[0]!.payload).toContain(`#${gongan.id}`);
    expect(delivered[0]!.payload).toContain('8月底前');

    const again = await staff.json<{ createdCount: number; message: string }>('/api/plan/decisions', body);
    expect(again.body.createdCount).toBe(0);
    expect(again.body.message).toContain('新生成督办单 0 件；2 件此前已生成，未重复生成。');
    const after = (await staff.json<PlanBody>('/api/plan')).body;
    expect(after.unresolved[0]!.decision).toMatchObject({ unitCodes: ['p-gongan', 'p-renshe'], note: '确认涉企事项单位', decidedBy: `李娜（${staff.username}）` });
    expect(after.tasks.find((t) => t.seq === 8)!.milestones[1]!.tickets).toBe(2);
  });

  it('answers bad decisions in Chinese and writes nothing', async () => {
    const plan = (await staff.json<PlanBody>('/api/plan')).body;
    const decisions = await s.db.prisma.planDecision.count();
    const unknownPhrase = await staff.json<{ message: string }>('/api/plan/decisions', { taskId: taskIdFor(plan.plan.id, 11), phrase: '有关单位', unitCodes: [] });
    expect(unknownPhrase).toEqual({ status: 404, body: { error: 'PHRASE_NOT_FOUND', message: '任务11没有待确认的表述「有关单位」，请刷新页面。' } });
    const unknownUnit = await staff.json<{ message: string }>('/api/plan/decisions', { taskId: taskIdFor(plan.plan.id, 11), phrase: '省直有关单位', unitCodes: ['p-xx'] });
    expect(unknownUnit).toEqual({ status: 400, body: { error: 'UNIT_NOT_FOUND', message: '未找到单位编码：p-xx。' } });
    const noUnits = await staff.json<{ error: string; message: string }>('/api/plan/decisions', { taskId: taskIdFor(plan.plan.id, 11), phrase: '省直有关单位' });
    expect(noUnits.status).toBe(400);
    expect(noUnits.body.message).toMatch(/^提交内容有误：unitCodes/);
    expect(await s.db.prisma.planDecision.count()).toBe(decisions);
  });
});
