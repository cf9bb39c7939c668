/**
 * The ticket lifecycle over the database. The rules live in `domain/ticket` (what may happen) and
 * `domain/access` (who may do it); this service loads a ticket, asks the domain, and writes the
 * change, its TicketEvent and (for progress) a ProgressReport in one transaction — for a problem's
 * ticket also the problem's state and its source's feedback (problem-loop.ts). A version column
 * makes concurrent clicks safe: the second writer gets a clear refusal and nothing changes.
 */
import type { Database } from '../../prisma/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { decide, type TicketAction, type TicketSnapshot } from '../../domain/ticket/state-machine.ts';
import type { Actor } from '../../domain/access.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import { recordProblemStep } from './problem-loop.ts';

type TicketRow = Awaited<ReturnType<Database['prisma']['ticket']['findUniqueOrThrow']>>;

export function snapshotOf(t: TicketRow): TicketSnapshot {
  return {
    id: t.id,
    kind: t.kind,
    unitCode: t.unitCode,
    status: t.status,
    progress: t.progress,
    due: t.due,
    originalDue: t.originalDue,
    pendingExtension: t.extensionDue ? { newDue: t.extensionDue, reason: t.extensionReason ?? '' } : null,
  };
}

export interface ActResult {
  ticket: TicketRow;
  event: { id: number; type: string; fromStatus: string | null; toStatus: string | null; note: string | null };
}

export async function loadTicket(db: Database, ticketId: number): Promise<TicketRow> {
  const t = await db.prisma.ticket.findUnique({ where: { id: ticketId } });
  if (!t) throw new DomainError('TICKET_NOT_FOUND', `未找到督办单 #${ticketId}。`, `ticket ${ticketId} not found`);
  return t;
}

export interface ActOptions {
  /**
   * The version the person saw (web console): a ticket changed since is refused, so nobody approves
   * or returns a state they have not seen. Chat buttons rely on the state machine instead.
   */
  expectedVersion?: number;
  /** Where the action came from (web account), kept in the event's data for the audit trail. */
  via?: Record<string, unknown>;
}

/** Applies one action by one actor; refusals throw a DomainError and change nothing. */
export async function actOnTicket(db: Database, ticketId: number, action: TicketAction, actor: Actor, now: Date, opts: ActOptions = {}): Promise<ActResult> {
  const current = await loadTicket(db, ticketId);
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== current.version) throw staleVersion(ticketId, opts.expectedVersion, current.version);
  const decision = decide(snapshotOf(current), action, actor, shanghaiDate(now));
  if (!decision.ok) throw decision.error;
  const { patch, event } = decision;
  const data: Record<string, unknown> = {};
  if (patch.status !== undefined) data.status = patch.status;
  if (patch.progress !== undefined) data.progress = patch.progress;
  if (patch.due !== undefined) data.due = patch.due;
  if (patch.originalDue !== undefined) data.originalDue = patch.originalDue;
  if (patch.unitCode !== undefined) data.unitCode = patch.unitCode;
  if (patch.pendingExtension !== undefined) {
    data.extensionDue = patch.pendingExtension?.newDue ?? null;
    data.extensionReason = patch.pendingExtension?.reason ?? null;
  }
  if (event.to === 'IN_PROGRESS' && current.status === 'ASSIGNED') data.acceptedAt = now;
  if (event.to === 'SUBMITTED') data.submittedAt = now;
  if (event.to === 'DONE') data.doneAt = now;

  return db.prisma.$transaction(async (tx) => {
    const updated = await tx.ticket.updateMany({
      where: { id: ticketId, version: current.version },
      data: { ...data, version: { increment: 1 }, updatedAt: now },
    });
    if (updated.count !== 1) {
      throw new DomainError('TICKET_CONCURRENT', `督办单 #${ticketId} 刚被他人更新，请查看最新状态后再操作。`, `ticket ${ticketId} changed concurrently (version ${current.version})`);
    }
    const created = await tx.ticketEvent.create({
      data: {
        ticketId,
        type: event.type,
        fromStatus: event.from,
        toStatus: event.to,
        actorId: actor.personId,
        actorName: actor.name,
        actorRole: actor.role,
        note: event.note ?? null,
        data: event.data || opts.via ? JSON.stringify(opts.via ? { ...event.data, via: opts.via } : event.data) : null,
        createdAt: now,
      },
    });
    if (action.type === 'progress' || action.type === 'submit') {
      await tx.progressReport.create({
        data: { ticketId, percent: patch.progress ?? current.progress, note: event.note ?? null, reporterId: actor.personId, createdAt: now },
      });
    }
    // A problem's rectification ticket: the problem and its source's feedback move with the step.
    if (current.kind === 'PROBLEM' && current.problemId !== null) {
      await recordProblemStep(tx, { problemId: current.problemId, ticketId, action, event: created, unitCode: patch.unitCode ?? current.unitCode, now });
    }
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    return { ticket, event: { id: created.id, type: created.type, fromStatus: created.fromStatus, toStatus: created.toStatus, note: created.note } };
  });
}

/** The refusal for an action taken on a version of the ticket that is no longer current. */
export function staleVersion(ticketId: number, seen: number, current: number): DomainError {
  return new DomainError(
    'TICKET_STALE',
    `督办单 #${ticketId} 在您打开页面后已被更新，请刷新查看最新状态后再操作。`,
    `ticket ${ticketId}: action on version ${seen}, current version is ${current}`,
    { ticketId, seen, current },
  );
}

export async function ticketTimeline(db: Database, ticketId: number) {
  return db.prisma.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: 'asc' } });
}
