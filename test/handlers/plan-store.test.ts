import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePlan } from '../../domain/plan/parse.ts';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import { assignPlan, loadPlan, planIdFor } from '../../handlers/services/plan-store.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const text = readFileSync(SEED_PLAN_FILE, 'utf8');
const parsed = parsePlan(text);
const now = new Date('2026-06-20T01:00:00Z');
const expectedTickets = parsed.tasks.flatMap((t) => t.milestones).reduce((n, m) => n + m.units.length, 0);

describe.each(dbKinds)('plan load and assign on %s', (kind) => {
  let t: TestDb;
  beforeEach(async () => { t = await freshDatabase(kind); });
  afterEach(async () => { await t.cleanup(); });

  it('loads the plan with its tasks, milestones, units and services, and a second load changes nothing', async () => {
    const first = await loadPlan(t.db, parsed, text, now);
    expect(first).toMatchObject({ created: true, tasks: 28, units: parsed.units.length });
    expect(first.milestones).toBe(parsed.tasks.reduce((n, x) => n + x.milestones.length, 0));
    const counts = async () => ({
      plans: await t.db.prisma.plan.count(),
      tasks: await t.db.prisma.task.count(),
      milestones: await t.db.prisma.milestone.count(),
      units: await t.db.prisma.unit.count(),
      services: await t.db.prisma.serviceItem.count(),
    });
    const before = await counts();
    const second = await loadPlan(t.db, parsed, text, now);
    expect(second).toMatchObject({ created: false, tasks: 0, milestones: 0, units: 0, services: 0 });
    expect(await counts()).toEqual(before);

    const task7 = await t.db.prisma.task.findFirstOrThrow({ where: { seq: 7 }, include: { milestones: { orderBy: { ordinal: 'asc' } } } });
    expect(task7.milestones.map((m) => m.due)).toEqual(['2026-04-30', '2026-05-31', '2026-10-31', '2026-11-30']);
    expect(JSON.parse(task7.milestones[0]!.units)).toEqual(['bureau']);
    const task13 = await t.db.prisma.task.findFirstOrThrow({ where: { seq: 13 } });
    expect(task13).toMatchObject({ recurring: true, due: null, slaWorkdays: 10 });
    const ribao = await t.db.prisma.unit.findFirstOrThrow({ where: { name: '湖南日报社' } });
    expect(JSON.parse(ribao.aliases)).toContain('湖南日报');
  });

  it('refuses a different text under the same document number and writes nothing', async () => {
    await loadPlan(t.db, parsed, text, now);
    const changed = text.replace('建成全省统一政务大模型底座', '建成全省统一政务大模型平台');
    await expect(loadPlan(t.db, parsePlan(changed), changed, now)).rejects.toMatchObject({ code: 'PLAN_CHANGED' });
    expect(await t.db.prisma.plan.count()).toBe(1);
  });

  it('creates one ticket per (milestone × unit) with an event and an outbox card each; assigning again creates nothing', async () => {
    const { planId } = await loadPlan(t.db, parsed, text, now);
    const first = await assignPlan(t.db, planId, now, 'CONSOLE');
    expect(first.created).toHaveLength(expectedTickets);
    expect(first.existing).toBe(0);
    expect(await t.db.prisma.ticket.count()).toBe(expectedTickets);
    expect(await t.db.prisma.ticketEvent.count({ where: { type: 'assign', toStatus: 'ASSIGNED', actorName: '系统' } })).toBe(expectedTickets);
    expect(await t.db.prisma.outboxMessage.count({ where: { kind: 'ticket-assigned', status: 'PENDING' } })).toBe(expectedTickets);

    // No city gets the bureau's own step of task 7; the bureau gets exactly that one.
    const task7Tickets = await t.db.prisma.ticket.findMany({ where: { milestone: { task: { seq: 7 } } }, include: { milestone: true } });
    const april = task7Tickets.filter((k) => k.milestone!.due === '2026-04-30');
    expect(april.map((k) => k.unitCode)).toEqual(['bureau']);
    expect(task7Tickets.filter((k) => k.milestone!.due === '2026-05-31').every((k) => k.unitCode.startsWith('c-'))).toBe(true);
    const sample = task7Tickets[0]!;
    expect(sample).toMatchObject({ status: 'ASSIGNED', progress: 0, kind: 'PLAN' });
    expect(sample.originalDue).toBe(sample.due);

    // Unresolved phrases are reported, not guessed (task 8: 省直相关单位; task 11: 省直有关单位).
    expect(first.unresolved.map((u) => u.taskSeq)).toEqual(expect.arrayContaining([8, 11]));
    expect(await t.db.prisma.ticket.count({ where: { milestone: { task: { seq: 11 } }, unit: { kind: 'PROVINCIAL' } } })).toBe(0);

    const second = await assignPlan(t.db, planId, now, 'CONSOLE');
    expect(second.created).toHaveLength(0);
    expect(second.existing).toBe(expectedTickets);
    expect(await t.db.prisma.ticket.count()).toBe(expectedTickets);
    expect(await t.db.prisma.outboxMessage.count()).toBe(expectedTickets);
  });

  it('fills in only the missing tickets after a partial assignment', async () => {
    const { planId } = await loadPlan(t.db, parsed, text, now);
    await assignPlan(t.db, planId, now, 'CONSOLE');
    const victim = await t.db.prisma.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });
    await t.db.prisma.ticketEvent.deleteMany({ where: { ticketId: victim.id } });
    await t.db.prisma.ticket.delete({ where: { id: victim.id } });
    const again = await assignPlan(t.db, planId, now, 'CONSOLE');
    expect(again.created).toHaveLength(1);
    expect(again.created[0]).toMatchObject({ unitCode: victim.unitCode, due: victim.due });
  });

  it('refuses to assign a plan that was never loaded', async () => {
    await expect(assignPlan(t.db, planIdFor('湘数据〔2026〕99号'), now, 'CONSOLE')).rejects.toMatchObject({ code: 'PLAN_NOT_FOUND' });
  });
});
