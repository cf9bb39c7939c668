/** Ticket (督办单) states, actions and the shape of a decision. */
import type { DomainError } from '../errors.ts';
import type { ISODate } from '../plan/types.ts';

export const TICKET_STATUSES = ['ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED', 'DONE'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  ASSIGNED: '待签收',
  IN_PROGRESS: '办理中',
  SUBMITTED: '待审核',
  RETURNED: '已退回',
  DONE: '已办结',
};

export type TicketKind = 'PLAN' | 'PROBLEM' | 'RETURN';

export interface PendingExtension {
  newDue: ISODate;
  reason: string;
}

export interface TicketSnapshot {
  id: number;
  kind: TicketKind;
  unitCode: string;
  status: TicketStatus;
  /** Percent done, integer 0–100. */
  progress: number;
  due: ISODate;
  /** The first due date ever; extensions never change it. */
  originalDue: ISODate;
  pendingExtension: PendingExtension | null;
}

export type TicketAction =
  | { type: 'accept' }
  | { type: 'progress'; percent: number; note?: string | null }
  | { type: 'submit'; note?: string | null }
  | { type: 'approve'; note?: string | null }
  | { type: 'return'; reason: string }
  | { type: 'resume'; note?: string | null }
  | { type: 'requestExtension'; newDue: ISODate; reason: string }
  | { type: 'decideExtension'; approve: boolean; note?: string | null }
  | { type: 'reassign'; unitCode: string; note?: string | null };

export type TicketActionType = TicketAction['type'];

export const TICKET_ACTION_TYPES: readonly TicketActionType[] = [
  'accept',
  'progress',
  'submit',
  'approve',
  'return',
  'resume',
  'requestExtension',
  'decideExtension',
  'reassign',
];

export const TICKET_ACTION_LABELS: Readonly<Record<TicketActionType, string>> = {
  accept: '签收',
  progress: '更新进度',
  submit: '提交审核',
  approve: '审核通过',
  return: '退回',
  resume: '恢复办理',
  requestExtension: '申请延期',
  decideExtension: '审批延期',
  reassign: '改派',
};

/** Fields of the snapshot a decision changes (the store writes them in one update). `decide` never
 * sets `originalDue`: it is the first due date ever and stays as it was. */
export type TicketPatch = Partial<Omit<TicketSnapshot, 'id' | 'kind'>>;

/** One TicketEvent row (the store adds ticket id, actor and time). */
export interface TicketEventDraft {
  type: TicketActionType;
  from: TicketStatus;
  to: TicketStatus;
  note: string | null;
  /** JSON-serialisable details: percent, new due date, previous unit, … */
  data: Record<string, unknown>;
}

export type TicketDecision =
  | { ok: true; patch: TicketPatch; event: TicketEventDraft }
  | { ok: false; error: DomainError };
