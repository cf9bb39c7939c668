/**
 * Outbox payloads are either a finished message (`{ message }`) or a reference rendered at delivery
 * time (`{ card: 'ticket-assigned', ticketId }`), so that a card queued in bulk shows the ticket as
 * it is when it goes out (working days left, traffic light, buttons for its current state).
 */
import type { Database } from '../../prisma/client.ts';
import type { OutMessage } from '../../cards/types.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import { loadCalendar } from './calendar.ts';
import { ticketInfo } from './ticket-views.ts';
import { signAction } from '../action-token.ts';
import * as V from '../views.ts';

export interface MaterializeDeps {
  db: Database;
  now: () => Date;
  actionSecret: string;
  yellowWorkdays: number;
}

export class PayloadError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

export function materializer(deps: MaterializeDeps) {
  return async function materialize(payload: unknown): Promise<OutMessage> {
    const p = payload as { message?: OutMessage; card?: string; ticketId?: number };
    if (p?.message) return p.message;
    if (p?.card === 'ticket-assigned' && typeof p.ticketId === 'number') {
      const now = deps.now();
      const today = shanghaiDate(now);
      const info = await ticketInfo(deps.db, p.ticketId, today, await loadCalendar(deps.db), deps.yellowWorkdays);
      if (!info) throw new PayloadError(`ticket ${p.ticketId} no longer exists`, true);
      const actions = V.officerActionsFor(info.status);
      const tokens = Object.fromEntries(actions.map((a) => [a, signAction(deps.actionSecret, a, info.id, now)]));
      return V.ticketAssigned(info, tokens);
    }
    throw new PayloadError(`unknown outbox payload: ${JSON.stringify(payload).slice(0, 80)}`, true);
  };
}
