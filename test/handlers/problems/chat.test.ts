/**
 * The whole problem loop as the people in it see it: a source system posts through the intake API,
 * bureau staff route and verify in their group, the unit's officer accepts and reports the
 * rectification with evidence, the bureau returns it once and then closes it (销号), and the source
 * reads its feedback. Every text anyone is shown is checked for the reporter's phone and ID number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleChat, findButton, textOf, type ChatMessage } from '../../support/console-chat.ts';
import { dbKinds, freshUrl } from '../../support/databases.ts';
import { migrate } from '../../../prisma/migrate.ts';
import { addProblemSource } from '../../../handlers/services/problem-sources.ts';
import { expectNoPersonalData, ID_CARD, PHONE } from './support.ts';

const PDF = new TextEncoder().encode('%PDF-1.4\n% screenshot of the fixed sign-in\n');

describe.each(dbKinds)('a problem from a source system to 销号, as four parties, on %s', (kind) => {
  let chat: ConsoleChat;
  let drop: (() => Promise<void>) | null = null;
  let key: string;
  let officer: string;
  let staff: string;
  let leader: string;
  const unitRoom = 'group:unit-p-gongan';
  const bureauRoom = 'group:bureau';
  const everything: string[] = [];

  beforeAll(async () => {
    if (kind === 'postgresql') {
      const u = await freshUrl(kind);
      await migrate(u.url);
      drop = u.drop;
      chat = await ConsoleChat.start(undefined, { databaseUrl: u.url });
    } else {
      chat = await ConsoleChat.start();
    }
    officer = await chat.person('officer-p-gongan');
    staff = await chat.person('bureau-staff-1');
    leader = await chat.person('leader-1');
    key = (await addProblemSource(chat.app.db, 'HOTLINE_12345', '12345热线')).key;
  }, 180_000);
  afterAll(async () => {
    await chat?.stop();
    await drop?.();
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${chat.base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const post = async (body: unknown) => {
    const r = await api('/api/problems', { method: 'POST', body: JSON.stringify(body) });
    await chat.deliver();
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  /** What a person sees in a room (texts and whole cards), remembered for the masking check. */
  const seen = async (as: string, room: string): Promise<ChatMessage[]> => {
    const msgs = await chat.messages(as, room);
    // What the bot shows (a person's own typed text is theirs to see).
    for (const m of msgs) if (m.direction === 'OUT') everything.push(textOf(m), JSON.stringify(m.message ?? ''));
    return msgs;
  };
  const last = async (as: string, room: string, pred: (m: ChatMessage) => boolean) => (await seen(as, room)).filter((m) => m.direction === 'OUT' && pred(m)).at(-1)!;

  it('walks 发现 → 交办 → 整改 → 退回 → 整改 → 销号 → 反馈, showing no personal data to anyone', async () => {
    const description = `湘易办登录不了，一直提示系统繁忙。来电人手机${PHONE}，身份证号${ID_CARD}。`;
    const filed = await post({ sourceRef: 'GD-0001', description, contact: PHONE, reportedAt: '2026-06-22 09:30' });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ status: 'PENDING_ROUTE', unit: null, due: null, created: true });
    const id = filed.body.id as number;
    everything.push(JSON.stringify(filed.body));

    // The bureau sees the routing card and routes it by command (no candidate matched).
    const routeCard = await last(staff, bureauRoom, (m) => textOf(m).includes(`待分派｜问题P${id}`));
    expect(textOf(routeCard)).toContain('138****5678');
    await chat.send(staff, bureauRoom, `/问题 分派 P${id} 省公安厅`);
    const routed = textOf(await last(staff, bureauRoom, () => true));
    const ticketId = Number(/问题整改单 #(\d+)/.exec(routed)![1]);
    expect(routed).toMatch(new RegExp(`已将问题 P${id} 交由省公安厅整改`));

    // The unit gets its problem card and accepts it.
    const card = await last(officer, unitRoom, (m) => textOf(m).includes(`问题整改单 #${ticketId} · 问题P${id}`));
    expect(textOf(card)).toMatch(/问题描述：湘易办登录不了/);
    await chat.click(officer, unitRoom, card.id, 'accept');
    const accepted = JSON.stringify((await seen(officer, unitRoom)).find((m) => m.id === card.id)!.message);
    expect(accepted).toContain('已签收');
    expect(accepted).toContain('问题描述：湘易办登录不了'); // the replaced card still says what to rectify

    // Bureau staff list open problems (masked) while it is open.
    await chat.send(staff, bureauRoom, '/问题 列表');
    const list = textOf(await last(staff, bureauRoom, () => true));
    expect(list).toMatch(new RegExp(`P${id}｜一般｜.*省公安厅｜#${ticketId} 办理中`));

    // Evidence and the rectification report; the bureau returns it once.
    expect(await chat.upload(officer, unitRoom, '修复截图.pdf', PDF, 'application/pdf', `#${ticketId}`)).toBe(202);
    await chat.send(officer, unitRoom, `/提交 #${ticketId} 已修复登录接口`);
    const review = await last(staff, bureauRoom, (m) => textOf(m).includes(`待核验｜问题整改单 #${ticketId}`));
    await chat.click(staff, bureauRoom, review.id, 'return', { reason: '请补充修复后的登录截图' });
    expect(textOf(await last(officer, unitRoom, () => true))).toMatch(/已被退回.*请补充修复后的登录截图/);

    await chat.send(officer, unitRoom, `/进度 更新 #${ticketId} 90% 已补充截图`);
    await chat.send(officer, unitRoom, `/提交 #${ticketId} 已修复并电话回访（${PHONE}）`);
    const review2 = await last(staff, bureauRoom, (m) => textOf(m).includes(`待核验｜问题整改单 #${ticketId}`));
    expect(review2.id).not.toBe(review.id);
    await chat.click(staff, bureauRoom, review2.id, 'approve');
    expect(textOf(await last(officer, unitRoom, () => true))).toContain(`问题整改单 #${ticketId}（问题P${id}，省公安厅）已通过省数据局核验，问题销号`);

    const problem = await chat.app.db.prisma.problem.findUniqueOrThrow({ where: { id } });
    expect(problem.status).toBe('CLOSED');
    const events = await chat.app.db.prisma.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.type, e.actorName])).toEqual([
      ['assign', '李娜'], ['accept', '省公安厅联络员'], ['evidence', '省公安厅联络员'], ['submit', '省公安厅联络员'], ['return', '李娜'],
      ['progress', '省公安厅联络员'], ['submit', '省公安厅联络员'], ['approve', '李娜'],
    ]);

    // The source reads its feedback.
    const fb = await api('/api/problems/feedback?sourceRef=GD-0001');
    expect(fb.status).toBe(200);
    const body = (await fb.json()) as { status: string; feedback: { stage: string; message: string }[] };
    everything.push(JSON.stringify(body));
    expect(body.status).toBe('CLOSED');
    expect(body.feedback.map((f) => f.stage)).toEqual(['受理', '交办', '整改', '整改反馈', '退回', '整改反馈', '销号']);
    expect(body.feedback.at(-1)!.message).toContain('问题销号。整改情况：已修复并电话回访（138****5678）');

    // A leader reads the weekly digest with its 问题整改 section.
    await chat.send(leader, `direct:${leader}`, '/通报');
    const digest = (await seen(leader, `direct:${leader}`)).map(textOf).join('\n');
    expect(digest).toMatch(/问题整改情况/);
    expect(digest).toMatch(/销号 1 件，其中按时整改 1 件，按时整改率 100\.0%/);

    expect(everything.join('\n')).toContain('138****5678'); // what was shown was the masked form
    await seen(officer, unitRoom);
    await seen(staff, bureauRoom);
    expectNoPersonalData(everything);
  });

  it('routes a problem in one click on the bureau card; the stale button changes nothing', async () => {
    const filed = await post({ sourceRef: 'GD-0002', description: '医保缴费交不上，提示订单异常' });
    expect(filed.body.status).toBe('PENDING_ROUTE');
    const id = filed.body.id as number;
    const card = await last(staff, bureauRoom, (m) => textOf(m).includes(`待分派｜问题P${id}`));
    const button = card.message!.card!.body.flatMap((el) => ((el as { items?: { actions?: { title: string; data?: { action: string } }[] }[] }).items ?? []))
      .flatMap((i) => i.actions ?? []).find((a) => a.data?.action === 'routeProblem')!;
    const unitName = /^交由(.+)办理$/.exec(button.title)![1]!;
    await chat.click(staff, bureauRoom, card.id, 'routeProblem');
    const updated = (await seen(staff, bureauRoom)).find((m) => m.id === card.id)!;
    expect(updated.updatedAt).not.toBeNull();
    expect(JSON.stringify(updated.message)).toContain(`已交由${unitName}办理`);
    expect(findButton(updated, 'routeProblem')).toBeNull();

    const ticket = await chat.app.db.prisma.ticket.findUniqueOrThrow({ where: { problemId: id }, include: { unit: true } });
    expect(ticket.unit.name).toBe(unitName);
    const unitOfficer = await chat.person(`officer-${ticket.unitCode}`);
    expect((await seen(unitOfficer, `group:unit-${ticket.unitCode}`)).some((m) => textOf(m).includes(`问题整改单 #${ticket.id} · 问题P${id}`))).toBe(true);

    // The same (now stale) button again: said politely, nothing new.
    await chat.post('/api/console/action', { as: staff, room: bureauRoom, messageId: card.id, token: findButton(card, 'routeProblem')!.token, values: {} });
    await chat.deliver();
    expect(textOf(await last(staff, bureauRoom, () => true))).toMatch(/无需重复点击/);
    expect(await chat.app.db.prisma.ticket.count({ where: { problemId: id } })).toBe(1);

    // 分派 again to another unit: the ticket is reassigned and the new unit gets the problem card.
    const target = ticket.unitCode === 'p-minzheng' ? { code: 'p-gongan', name: '省公安厅' } : { code: 'p-minzheng', name: '省民政厅' };
    await chat.send(staff, bureauRoom, `/问题 分派 P${id} ${target.name}`);
    expect(textOf(await last(staff, bureauRoom, () => true))).toContain(`已将问题 P${id} 由${unitName}改派至${target.name}`);
    const moved = await last(await chat.person(`officer-${target.code}`), `group:unit-${target.code}`, (m) => textOf(m).includes(`问题P${id}`));
    expect(textOf(moved)).toMatch(/问题描述：医保缴费交不上/);
    expect((await chat.app.db.prisma.problem.findUniqueOrThrow({ where: { id } })).unitCode).toBe(target.code);
  });

  it('answers a repeated API call and a re-processed chat message with the problem already filed', async () => {
    const first = await post({ sourceRef: 'GD-0003', description: '公积金查询不到缴存记录' });
    const rows = () => chat.app.db.sql.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM outbox_message').then((r) => Number(r[0]!.n));
    const before = await rows();
    const again = await post({ sourceRef: 'GD-0003', description: '公积金查询不到缴存记录' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, created: false });
    expect(await rows()).toBe(before);

    await chat.send(staff, bureauRoom, '/问题 住房公积金提取 线上提取多次提交失败');
    expect(textOf(await last(staff, bureauRoom, () => true))).toMatch(/已登记问题 P\d+，等级：较重/);
    const count = await chat.app.db.prisma.problem.count({ where: { sourceCode: 'BUREAU' } });
    const outboxBefore = await rows();
    // A crash before the event was marked processed: recovery runs the same message again.
    const [event] = await chat.app.db.sql.query<{ key: string }>(`SELECT key FROM inbound_event WHERE kind = 'text' ORDER BY received_at DESC, key DESC LIMIT 1`);
    await chat.app.db.sql.execute('UPDATE inbound_event SET processed_at = NULL WHERE key = ?', [event!.key]);
    expect(await chat.app.pipeline.recover((p) => ({ ...p, receivedAt: new Date(p.receivedAt) }) as never)).toBe(1);
    await chat.deliver();
    expect(await chat.app.db.prisma.problem.count({ where: { sourceCode: 'BUREAU' } })).toBe(count);
    expect(await rows()).toBe(outboxBefore);
  });
});
