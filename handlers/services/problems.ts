/**
 * Problem intake (section 九: 发现 → 交办): a problem from a source (API, Excel import, bureau
 * staff in chat) is graded by the bureau's rules, routed to a unit with the service catalogue
 * (附件3/4), and — when routing is confident — becomes a PROBLEM ticket at that unit with an SLA
 * due date; otherwise it waits for the bureau (PENDING_ROUTE) with a card listing the candidates.
 *
 * Idempotent on (source, sourceRef): the problem row is inserted with ON CONFLICT DO NOTHING, so a
 * repeat — a retried request, a re-run import, a redelivered chat message, two at once — returns
 * the problem as it is and changes nothing. The description is stored as reported and masked
 * whenever it is shown. Cards go out after the commit with keys derived from the problem and
 * ticket ids; a repeat re-enqueues one that is missing (a crash between commit and enqueue), which
 * the outbox's unique key makes a no-op otherwise.
 */
import type { Database } from '../../prisma/client.ts';
import type { Notifier } from '../bot.ts';
import type { HandlerLog } from '../context.ts';
import { DomainError } from '../../domain/errors.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import {
  GRADE_LABELS,
  ROUTE_CONFIDENCE_THRESHOLD,
  gradeProblem,
  problemDue,
  routeProblem,
} from '../../domain/problems/index.ts';
import { loadCalendar } from './calendar.ts';
import { loadGradingRules, loadProblemSla, loadRoutingData, repeatCounts, sourceName } from './problem-setup.ts';
import { addFeedback, FEEDBACK_STAGE, openProblemTicket, type ProblemActor } from './problem-tickets.ts';
import { announceProblem } from './problem-notify.ts';
import { problemSummary, type ProblemSummary } from './problem-views.ts';

export type { ProblemActor } from './problem-tickets.ts';

export interface ProblemDeps {
  db: Database;
  now: () => Date;
  notifier: Notifier;
  /** HMAC secret for the buttons on problem cards. */
  actionSecret: string;
  yellowWorkdays: number;
  log: HandlerLog;
}

/** A stored attachment of a reported problem (content-addressed like evidence). */
export interface ProblemAttachment {
  name: string;
  mime: string;
  size: number;
  sha256: string;
  blobPath: string;
}

export interface IntakeInput {
  sourceCode: string;
  /** The source's own id of the problem; intake is idempotent on (sourceCode, sourceRef). */
  sourceRef: string;
  serviceName?: string | null;
  description: string;
  contact?: string | null;
  /** When the public reported it; defaults to now. */
  reportedAt?: Date | null;
  attachments?: ProblemAttachment[];
}

export interface IntakeResult {
  /** False for a repeat: the problem was already there and nothing changed. */
  created: boolean;
  problem: ProblemSummary;
}

export const INTAKE_LIMITS = { sourceRef: 128, serviceName: 100, description: 4000, contact: 200 } as const;
/** Reported times may run a little ahead of our clock (the source's clock), not more. */
const FUTURE_SKEW_MS = 10 * 60_000;

function inputError(zh: string, en: string): DomainError {
  return new DomainError('PROBLEM_INPUT', zh, en);
}

interface CleanInput {
  sourceCode: string;
  sourceRef: string;
  serviceName: string | null;
  description: string;
  contact: string | null;
  reportedAt: Date;
  attachments: ProblemAttachment[];
}

/** NUL cannot be stored in PostgreSQL text and never means anything in a report: dropped. */
const text = (v: string | null | undefined) => v?.replace(/\u0000/g, '').trim();

function cleanInput(input: IntakeInput, now: Date): CleanInput {
  const sourceRef = text(input.sourceRef) ?? '';
  const description = text(input.description) ?? '';
  const serviceName = text(input.serviceName) || null;
  const contact = text(input.contact) || null;
  if (!sourceRef) throw inputError('缺少来源编号（sourceRef）。', 'sourceRef is required');
  if ([...sourceRef].length > INTAKE_LIMITS.sourceRef) throw inputError(`来源编号不能超过 ${INTAKE_LIMITS.sourceRef} 个字符。`, 'sourceRef too long');
  if (!description) throw inputError('缺少问题描述。', 'description is required');
  if ([...description].length > INTAKE_LIMITS.description) throw inputError(`问题描述不能超过 ${INTAKE_LIMITS.description} 个字符。`, 'description too long');
  if (serviceName && [...serviceName].length > INTAKE_LIMITS.serviceName) throw inputError(`服务名称不能超过 ${INTAKE_LIMITS.serviceName} 个字符。`, 'serviceName too long');
  if (contact && [...contact].length > INTAKE_LIMITS.contact) throw inputError(`联系方式不能超过 ${INTAKE_LIMITS.contact} 个字符。`, 'contact too long');
  const reportedAt = input.reportedAt ?? now;
  if (Number.isNaN(reportedAt.getTime())) throw inputError('反映时间无效。', 'reportedAt is not a valid time');
  if (reportedAt.getTime() > now.getTime() + FUTURE_SKEW_MS) throw inputError('反映时间晚于当前时间。', 'reportedAt is in the future');
  return { sourceCode: input.sourceCode, sourceRef, serviceName, description, contact, reportedAt, attachments: input.attachments ?? [] };
}

/** The actor TicketEvent records for a source system (no person; the system role). */
export function sourceActor(name: string): ProblemActor {
  return { personId: null, name, role: 'BUREAU_ADMIN' };
}

async function existing(db: Database, sourceCode: string, sourceRef: string): Promise<number | null> {
  const p = await db.prisma.problem.findUnique({ where: { sourceCode_sourceRef: { sourceCode, sourceRef } }, select: { id: true } });
  return p?.id ?? null;
}

async function repeat(deps: ProblemDeps, id: number): Promise<IntakeResult> {
  await announceProblem(deps, id);
  return { created: false, problem: (await problemSummary(deps.db, id))! };
}

export async function intakeProblem(deps: ProblemDeps, raw: IntakeInput, by: ProblemActor): Promise<IntakeResult> {
  const { db } = deps;
  const now = deps.now();
  const input = cleanInput(raw, now);
  const known = await existing(db, input.sourceCode, input.sourceRef);
  if (known !== null) return repeat(deps, known);

  const [rules, sla, routing, cal] = await Promise.all([loadGradingRules(db, now), loadProblemSla(db), loadRoutingData(db), loadCalendar(db)]);
  const route = routeProblem({ serviceName: input.serviceName, description: input.description }, routing.catalogue, routing.units);
  const service = input.serviceName ?? route.service;
  const windows = rules.flatMap((r) => (r.minRepeats !== null && r.windowDays !== null ? [r.windowDays] : []));
  const counts = await repeatCounts(db, service, input.reportedAt, windows);
  const grade = gradeProblem({ sourceCode: input.sourceCode, description: input.description }, rules, (w) => counts.get(w) ?? 1);
  const unit = route.unitCode !== null && route.confidence >= ROUTE_CONFIDENCE_THRESHOLD ? routing.units.find((u) => u.code === route.unitCode) ?? null : null;
  const due = unit ? problemDue(shanghaiDate(input.reportedAt), grade.grade, sla, cal) : null;
  const source = await sourceName(db, input.sourceCode);

  const id = await db.sql.transaction(async (tx) => {
    const [row] = await tx.insertManyReturning<{ id: number | string }>(
      'problem',
      ['source_code', 'source_ref', 'service_name', 'description', 'reporter_contact', 'grade', 'grade_reason', 'unit_code',
        'route_confidence', 'route_reason', 'status', 'attachments', 'reported_at', 'created_by', 'created_at'],
      [[input.sourceCode, input.sourceRef, service, input.description, input.contact, grade.grade, grade.reason, unit?.code ?? null,
        route.confidence, route.reason, unit ? 'ROUTED' : 'PENDING_ROUTE', JSON.stringify(input.attachments), input.reportedAt, by.name, now]],
      ['source_code', 'source_ref'],
      ['id'],
    );
    if (!row) return null; // the same (source, ref) was committed meanwhile: a repeat
    const problemId = Number(row.id);
    await addFeedback(tx, problemId, FEEDBACK_STAGE.received, `已受理（来源：${source}），问题等级：${GRADE_LABELS[grade.grade]}。`, now);
    if (unit && due) {
      await openProblemTicket(tx, {
        problemId, unitCode: unit.code, unitName: unit.name, service, description: input.description, grade: grade.grade, due, by, now,
        how: `按服务清单分派（${route.reason}）`,
      });
    }
    return problemId;
  });
  if (id === null) return repeat(deps, (await existing(db, input.sourceCode, input.sourceRef))!);
  deps.log.info({ problemId: id, source: input.sourceCode, grade: grade.grade, unit: unit?.code ?? null, confidence: route.confidence }, 'problem received');
  await announceProblem(deps, id, route.candidates);
  return { created: true, problem: (await problemSummary(db, id))! };
}
