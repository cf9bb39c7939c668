/**
 * 催办 (chase): one reminder card per unit listing its open tickets that were chased, and a `chase`
 * TicketEvent per ticket with the person who chased. Used by /催办 in chat and by the web console's
 * ticket page, so both send the same card and leave the same trail.
 */
import { authorize } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import { tokens, type ActingArgs } from '../ticket-flow.ts';
import type { TicketInfo } from './ticket-views.ts';
import * as V from '../views.ts';

export interface ChaseResult {
  units: number;
  tickets: number;
}

/**
 * Chases `list` (open tickets the caller has already chosen). `keyBase` makes the cards idempotent
 * per request (a retried chat event or web request does not send twice); `via` goes into each
 * event's data (the web account that chased).
 */
export async function chaseTickets(
  args: ActingArgs,
  list: TicketInfo[],
  note: string | null,
  keyBase: string,
  via?: Record<string, unknown>,
): Promise<ChaseResult> {
  for (const t of list) {
    const denied = authorize(args.actor, 'chase', t.unitCode);
    if (denied) throw denied;
    if (t.status === 'DONE' || t.status === 'SUBMITTED') {
      throw new DomainError('CHASE_NOT_OPEN', `督办单 #${t.id} 当前不在办理中，无需催办。`, `ticket ${t.id} is ${t.status}: nothing to chase`);
    }
  }
  const byUnit = new Map<string, TicketInfo[]>();
  for (const t of list) byUnit.set(t.unitCode, [...(byUnit.get(t.unitCode) ?? []), t]);
  for (const [unit, tickets] of byUnit) {
    await args.deps.notifier.notify(
      { unit },
      V.reminder(tickets, note, `${args.actor.name}催办`, (t) => tokens(args, t.id, V.officerActionsFor(t.status))),
      `chase:${unit}:${keyBase}`,
    );
  }
  const now = args.deps.now();
  await args.deps.db.prisma.ticketEvent.createMany({
    data: list.map((t) => ({
      ticketId: t.id,
      type: 'chase',
      actorId: args.actor.personId,
      actorName: args.actor.name,
      actorRole: args.actor.role,
      note: note ?? '催办',
      data: via ? JSON.stringify({ via }) : null,
      createdAt: now,
    })),
  });
  return { units: byUnit.size, tickets: list.length };
}
