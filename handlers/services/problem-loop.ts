/**
 * 整改 → 反馈 → 销号 on a PROBLEM ticket. `actOnTicket` calls this inside the transaction that
 * writes the ticket's change and its TicketEvent, so the problem's state and the source's
 * feedback commit with the step itself — or not at all. Approval by the bureau is 销号 (the
 * problem is CLOSED with the unit's rectification note); a return is 退回.
 */
import type { Models } from '../../prisma/client.ts';
import type { TicketAction } from '../../domain/ticket/types.ts';
import { FEEDBACK_STAGE } from './problem-tickets.ts';

type Tx = Models.Prisma.TransactionClient;

export interface ProblemStep {
  problemId: number;
  ticketId: number;
  action: TicketAction;
  /** The event just written (its from/to status and note). */
  event: { fromStatus: string | null; toStatus: string | null; note: string | null; data: string | null };
  /** The ticket's unit after the step (a reassignment changes it). */
  unitCode: string;
  now: Date;
}

/** The unit's latest rectification report (the note it submitted for review with). */
async function rectificationNote(tx: Tx, ticketId: number): Promise<string | null> {
  const e = await tx.ticketEvent.findFirst({ where: { ticketId, type: 'submit' }, orderBy: { id: 'desc' }, select: { note: true } });
  return e?.note ?? null;
}

async function unitName(tx: Tx, code: string): Promise<string> {
  return (await tx.unit.findUnique({ where: { code }, select: { name: true } }))?.name ?? code;
}

export async function recordProblemStep(tx: Tx, s: ProblemStep): Promise<void> {
  const feedback = (stage: string, message: string) => tx.problemFeedback.create({ data: { problemId: s.problemId, stage, message, createdAt: s.now } });
  const a = s.action;
  switch (a.type) {
    case 'accept':
      return void (await feedback(FEEDBACK_STAGE.accepted, `${await unitName(tx, s.unitCode)}已签收，正在整改。`));
    case 'progress':
      // The first report also accepts the ticket; later progress is the unit's business.
      if (s.event.fromStatus === 'ASSIGNED') await feedback(FEEDBACK_STAGE.accepted, `${await unitName(tx, s.unitCode)}已签收，正在整改。`);
      return;
    case 'submit':
      return void (await feedback(FEEDBACK_STAGE.reported, `${await unitName(tx, s.unitCode)}已报送整改情况，待省数据局核验${s.event.note ? `：${s.event.note}` : '。'}`));
    case 'return':
      return void (await feedback(FEEDBACK_STAGE.returned, `整改情况未通过省数据局核验，已退回重新整改：${a.reason}`));
    case 'approve': {
      const note = await rectificationNote(tx, s.ticketId);
      await tx.problem.update({ where: { id: s.problemId }, data: { status: 'CLOSED', closedAt: s.now } });
      const lines = [`整改已通过省数据局核验，问题销号。`, note ? `整改情况：${note}` : '', a.note ? `核验意见：${a.note}` : ''];
      return void (await feedback(FEEDBACK_STAGE.closed, lines.filter(Boolean).join('')));
    }
    case 'reassign': {
      await tx.problem.update({ where: { id: s.problemId }, data: { unitCode: s.unitCode } });
      return void (await feedback(FEEDBACK_STAGE.assigned, `已改派至${await unitName(tx, s.unitCode)}整改。`));
    }
    case 'decideExtension': {
      if (!a.approve) return;
      const newDue = (JSON.parse(s.event.data ?? '{}') as { newDue?: string }).newDue;
      if (newDue) await feedback(FEEDBACK_STAGE.extended, `经省数据局同意，整改时限延至 ${newDue}。`);
      return;
    }
    default:
      return;
  }
}
