/**
 * 问题工单 in the console: the 一键反馈 form, the list and detail by role, the bureau's decision
 * through the same service as chat (card in the outbox, TicketEvent), masking on every answer, and
 * the public 晾晒 view without sign-in and without personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleChat } from '../support/console-chat.ts';
import { dbKinds, freshUrl } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { migrate } from '../../prisma/migrate.ts';
import { ID_CARD, PERSONAL, PHONE } from '../handlers/problems/support.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const AMBIGUOUS = `社保卡和医保电子凭证都激活不了，来电人手机${PHONE}，身份证号${ID_CARD}`;
const CLEAR = '身份证换领预约不上，派出所说系统问题';
const PHONE_OR_ID = /1[3-9]\d{9}|\d{17}[\dXx]/;

let n = 0;
const ref = () => `test-${process.pid}-${++n}-aaaaaaaa`;

function form(fields: Record<string, string>, files: { name: string; bytes: Buffer }[] = []): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  for (const file of files) f.append('attachments', new Blob([new Uint8Array(file.bytes)]), file.name);
  return f;
}

async function file(c: WebClient, fields: Record<string, string>, files: { name: string; bytes: Buffer }[] = [], csrf = true) {
  const r = await c.fetch('/api/problem-list', { method: 'POST', body: form({ sourceCode: 'HOTLINE_12345', clientRef: ref(), ...fields }, files), csrf });
  return { status: r.status, body: (await r.json()) as Record<string, any> };
}

function expectNoPersonal(text: string) {
  for (const p of PERSONAL) expect(text).not.toContain(p);
}

describe.each(dbKinds)('问题工单 in the console on %s', (kind) => {
  let chat: ConsoleChat;
  let drop: (() => Promise<void>) | null = null;
  let staff: WebClient;
  let officer: WebClient;
  let otherOfficer: WebClient;
  let leader: WebClient;

  beforeAll(async () => {
    if (kind === 'postgresql') {
      const u = await freshUrl(kind);
      await migrate(u.url);
      drop = u.drop;
      chat = await ConsoleChat.start(undefined, { databaseUrl: u.url });
    } else {
      chat = await ConsoleChat.start();
    }
    const db = chat.app.db;
    staff = await signedIn(db, chat.base, 'BUREAU_STAFF');
    officer = await signedIn(db, chat.base, 'UNIT_OFFICER', { unitCode: 'p-gongan' });
    otherOfficer = await signedIn(db, chat.base, 'UNIT_OFFICER', { unitCode: 'p-yibao' });
    leader = await signedIn(db, chat.base, 'LEADER');
  }, 180_000);
  afterAll(async () => {
    await chat?.stop();
    await drop?.();
  });

  it('files once when the same form is submitted twice at once, and answers with the grade and the unit', async () => {
    const before = await chat.app.db.prisma.problem.count();
    const clientRef = ref();
    const fields = { clientRef, description: CLEAR, contact: PHONE };
    const [a, b] = await Promise.all([file(staff, fields), file(staff, fields)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.problem.id).toBe(b.body.problem.id);
    expect(await chat.app.db.prisma.problem.count()).toBe(before + 1);
    expect(a.body.problem).toMatchObject({ status: 'ROUTED', unitCode: 'p-gongan', unitName: '省公安厅', gradeLabel: '一般' });
    expect(a.body.problem.ticketId).toBeGreaterThan(0);
    const again = await file(staff, fields);
    expect(again).toMatchObject({ status: 200, body: { created: false, problem: { id: a.body.problem.id } } });
  });

  it('routes a waiting problem from the web: the unit gets its card and the ticket its event', async () => {
    const filed = await file(staff, { description: AMBIGUOUS, contact: PHONE });
    expect(filed.status).toBe(201);
    expectNoPersonal(JSON.stringify(filed.body));
    const id = filed.body.problem.id as number;
    expect(filed.body.problem.status).toBe('PENDING_ROUTE');

    const d = await staff.json<Record<string, any>>(`/api/problem-list/${id}`);
    expect(d.status).toBe(200);
    expect(d.body.canDecide).toBe(true);
    expect(d.body.problem.description).toContain('138****5678');
    expectNoPersonal(JSON.stringify(d.body));
    const units = d.body.candidates.map((c: { unitCode: string }) => c.unitCode);
    expect(units[0]).toBe('p-yibao');
    expect(d.body.candidates[0].score).toBeGreaterThan(0);
    expect(d.body.units.length).toBeGreaterThan(20);

    const r = await staff.json<Record<string, any>>(`/api/problem-list/${id}/route`, { unitCode: 'p-yibao' });
    expect(r.status).toBe(200);
    expect(r.body.message).toMatch(/^已交由省医保局办理：问题整改单 #\d+，整改时限 2026-/);
    const ticketId = r.body.ticketId as number;
    const card = await chat.app.db.prisma.outboxMessage.findMany({ where: { idempotencyKey: { endsWith: `:problem-assigned:${ticketId}` } } });
    expect(card.length).toBeGreaterThan(0);
    expectNoPersonal(card.map((c) => c.payload).join(''));
    const events = await chat.app.db.prisma.ticketEvent.findMany({ where: { ticketId } });
    expect(events.map((e) => e.type)).toContain('assign');
    const after = await staff.json<Record<string, any>>(`/api/problem-list/${id}`);
    expect(after.body.problem).toMatchObject({ status: 'ROUTED', statusLabel: '整改中', unitCode: 'p-yibao', ticketId });
    expect(after.body.canDecide).toBe(false);
    expect(after.body.feedback.map((f: { stage: string }) => f.stage)).toEqual(['受理', '交办']);

    const twice = await staff.json<Record<string, any>>(`/api/problem-list/${id}/route`, { unitCode: 'p-yibao' });
    expect(twice.status).toBe(409);
    expect(await chat.app.db.prisma.ticket.count({ where: { problemId: id } })).toBe(1);
  });

  it('dismisses a waiting problem only with a reason', async () => {
    const id = (await file(staff, { description: '湘易办登录不了，一直提示系统繁忙' })).body.problem.id as number;
    expect((await staff.json(`/api/problem-list/${id}/dismiss`, { reason: ' ' })).status).toBe(400);
    const r = await staff.json<Record<string, any>>(`/api/problem-list/${id}/dismiss`, { reason: '非政务服务问题' });
    expect(r).toMatchObject({ status: 200, body: { ok: true } });
    const d = await staff.json<Record<string, any>>(`/api/problem-list/${id}`);
    expect(d.body.problem.status).toBe('DISMISSED');
    expect(d.body.feedback.at(-1).message).toMatch(/不予受理：非政务服务问题/);
  });

  it('shows a unit officer only the unit\'s problems and lets no one but the bureau decide or file', async () => {
    const pending = (await file(staff, { description: AMBIGUOUS })).body.problem.id as number;
    const gongan = (await file(staff, { description: CLEAR })).body.problem.id as number;
    const mine = await officer.json<Record<string, any>>('/api/problem-list?limit=200');
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBeGreaterThan(0);
    expect(mine.body.items.every((p: { unitCode: string }) => p.unitCode === 'p-gongan')).toBe(true);
    expect(mine.body.canFile).toBe(false);
    expect((await officer.json('/api/problem-list?unit=p-yibao')).status).toBe(403);
    expect((await officer.json(`/api/problem-list/${gongan}`)).status).toBe(200);
    expect((await otherOfficer.json(`/api/problem-list/${gongan}`)).status).toBe(404);
    expect((await officer.json(`/api/problem-list/${pending}`)).status).toBe(404);

    expect((await officer.json(`/api/problem-list/${pending}/route`, { unitCode: 'p-gongan' })).status).toBe(403);
    expect((await leader.json(`/api/problem-list/${pending}/route`, { unitCode: 'p-gongan' })).status).toBe(403);
    expect((await leader.json(`/api/problem-list/${pending}/dismiss`, { reason: 'x' })).status).toBe(403);
    expect((await file(leader, { description: CLEAR })).status).toBe(403);
    expect((await file(officer, { description: CLEAR })).status).toBe(403);
    const noCsrf = await staff.fetch(`/api/problem-list/${pending}/route`, { method: 'POST', csrf: false, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ unitCode: 'p-gongan' }) });
    expect(noCsrf.status).toBe(403);
    expect((await file(staff, { description: CLEAR }, [], false)).status).toBe(403);
    expect((await chat.app.db.prisma.problem.findUniqueOrThrow({ where: { id: pending } })).status).toBe('PENDING_ROUTE');

    const all = await leader.json<Record<string, any>>('/api/problem-list?status=PENDING_ROUTE');
    expect(all.body.items.map((p: { id: number }) => p.id)).toContain(pending);
    expect(all.body.items.every((p: { status: string }) => p.status === 'PENDING_ROUTE')).toBe(true);
    expect(all.body.counts.pendingRoute).toBeGreaterThan(0);
    expect((await leader.fetch('/problems/new', { redirect: 'manual' })).status).toBe(403);
  });

  it('filters, pages and masks the list', async () => {
    await file(staff, { description: AMBIGUOUS, contact: `联系人手机 ${PHONE}` });
    const page1 = await staff.json<Record<string, any>>('/api/problem-list?limit=1&offset=0');
    const page2 = await staff.json<Record<string, any>>('/api/problem-list?limit=1&offset=1');
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.total).toBeGreaterThan(1);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    const severe = await staff.json<Record<string, any>>('/api/problem-list?grade=SEVERE');
    expect(severe.body.items.every((p: { grade: string }) => p.grade === 'SEVERE')).toBe(true);
    const hotline = await staff.json<Record<string, any>>('/api/problem-list?source=HOTLINE_12345&limit=200');
    expect(hotline.body.items.length).toBeGreaterThan(0);
    expect((await staff.json<Record<string, any>>('/api/problem-list?source=EVALUATION')).body.total).toBe(0);
    // Nothing is overdue on the day it was filed; a ticket past its due date is.
    expect((await staff.json<Record<string, any>>('/api/problem-list?overdue=true')).body.total).toBe(0);
    const t = await chat.app.db.prisma.ticket.findFirstOrThrow({ where: { kind: 'PROBLEM', unitCode: 'p-gongan' } });
    await chat.app.db.prisma.ticket.update({ where: { id: t.id }, data: { due: '2026-06-01' } });
    const overdue = await staff.json<Record<string, any>>('/api/problem-list?overdue=true');
    expect(overdue.body.items.map((p: { ticketId: number }) => p.ticketId)).toEqual([t.id]);
    expect(overdue.body.counts.overdue).toBe(1);
    const all = await staff.json<Record<string, any>>('/api/problem-list?limit=200');
    expectNoPersonal(JSON.stringify(all.body));
    expect(JSON.stringify(all.body)).toContain('138****5678');
    expect((await staff.json('/api/problem-list?status=OPEN')).status).toBe(400);

    const dash = await officer.json<Record<string, any>>('/api/dashboard/summary');
    expect(dash.body.problems).toMatchObject({ overdue: 1, pendingRoute: null });
    expect(dash.body.problems.open).toBeGreaterThan(0);
  });

  it('takes images and PDF as attachments, checked by content', async () => {
    const ok = await file(staff, { description: CLEAR }, [{ name: '截图.png', bytes: PNG }]);
    expect(ok.status).toBe(201);
    const d = await staff.json<Record<string, any>>(`/api/problem-list/${ok.body.problem.id}`);
    expect(d.body.problem.attachments).toEqual([{ name: '截图.png', size: PNG.length }]);
    const exe = await file(staff, { description: CLEAR }, [{ name: 'a.exe', bytes: PNG }]);
    expect(exe.status).toBe(415);
    const fake = await file(staff, { description: CLEAR }, [{ name: 'a.pdf', bytes: PNG }]);
    expect(fake.status).toBe(400);
    expect(fake.body.message).toMatch(/内容与扩展名不符/);
  });

  it('publishes per-unit counts without sign-in and without any personal data or description', async () => {
    const r = await fetch(`${chat.base}/api/public/problems?period=month`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=60');
    const text = await r.text();
    const d = JSON.parse(text) as Record<string, any>;
    expect(d.provincial.units.length).toBeGreaterThan(0);
    expect(d.city.units.length).toBeGreaterThan(0);
    const gongan = d.provincial.units.find((u: { unitName: string }) => u.unitName === '省公安厅');
    expect(gongan.received).toBeGreaterThan(0);
    expect(gongan.overdue).toBe(1);
    expect(d.provincial.units.find((u: { unitName: string }) => u.unitName === '省医保局').received).toBe(1);
    expect(text).not.toMatch(PHONE_OR_ID);
    expect(text).not.toMatch(/\*{3}/);
    for (const words of ['激活不了', '换领预约', '湘易办', '来电人', 'description', 'contact', 'sourceRef', 'unitCode', 'ticketId']) expect(text).not.toContain(words);
    const page = await fetch(`${chat.base}/public/problems`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('政务服务问题整改晾晒');
    expect(html).not.toMatch(PHONE_OR_ID);
    expect((await fetch(`${chat.base}/api/public/problems?period=decade`)).status).toBe(400);
  });
});
