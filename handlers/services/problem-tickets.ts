/**
 * The writes of the problem loop that go together in one transaction (raw SQL, so that the
 * problem row, its ticket, the ticket's first event and the source's feedback commit at once):
 * opening the PROBLEM ticket at a unit, and feedback records. Shared by intake and routing.
 */
import type { RawSql } from '../../prisma/raw-sql.ts';
import type { Role } from '../../domain/access.ts';
import { GRADE_LABELS, maskPersonalData, type ProblemGrade } from '../../domain/problems/index.ts';
import { truncateChars } from '../../cards/render/truncate.ts';

/** Who files or routes a problem, as TicketEvent records it (a source system acts as the system role). */
export interface ProblemActor {
  personId: string | null;
  name: string;
  role: Role;
}

/** The stages a source reads in its feedback (section 九: 发现—交办—整改—反馈). */
export const FEEDBACK_STAGE = {
  received: '受理',
  assigned: '交办',
  accepted: '整改',
  reported: '整改反馈',
  returned: '退回',
  extended: '延期',
  closed: '销号',
  dismissed: '不予受理',
} as const;

export async function addFeedback(tx: RawSql, problemId: number, stage: string, message: string, now: Date): Promise<void> {
  await tx.insertMany('problem_feedback', ['problem_id', 'stage', 'message', 'created_at'], [[problemId, stage, message, now]]);
}

const TITLE_TEXT_MAX = 40;

/** "问题#12 住房公积金提取：线上提取多次提交失败…" — masked, so that no card or list shows personal data. */
export function problemTicketTitle(problemId: number, service: string | null, description: string): string {
  const text = truncateChars(maskPersonalData(description).replace(/\s+/g, ' ').trim(), TITLE_TEXT_MAX);
  return `问题#${problemId} ${service ? `${truncateChars(service, 20)}：` : ''}${text}`;
}

export interface OpenTicketInput {
  problemId: number;
  unitCode: string;
  unitName: string;
  service: string | null;
  description: string;
  grade: ProblemGrade;
  due: string;
  by: ProblemActor;
  /** What the assignment event says beyond the unit and due date (how the unit was chosen). */
  how: string;
  now: Date;
}

/**
 * Opens the PROBLEM ticket at the unit (ASSIGNED, due = SLA date, urgent when SEVERE) with its
 * assignment event and the source's 交办 feedback. `ticket.problem_id` is unique: a second
 * ticket for the same problem is impossible, whoever races.
 */
export async function openProblemTicket(tx: RawSql, t: OpenTicketInput): Promise<number> {
  const [row] = await tx.insertManyReturning<{ id: number | string }>(
    'ticket',
    ['kind', 'milestone_id', 'unit_code', 'title', 'status', 'progress', 'due', 'original_due', 'problem_id', 'urgent', 'version', 'created_at', 'updated_at'],
    [['PROBLEM', null, t.unitCode, problemTicketTitle(t.problemId, t.service, t.description), 'ASSIGNED', 0, t.due, t.due, t.problemId, t.grade === 'SEVERE', 0, t.now, t.now]],
    ['problem_id'],
    ['id'],
  );
  if (!row) throw new Error(`problem ${t.problemId} already has a ticket`);
  const ticketId = Number(row.id);
  await tx.insertMany(
    'ticket_event',
    ['ticket_id', 'type', 'from_status', 'to_status', 'actor_id', 'actor_name', 'actor_role', 'note', 'data', 'created_at'],
    [[
      ticketId, 'assign', null, 'ASSIGNED', t.by.personId, t.by.name, t.by.role,
      `问题P${t.problemId}（${GRADE_LABELS[t.grade]}）交办至${t.unitName}，整改时限 ${t.due}；${t.how}`,
      JSON.stringify({ problemId: t.problemId, unitCode: t.unitCode, grade: t.grade, due: t.due }),
      t.now,
    ]],
  );
  await addFeedback(tx, t.problemId, FEEDBACK_STAGE.assigned, `已交由${t.unitName}整改，整改时限 ${t.due}。`, t.now);
  return ticketId;
}
