/**
 * Scheduler figures on a fresh SQLite file seeded in bulk: 49 units, 2,450 milestones × 49 units =
 * 120,050 plan tickets (100,000 not done — 83,334 of them ASSIGNED / IN_PROGRESS / RETURNED, the
 * states that are reminded — and 20,050 done), due dates spread over 2026-06-02…2026-12-31 (so ~10 %
 * are overdue on the bench day, Monday 2026-06-22), and 1,000,000 ticket_event rows (1 % 退回).
 *
 *  - reminder sweep: the first sweep of a day (every overdue ticket gets its OVERDUE key, plus the
 *    T-n / DUE ones: thousands of new reminder keys and one card per recipient) and a repeat sweep
 *    (the 30-minute tick: every key already logged), against the raw projection of all open tickets
 *    with better-sqlite3 (the least any sweep must read);
 *  - one weekly digest with ranking (and the chart), against the same aggregation statements run
 *    with better-sqlite3 directly.
 * Every figure is the median of several runs after a warm-up, except the first sweep of a day
 * (once per day by nature; measured on the second day after a warm-up day).
 */
import { pathToFileURL } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../prisma/client.ts';
import { shanghaiInstant } from '../domain/calendar.ts';
import { addDays } from '../domain/schedule/periods.ts';
import { DEFAULT_REMINDER_POLICY } from '../domain/schedule/policy.ts';
import { runReminderSweep } from '../scheduler/reminders.ts';
import { buildDigest } from '../scheduler/digests.ts';
import { renderDigestChart } from '../scheduler/digest-chart.ts';
import type { SchedulerDeps } from '../scheduler/types.ts';
import type { SweepResult } from '../scheduler/reminders.ts';
import { unitStats } from '../handlers/services/ranking-stats.ts';
import { loadCalendar } from '../handlers/services/calendar.ts';
import { freshSqlite, printTable, time, type Row } from './support.ts';

const UNITS = 49;
const MILESTONES = 2450;
const OPEN = 100_000;
const EVENTS = 1_000_000;
const TODAY = '2026-06-22';

const iso = (d: Date) => `${d.toISOString().slice(0, -1)}+00:00`;

function seed(path: string): { tickets: number; events: number } {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const created = iso(shanghaiInstant('2026-05-20', 9));
  let tickets = 0;
  let events = 0;
  db.transaction(() => {
    const unit = db.prepare(`INSERT INTO unit (code, name, kind, sort_order, created_at) VALUES (?, ?, ?, ?, ?)`);
    const person = db.prepare(`INSERT INTO person (id, name, role, unit_code, active, created_at) VALUES (?, ?, ?, ?, 1, ?)`);
    for (let u = 0; u < UNITS; u += 1) {
      const code = `u${u}`;
      unit.run(code, `${u < 35 ? '省直单位' : '市州'}${u}`, u < 35 ? 'PROVINCIAL' : 'CITY', u, created);
      for (let o = 0; o < 3; o += 1) person.run(`${code}-o${o}`, `联络员${u}-${o}`, 'UNIT_OFFICER', code, created);
      person.run(`${code}-l`, `分管领导${u}`, 'UNIT_LEADER', code, created);
    }
    db.prepare(`INSERT INTO unit (code, name, kind, sort_order, created_at) VALUES ('bureau', '省数据局', 'BUREAU', 0, ?)`).run(created);
    db.prepare(`INSERT INTO plan (id, doc_no, title, year, source_hash, source_text, loaded_at) VALUES ('plan', 'B-1', '基准计划', 2026, 'h', '', ?)`).run(created);
    const task = db.prepare(`INSERT INTO task (id, plan_id, seq, category, content, responsible_text, recurring) VALUES (?, 'plan', ?, '类别', '任务内容', '各单位', ?)`);
    const milestone = db.prepare(`INSERT INTO milestone (id, task_id, ordinal, text, due) VALUES (?, ?, ?, ?, ?)`);
    const tasks = MILESTONES / 5;
    for (let k = 0; k < tasks; k += 1) task.run(`t${k}`, k + 1, k % 49 === 0 ? 1 : 0);
    const ticket = db.prepare(
      `INSERT INTO ticket (kind, milestone_id, unit_code, assignee_id, title, status, progress, due, original_due, urgent, version, accepted_at, done_at, created_at, updated_at)
       VALUES ('PLAN', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`,
    );
    const event = db.prepare(`INSERT INTO ticket_event (ticket_id, type, from_status, to_status, actor_id, actor_name, actor_role, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const statuses = ['ASSIGNED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED'] as const;
    // a realistic mix: mostly progress; about one event in a hundred is a 退回
    const eventTypes = ['assign', 'accept', 'progress', 'progress', 'evidence', 'progress', 'submit', 'progress', 'chase'];
    const total = MILESTONES * UNITS;
    const perTicket = Math.ceil(EVENTS / total);
    for (let m = 0; m < MILESTONES; m += 1) {
      const due = addDays('2026-06-02', m % 213);
      milestone.run(`m${m}`, `t${Math.floor(m / 5)}`, m % 5, `2026年节点${m}`, due);
      for (let u = 0; u < UNITS; u += 1) {
        const n = tickets;
        const open = n < OPEN;
        const status = open ? statuses[n % statuses.length]! : 'DONE';
        const accepted = status === 'ASSIGNED' ? null : iso(shanghaiInstant(addDays('2026-05-20', 1 + (n % 4)), 10));
        const done = open ? null : iso(shanghaiInstant(addDays('2026-06-01', n % 21), 15));
        const assignee = status === 'ASSIGNED' || n % 5 === 0 ? null : `u${u}-o${n % 3}`;
        ticket.run(`m${m}`, `u${u}`, assignee, `督办事项 ${m}-${u}`, status, open ? (n % 10) * 10 : 100, due, due, n % 97 === 0 ? 1 : 0, accepted, done, created, created);
        tickets += 1;
        for (let e = 0; e < perTicket && events < EVENTS; e += 1) {
          const type = events % 100 === 99 ? 'return' : eventTypes[(n + e) % eventTypes.length]!;
          event.run(tickets, type, null, null, null, '联络员', 'UNIT_OFFICER', null, created);
          events += 1;
        }
      }
    }
  })();
  db.close();
  return { tickets, events };
}

async function median(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) ms.push((await time(fn)).ms);
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** The digest's aggregation statements, run with better-sqlite3 directly. */
function rawAggregation(raw: BetterSqlite3.Database, today: string, yellowEnd: string, from: string, to: string): void {
  const all = (sql: string, ...p: unknown[]) => raw.prepare(sql).all(...p);
  all(`SELECT status, COUNT(*) AS n FROM ticket GROUP BY status`);
  all(`SELECT COUNT(*) AS n FROM ticket t WHERE t.status <> 'DONE' AND t.due < ?`, today);
  all(`SELECT COUNT(*) AS n FROM ticket t WHERE t.status IN ('ASSIGNED','IN_PROGRESS','RETURNED') AND t.due >= ? AND t.due < ?`, today, yellowEnd);
  const risk = `SELECT t.id, u.name, k.seq, m.text, t.title, t.due, t.status FROM ticket t JOIN unit u ON u.code = t.unit_code LEFT JOIN milestone m ON m.id = t.milestone_id LEFT JOIN task k ON k.id = m.task_id`;
  all(`${risk} WHERE t.status <> 'DONE' AND t.due < ? ORDER BY t.due, t.id LIMIT 10`, today);
  all(`${risk} WHERE t.status IN ('ASSIGNED','IN_PROGRESS','RETURNED') AND t.due >= ? AND t.due < ? ORDER BY t.due, t.id LIMIT 10`, today, yellowEnd);
  all(`SELECT COUNT(*) AS n FROM ticket t WHERE t.status = 'DONE' AND t.done_at >= ? AND t.done_at < ?`, from, to);
  all(`SELECT code, name, kind, sort_order FROM unit WHERE kind IN ('PROVINCIAL', 'CITY') ORDER BY sort_order`);
  all(`SELECT unit_code, COUNT(*) AS total, SUM(CASE WHEN status = 'DONE' THEN 1 ELSE 0 END) AS done,
          SUM(CASE WHEN status = 'DONE' AND date(done_at, '+8 hours') <= due THEN 1 ELSE 0 END) AS on_time
     FROM ticket WHERE kind = 'PLAN' GROUP BY unit_code`);
  all(`SELECT unit_code, due, COUNT(*) AS n FROM ticket WHERE kind = 'PLAN' AND status <> 'DONE' AND due < ? GROUP BY unit_code, due`, today);
  all(`SELECT unit_code, date(created_at, '+8 hours') AS c, date(accepted_at, '+8 hours') AS a, COUNT(*) AS n
     FROM ticket WHERE kind = 'PLAN' AND accepted_at IS NOT NULL GROUP BY unit_code, c, a`);
  all(`SELECT t.unit_code, COUNT(*) AS n FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id WHERE e.type = 'return' AND t.kind = 'PLAN' GROUP BY t.unit_code`);
  all(`SELECT p.unit_code, COUNT(*) AS n FROM ticket_event e JOIN person p ON p.id = e.actor_id WHERE e.type = 'disclaim' AND p.unit_code IS NOT NULL GROUP BY p.unit_code`);
}

export async function benchScheduler(): Promise<void> {
  const file = await freshSqlite();
  const seeded = await time(() => seed(file.path));
  const db = await openDatabase(file.url);
  const raw = new BetterSqlite3(file.path, { readonly: true });
  const rows: Row[] = [];
  try {
    const now = shanghaiInstant(TODAY, 10);
    const deps: SchedulerDeps = {
      db, now: () => now, log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      notifyPlatforms: ['CONSOLE'], actionSecret: 'bench', policy: DEFAULT_REMINDER_POLICY, owner: 'bench',
    };
    rows.push({ name: `seed ${seeded.value.tickets} tickets (${OPEN} not done) + ${seeded.value.events} ticket_event rows (bulk raw insert)`, ms: seeded.ms });

    let reminded = 0;
    const projection = () => {
      reminded = raw.prepare(`SELECT id, unit_code, assignee_id, status, due, urgent, milestone_id FROM ticket WHERE status IN ('ASSIGNED','IN_PROGRESS','RETURNED')`).all().length;
    };
    const baseline = await median(5, projection);
    const projectionLabel = `raw projection of all ${reminded} tickets in reminded states`;

    // The first sweep of a working day: measured on three consecutive days after a warm-up day.
    await runReminderSweep(deps, shanghaiInstant('2026-06-18', 10));
    const firsts: { ms: number; value: SweepResult }[] = [];
    for (const day of ['2026-06-22', '2026-06-23', '2026-06-24']) firsts.push(await time(() => runReminderSweep(deps, shanghaiInstant(day, 10))));
    const first = firsts.sort((a, b) => a.ms - b.ms)[1]!;
    rows.push({
      name: `reminder sweep, first of the day (${first.value.tickets} candidate tickets → ${first.value.reminders} new reminders, ${first.value.cards} cards; median of 3 days)`,
      ms: first.ms, baselineMs: baseline, baseline: projectionLabel, target: '< 200 ms',
    });
    let repeatResult = first.value;
    const later = shanghaiInstant('2026-06-24', 10, 30);
    const repeat = await median(5, async () => (repeatResult = await runReminderSweep(deps, later)));
    rows.push({
      name: `reminder sweep, repeat tick (${repeatResult.tickets} candidate tickets, ${repeatResult.reminders} new)`,
      ms: repeat, baselineMs: baseline, baseline: projectionLabel, target: '< 200 ms',
    });

    const window = { from: iso(shanghaiInstant('2026-06-15')), to: iso(shanghaiInstant(TODAY)) };
    const aggregation = await median(5, () => rawAggregation(raw, TODAY, '2026-06-26', window.from, window.to));
    let digestInfo = '';
    const digest = await median(5, async () => {
      const d = await buildDigest(deps, 'WEEKLY', '2026-W26', shanghaiInstant(TODAY, 9));
      digestInfo = `${d.figures.total} tickets, ${d.ranking!.reduce((n, s) => n + s.rows.length, 0)} ranked units, ${d.messages.length} messages`;
    });
    const stats = await median(5, async () => unitStats(db, await loadCalendar(db), TODAY));
    rows.push({ name: `weekly digest with ranking (${digestInfo})`, ms: digest, baselineMs: aggregation, baseline: 'the same aggregation statements on better-sqlite3', target: '< 1.5 s' });
    rows.push({ name: 'of which unitStats (handlers/services/ranking-stats.ts)', ms: stats, baselineMs: aggregation, baseline: 'the same aggregation statements on better-sqlite3' });
    const withChart = await median(3, () => buildDigest({ ...deps, renderChart: renderDigestChart }, 'WEEKLY', '2026-W26', shanghaiInstant(TODAY, 9)));
    rows.push({ name: 'weekly digest with ranking + chart PNG', ms: withChart, baselineMs: aggregation, baseline: 'the same aggregation statements on better-sqlite3', target: '< 1.5 s' });
  } finally {
    raw.close();
    await db.close();
    file.drop();
  }
  printTable('Scheduler (issue: reminders and digests)', rows);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchScheduler();
