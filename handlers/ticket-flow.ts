/**
 * One place where a ticket action happens for a person: the domain decides, the service writes, and
 * the people who must know are told (review requests to the bureau, results to the unit). Every
 * entry point — card buttons, slash commands, free-text replies — goes through `perform`.
 */
import type { TicketAction } from '../domain/ticket/types.ts';
import { isDomainError } from '../domain/errors.ts';
import { actOnTicket } from './services/tickets.ts';
import { ticketInfo, type TicketInfo } from './services/ticket-views.ts';
import { signAction } from './action-token.ts';
import { ACTIONS } from './actions.ts';
import * as V from './views.ts';
import type { HandlerArgs } from './context.ts';

export type Perform = { ok: true; info: TicketInfo; eventId: number } | { ok: false; message: string; code: string };

export function tokens(args: HandlerArgs, ticketId: number, actions: string[]): Record<string, string> {
  const now = args.deps.now();
  return Object.fromEntries(actions.map((a) => [a, signAction(args.deps.actionSecret, a, ticketId, now)]));
}

export async function info(args: HandlerArgs, ticketId: number): Promise<TicketInfo | null> {
  return ticketInfo(args.deps.db, ticketId, args.today, args.cal, args.deps.yellowWorkdays);
}

export async function perform(args: HandlerArgs, ticketId: number, action: TicketAction): Promise<Perform> {
  try {
    const r = await actOnTicket(args.deps.db, ticketId, action, args.actor, args.deps.now());
    const i = (await info(args, ticketId))!;
    await tellOthers(args, action, i, r.event.id);
    return { ok: true, info: i, eventId: r.event.id };
  } catch (e) {
    if (isDomainError(e)) {
      args.deps.log.info({ code: e.code, ticketId, action: action.type, actor: args.actor.personId }, `ticket action refused: ${e.messageEn}`);
      return { ok: false, message: e.message, code: e.code };
    }
    throw e;
  }
}

async function tellOthers(args: HandlerArgs, action: TicketAction, i: TicketInfo, eventId: number): Promise<void> {
  const n = args.deps.notifier;
  const who = args.actor.name;
  switch (action.type) {
    case 'submit':
      await n.notify({ group: 'BUREAU' }, V.reviewRequest(i, who, action.note ?? null, tokens(args, i.id, [ACTIONS.approve, ACTIONS.return])), `review:${i.id}:${eventId}`, i.id);
      return;
    case 'return':
      await n.notify({ unit: i.unitCode }, V.returned(i, who, action.reason, tokens(args, i.id, [ACTIONS.progress, ACTIONS.evidence])), `returned:${i.id}:${eventId}`, i.id);
      return;
    case 'approve':
      await n.notify({ unit: i.unitCode }, V.text(`✅ 督办单 #${i.id}（${i.unitName}）已审核通过，办结。${action.note ? `审核意见：${action.note}` : ''}`), `approved:${i.id}:${eventId}`, i.id);
      return;
    case 'requestExtension':
      await n.notify({ group: 'BUREAU' }, V.extensionRequest(i, who, tokens(args, i.id, [ACTIONS.extensionApprove, ACTIONS.extensionReject])), `extension-request:${i.id}:${eventId}`, i.id);
      return;
    case 'decideExtension':
      await n.notify({ unit: i.unitCode }, V.extensionDecision(i, action.approve, who, action.note ?? null), `extension-decision:${i.id}:${eventId}`, i.id);
      return;
    case 'reassign':
      await n.notify({ unit: i.unitCode }, V.ticketAssigned(i, tokens(args, i.id, V.OFFICER_ACTIONS)), `ticket-assigned:${i.id}:${eventId}`, i.id);
      return;
    default:
      return;
  }
}
