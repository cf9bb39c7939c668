import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actOnTicket, ticketTimeline } from '../../handlers/services/tickets.ts';
import type { Actor } from '../../domain/access.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const now = new Date('2026-06-20T02:00:00Z'); // 10:00 in Shanghai
const officer: Actor = { personId: 'p1', name: '公安联络员', role: 'UNIT_OFFICER', unitCode: 'p-gongan' };
const otherOfficer: Actor = { personId: 'p2', name: '民政联络员', role: 'UNIT_OFFICER', unitCode: 'p-minzheng' };
const staff: Actor = { personId: 'b1', name: '李娜', role: 'BUREAU_STAFF', unitCode: 'bureau' };
const leader: Actor = { personId: 'l1', name: '王建国', role: 'LEADER', unitCode: null };

describe.each(dbKinds)('ticket lifecycle on %s', (kind) => {
  let t: TestDb;
  let ticketId: number;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    await t.db.prisma.unit.createMany({
      data: [
        { code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL' },
        { code: 'p-minzheng', name: '省民政厅', kind: 'PROVINCIAL' },
        { code: 'bureau', name: '省数据局', kind: 'BUREAU', collective: false },
      ],
    });
    const ticket = await t.db.prisma.ticket.create({
      data: { unitCode: 'p-gongan', title: '任务1：填报关停计划表', due: '2026-06-30', originalDue: '2026-06-30' },
    });
    ticketId = ticket.id;
  });
  afterEach(async () => { await t.cleanup(); });

  it('walks accept → progress → submit → return → progress → submit → approve, each step in the timeline with its actor', async () => {
    await actOnTicket(t.db, ticketId, { type: 'accept' }, officer, now);
    await actOnTicket(t.db, ticketId, { type: 'progress', percent: 60, note: '已梳理应用清单' }, officer, now);
    await actOnTicket(t.db, ticketId, { type: 'submit', note: '关停计划表已报送' }, officer, now);
    await actOnTicket(t.db, ticketId, { type: 'return', reason: '缺少公告时间' }, staff, now);
    await actOnTicket(t.db, ticketId, { type: 'progress', percent: 90, note: '已补充公告时间' }, officer, now);
    await actOnTicket(t.db, ticketId, { type: 'submit' }, officer, now);
    const done = await actOnTicket(t.db, ticketId, { type: 'approve' }, staff, now);
    expect(done.ticket).toMatchObject({ status: 'DONE', progress: 100, version: 7 });
    expect(done.ticket.acceptedAt).not.toBeNull();
    expect(done.ticket.doneAt?.toISOString()).toBe(now.toISOString());

    const timeline = await ticketTimeline(t.db, ticketId);
    expect(timeline.map((e) => [e.type, e.fromStatus, e.toStatus, e.actorName])).toEqual([
      ['accept', 'ASSIGNED', 'IN_PROGRESS', '公安联络员'],
      ['progress', 'IN_PROGRESS', 'IN_PROGRESS', '公安联络员'],
      ['submit', 'IN_PROGRESS', 'SUBMITTED', '公安联络员'],
      ['return', 'SUBMITTED', 'RETURNED', '李娜'],
      ['progress', 'RETURNED', 'IN_PROGRESS', '公安联络员'],
      ['submit', 'IN_PROGRESS', 'SUBMITTED', '公安联络员'],
      ['approve', 'SUBMITTED', 'DONE', '李娜'],
    ]);
    expect(timeline[3]!.note).toBe('缺少公告时间');
    expect(await t.db.prisma.progressReport.count({ where: { ticketId } })).toBe(4);
  });

  it('moves the due date on an approved extension and keeps the original due', async () => {
    await actOnTicket(t.db, ticketId, { type: 'accept' }, officer, now);
    await actOnTicket(t.db, ticketId, { type: 'requestExtension', newDue: '2026-07-15', reason: '系统改造需联调' }, officer, now);
    const pending = await t.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(pending).toMatchObject({ extensionDue: '2026-07-15', extensionReason: '系统改造需联调', due: '2026-06-30' });
    const r = await actOnTicket(t.db, ticketId, { type: 'decideExtension', approve: true }, staff, now);
    expect(r.ticket).toMatchObject({ due: '2026-07-15', originalDue: '2026-06-30', extensionDue: null, extensionReason: null });
  });

  it.each([
    ['an officer of another unit', otherOfficer, { type: 'accept' as const }],
    ['a leader', leader, { type: 'accept' as const }],
    ['an officer approving', officer, { type: 'approve' as const }],
  ])('refuses %s and changes nothing', async (_label, actor, action) => {
    const before = await t.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    await expect(actOnTicket(t.db, ticketId, action, actor, now)).rejects.toMatchObject({ code: expect.stringMatching(/FORBIDDEN|TICKET_ILLEGAL_TRANSITION/) });
    expect(await t.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toEqual(before);
    expect(await t.db.prisma.ticketEvent.count()).toBe(0);
  });

  it('refuses an illegal transition with a Chinese message naming the state', async () => {
    await expect(actOnTicket(t.db, ticketId, { type: 'submit' }, officer, now)).rejects.toThrow(/待签收/);
  });

  it('refuses a return without a reason', async () => {
    await actOnTicket(t.db, ticketId, { type: 'accept' }, officer, now);
    await actOnTicket(t.db, ticketId, { type: 'submit' }, officer, now);
    await expect(actOnTicket(t.db, ticketId, { type: 'return', reason: '  ' }, staff, now)).rejects.toMatchObject({ code: 'TICKET_REASON_REQUIRED' });
  });

  it('lets only one of two simultaneous clicks through', async () => {
    const results = await Promise.allSettled([
      actOnTicket(t.db, ticketId, { type: 'accept' }, officer, now),
      actOnTicket(t.db, ticketId, { type: 'accept' }, officer, now),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toMatch(/TICKET_CONCURRENT|TICKET_ILLEGAL_TRANSITION/);
    expect(await t.db.prisma.ticketEvent.count()).toBe(1);
  });

  it('reports an unknown ticket number clearly', async () => {
    await expect(actOnTicket(t.db, 99999, { type: 'accept' }, officer, now)).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
  });
});
