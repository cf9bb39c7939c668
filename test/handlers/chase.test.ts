/**
 * 催办 from chat and from the web console go through one service (handlers/services/chase.ts): the
 * unit gets one reminder card listing the chased tickets, and each ticket records who chased.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleChat, textOf } from '../support/console-chat.ts';
import { signedIn } from '../support/web-session.ts';

describe('催办 in chat and in the web console', () => {
  let chat: ConsoleChat;
  let officer: string;
  let staff: string;

  beforeAll(async () => {
    chat = await ConsoleChat.start();
    officer = await chat.person('officer-p-minzheng');
    staff = await chat.person('bureau-staff-1');
  }, 120_000);
  afterAll(async () => {
    await chat?.stop();
  });

  it('/催办 a unit: one card to the unit listing its open tickets, a chase event per ticket with the staff member', async () => {
    const open = await chat.app.db.prisma.ticket.count({ where: { unitCode: 'p-minzheng', status: { in: ['ASSIGNED', 'IN_PROGRESS', 'RETURNED'] } } });
    await chat.send(staff, 'group:bureau', '/催办 省民政厅 请于本周五前报送进展');
    expect(textOf(await chat.lastBot(staff, 'group:bureau'))).toBe(`已向 1 个单位催办 ${open} 件督办单。`);
    const card = await chat.lastBot(officer, 'group:unit-p-minzheng');
    expect(textOf(card)).toContain('请于本周五前报送进展');
    expect(textOf(card)).toContain('李娜催办');
    const events = await chat.app.db.prisma.ticketEvent.findMany({ where: { type: 'chase', ticket: { unitCode: 'p-minzheng' } } });
    expect(events).toHaveLength(open);
    expect(events.every((e) => e.actorId === staff && e.actorName === '李娜' && e.note === '请于本周五前报送进展')).toBe(true);
  });

  it('the web console chases one ticket the same way, naming the web account', async () => {
    const web = await signedIn(chat.app.db, chat.base, 'BUREAU_STAFF', { displayName: '网页催办员' });
    const t = await chat.app.db.prisma.ticket.findFirstOrThrow({ where: { unitCode: 'p-minzheng', status: 'ASSIGNED' }, orderBy: { id: 'asc' } });
    const r = await web.json<{ message: string }>(`/api/tickets/${t.id}/actions`, { action: 'chase', version: t.version, note: '今天下班前回复' });
    expect(r.status).toBe(200);
    await chat.deliver();
    const card = await chat.lastBot(officer, 'group:unit-p-minzheng');
    expect(textOf(card)).toContain('网页催办员催办');
    expect(textOf(card)).toContain(`#${t.id}`);
    expect(textOf(card)).toContain('今天下班前回复');
    const ev = await chat.app.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'chase', actorName: '网页催办员' } });
    expect(JSON.parse(ev.data!).via.username).toBe(web.username);
  });
});
