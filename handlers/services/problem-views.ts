/**
 * Problems as people and sources read them. Everything here that carries reported text is masked
 * (maskPersonalData): phone and ID numbers, e-mail addresses… never leave the database through a
 * read function. The web console's problem pages and the public view (晾晒) use these too.
 */
import type { Database } from '../../prisma/client.ts';
import { GRADE_LABELS, maskContact, maskPersonalData, type ProblemGrade } from '../../domain/problems/index.ts';
import type { TicketStatus } from '../../domain/ticket/types.ts';
import { sourceNames } from './problem-setup.ts';

export type ProblemStatus = 'PENDING_ROUTE' | 'ROUTED' | 'CLOSED' | 'DISMISSED';

export const PROBLEM_STATUS_LABELS: Readonly<Record<ProblemStatus, string>> = {
  PENDING_ROUTE: '待分派',
  ROUTED: '整改中',
  CLOSED: '已销号',
  DISMISSED: '不予受理',
};

export interface ProblemSummary {
  id: number;
  sourceCode: string;
  sourceRef: string;
  serviceName: string | null;
  grade: ProblemGrade;
  gradeReason: string;
  status: ProblemStatus;
  unitCode: string | null;
  unitName: string | null;
  ticketId: number | null;
  ticketStatus: TicketStatus | null;
  /** The rectification deadline (the ticket's current due date), null until routed. */
  due: string | null;
  reportedAt: Date;
  closedAt: Date | null;
}

const include = { ticket: { select: { id: true, status: true, due: true, unit: { select: { name: true } } } } } as const;

type Row = Awaited<ReturnType<Database['prisma']['problem']['findFirstOrThrow']>> & {
  ticket: { id: number; status: TicketStatus; due: string; unit: { name: string } } | null;
};

async function unitNames(db: Database, codes: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(codes.filter((c): c is string => c !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.prisma.unit.findMany({ where: { code: { in: wanted } }, select: { code: true, name: true } });
  return new Map(rows.map((u) => [u.code, u.name]));
}

function summaryOf(p: Row, names: Map<string, string>): ProblemSummary {
  return {
    id: p.id,
    sourceCode: p.sourceCode,
    sourceRef: p.sourceRef,
    serviceName: p.serviceName,
    grade: p.grade,
    gradeReason: p.gradeReason,
    status: p.status,
    unitCode: p.unitCode,
    unitName: p.ticket?.unit.name ?? (p.unitCode ? names.get(p.unitCode) ?? p.unitCode : null),
    ticketId: p.ticket?.id ?? null,
    ticketStatus: p.ticket?.status ?? null,
    due: p.ticket?.due ?? null,
    reportedAt: p.reportedAt,
    closedAt: p.closedAt,
  };
}

export async function problemSummary(db: Database, id: number): Promise<ProblemSummary | null> {
  const p = await db.prisma.problem.findUnique({ where: { id }, include });
  if (!p) return null;
  return summaryOf(p as Row, await unitNames(db, [p.unitCode]));
}

/** A problem for display: the summary plus the masked report. */
export interface ProblemView extends ProblemSummary {
  sourceName: string;
  /** Why routing chose the unit or could not (masked: it may quote the report). */
  routeReason: string;
  /** Masked. */
  description: string;
  /** Masked. */
  contact: string | null;
  attachments: { name: string; size: number }[];
}

function attachmentsOf(json: string): { name: string; size: number }[] {
  try {
    const list = JSON.parse(json) as { name?: unknown; size?: unknown }[];
    return Array.isArray(list) ? list.map((a) => ({ name: maskPersonalData(String(a.name ?? '')), size: Number(a.size ?? 0) })) : [];
  } catch {
    return [];
  }
}

export interface ListProblemsQuery {
  status?: ProblemStatus[];
  unitCode?: string;
  grade?: ProblemGrade;
  sourceCode?: string;
  /** Only problems whose open ticket was due before this day (YYYY-MM-DD): overdue now. */
  overdueBefore?: string;
  limit?: number;
  offset?: number;
}

/**
 * Problems, masked, paged in SQL: waiting for a unit first, then severe before general, then by id.
 * (Status and grade sort the same on both databases: PENDING_ROUTE < ROUTED, GENERAL < SERIOUS <
 * SEVERE both as PostgreSQL enums and as SQLite text.) For /问题 列表, the console and the public view.
 */
export async function listProblems(db: Database, q: ListProblemsQuery = {}): Promise<{ total: number; items: ProblemView[] }> {
  const where = {
    ...(q.status ? { status: { in: q.status } } : {}),
    ...(q.unitCode ? { unitCode: q.unitCode } : {}),
    ...(q.grade ? { grade: q.grade } : {}),
    ...(q.sourceCode ? { sourceCode: q.sourceCode } : {}),
    ...(q.overdueBefore ? { ticket: { is: { due: { lt: q.overdueBefore }, status: { not: 'DONE' as const } } } } : {}),
  };
  const [total, rows, names] = await Promise.all([
    db.prisma.problem.count({ where }),
    db.prisma.problem.findMany({
      where, include, skip: q.offset ?? 0, take: q.limit ?? 50,
      orderBy: [{ status: 'asc' }, { grade: 'desc' }, { id: 'asc' }],
    }),
    sourceNames(db),
  ]);
  const units = await unitNames(db, rows.map((r) => r.unitCode));
  return { total, items: rows.map((r) => viewOf(r as Row, units, names)) };
}

function viewOf(r: Row, units: Map<string, string>, names: Map<string, string>): ProblemView {
  return {
    ...summaryOf(r, units),
    sourceName: names.get(r.sourceCode) ?? r.sourceCode,
    routeReason: maskPersonalData(r.routeReason),
    description: maskPersonalData(r.description),
    contact: maskContact(r.reporterContact),
    attachments: attachmentsOf(r.attachments),
  };
}

export async function problemView(db: Database, id: number): Promise<ProblemView | null> {
  const p = await db.prisma.problem.findUnique({ where: { id }, include });
  if (!p) return null;
  return viewOf(p as Row, await unitNames(db, [p.unitCode]), await sourceNames(db));
}

export interface FeedbackRecord {
  stage: string;
  /** Masked. */
  message: string;
  at: Date;
}

/** What a source reads about one of its problems: the state and every feedback record, masked. */
export async function sourceFeedback(db: Database, sourceCode: string, sourceRef: string): Promise<{ problem: ProblemSummary; feedback: FeedbackRecord[] } | null> {
  const p = await db.prisma.problem.findUnique({ where: { sourceCode_sourceRef: { sourceCode, sourceRef } }, include });
  if (!p) return null;
  const rows = await db.prisma.problemFeedback.findMany({ where: { problemId: p.id }, orderBy: { id: 'asc' } });
  return {
    problem: summaryOf(p as Row, await unitNames(db, [p.unitCode])),
    feedback: rows.map((f) => ({ stage: f.stage, message: maskPersonalData(f.message), at: f.createdAt })),
  };
}

/** "P12｜较重｜住房公积金提取｜省公安厅｜整改中…" — one masked line of /问题 列表. */
export function problemLine(p: ProblemView, ticketLabel: (s: TicketStatus) => string, maxText = 40): string {
  const chars = [...p.description.replace(/\s+/g, ' ')];
  const text = chars.length > maxText ? `${chars.slice(0, maxText).join('')}…` : chars.join('');
  const where = p.status === 'PENDING_ROUTE'
    ? '待分派'
    : `${p.unitName ?? '-'}｜#${p.ticketId ?? '-'} ${p.ticketStatus ? ticketLabel(p.ticketStatus) : PROBLEM_STATUS_LABELS[p.status]}${p.due ? `｜时限 ${p.due}` : ''}`;
  return `P${p.id}｜${GRADE_LABELS[p.grade]}｜${p.serviceName ?? '未识别服务'}｜${where}｜${text}`;
}
