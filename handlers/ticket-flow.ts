/**
 * One place where a ticket action happens for a person: the domain decides, the service writes, and
 * the people who must know are told (review requests to the bureau, results to the unit). Every
 * entry point — card buttons, slash commands, free-text replies — goes through `perform`.
 */
import type { TicketAction } from '../domain/ticket/types.ts';
import { isDomainError } from '../domain/errors.ts';
import { actOnTicket, type ActOptions } from './services/tickets.ts';
import { ticketInfo, type TicketInfo } from './services/ticket-views.ts';
import { signAction } from './action-token.ts';
import { ACTIONS } from './actions.ts';
import * as V from './views.ts';
import { maskPersonalData } from '../domain/problems/index.ts';
import { problemCardFor } from './services/problem-notify.ts';
import type { HandlerArgs } from './context.ts';

export type Perform = { ok: true; info: TicketInfo; eventId: number } | { ok: false; message: string; code: string };

/**
 * What acting on a ticket needs: who acts, the services, and the calendar. A chat message's
 * HandlerArgs is one; the web console builds its own (web/server/acting.ts) without a chat message.
 */
export type ActingArgs = Pick<HandlerArgs, 'deps' | 'actor' | 'cal' | 'today'>;

export function tokens(args: ActingArgs, ticketId: number, actions: string[]): Record<string, string> {
  const now = args.deps.now();
  return Object.fromEntries(actions.map((a) => [a, signAction(args.deps.actionSecret, a, ticketId, now)]));
}

export async function info(args: ActingArgs, ticketId: number): Promise<TicketInfo | null> {
  return ticketInfo(args.deps.db, ticketId, args.today, args.cal, args.deps.yellowWorkdays);
}

export async function perform(args: ActingArgs, ticketId: number, action: TicketAction, opts: ActOptions = {}): Promise<Perform> {
  try {
    const r = await actOnTicket(args.deps.db, ticketId, action, args.actor, args.deps.now(), opts);
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

/** Notes on a problem's ticket may repeat the reporter's phone or ID number: shown masked. */
function shown(i: TicketInfo, note: string | null): string | null {
  return note !== null && i.kind === 'PROBLEM' ? maskPersonalData(note) : note;
}

async function tellOthers(args: ActingArgs, action: TicketAction, i: TicketInfo, eventId: number): Promise<void> {
  const n = args.deps.notifier;
  const who = args.actor.name;
  switch (action.type) {
    case 'submit':
      await n.notify({ group: 'BUREAU' }, V.reviewRequest(i, who, shown(i, action.note ?? null), tokens(args, i.id, [ACTIONS.approve, ACTIONS.return])), `review:${i.id}:${eventId}`, i.id);
      return;
    case 'return':
      await n.notify({ unit: i.unitCode }, V.returned(i, who, shown(i, action.reason)!, tokens(args, i.id, [ACTIONS.progress, ACTIONS.evidence])), `returned:${i.id}:${eventId}`, i.id);
      return;
    case 'approve': {
      const done = i.kind === 'PROBLEM'
        ? `✅ 问题整改单 #${i.id}（问题P${i.problemId}，${i.unitName}）已通过省数据局核验，问题销号。${action.note ? `核验意见：${action.note}` : ''}`
        : `✅ 督办单 #${i.id}（${i.unitName}）已审核通过，办结。${action.note ? `审核意见：${action.note}` : ''}`;
      await n.notify({ unit: i.unitCode }, V.text(done), `approved:${i.id}:${eventId}`, i.id);
      return;
    }
    case 'requestExtension':
      await n.notify({ group: 'BUREAU' }, V.extensionRequest(i, who, tokens(args, i.id, [ACTIONS.extensionApprove, ACTIONS.extensionReject])), `extension-request:${i.id}:${eventId}`, i.id);
      return;
    case 'decideExtension':
      await n.notify({ unit: i.unitCode }, V.extensionDecision(i, action.approve, who, action.note ?? null), `extension-decision:${i.id}:${eventId}`, i.id);
      return;
    case 'reassign': {
      const card = (await problemCardFor(args.deps, args.deps.now(), i)) ?? V.ticketAssigned(i, tokens(args, i.id, V.OFFICER_ACTIONS));
      await n.notify({ unit: i.unitCode }, card, `ticket-assigned:${i.id}:${eventId}`, i.id);
      return;
    }
    default:
      return;
  }
}
