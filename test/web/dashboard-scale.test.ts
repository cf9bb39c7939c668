/**
 * The dashboard, ticket list and ranking with 100,000 tickets (49 units × 2,000 milestones, bulk
 * inserted): the answers are right and come back quickly, because they are aggregated in SQL.
 * Times are printed; the assertion is a generous bound (2 s on SQLite, 5 s on PostgreSQL, 10 s for
 * the ranking's digest aggregation), not a benchmark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { startConsoleApp, type ConsoleApp } from './console-app.ts';

const UNITS = 49;
const TASKS = 40;
const MILESTONES_PER_TASK = 50;
const TICKETS = UNITS * TASKS * MILESTONES_PER_TASK; // 98,000 plan tickets …
const EXTRA = 2_000; // … and 2,000 problem tickets without a milestone: 100,000 in all
const STATUSES = ['DONE', 'DONE', 'DONE', 'DONE', 'SUBMITTED', 'RETURNED', 'IN_PROGRESS', 'IN_PROGRESS', 'ASSIGNED', 'ASSIGNED'] as const;

async function seed(c: ConsoleApp): Promise<Record<string, number>> {
  const sql = c.db.sql;
  const created = new Date('2026-03-01T01:00:00Z');
  const units = Array.from({ length: UNITS }, (_, i) => [i < 35 ? `p-u${i}` : `c-u${i}`, `单位${i}`, i < 35 ? 'PROVINCIAL' : 'CITY', i + 1, created]);
  await sql.insertMany('unit', ['code', 'name', 'kind', 'sort_order', 'created_at'], units);
  await sql.insertMany('plan', ['id', 'doc_no', 'title', 'year', 'source_hash', 'source_text', 'loaded_at'], [['plan-x', '测试〔2026〕1号', '十万督办单压力测试方案', 2026, 'x', '', created]]);
  const cats = ['一、优化服务', '二、整合平台', '三、强化保障', '四、数据共享'];
  await sql.insertMany('task', ['id', 'plan_id', 'seq', 'category', 'content', 'responsible_text', 'responsible_units', 'unresolved', 'due', 'recurring'],
    Array.from({ length: TASKS }, (_, k) => [`task-${k}`, 'plan-x', k + 1, cats[k % 4]!, `重点任务${k + 1}的内容`, '省直各单位、各市州', '[]', '[]', '2026-12-31', false]));
  const milestones: (string | number)[][] = [];
  for (let k = 0; k < TASKS; k++) {
    for (let m = 0; m < MILESTONES_PER_TASK; m++) {
      const day = new Date(Date.UTC(2026, 2, 1) + ((k * MILESTONES_PER_TASK + m) % 300) * 86_400_000).toISOString().slice(0, 10);
      milestones.push([`ms-${k}-${m}`, `task-${k}`, m + 1, `节点${m + 1}`, day, '[]', '[]']);
    }
  }
  await sql.insertMany('milestone', ['id', 'task_id', 'ordinal', 'text', 'due', 'units', 'unresolved'], milestones);
  const byStatus: Record<string, number> = {};
  const cols = ['kind', 'milestone_id', 'unit_code', 'title', 'status', 'progress', 'due', 'original_due', 'version', 'urgent', 'accepted_at', 'done_at', 'created_at', 'updated_at'];
  const rows: (string | number | boolean | Date | null)[][] = [];
  let n = 0;
  for (const ms of milestones) {
    for (const u of units) {
      const status = STATUSES[n++ % STATUSES.length]!;
      byStatus[status] = (byStatus[status] ?? 0) + 1;
      const due = ms[4] as string;
      rows.push(['PLAN', ms[0] as string, u[0] as string, `督办事项 ${ms[0]}`, status, status === 'DONE' ? 100 : 30, due, due, 0, false,
        status === 'ASSIGNED' ? null : new Date('2026-03-03T02:00:00Z'), status === 'DONE' ? new Date(`${due}T02:00:00Z`) : null, created, created]);
    }
  }
  for (let i = 0; i < EXTRA; i++) {
    byStatus.IN_PROGRESS = (byStatus.IN_PROGRESS ?? 0) + 1;
    rows.push(['PROBLEM', null, units[i % UNITS]![0] as string, `问题整改 ${i}`, 'IN_PROGRESS', 10, '2026-07-20', '2026-07-20', 0, false, created, null, created, created]);
  }
  await sql.insertMany('ticket', cols, rows);
  // Returns recorded against a tenth of the tickets (the ranking's 审核退回).
  const ids = await sql.query<{ id: unknown }>(`SELECT id FROM ticket WHERE status = 'RETURNED' ORDER BY id`);
  await sql.insertMany('ticket_event', ['ticket_id', 'type', 'from_status', 'to_status', 'actor_name', 'actor_role', 'note', 'created_at'],
    ids.map((r) => [Number(r.id), 'return', 'SUBMITTED', 'RETURNED', '李娜', 'BUREAU_STAFF', '材料不全', created]));
  return byStatus;
}

async function timed<T>(label: string, kind: string, fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  console.log(`[100k ${kind}] ${label}: ${ms.toFixed(0)} ms`);
  return { ms, value };
}

describe.each(dbKinds)('dashboard with 100,000 tickets (%s)', (kind) => {
  let c: ConsoleApp;
  let staff: WebClient;
  let expected: Record<string, number>;
  const bound = kind === 'sqlite' ? 2_000 : 5_000;

  beforeAll(async () => {
    c = await startConsoleApp(kind, new Date('2026-07-06T02:00:00Z'), { seed: false });
    const t0 = performance.now();
    expected = await seed(c);
    console.log(`[100k ${kind}] bulk insert of ${TICKETS + EXTRA} tickets: ${(performance.now() - t0).toFixed(0)} ms`);
    staff = await signedIn(c.db, c.base, 'BUREAU_STAFF');
  }, 300_000);
  afterAll(async () => {
    await c?.stop();
  });

  it('answers the summary, tasks, ticket pages and ranking correctly and quickly', async () => {
    expect(await c.db.prisma.ticket.count()).toBe(100_000);
    // One small request first: the first query of a fresh process compiles Prisma's and SQLite's plans.
    await staff.json('/api/tickets?unit=p-u0&limit=1');
    const summary = await timed('GET /api/dashboard/summary', kind, () => staff.json<{ total: number; byStatus: Record<string, number>; overdue: number }>('/api/dashboard/summary'));
    expect(summary.value.body.total).toBe(100_000);
    expect(summary.value.body.byStatus).toEqual(expected);
    const red = await c.db.sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ticket WHERE status <> 'DONE' AND due < '2026-07-06'`);
    expect(summary.value.body.overdue).toBe(Number(red[0]!.n));
    const filtered = await timed('GET /api/dashboard/summary?category=…&light=RED', kind, () => staff.json<{ total: number }>(`/api/dashboard/summary?category=${encodeURIComponent('二、整合平台')}&light=RED`));
    expect(filtered.value.body.total).toBeGreaterThan(0);
    const tasks = await timed('GET /api/dashboard/tasks?limit=20', kind, () => staff.json<{ total: number; items: { counts: { total: number } }[] }>('/api/dashboard/tasks?limit=20'));
    expect(tasks.value.body.total).toBe(TASKS);
    expect(tasks.value.body.items[0]!.counts.total).toBe(UNITS * MILESTONES_PER_TASK);
    const redTasks = await timed('GET /api/dashboard/tasks?light=RED', kind, () => staff.json<{ total: number }>('/api/dashboard/tasks?light=RED&limit=20'));
    expect(redTasks.value.body.total).toBeGreaterThan(0);
    const first = await timed('GET /api/tickets?limit=50', kind, () => staff.json<{ total: number; items: unknown[] }>('/api/tickets?limit=50'));
    expect(first.value.body.total).toBe(100_000);
    const deep = await timed('GET /api/tickets?offset=99000', kind, () => staff.json<{ items: unknown[] }>('/api/tickets?limit=50&offset=99000&sort=-updated'));
    expect(deep.value.body.items).toHaveLength(50);
    const overdue = await timed('GET /api/tickets?overdue=true&unitKind=CITY', kind, () => staff.json<{ total: number }>('/api/tickets?overdue=true&unitKind=CITY&limit=10'));
    expect(overdue.value.body.total).toBeGreaterThan(0);
    const ranking = await timed('GET /api/ranking?period=week', kind, () => staff.json<{ groups: { rows: unknown[] }[] }>('/api/ranking?period=week'));
    expect(ranking.value.body.groups[0]!.rows).toHaveLength(35);
    expect(ranking.value.body.groups[1]!.rows).toHaveLength(14);
    for (const t of [summary, filtered, tasks, redTasks, first, deep, overdue]) expect(t.ms).toBeLessThan(bound);
    // The ranking is the digest's own aggregation (ranking-stats.ts, shared with the scheduler).
    expect(ranking.ms).toBeLessThan(10_000);
  }, 120_000);
});
