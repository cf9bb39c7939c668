/**
 * Read models of the plan review page: the parsed plan (tasks, milestones, resolved units, ticket
 * counts), the undecided responsible-unit phrases with their decisions, the source text with each
 * task's place in it, and the 附件3/附件4 service catalogue. A plan has tens of tasks; ticket counts
 * are one GROUP BY in SQL however many tickets there are.
 */
import type { Database } from '../../../prisma/client.ts';
import { locateAll, splitLines, type LineRange } from './plan-source.ts';

export interface PlanRef {
  id: string;
  docNo: string;
  title: string;
  year: number;
  loadedAt: Date;
}

function list(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export async function planRefs(db: Database): Promise<PlanRef[]> {
  return db.prisma.plan.findMany({ select: { id: true, docNo: true, title: true, year: true, loadedAt: true }, orderBy: { loadedAt: 'desc' } });
}

/** The plan asked for, else the latest loaded; null when there is none (or no such plan). */
export async function choosePlan(db: Database, planId: string | undefined): Promise<{ plans: PlanRef[]; plan: PlanRef | null }> {
  const plans = await planRefs(db);
  const plan = planId ? plans.find((p) => p.id === planId) ?? null : plans[0] ?? null;
  return { plans, plan };
}

export interface UnresolvedItem {
  taskId: string;
  taskSeq: number;
  phrase: string;
  /** Milestones carrying the phrase: a decision creates tickets for these. */
  milestones: { id: string; ordinal: number; due: string; text: string }[];
  decision: { unitCodes: string[]; note: string | null; decidedBy: string; decidedAt: Date } | null;
}

export async function planOverview(db: Database, planId: string) {
  const [tasks, counts, units] = await Promise.all([
    db.prisma.task.findMany({ where: { planId }, orderBy: { seq: 'asc' }, include: { milestones: { orderBy: { ordinal: 'asc' } } } }),
    db.sql.query<{ milestone_id: string; n: number | string }>(
      `SELECT k.milestone_id, COUNT(*) AS n FROM ticket k JOIN milestone m ON m.id = k.milestone_id
         JOIN task t ON t.id = m.task_id WHERE t.plan_id = ? GROUP BY k.milestone_id`,
      [planId],
    ),
    db.prisma.unit.findMany({ select: { code: true, name: true, kind: true }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] }),
  ]);
  const ticketsOf = new Map(counts.map((c) => [c.milestone_id, Number(c.n)]));
  const decisions = await db.prisma.planDecision.findMany({ where: { taskId: { in: tasks.map((t) => t.id) } } });
  const decisionOf = new Map(decisions.map((d) => [`${d.taskId}|${d.phrase}`, d]));
  const unresolved: UnresolvedItem[] = [];
  const out = tasks.map((t) => {
    const milestones = t.milestones.map((m) => ({
      id: m.id,
      ordinal: m.ordinal,
      text: m.text,
      due: m.due,
      units: list(m.units),
      unresolved: list(m.unresolved),
      tickets: ticketsOf.get(m.id) ?? 0,
    }));
    // The task's own phrases first (its 责任单位 column), then any a milestone adds.
    const phrases = [...new Set([...list(t.unresolved), ...milestones.flatMap((m) => m.unresolved)])];
    for (const phrase of phrases) {
      const d = decisionOf.get(`${t.id}|${phrase}`);
      unresolved.push({
        taskId: t.id,
        taskSeq: t.seq,
        phrase,
        milestones: milestones.filter((m) => m.unresolved.includes(phrase)).map((m) => ({ id: m.id, ordinal: m.ordinal, due: m.due, text: m.text })),
        decision: d ? { unitCodes: list(d.unitCodes), note: d.note, decidedBy: d.decidedBy, decidedAt: d.decidedAt } : null,
      });
    }
    return {
      id: t.id,
      seq: t.seq,
      category: t.category,
      content: t.content,
      responsibleText: t.responsibleText,
      responsibleUnits: list(t.responsibleUnits),
      unresolved: phrases,
      due: t.due,
      recurring: t.recurring,
      slaWorkdays: t.slaWorkdays,
      tickets: milestones.reduce((n, m) => n + m.tickets, 0),
      milestones,
    };
  });
  return { tasks: out, unresolved, units };
}

export async function planSource(db: Database, planId: string): Promise<{ lines: string[]; anchors: Record<string, LineRange> } | null> {
  const plan = await db.prisma.plan.findUnique({ where: { id: planId }, select: { sourceText: true } });
  if (!plan) return null;
  const tasks = await db.prisma.task.findMany({ where: { planId }, select: { id: true, content: true } });
  const lines = splitLines(plan.sourceText);
  return { lines, anchors: locateAll(lines, tasks) };
}

/** 附件3 (高频服务) and 附件4 (适老适残服务) per unit, in the directory's order. */
export async function serviceCatalogue(db: Database, planId: string) {
  const items = await db.prisma.serviceItem.findMany({
    where: { planId },
    select: { unitCode: true, annex: true, name: true, unit: { select: { name: true, kind: true, sortOrder: true } } },
    orderBy: [{ unit: { sortOrder: 'asc' } }, { unitCode: 'asc' }, { annex: 'asc' }, { id: 'asc' }],
  });
  const byUnit = new Map<string, { code: string; name: string; kind: string; annex3: string[]; annex4: string[] }>();
  for (const i of items) {
    let u = byUnit.get(i.unitCode);
    if (!u) byUnit.set(i.unitCode, (u = { code: i.unitCode, name: i.unit.name, kind: i.unit.kind, annex3: [], annex4: [] }));
    (i.annex === 4 ? u.annex4 : u.annex3).push(i.name);
  }
  return [...byUnit.values()];
}
