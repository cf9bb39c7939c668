/**
 * The dashboard API over real HTTP against the seeded 2026 plan: its numbers are the database's
 * (checked with independent SQL and with domain/calendar's trafficLight ticket by ticket), filters
 * and pages narrow correctly, and unit accounts see only their own unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { shanghaiDate, trafficLight } from '../../domain/calendar.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';
import { startConsoleApp, type ConsoleApp } from './console-app.ts';

interface Summary {
  today: string;
  total: number;
  byStatus: Record<string, number>;
  lights: Record<string, number>;
  overdue: number;
  dueThisWeek: number;
  completionRate: number;
  week: { start: string; end: string };
  scope: { kind: string; unitCode?: string };
  plans: { docNo: string; tasks: number; milestones: number }[];
  overdueByUnit: { unitCode: string; count: number }[] | null;
  outbox: Record<string, number> | null;
  options: { categories: string[]; units: { code: string }[] };
}
interface TicketItem { id: number; unitCode: string; status: string; light: string; due: string; category: string | null; taskSeq: number | null }
interface Page<T> { total: number; items: T[] }

describe.each(dbKinds)('dashboard API (%s)', (kind) => {
  let c: ConsoleApp;
  let staff: WebClient;
  let leader: WebClient;
  let officer: WebClient;

  beforeAll(async () => {
    // Monday 6 July 2026, 10:00 in Shanghai: the June milestones are overdue.
    c = await startConsoleApp(kind, new Date('2026-07-06T02:00:00Z'));
    staff = await signedIn(c.db, c.base, 'BUREAU_STAFF');
    leader = await signedIn(c.db, c.base, 'LEADER');
    officer = await signedIn(c.db, c.base, 'UNIT_OFFICER', { unitCode: 'p-gongan' });
    // Some movement, so that the states differ: a few done, submitted and returned tickets.
    const ids = (await c.db.prisma.ticket.findMany({ orderBy: { id: 'asc' }, take: 12, select: { id: true } })).map((t) => t.id);
    await c.db.prisma.ticket.updateMany({ where: { id: { in: ids.slice(0, 4) } }, data: { status: 'DONE', progress: 100, doneAt: new Date('2026-06-20T02:00:00Z') } });
    await c.db.prisma.ticket.updateMany({ where: { id: { in: ids.slice(4, 7) } }, data: { status: 'SUBMITTED', progress: 100 } });
    await c.db.prisma.ticket.updateMany({ where: { id: { in: ids.slice(7, 9) } }, data: { status: 'RETURNED' } });
    await c.db.prisma.ticket.updateMany({ where: { id: { in: ids.slice(9, 12) } }, data: { status: 'IN_PROGRESS', progress: 40 } });
  }, 120_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('counts by state, light, overdue and this week exactly as the tickets in the database are', async () => {
    const r = await staff.json<Summary>('/api/dashboard/summary');
    expect(r.status).toBe(200);
    const s = r.body;
    expect(s.today).toBe('2026-07-06');
    expect(s.week).toEqual({ start: '2026-07-06', end: '2026-07-12' });
    const byStatus = await c.db.sql.query<{ status: string; n: unknown }>('SELECT status, COUNT(*) AS n FROM ticket GROUP BY status');
    for (const row of byStatus) expect(s.byStatus[row.status]).toBe(Number(row.n));
    expect(s.total).toBe(await c.db.prisma.ticket.count());
    expect(s.total).toBeGreaterThan(800);
    expect(s.overdue).toBe(await c.db.prisma.ticket.count({ where: { status: { not: 'DONE' }, due: { lt: '2026-07-06' } } }));
    expect(s.overdue).toBeGreaterThan(0);
    expect(s.dueThisWeek).toBe(await c.db.prisma.ticket.count({ where: { status: { not: 'DONE' }, due: { gte: '2026-07-06', lte: '2026-07-12' } } }));
    // The SQL light agrees with the domain's trafficLight on every ticket.
    const cal = await loadCalendar(c.db);
    const all = await c.db.prisma.ticket.findMany({ select: { status: true, due: true } });
    const lights = { RED: 0, YELLOW: 0, GREEN: 0 };
    for (const t of all) lights[trafficLight(t, shanghaiDate(c.clock.now), cal, 3)] += 1;
    expect(s.lights).toEqual(lights);
    expect(s.completionRate).toBe(Math.round((1000 * s.byStatus.DONE!) / s.total) / 10);
    expect(s.plans[0]).toMatchObject({ docNo: '湘数据〔2026〕57号', tasks: 28 });
    expect(s.options.categories.length).toBeGreaterThan(1);
    // What is overdue, by unit: the worst unit first, its count from SQL.
    const top = s.overdueByUnit![0]!;
    expect(top.count).toBe(await c.db.prisma.ticket.count({ where: { unitCode: top.unitCode, status: { not: 'DONE' }, due: { lt: '2026-07-06' } } }));
    expect(s.overdueByUnit!.every((u, i, a) => i === 0 || a[i - 1]!.count >= u.count)).toBe(true);
  });

  it('filters the counts and the list by unit, category, status, light and overdue', async () => {
    const unit = (await staff.json<Summary>('/api/dashboard/summary?unit=c-changsha')).body;
    expect(unit.total).toBe(await c.db.prisma.ticket.count({ where: { unitCode: 'c-changsha' } }));
    const category = (await staff.json<Summary>('/api/dashboard/summary')).body.options.categories[1]!;
    const byCat = (await staff.json<Summary>(`/api/dashboard/summary?category=${encodeURIComponent(category)}`)).body;
    expect(byCat.total).toBe(await c.db.prisma.ticket.count({ where: { milestone: { task: { category } } } }));
    const red = await staff.json<Page<TicketItem>>('/api/tickets?light=RED&limit=200');
    expect(red.body.total).toBe((await staff.json<Summary>('/api/dashboard/summary')).body.overdue);
    expect(red.body.items.every((t) => t.light === 'RED' && t.due < '2026-07-06' && t.status !== 'DONE')).toBe(true);
    const yellow = await staff.json<Page<TicketItem>>('/api/tickets?light=YELLOW&limit=200');
    expect(yellow.body.items.every((t) => t.light === 'YELLOW')).toBe(true);
    const overdueCity = await staff.json<Page<TicketItem>>('/api/tickets?overdue=true&unitKind=CITY&limit=200');
    expect(overdueCity.body.items.every((t) => t.unitCode.startsWith('c-') && t.light === 'RED')).toBe(true);
    const submitted = await staff.json<Page<TicketItem>>('/api/tickets?status=SUBMITTED');
    expect(submitted.body.total).toBe(3);
    const task = await staff.json<Page<TicketItem>>('/api/tickets?task=6&limit=200');
    expect(task.body.total).toBe(await c.db.prisma.ticket.count({ where: { milestone: { task: { seq: 6 } } } }));
    expect(task.body.items.every((t) => t.taskSeq === 6)).toBe(true);
    const one = await staff.json<Page<TicketItem>>(`/api/tickets?q=%23${submitted.body.items[0]!.id}`);
    expect(one.body.items.map((t) => t.id)).toEqual([submitted.body.items[0]!.id]);
  });

  it('pages the ticket list on the server, in due-date order, without overlap', async () => {
    const p1 = (await staff.json<Page<TicketItem>>('/api/tickets?limit=25&offset=0')).body;
    const p2 = (await staff.json<Page<TicketItem>>('/api/tickets?limit=25&offset=25')).body;
    expect(p1.items).toHaveLength(25);
    expect(p1.total).toBe(await c.db.prisma.ticket.count());
    const ids = new Set(p1.items.map((t) => t.id));
    expect(p2.items.some((t) => ids.has(t.id))).toBe(false);
    const dues = [...p1.items, ...p2.items].map((t) => t.due);
    expect([...dues].sort()).toEqual(dues);
    const bad = await staff.json<{ message: string }>('/api/tickets?status=WHATEVER&limit=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/查询参数有误/);
    expect(bad.body.message).toMatch(/状态应为/);
  });

  it('lists the plan tasks with milestone figures that add up to the plan tickets', async () => {
    const r = await staff.json<{ plan: { tasks: number }; total: number; items: { seq: number; counts: { total: number }; milestones: { counts: { total: number; lights: Record<string, number> } }[] }[] }>('/api/dashboard/tasks?limit=100');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(28);
    const sum = r.body.items.reduce((a, t) => a + t.counts.total, 0);
    expect(sum).toBe(await c.db.prisma.ticket.count({ where: { kind: 'PLAN', milestoneId: { not: null } } }));
    for (const t of r.body.items) expect(t.milestones.reduce((a, m) => a + m.counts.total, 0)).toBe(t.counts.total);
    const page2 = await staff.json<{ items: { seq: number }[] }>('/api/dashboard/tasks?limit=10&offset=10');
    expect(page2.body.items.map((t) => t.seq)).toEqual(r.body.items.slice(10, 20).map((t) => t.seq));
    // With a light filter only tasks with red tickets are left, and their counts are red only.
    const red = await staff.json<{ items: { counts: { total: number; lights: Record<string, number> } }[] }>('/api/dashboard/tasks?light=RED&limit=100');
    expect(red.body.items.length).toBeGreaterThan(0);
    expect(red.body.items.every((t) => t.counts.total > 0 && t.counts.total === t.counts.lights.RED)).toBe(true);
  });

  it('shows a unit officer only the own unit and refuses another unit', async () => {
    const s = (await officer.json<Summary>('/api/dashboard/summary')).body;
    expect(s.scope).toEqual({ kind: 'UNIT', unitCode: 'p-gongan' });
    expect(s.total).toBe(await c.db.prisma.ticket.count({ where: { unitCode: 'p-gongan' } }));
    expect(s.outbox).toBeNull();
    expect(s.overdueByUnit).toBeNull();
    expect(s.options.units.map((u) => u.code)).toEqual(['p-gongan']);
    const list = (await officer.json<Page<TicketItem>>('/api/tickets?limit=200')).body;
    expect(list.total).toBe(s.total);
    expect(list.items.every((t) => t.unitCode === 'p-gongan')).toBe(true);
    const other = await officer.json<{ message: string }>('/api/tickets?unit=c-changsha');
    expect(other.status).toBe(403);
    expect(other.body.message).toBe('您只能查看本单位的督办单。');
    const tasks = (await officer.json<{ items: { counts: { total: number } }[] }>('/api/dashboard/tasks?limit=100')).body;
    expect(tasks.items.reduce((a, t) => a + t.counts.total, 0)).toBe(await c.db.prisma.ticket.count({ where: { unitCode: 'p-gongan', kind: 'PLAN' } }));
  });

  it('shows the delivery queue to bureau staff only', async () => {
    const s = (await staff.json<Summary>('/api/dashboard/summary')).body;
    const pending = await c.db.prisma.outboxMessage.count({ where: { status: 'PENDING' } });
    expect(s.outbox).toEqual({ PENDING: pending, SENT: 0, DEAD: 0 });
    const list = await staff.json<{ total: number; items: { status: string }[] }>('/api/dashboard/outbox?status=PENDING&limit=5');
    expect(list.body.total).toBe(pending);
    expect(list.body.items).toHaveLength(5);
    expect((await leader.json<Summary>('/api/dashboard/summary')).body.outbox).toBeNull();
    expect((await leader.fetch('/api/dashboard/outbox')).status).toBe(403);
  });

  it('sends people without a session to sign in, and the old overview to the dashboard', async () => {
    expect((await fetch(`${c.base}/api/tickets`)).status).toBe(401);
    expect((await fetch(`${c.base}/api/summary`)).status).toBe(404);
    const anon = await fetch(`${c.base}/`, { redirect: 'manual' });
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/login?next=%2F');
    const old = await leader.fetch('/overview', { redirect: 'manual' });
    expect(old.status).toBe(302);
    expect(old.headers.get('location')).toBe('/');
    const page = await leader.fetch('/');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/app/dashboard.js');
  });
});
