import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleChat, findButton, textOf } from '../support/console-chat.ts';

const PDF = new TextEncoder().encode('%PDF-1.4\n% evidence of the shutdown plan\n');

describe('a ticket from assignment to approval, as three people in the console', () => {
  let chat: ConsoleChat;
  let officer: string;
  let otherOfficer: string;
  let staff: string;
  const unitRoom = 'group:unit-p-gongan';
  const bureauRoom = 'group:bureau';

  beforeAll(async () => {
    chat = await ConsoleChat.start();
    officer = await chat.person('officer-p-gongan');
    otherOfficer = await chat.person('officer-p-minzheng');
    staff = await chat.person('bureau-staff-1');
  }, 120_000);
  afterAll(async () => { await chat?.stop(); });

  it('delivers the assignment cards into the unit group with buttons', async () => {
    const msgs = await chat.messages(officer, unitRoom);
    const cards = msgs.filter((m) => m.message?.type === 'card');
    expect(cards.length).toBeGreaterThan(10);
    expect(findButton(cards[0], 'accept')).not.toBeNull();
    expect(textOf(cards[0])).toMatch(/督办单 #\d+/);
  });

  it('walks accept → progress → evidence → submit → return → resubmit → approve', async () => {
    const card = (await chat.messages(officer, unitRoom)).find((m) => textOf(m).includes('任务1'))!;
    const ticketId = Number(/#(\d+)/.exec(textOf(card))![1]);

    await chat.click(officer, unitRoom, card.id, 'accept');
    const updated = (await chat.messages(officer, unitRoom)).find((m) => m.id === card.id)!;
    expect(updated.updatedAt).not.toBeNull();
    expect(JSON.stringify(updated.message)).toContain('已签收');
    expect(findButton(updated, 'accept')).toBeNull();

    // A second click on the stale button changes nothing and says so.
    const token = findButton(card, 'accept')!.token;
    await chat.post('/api/console/action', { as: officer, room: unitRoom, messageId: card.id, token, values: {} });
    await chat.deliver();
    expect(textOf(await chat.lastBot(officer, unitRoom))).toMatch(/已处理过/);

    await chat.send(officer, unitRoom, `@督办助手 #${ticketId} 进度60% 已梳理应用清单`);
    expect(textOf(await chat.lastBot(officer, unitRoom))).toContain(`督办单 #${ticketId}`);

    expect(await chat.upload(officer, unitRoom, '关停计划表.pdf', PDF, 'application/pdf', `#${ticketId}`)).toBe(202);
    expect(textOf(await chat.lastBot(officer, unitRoom))).toMatch(/佐证材料已归档/);

    await chat.send(officer, unitRoom, `/提交 #${ticketId} 计划表已报送`);
    expect(textOf(await chat.lastBot(officer, unitRoom))).toMatch(/已提交省数据局审核/);

    const review = await chat.lastBot(staff, bureauRoom);
    expect(textOf(review)).toMatch(new RegExp(`待审核｜督办单 #${ticketId}`));
    await chat.click(staff, bureauRoom, review.id, 'return');
    expect(textOf(await chat.lastBot(staff, bureauRoom))).toMatch(/退回需要填写原因/);
    await chat.click(staff, bureauRoom, review.id, 'return', { reason: '缺少公告时间' });
    expect(textOf(await chat.lastBot(officer, unitRoom))).toMatch(/已被退回.*缺少公告时间/);

    await chat.send(officer, unitRoom, `/进度 更新 #${ticketId} 90% 已补充公告时间`);
    await chat.send(officer, unitRoom, `/提交 #${ticketId}`);
    const review2 = await chat.lastBot(staff, bureauRoom);
    await chat.click(staff, bureauRoom, review2.id, 'approve');
    expect(textOf(await chat.lastBot(officer, unitRoom))).toMatch(new RegExp(`#${ticketId}.*审核通过`));

    const t = await chat.app.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    expect(t.status).toBe('DONE');
    const events = await chat.app.db.prisma.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['assign', 'accept', 'progress', 'evidence', 'submit', 'return', 'progress', 'submit', 'approve']);
  });

  it('refuses a forged button and an officer of another unit', async () => {
    const card = (await chat.messages(officer, unitRoom)).find((m) => findButton(m, 'accept'))!;
    const token = findButton(card, 'accept')!.token;
    const forged = token.replace(/\.(\d+)\./, (_m, id) => `.${Number(id) + 1}.`);
    await chat.post('/api/console/action', { as: officer, room: unitRoom, messageId: card.id, token: forged, values: {} });
    await chat.deliver();
    expect(textOf(await chat.lastBot(officer, unitRoom))).toMatch(/无效或已被篡改/);

    const id = Number(/#(\d+)/.exec(textOf(card))![1]);
    await chat.send(otherOfficer, 'group:unit-p-minzheng', `/签收 #${id}`);
    expect(textOf(await chat.lastBot(otherOfficer, 'group:unit-p-minzheng'))).toMatch(/不是该督办单承办单位/);
  });

  it('asks which ticket when a reply could mean several', async () => {
    await chat.send(officer, unitRoom, '@督办助手 任务1 进度50%');
    const chooser = await chat.lastBot(officer, unitRoom);
    expect(textOf(chooser)).toMatch(/您指的是哪一件/);
    await chat.click(officer, unitRoom, chooser.id, 'chooseTicket');
    expect(JSON.stringify((await chat.messages(officer, unitRoom)).find((m) => m.id === chooser.id)?.message)).toContain('50%');
  });

  it('answers unknown and malformed commands with the nearest usage', async () => {
    await chat.send(staff, bureauRoom, '/审合 #1 通过');
    expect(textOf(await chat.lastBot(staff, bureauRoom))).toMatch(/审核/);
    await chat.send(staff, bureauRoom, '/审核 #1 退回');
    expect(textOf(await chat.lastBot(staff, bureauRoom))).toMatch(/原因/);
  });

  it('shows help, status and ranking', async () => {
    await chat.send(staff, bureauRoom, '/帮助');
    expect(textOf(await chat.lastBot(staff, bureauRoom))).toMatch(/督办/);
    await chat.send(staff, bureauRoom, '/进度 任务7');
    expect(textOf(await chat.lastBot(staff, bureauRoom))).toMatch(/任务7/);
    await chat.send(staff, bureauRoom, '/排名 市州');
    expect(textOf(await chat.lastBot(staff, bureauRoom))).toMatch(/市州排名/);
  });
});
