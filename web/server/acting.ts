/**
 * Review actions from the web console, through the same services as chat: `perform` (the state
 * machine, the TicketEvent, the card to the unit) and `chaseTickets`. The web user is the actor
 * (name and role in the event, the account in its data); no chat message is involved.
 * The page sends the ticket version it shows; an older one is refused (TICKET_STALE).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { shanghaiDate } from '../../domain/calendar.ts';
import { isDomainError } from '../../domain/errors.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';
import { staleVersion } from '../../handlers/services/tickets.ts';
import { chaseTickets } from '../../handlers/services/chase.ts';
import { info, perform, type ActingArgs } from '../../handlers/ticket-flow.ts';
import { actorOf } from './auth.ts';
import type { WebDeps } from './deps.ts';
import type { WebUser } from './sessions.ts';

const version = z.number({ message: '缺少督办单版本号，请刷新页面后重试' }).int().min(0);
const note = z.string().trim().max(500, '说明最多 500 字').optional();

export const reviewAction = z.discriminatedUnion(
  'action',
  [
    z.object({ action: z.literal('approve'), version, note }),
    z.object({ action: z.literal('return'), version, reason: z.string({ message: '退回须填写原因' }).trim().min(1, '退回须填写原因').max(500, '原因最多 500 字') }),
    z.object({ action: z.literal('decideExtension'), version, approve: z.boolean({ message: '请选择同意或不同意' }), note }),
    z.object({ action: z.literal('chase'), version, note }),
  ],
  { message: '操作应为 approve（通过）、return（退回）、decideExtension（延期审批）或 chase（催办）' },
);

export type ReviewAction = z.infer<typeof reviewAction>;

export const REVIEW_LABELS: Record<ReviewAction['action'], string> = { approve: '审核通过', return: '退回', decideExtension: '延期审批', chase: '催办' };

/** The acting context of a web user: the handlers' services, the user as the domain's Actor, today's calendar. */
export async function actingArgs(deps: WebDeps, user: WebUser): Promise<ActingArgs> {
  const cal = await loadCalendar(deps.db);
  return { deps: deps.handlers, actor: actorOf(user), cal, today: shanghaiDate(deps.handlers.now()) };
}

/** What goes into each event's data so the audit trail names the web account. */
export function webVia(user: WebUser): Record<string, unknown> {
  return { channel: 'web', userId: user.id, username: user.username };
}

export type ActOutcome = { ok: true; message: string } | { ok: false; status: number; code: string; message: string };

const STATUS_OF: Record<string, number> = { FORBIDDEN: 403, TICKET_NOT_FOUND: 404, TICKET_STALE: 409, TICKET_CONCURRENT: 409 };

export async function actFromWeb(deps: WebDeps, user: WebUser, ticketId: number, a: ReviewAction): Promise<ActOutcome> {
  const args = await actingArgs(deps, user);
  const via = webVia(user);
  if (a.action === 'chase') {
    const current = await deps.db.prisma.ticket.findUnique({ where: { id: ticketId }, select: { version: true } });
    if (!current) return { ok: false, status: 404, code: 'TICKET_NOT_FOUND', message: `未找到督办单 #${ticketId}。` };
    if (current.version !== a.version) {
      const e = staleVersion(ticketId, a.version, current.version);
      return { ok: false, status: 409, code: e.code, message: e.message };
    }
    const t = (await info(args, ticketId))!;
    try {
      await chaseTickets(args, [t], a.note || null, `web:${ticketId}:${randomUUID()}`, via);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      return { ok: false, status: STATUS_OF[e.code] ?? 409, code: e.code, message: e.message };
    }
    return { ok: true, message: `已向${t.unitName}催办督办单 #${ticketId}。` };
  }
  const action =
    a.action === 'approve' ? { type: 'approve' as const, note: a.note || null }
    : a.action === 'return' ? { type: 'return' as const, reason: a.reason }
    : { type: 'decideExtension' as const, approve: a.approve, note: a.note || null };
  const r = await perform(args, ticketId, action, { expectedVersion: a.version, via });
  if (!r.ok) return { ok: false, status: STATUS_OF[r.code] ?? 409, code: r.code, message: r.message };
  const done =
    a.action === 'approve' ? `督办单 #${ticketId} 已审核通过，办结。`
    : a.action === 'return' ? `督办单 #${ticketId} 已退回${r.info.unitName}：${a.reason}`
    : a.approve ? `已同意延期，新的完成时限为 ${r.info.due}。` : '已不同意延期申请。';
  return { ok: true, message: done };
}
