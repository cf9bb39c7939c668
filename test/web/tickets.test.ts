/**
 * The ticket page's API: who may see a ticket and act on it, review actions through the chat's own
 * services (the TicketEvent names the web user, the unit is told through the outbox), optimistic
 * concurrency, and evidence download/preview with their headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { actOnTicket } from '../../handlers/services/tickets.ts';
import { storeEvidence } from '../../handlers/services/evidence.ts';
import type { Actor } from '../../domain/access.ts';
import { PREVIEW_CSP } from '../../web/server/tickets.ts';
import { startConsoleApp, type ConsoleApp } from './console-app.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n');
const XLSX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60, 1)]);

interface Detail {
  ticket: { id: number; status: string; version: number; unitCode: string; due: string; originalDue: string; extension: { due: string } | null; light: string };
  events: { type: string; actorName: string; roleLabel: string; from: string | null; to: string | null; note: string | null; atText: string; webUser: string | null }[];
  reports: { percent: number; note: string | null; reporterName: string | null }[];
  evidence: { id: number; name: string; mime: string; previewable: boolean; downloadUrl: string; previewUrl: string | null }[];
  actions: string[];
}

describe.each(dbKinds)('ticket page API (%s)', (kind) => {
  let c: ConsoleApp;
  let staff: WebClient;
  let leader: WebClient;
  let ownOfficer: WebClient;
  let otherOfficer: WebClient;
  let officer: Actor;
  const at = () => c.clock.now;

  /** A ticket of 省公安厅 taken to SUBMITTED by its officer through the services, with evidence. */
  async function submitted(): Promise<number> {
    const t = await c.db.prisma.ticket.findFirstOrThrow({ where: { unitCode: 'p-gongan', status: 'ASSIGNED' }, orderBy: { id: 'asc' } });
    await actOnTicket(c.db, t.id, { type: 'accept' }, officer, at());
    await actOnTicket(c.db, t.id, { type: 'progress', percent: 60, note: '已梳理应用清单' }, officer, at());
    await actOnTicket(c.db, t.id, { type: 'submit', note: '计划表已报送' }, officer, at());
    return t.id;
  }

  beforeAll(async () => {
    c = await startConsoleApp(kind, new Date('2026-06-22T02:00:00Z'));
    staff = await signedIn(c.db, c.base, 'BUREAU_STAFF', { displayName: '网页审核员' });
    leader = await signedIn(c.db, c.base, 'LEADER');
    ownOfficer = await signedIn(c.db, c.base, 'UNIT_OFFICER', { unitCode: 'p-gongan' });
    otherOfficer = await signedIn(c.db, c.base, 'UNIT_OFFICER', { unitCode: 'c-changsha' });
    const p = await c.db.prisma.person.findFirstOrThrow({ where: { consoleId: 'officer-p-gongan' } });
    officer = { personId: p.id, name: p.name, role: 'UNIT_OFFICER', unitCode: 'p-gongan' };
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('shows the header, every event in Shanghai time, the reports and the evidence; bureau staff get the review buttons', async () => {
    const id = await submitted();
    await storeEvidence(c.db, c.evidenceDir, { ticketId: id, name: '关停计划表.pdf', bytes: PDF, uploaderId: officer.personId, uploaderName: officer.name, uploaderRole: 'UNIT_OFFICER' }, at());
    const r = await staff.json<Detail>(`/api/tickets/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.ticket).toMatchObject({ id, status: 'SUBMITTED', unitCode: 'p-gongan' });
    expect(r.body.events.map((e) => e.type)).toEqual(['assign', 'accept', 'progress', 'submit', 'evidence']);
    const accept = r.body.events[1]!;
    expect(accept).toMatchObject({ actorName: '省公安厅联络员', roleLabel: '单位联络员', from: 'ASSIGNED', to: 'IN_PROGRESS', atText: '2026-06-22 10:00', webUser: null });
    expect(r.body.reports.map((x) => x.percent)).toEqual([100, 60]);
    expect(r.body.reports[1]).toMatchObject({ note: '已梳理应用清单', reporterName: '省公安厅联络员' });
    expect(r.body.evidence).toEqual([expect.objectContaining({ name: '关停计划表.pdf', mime: 'application/pdf', previewable: true })]);
    expect(r.body.actions).toEqual(['approve', 'return']);
    // The unit's own officer sees it, without review buttons.
    const own = await ownOfficer.json<Detail>(`/api/tickets/${id}`);
    expect(own.status).toBe(200);
    expect(own.body.actions).toEqual([]);
  });

  it('refuses another unit (403) and an unknown ticket (404); a leader reads without buttons and cannot act', async () => {
    const id = await submitted();
    const other = await otherOfficer.json<{ message: string }>(`/api/tickets/${id}`);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/不是该督办单承办单位（省公安厅）的人员/);
    expect((await staff.json(`/api/tickets/99999999`)).status).toBe(404);
    expect((await staff.json(`/api/tickets/abc`)).status).toBe(400);
    const read = await leader.json<Detail>(`/api/tickets/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.actions).toEqual([]);
    const act = await leader.json<{ message: string }>(`/api/tickets/${id}/actions`, { action: 'approve', version: read.body.ticket.version });
    expect(act.status).toBe(403);
    expect(act.body.message).toMatch(/无权访问此功能/);
    const officerAct = await ownOfficer.json(`/api/tickets/${id}/actions`, { action: 'approve', version: read.body.ticket.version });
    expect(officerAct.status).toBe(403);
    expect((await c.db.prisma.ticket.findUniqueOrThrow({ where: { id } })).status).toBe('SUBMITTED');
  });

  it('refuses an action without the CSRF token', async () => {
    const id = await submitted();
    const v = (await c.db.prisma.ticket.findUniqueOrThrow({ where: { id } })).version;
    const r = await staff.fetch(`/api/tickets/${id}/actions`, { method: 'POST', csrf: false, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'approve', version: v }) });
    expect(r.status).toBe(403);
    expect((await r.json()).error).toBe('CSRF');
    expect((await c.db.prisma.ticket.findUniqueOrThrow({ where: { id } })).status).toBe('SUBMITTED');
  });

  it('通过 goes through the chat service: the event names the web user and the unit is told through the outbox', async () => {
    const id = await submitted();
    const before = await staff.json<Detail>(`/api/tickets/${id}`);
    const r = await staff.json<{ message: string }>(`/api/tickets/${id}/actions`, { action: 'approve', version: before.body.ticket.version, note: '材料齐全' });
    expect(r.status).toBe(200);
    expect(r.body.message).toBe(`督办单 #${id} 已审核通过，办结。`);
    const t = await c.db.prisma.ticket.findUniqueOrThrow({ where: { id } });
    expect(t.status).toBe('DONE');
    expect(t.doneAt).not.toBeNull();
    const ev = await c.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: id, type: 'approve' } });
    expect(ev).toMatchObject({ actorName: '网页审核员', actorRole: 'BUREAU_STAFF', fromStatus: 'SUBMITTED', toStatus: 'DONE', note: '材料齐全' });
    expect(JSON.parse(ev.data!).via).toMatchObject({ channel: 'web', username: staff.username });
    const out = await c.db.prisma.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `CONSOLE:unit:p-gongan:approved:${id}:${ev.id}` } });
    expect(out).toMatchObject({ target: 'unit:p-gongan', status: 'PENDING', ticketId: id });
    expect(JSON.parse(out.payload).message.text).toContain(`督办单 #${id}`);
    // The page shows it in the timeline, marked as done in the web console.
    const after = await staff.json<Detail>(`/api/tickets/${id}`);
    expect(after.body.events.at(-1)).toMatchObject({ type: 'approve', actorName: '网页审核员', webUser: staff.username });
    expect(after.body.actions).toEqual([]);
  });

  it('退回 needs a reason, then sends the unit the returned ticket card', async () => {
    const id = await submitted();
    const v = (await c.db.prisma.ticket.findUniqueOrThrow({ where: { id } })).version;
    const empty = await staff.json<{ message: string }>(`/api/tickets/${id}/actions`, { action: 'return', version: v, reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/退回须填写原因/);
    const r = await staff.json(`/api/tickets/${id}/actions`, { action: 'return', version: v, reason: '缺少上线截图' });
    expect(r.status).toBe(200);
    const ev = await c.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: id, type: 'return' } });
    expect(ev).toMatchObject({ note: '缺少上线截图', actorName: '网页审核员', toStatus: 'RETURNED' });
    const card = await c.db.prisma.outboxMessage.findFirstOrThrow({ where: { idempotencyKey: `CONSOLE:unit:p-gongan:returned:${id}:${ev.id}` } });
    expect(card.kind).toBe('ticket');
    expect(JSON.stringify(JSON.parse(card.payload))).toContain('缺少上线截图');
  });

  it('refuses an action on a version the page no longer shows, in Chinese, changing nothing', async () => {
    const id = await submitted();
    const seen = (await c.db.prisma.ticket.findUniqueOrThrow({ where: { id } })).version;
    // Someone else returns it in chat meanwhile; the officer resumes and submits again.
    const staffPerson = await c.db.prisma.person.findFirstOrThrow({ where: { consoleId: 'bureau-staff-1' } });
    await actOnTicket(c.db, id, { type: 'return', reason: '请补充' }, { personId: staffPerson.id, name: staffPerson.name, role: 'BUREAU_STAFF', unitCode: 'bureau' }, at());
    await actOnTicket(c.db, id, { type: 'progress', percent: 90, note: '已补充' }, officer, at());
    await actOnTicket(c.db, id, { type: 'submit' }, officer, at());
    const events = await c.db.prisma.ticketEvent.count({ where: { ticketId: id } });
    const r = await staff.json<{ error: string; message: string }>(`/api/tickets/${id}/actions`, { action: 'approve', version: seen });
    expect(r.status).toBe(409);
    expect(r.body).toEqual({ error: 'TICKET_STALE', message: `督办单 #${id} 在您打开页面后已被更新，请刷新查看最新状态后再操作。` });
    expect((await c.db.prisma.ticket.findUniqueOrThrow({ where: { id } })).status).toBe('SUBMITTED');
    expect(await c.db.prisma.ticketEvent.count({ where: { ticketId: id } })).toBe(events);
    const missing = await staff.json<{ message: string }>(`/api/tickets/${id}/actions`, { action: 'approve' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/缺少督办单版本号/);
  });

  it('延期审批 moves the due date, keeps the original one, and tells the unit', async () => {
    const t = await c.db.prisma.ticket.findFirstOrThrow({ where: { unitCode: 'p-gongan', status: 'ASSIGNED', due: { lt: '2026-12-01' } }, orderBy: { id: 'asc' } });
    await actOnTicket(c.db, t.id, { type: 'requestExtension', newDue: '2026-12-31', reason: '系统改造需招标' }, officer, at());
    const d = (await staff.json<Detail>(`/api/tickets/${t.id}`)).body;
    expect(d.ticket.extension).toMatchObject({ due: '2026-12-31' });
    expect(d.actions).toEqual(['decideExtension', 'chase']);
    const r = await staff.json<{ message: string }>(`/api/tickets/${t.id}/actions`, { action: 'decideExtension', version: d.ticket.version, approve: true });
    expect(r.status).toBe(200);
    expect(r.body.message).toBe('已同意延期，新的完成时限为 2026-12-31。');
    const after = await c.db.prisma.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(after).toMatchObject({ due: '2026-12-31', originalDue: t.originalDue, extensionDue: null });
    const ev = await c.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'decideExtension' } });
    expect(await c.db.prisma.outboxMessage.count({ where: { idempotencyKey: `CONSOLE:unit:p-gongan:extension-decision:${t.id}:${ev.id}` } })).toBe(1);
  });

  it('催办 sends the unit a reminder card and records the web user; a done ticket is not chased', async () => {
    const t = await c.db.prisma.ticket.findFirstOrThrow({ where: { unitCode: 'c-changsha', status: 'ASSIGNED' }, orderBy: { id: 'asc' } });
    const before = await c.db.prisma.outboxMessage.count({ where: { target: 'unit:c-changsha', kind: 'reminder' } });
    const r = await staff.json<{ message: string }>(`/api/tickets/${t.id}/actions`, { action: 'chase', version: t.version, note: '请于本周五前报送进展' });
    expect(r.status).toBe(200);
    expect(r.body.message).toBe(`已向长沙市催办督办单 #${t.id}。`);
    expect(await c.db.prisma.outboxMessage.count({ where: { target: 'unit:c-changsha', kind: 'reminder' } })).toBe(before + 1);
    const ev = await c.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'chase' } });
    expect(ev).toMatchObject({ actorName: '网页审核员', actorRole: 'BUREAU_STAFF', note: '请于本周五前报送进展' });
    expect(JSON.parse(ev.data!).via.username).toBe(staff.username);
    const done = await submitted();
    const v = (await c.db.prisma.ticket.findUniqueOrThrow({ where: { id: done } })).version;
    expect((await staff.json(`/api/tickets/${done}/actions`, { action: 'approve', version: v })).status).toBe(200);
    const late = await staff.json<{ message: string }>(`/api/tickets/${done}/actions`, { action: 'chase', version: v + 1 });
    expect(late.status).toBe(409);
    expect(late.body.message).toMatch(/无需催办/);
  });

  it('downloads evidence as an attachment and previews only images and PDF, inline and sandboxed; other units are refused', async () => {
    const t = await c.db.prisma.ticket.findFirstOrThrow({ where: { unitCode: 'p-gongan' }, orderBy: { id: 'desc' } });
    const store = (name: string, bytes: Buffer) =>
      storeEvidence(c.db, c.evidenceDir, { ticketId: t.id, name, bytes, uploaderId: officer.personId, uploaderName: officer.name, uploaderRole: 'UNIT_OFFICER' }, at());
    const pdf = await store('验收报告.pdf', PDF);
    const png = await store('上线截图.png', PNG);
    const xlsx = await store('关停计划表.xlsx', XLSX);

    const dl = await ownOfficer.fetch(`/api/evidence/${pdf.id}/download`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/pdf');
    expect(dl.headers.get('content-disposition')).toBe(`attachment; filename="????.pdf"; filename*=UTF-8''${encodeURIComponent('验收报告.pdf')}`);
    expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await dl.arrayBuffer()).equals(PDF)).toBe(true);
    const x = await staff.fetch(`/api/evidence/${xlsx.id}/download`);
    expect(x.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const pv = await leader.fetch(`/api/evidence/${pdf.id}/preview`);
    expect(pv.status).toBe(200);
    expect(pv.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(pv.headers.get('content-type')).toBe('application/pdf');
    expect(pv.headers.get('content-security-policy')).toBe(PREVIEW_CSP);
    expect(PREVIEW_CSP).toMatch(/^sandbox; default-src 'none'/);
    expect(pv.headers.get('x-content-type-options')).toBe('nosniff');
    const img = await staff.fetch(`/api/evidence/${png.id}/preview`);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await img.arrayBuffer()).equals(PNG)).toBe(true);
    const noPreview = await staff.fetch(`/api/evidence/${xlsx.id}/preview`);
    expect(noPreview.status).toBe(415);
    expect((await noPreview.json()).message).toMatch(/不支持在线预览/);

    for (const path of [`/api/evidence/${pdf.id}/download`, `/api/evidence/${png.id}/preview`]) {
      const r = await otherOfficer.fetch(path);
      expect(r.status).toBe(403);
      expect((await r.json()).message).toMatch(/省公安厅/);
    }
    expect((await fetch(`${c.base}/api/evidence/${pdf.id}/download`)).status).toBe(401);
    expect((await staff.fetch('/api/evidence/99999999/download')).status).toBe(404);
  });
});
