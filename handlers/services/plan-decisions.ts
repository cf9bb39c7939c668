/**
 * Bureau decisions on responsible-unit phrases the plan parser does not guess ("省直有关单位",
 * "……等政策制定单位"): which units act on them, or none. A decision creates the PLAN tickets of
 * (milestone × chosen unit) for the task's milestones that carry the phrase, through the same
 * assignment as `assignPlan` (events, cards in the outbox), in one transaction with the decision.
 *
 * Deciding again adds tickets for newly chosen units and deletes nothing: a ticket may already be
 * accepted or in progress, so taking a unit off is done on the ticket (退单, 改派), where it is audited.
 */
import type { Database } from '../../prisma/client.ts';
import { authorize, type Actor } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import { assignMilestoneUnits, type AssignedTicket } from './plan-store.ts';

export const MAX_DECISION_UNITS = 200;
const NOTE_MAX = 500;

export interface DecisionInput {
  taskId: string;
  phrase: string;
  /** [] means that no unit acts on the phrase (不涉及具体单位). */
  unitCodes: string[];
  note?: string | null;
}

export interface DecisionOutcome {
  taskSeq: number;
  phrase: string;
  unitCodes: string[];
  /** The milestones of the task that carry the phrase: the ones tickets are created for. */
  milestones: { id: string; ordinal: number; due: string; text: string }[];
  created: AssignedTicket[];
  /** (milestone × unit) pairs that already had a ticket. */
  alreadyAssigned: number;
  /** Units of the previous decision no longer chosen: their tickets stay (退单/改派 removes them). */
  kept: { unitCode: string; tickets: number }[];
}

interface TaskRow {
  id: string;
  seq: number | string;
  unresolved: string;
}

interface MilestoneRow {
  id: string;
  ordinal: number | string;
  due: string;
  text: string;
  unresolved: string;
}

function parseList(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

/**
 * Records the decision on `phrase` of a task and creates the tickets it implies. `decidedBy` is how
 * the decision names its author (the web user's name and account).
 */
export async function decidePhrase(
  db: Database,
  input: DecisionInput,
  actor: Actor,
  decidedBy: string,
  now: Date,
  platforms: readonly string[],
): Promise<DecisionOutcome> {
  const denied = authorize(actor, 'assign');
  if (denied) throw denied;
  const phrase = input.phrase.trim();
  const note = input.note?.trim() ? input.note.trim().slice(0, NOTE_MAX) : null;
  const unitCodes = [...new Set(input.unitCodes.map((c) => c.trim()).filter(Boolean))];
  if (unitCodes.length > MAX_DECISION_UNITS) {
    throw new DomainError('DECISION_TOO_MANY', `一次最多选择 ${MAX_DECISION_UNITS} 个单位。`, `${unitCodes.length} units in one decision`);
  }
  return db.sql.transaction(async (tx) => {
    const [task] = await tx.query<TaskRow>('SELECT id, seq, unresolved FROM task WHERE id = ?', [input.taskId]);
    if (!task) throw new DomainError('TASK_NOT_FOUND', '未找到该任务，方案可能已变更，请刷新页面。', `task ${input.taskId} not found`);
    const seq = Number(task.seq);
    const milestones = await tx.query<MilestoneRow>('SELECT id, ordinal, due, text, unresolved FROM milestone WHERE task_id = ? ORDER BY ordinal', [task.id]);
    const carrying = milestones.filter((m) => parseList(m.unresolved).includes(phrase));
    if (!parseList(task.unresolved).includes(phrase) && carrying.length === 0) {
      throw new DomainError('PHRASE_NOT_FOUND', `任务${seq}没有待确认的表述「${phrase}」，请刷新页面。`, `task ${task.id} has no unresolved phrase ${phrase}`);
    }
    if (unitCodes.length) {
      const known = new Set(
        (await tx.query<{ code: string }>(`SELECT code FROM unit WHERE code IN (${unitCodes.map(() => '?').join(', ')})`, unitCodes)).map((u) => u.code),
      );
      const unknown = unitCodes.filter((c) => !known.has(c));
      if (unknown.length) throw new DomainError('UNIT_NOT_FOUND', `未找到单位编码：${unknown.join('、')}。`, `unknown unit codes ${unknown.join(',')}`);
    }
    const [previous] = await tx.query<{ unit_codes: string }>('SELECT unit_codes FROM plan_decision WHERE task_id = ? AND phrase = ?', [task.id, phrase]);
    await tx.execute(
      `INSERT INTO plan_decision (task_id, phrase, unit_codes, note, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (task_id, phrase) DO UPDATE SET unit_codes = excluded.unit_codes, note = excluded.note,
         decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      [task.id, phrase, JSON.stringify(unitCodes), note, decidedBy, now],
    );
    const pairs = carrying.flatMap((m) => unitCodes.map((unitCode) => ({ milestoneId: m.id, unitCode })));
    const why = `依据任务${seq}待定表述「${phrase}」的确认${note ? `（${note}）` : ''}`;
    const created = await assignMilestoneUnits(tx, pairs, { personId: actor.personId, name: actor.name, role: actor.role }, now, platforms, why);
    const dropped = previous ? parseList(previous.unit_codes).filter((c) => !unitCodes.includes(c)) : [];
    const kept: DecisionOutcome['kept'] = [];
    if (dropped.length && carrying.length) {
      const rows = await tx.query<{ unit_code: string; n: number | string }>(
        `SELECT unit_code, COUNT(*) AS n FROM ticket WHERE milestone_id IN (${carrying.map(() => '?').join(', ')})
           AND unit_code IN (${dropped.map(() => '?').join(', ')}) GROUP BY unit_code`,
        [...carrying.map((m) => m.id), ...dropped],
      );
      for (const r of rows) kept.push({ unitCode: r.unit_code, tickets: Number(r.n) });
    }
    return {
      taskSeq: seq,
      phrase,
      unitCodes,
      milestones: carrying.map((m) => ({ id: m.id, ordinal: Number(m.ordinal), due: m.due, text: m.text })),
      created,
      alreadyAssigned: pairs.length - created.length,
      kept,
    };
  });
}
