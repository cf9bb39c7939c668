/**
 * The ticket state machine: given a snapshot, an action and who acts, say what changes — or why not.
 *
 *   ASSIGNED ─accept/progress─▶ IN_PROGRESS ─submit─▶ SUBMITTED ─approve─▶ DONE
 *                                   ▲                    │
 *                                   └─resume/progress── RETURNED ◀─return─┘
 *   reassign (any state but DONE) → ASSIGNED with the new unit, progress 0, pending extension dropped.
 *   requestExtension / decideExtension (any state but DONE) leave the status as it is.
 *
 * Checks run in this order: the action is known, the actor may do it (access.ts), the status allows
 * it, then the action's own fields. `decide` never mutates its arguments.
 */
import { authorize, type Actor, type UnitNameLookup } from '../access.ts';
import { isISODate } from '../calendar.ts';
import { DomainError } from '../errors.ts';
import type { ISODate } from '../plan/types.ts';
import {
  TICKET_ACTION_LABELS,
  TICKET_ACTION_TYPES,
  TICKET_STATUS_LABELS,
  type TicketAction,
  type TicketActionType,
  type TicketDecision,
  type TicketEventDraft,
  type TicketPatch,
  type TicketSnapshot,
  type TicketStatus,
} from './types.ts';

export type * from './types.ts';
export { TICKET_ACTION_LABELS, TICKET_ACTION_TYPES, TICKET_STATUSES, TICKET_STATUS_LABELS } from './types.ts';

const NOT_DONE: readonly TicketStatus[] = ['ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED'];

/** The statuses in which each action is legal. */
export const ALLOWED_FROM: Readonly<Record<TicketActionType, readonly TicketStatus[]>> = {
  accept: ['ASSIGNED'],
  progress: ['ASSIGNED', 'IN_PROGRESS', 'RETURNED'],
  submit: ['IN_PROGRESS'],
  approve: ['SUBMITTED'],
  return: ['SUBMITTED'],
  resume: ['RETURNED'],
  requestExtension: NOT_DONE,
  decideExtension: NOT_DONE,
  reassign: NOT_DONE,
};

export interface DecideOptions {
  /** Unit names for messages ("省公安厅" instead of "p-gongan"). */
  unitName?: UnitNameLookup;
}

export function decide(
  ticket: TicketSnapshot,
  action: TicketAction,
  actor: Actor,
  today: ISODate,
  options: DecideOptions = {},
): TicketDecision {
  const type = action?.type;
  if (!TICKET_ACTION_TYPES.includes(type)) {
    return refuse('TICKET_UNKNOWN_ACTION', `无法识别的操作「${String(type)}」。`, `unknown ticket action ${JSON.stringify(type)}`);
  }
  const denied = authorize(actor, type, ticket.unitCode, options.unitName);
  if (denied) return { ok: false, error: denied };
  if (!ALLOWED_FROM[type].includes(ticket.status)) {
    return refuse(
      'TICKET_ILLEGAL_TRANSITION',
      `该督办单当前状态为「${TICKET_STATUS_LABELS[ticket.status] ?? ticket.status}」，不能执行「${TICKET_ACTION_LABELS[type]}」。`,
      `ticket ${ticket.id}: ${type} is not allowed in status ${ticket.status}`,
      { ticketId: ticket.id, status: ticket.status, action: type, allowedFrom: ALLOWED_FROM[type] },
    );
  }
  return apply(ticket, action, today);
}

/** Actions whose buttons make sense for this actor now (state, role and pending extension). */
export function availableActions(ticket: TicketSnapshot, actor: Actor, options: DecideOptions = {}): TicketActionType[] {
  return TICKET_ACTION_TYPES.filter((type) => {
    if (!ALLOWED_FROM[type].includes(ticket.status)) return false;
    if (authorize(actor, type, ticket.unitCode, options.unitName)) return false;
    if (type === 'requestExtension') return ticket.pendingExtension === null;
    if (type === 'decideExtension') return ticket.pendingExtension !== null;
    return true;
  });
}

function apply(t: TicketSnapshot, action: TicketAction, today: ISODate): TicketDecision {
  switch (action.type) {
    case 'accept':
      return done(t, { status: 'IN_PROGRESS' }, 'accept', null, {});

    case 'progress': {
      const { percent } = action;
      const note = clean(action.note);
      if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
        return refuse('TICKET_BAD_PERCENT', `进度须为 0 到 100 之间的整数（收到「${String(percent)}」）。`, `percent must be an integer 0-100, got ${JSON.stringify(percent)}`, { percent });
      }
      if (percent < t.progress && !note) {
        return refuse(
          'TICKET_REASON_REQUIRED',
          `进度从 ${t.progress}% 下调为 ${percent}% 时须填写说明。`,
          `lowering progress ${t.progress} -> ${percent} needs a note`,
          { percent, previousPercent: t.progress },
        );
      }
      const data: Record<string, unknown> = { percent, previousPercent: t.progress };
      if (t.status === 'ASSIGNED') data.accepted = true;
      if (t.status === 'RETURNED') data.resumed = true;
      return done(t, { status: 'IN_PROGRESS', progress: percent }, 'progress', note, data);
    }

    case 'submit':
      return done(t, { status: 'SUBMITTED', progress: 100 }, 'submit', clean(action.note), { percent: 100, previousPercent: t.progress });

    case 'approve': {
      const data: Record<string, unknown> = {};
      const patch: TicketPatch = { status: 'DONE' };
      if (t.pendingExtension) {
        patch.pendingExtension = null;
        data.droppedExtension = { ...t.pendingExtension };
      }
      return done(t, patch, 'approve', clean(action.note), data);
    }

    case 'return': {
      const reason = clean(action.reason);
      if (!reason) return refuse('TICKET_REASON_REQUIRED', '退回督办单须填写退回原因。', 'return needs a non-blank reason');
      return done(t, { status: 'RETURNED' }, 'return', reason, { reason });
    }

    case 'resume':
      return done(t, { status: 'IN_PROGRESS' }, 'resume', clean(action.note), {});

    case 'requestExtension':
      return requestExtension(t, action.newDue, clean(action.reason), today);

    case 'decideExtension': {
      const pending = t.pendingExtension;
      if (!pending) {
        return refuse('TICKET_BAD_EXTENSION', '该督办单没有待审批的延期申请。', `ticket ${t.id} has no pending extension request`);
      }
      const data = { approved: action.approve === true, newDue: pending.newDue, reason: pending.reason, previousDue: t.due };
      const patch: TicketPatch = action.approve === true ? { due: pending.newDue, pendingExtension: null } : { pendingExtension: null };
      return done(t, patch, 'decideExtension', clean(action.note), data);
    }

    case 'reassign': {
      const unitCode = clean(action.unitCode);
      if (!unitCode || unitCode === t.unitCode) {
        return refuse(
          'TICKET_BAD_REASSIGN',
          unitCode ? '改派的单位与当前承办单位相同。' : '改派须指定新的承办单位。',
          unitCode ? `reassign to the same unit ${unitCode}` : 'reassign needs a unit code',
          { unitCode: action.unitCode },
        );
      }
      const data: Record<string, unknown> = { fromUnit: t.unitCode, toUnit: unitCode, previousProgress: t.progress };
      if (t.pendingExtension) data.droppedExtension = { ...t.pendingExtension };
      return done(t, { unitCode, status: 'ASSIGNED', progress: 0, pendingExtension: null }, 'reassign', clean(action.note), data);
    }
  }
}

function requestExtension(t: TicketSnapshot, newDue: ISODate, reason: string | null, today: ISODate): TicketDecision {
  if (t.pendingExtension) {
    return refuse(
      'TICKET_BAD_EXTENSION',
      `该督办单已有待审批的延期申请（申请延至 ${t.pendingExtension.newDue}），请等待审批后再申请。`,
      `ticket ${t.id} already has a pending extension to ${t.pendingExtension.newDue}`,
    );
  }
  if (!reason) return refuse('TICKET_REASON_REQUIRED', '申请延期须填写延期理由。', 'extension request needs a non-blank reason');
  if (!isISODate(newDue)) {
    return refuse('TICKET_BAD_EXTENSION', `延期后的完成时限「${String(newDue)}」格式不正确，应为 YYYY-MM-DD。`, `bad extension date ${JSON.stringify(newDue)}`);
  }
  if (newDue <= t.due) {
    return refuse(
      'TICKET_BAD_EXTENSION',
      `延期后的完成时限（${newDue}）须晚于当前完成时限（${t.due}）。`,
      `extension date ${newDue} is not after the due date ${t.due}`,
      { newDue, due: t.due },
    );
  }
  if (isISODate(today) && newDue < today) {
    return refuse(
      'TICKET_BAD_EXTENSION',
      `延期后的完成时限（${newDue}）不能早于今天（${today}）。`,
      `extension date ${newDue} is before today ${today}`,
      { newDue, today },
    );
  }
  return done(t, { pendingExtension: { newDue, reason } }, 'requestExtension', reason, { newDue, due: t.due, reason });
}

function done(t: TicketSnapshot, patch: TicketPatch, type: TicketActionType, note: string | null, data: Record<string, unknown>): TicketDecision {
  const event: TicketEventDraft = { type, from: t.status, to: patch.status ?? t.status, note, data };
  return { ok: true, patch, event };
}

function refuse(code: string, zh: string, en: string, details?: Record<string, unknown>): TicketDecision {
  return { ok: false, error: new DomainError(code, zh, en, details) };
}

/** Trimmed text, or null when absent or blank. */
function clean(s: unknown): string | null {
  if (typeof s !== 'string') return null;
  const t = s.trim();
  return t === '' ? null : t;
}
