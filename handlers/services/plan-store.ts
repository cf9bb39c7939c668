/**
 * Writes a parsed plan into the database and turns its milestones into tickets.
 *
 * Both operations are idempotent and bulk: ids of plans, tasks and milestones are derived from
 * the document (doc number, task seq, milestone ordinal), rows go in with ON CONFLICT DO NOTHING
 * through the raw SQL runner in one transaction, and only tickets that did not exist yet get an
 * assignment event and an outbox card. Prisma's per-row cost would make a 100k-ticket plan take
 * minutes (see `npm run bench`).
 */
import { createHash } from 'node:crypto';
import type { Database } from '../../prisma/client.ts';
import type { RawSql, SqlValue } from '../../prisma/raw-sql.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Role } from '../../domain/access.ts';
import type { ParsedPlan } from '../../domain/plan/types.ts';

export function planIdFor(docNo: string): string {
  return 'plan-' + createHash('sha256').update(docNo).digest('hex').slice(0, 12);
}
export const taskIdFor = (planId: string, seq: number) => `${planId}-t${seq}`;
export const milestoneIdFor = (taskId: string, ordinal: number) => `${taskId}-m${ordinal}`;

export interface LoadResult {
  planId: string;
  created: boolean;
  units: number;
  tasks: number;
  milestones: number;
  services: number;
}

/** Loads a plan; loading the same document again changes nothing. */
export async function loadPlan(db: Database, parsed: ParsedPlan, sourceText: string, now: Date): Promise<LoadResult> {
  const planId = planIdFor(parsed.plan.docNo);
  const sourceHash = createHash('sha256').update(sourceText).digest('hex');
  return db.sql.transaction(async (tx) => {
    const existing = await tx.query<{ source_hash: string }>('SELECT source_hash FROM plan WHERE id = ?', [planId]);
    if (existing[0] && existing[0].source_hash !== sourceHash) {
      throw new DomainError(
        'PLAN_CHANGED',
        `文号 ${parsed.plan.docNo} 的方案已导入，但本次文件内容不同。已导入的方案不会被覆盖，请核对文件。`,
        `plan ${parsed.plan.docNo} is already loaded from a different text (hash ${existing[0].source_hash.slice(0, 8)})`,
      );
    }
    const units = await tx.insertMany(
      'unit',
      ['code', 'name', 'kind', 'aliases', 'collective', 'sort_order', 'created_at'],
      parsed.units.map((u, i) => [u.code, u.name, u.kind, JSON.stringify(u.aliases), u.collective, i, now]),
      ['code'],
    );
    if (existing[0]) return { planId, created: false, units, tasks: 0, milestones: 0, services: 0 };
    await tx.insertMany(
      'plan',
      ['id', 'doc_no', 'title', 'year', 'source_hash', 'source_text', 'loaded_at'],
      [[planId, parsed.plan.docNo, parsed.plan.title, parsed.plan.year, sourceHash, sourceText, now]],
      ['id'],
    );
    const taskRows: SqlValue[][] = [];
    const milestoneRows: SqlValue[][] = [];
    for (const t of parsed.tasks) {
      const taskId = taskIdFor(planId, t.seq);
      taskRows.push([
        taskId, planId, t.seq, t.category, t.content, t.responsible.text,
        JSON.stringify(t.responsible.units), JSON.stringify(t.responsible.unresolved),
        t.due, t.recurring, t.sla?.workdays ?? null,
      ]);
      t.milestones.forEach((m, i) => {
        milestoneRows.push([milestoneIdFor(taskId, i + 1), taskId, i + 1, m.text, m.due, JSON.stringify(m.units), JSON.stringify(m.unresolved)]);
      });
    }
    const tasks = await tx.insertMany(
      'task',
      ['id', 'plan_id', 'seq', 'category', 'content', 'responsible_text', 'responsible_units', 'unresolved', 'due', 'recurring', 'sla_workdays'],
      taskRows,
      ['id'],
    );
    const milestones = await tx.insertMany('milestone', ['id', 'task_id', 'ordinal', 'text', 'due', 'units', 'unresolved'], milestoneRows, ['id']);
    const serviceRows = parsed.services.flatMap((s) => [...new Set(s.services)].map((name) => [planId, s.unit, s.annex, name] as SqlValue[]));
    const services = await tx.insertMany('service_item', ['plan_id', 'unit_code', 'annex', 'name'], serviceRows, ['plan_id', 'unit_code', 'annex', 'name']);
    return { planId, created: true, units, tasks, milestones, services };
  });
}

export interface AssignedTicket {
  id: number;
  taskSeq: number;
  unitCode: string;
  due: string;
}

export interface AssignResult {
  created: AssignedTicket[];
  existing: number;
  /** Milestones whose units are partly undecided (shown to bureau staff, no ticket guessed). */
  unresolved: { taskSeq: number; milestone: string; phrases: string[] }[];
}

interface MilestoneRow {
  id: string;
  task_id: string;
  due: string;
  text: string;
  units: string;
  unresolved: string;
  seq: number | string;
  category: string;
}

const TITLE_MAX = 120;

/**
 * Creates one ticket per (milestone × unit) of a plan that does not have one yet, each with an
 * assignment event and a "ticket assigned" card in the outbox, all in one transaction.
 */
/**
 * Creates the plan's tickets and one assignment card per ticket and platform. `outboxPlatforms` are
 * the platforms the deployment notifies on (bot/platforms.ts); none: tickets without cards.
 */
export async function assignPlan(db: Database, planId: string, now: Date, outboxPlatforms: string | readonly string[]): Promise<AssignResult> {
  const platforms = typeof outboxPlatforms === 'string' ? [outboxPlatforms] : [...outboxPlatforms];
  return db.sql.transaction(async (tx) => {
    const milestones = await tx.query<MilestoneRow>(
      `SELECT m.id, m.task_id, m.due, m.text, m.units, m.unresolved, t.seq, t.category
         FROM milestone m JOIN task t ON t.id = m.task_id
        WHERE t.plan_id = ? ORDER BY t.seq, m.ordinal`,
      [planId],
    );
    if (milestones.length === 0) {
      const plan = await tx.query('SELECT id FROM plan WHERE id = ?', [planId]);
      if (!plan[0]) throw new DomainError('PLAN_NOT_FOUND', '未找到该方案，请先导入方案（duban plan load）。', `plan ${planId} not found`);
    }
    const existingPairs = new Set(
      (await tx.query<{ milestone_id: string; unit_code: string }>(
        `SELECT k.milestone_id, k.unit_code FROM ticket k JOIN milestone m ON m.id = k.milestone_id
           JOIN task t ON t.id = m.task_id WHERE t.plan_id = ?`,
        [planId],
      )).map((r) => `${r.milestone_id}|${r.unit_code}`),
    );
    // Phrases bureau staff already decided (web console, plan-decisions.ts) need no decision any more.
    const decided = new Set(
      (await tx.query<{ task_id: string; phrase: string }>(
        'SELECT d.task_id, d.phrase FROM plan_decision d JOIN task t ON t.id = d.task_id WHERE t.plan_id = ?',
        [planId],
      )).map((d) => `${d.task_id}|${d.phrase}`),
    );
    const rows: SqlValue[][] = [];
    const unresolved: AssignResult['unresolved'] = [];
    for (const m of milestones) {
      const phrases = (JSON.parse(m.unresolved) as string[]).filter((p) => !decided.has(`${m.task_id}|${p}`));
      if (phrases.length) unresolved.push({ taskSeq: Number(m.seq), milestone: m.text, phrases });
      const title = ticketTitle(m);
      for (const unit of JSON.parse(m.units) as string[]) {
        if (existingPairs.has(`${m.id}|${unit}`)) continue;
        rows.push(['PLAN', m.id, unit, title, 'ASSIGNED', 0, m.due, m.due, false, 0, now, now]);
      }
    }
    const created = await tx.insertManyReturning<{ id: number | string; milestone_id: string; unit_code: string; due: string }>(
      'ticket',
      ['kind', 'milestone_id', 'unit_code', 'title', 'status', 'progress', 'due', 'original_due', 'urgent', 'version', 'created_at', 'updated_at'],
      rows,
      ['milestone_id', 'unit_code'],
      ['id', 'milestone_id', 'unit_code', 'due'],
    );
    const seqOf = new Map(milestones.map((m) => [m.id, Number(m.seq)]));
    await writeAssignmentEffects(tx, created.map((c) => ({ id: Number(c.id), unitCode: c.unit_code, due: c.due })), now, SYSTEM_ASSIGNER, platforms, (p, id) => `${p}:ticket-assigned:${id}`);
    return {
      created: created.map((c) => ({ id: Number(c.id), taskSeq: seqOf.get(c.milestone_id) ?? 0, unitCode: c.unit_code, due: c.due })),
      existing: existingPairs.size,
      unresolved,
    };
  });
}

/** Who assigns, as TicketEvent records it. */
export interface Assigner {
  personId: string | null;
  name: string;
  role: Role;
}

const SYSTEM_ASSIGNER: Assigner = { personId: null, name: '系统', role: 'BUREAU_ADMIN' };

export interface MilestoneUnit {
  milestoneId: string;
  unitCode: string;
}

/**
 * Creates the tickets of (milestone × unit) pairs that have none yet, inside the caller's
 * transaction: the same rows, assignment events and outbox cards as `assignPlan`, with the person
 * who assigned as the events' actor and one card per notification platform. The unique
 * (milestone_id, unit_code) key skips pairs that already have a ticket, so a repeat creates nothing.
 */
export async function assignMilestoneUnits(
  tx: RawSql,
  pairs: MilestoneUnit[],
  by: Assigner,
  now: Date,
  platforms: readonly string[],
  why?: string,
): Promise<AssignedTicket[]> {
  if (pairs.length === 0) return [];
  const ids = [...new Set(pairs.map((p) => p.milestoneId))];
  const milestones = new Map(
    (await tx.query<Pick<MilestoneRow, 'id' | 'due' | 'text' | 'seq' | 'category'>>(
      `SELECT m.id, m.due, m.text, t.seq, t.category FROM milestone m JOIN task t ON t.id = m.task_id
        WHERE m.id IN (${ids.map(() => '?').join(', ')})`,
      ids,
    )).map((m) => [m.id, m]),
  );
  const rows: SqlValue[][] = [];
  for (const p of pairs) {
    const m = milestones.get(p.milestoneId);
    if (!m) throw new DomainError('MILESTONE_NOT_FOUND', '未找到该时间节点，方案可能已变更，请刷新页面。', `milestone ${p.milestoneId} not found`);
    rows.push(['PLAN', m.id, p.unitCode, ticketTitle(m), 'ASSIGNED', 0, m.due, m.due, false, 0, now, now]);
  }
  const created = await tx.insertManyReturning<{ id: number | string; milestone_id: string; unit_code: string; due: string }>(
    'ticket',
    ['kind', 'milestone_id', 'unit_code', 'title', 'status', 'progress', 'due', 'original_due', 'urgent', 'version', 'created_at', 'updated_at'],
    rows,
    ['milestone_id', 'unit_code'],
    ['id', 'milestone_id', 'unit_code', 'due'],
  );
  const tickets = created.map((c) => ({ id: Number(c.id), unitCode: c.unit_code, due: c.due }));
  // Keys in the notifier's scheme (platform:target:key), so each platform gets its card once.
  await writeAssignmentEffects(tx, tickets, now, by, platforms, (platform, id, unit) => `${platform}:unit:${unit}:ticket-assigned:${id}`, why);
  return created.map((c) => ({ id: Number(c.id), taskSeq: Number(milestones.get(c.milestone_id)?.seq ?? 0), unitCode: c.unit_code, due: c.due }));
}

function ticketTitle(m: { seq: number | string; category: string; text: string }): string {
  return truncate(`任务${m.seq}（${m.category}）：${m.text}`, TITLE_MAX);
}

async function writeAssignmentEffects(
  tx: RawSql,
  tickets: { id: number; unitCode: string; due: string }[],
  now: Date,
  by: Assigner,
  platforms: readonly string[],
  keyOf: (platform: string, ticketId: number, unitCode: string) => string,
  why?: string,
) {
  if (tickets.length === 0) return;
  await tx.insertMany(
    'ticket_event',
    ['ticket_id', 'type', 'from_status', 'to_status', 'actor_id', 'actor_name', 'actor_role', 'note', 'created_at'],
    tickets.map((t) => [t.id, 'assign', null, 'ASSIGNED', by.personId, by.name, by.role, `交办至 ${t.unitCode}，办结时限 ${t.due}${why ? `；${why}` : ''}`, now]),
  );
  await tx.insertMany(
    'outbox_message',
    ['idempotency_key', 'platform', 'target', 'kind', 'payload', 'status', 'attempts', 'next_attempt_at', 'created_at', 'ticket_id'],
    tickets.flatMap((t) => platforms.map((platform) => [
      keyOf(platform, t.id, t.unitCode), platform, `unit:${t.unitCode}`, 'ticket-assigned',
      JSON.stringify({ card: 'ticket-assigned', ticketId: t.id }), 'PENDING', 0, now, now, t.id,
    ])),
    ['idempotency_key'],
  );
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1) + '…';
}
