/**
 * Platform-neutral messages, the Adaptive Card shape the catalogue produces, the action ids shared
 * by cards and handlers, and the small view types cards display. Callers compute everything
 * (working days, traffic lights, signed tokens); cards only arrange it.
 */
import type { ISODate } from '../domain/plan/types.ts';

/** Button action ids. A card's Action.Submit carries `{ action, token }`; the handler switches on `action`. */
export const ACTIONS = {
  accept: 'accept', // 签收
  progress: 'progress', // 更新进度
  evidence: 'evidence', // 提交佐证
  submit: 'submit', // 提交审核
  extension: 'extension', // 申请延期
  difficulty: 'difficulty', // 反馈困难
  disclaim: 'disclaim', // 退单（不属于本单位）
  approve: 'approve', // 通过
  return: 'return', // 退回
  extensionApprove: 'extensionApprove',
  extensionReject: 'extensionReject',
  reassign: 'reassign', // 改派
  confirmDisclaim: 'confirmDisclaim', // 维持原单位
  chooseTicket: 'chooseTicket', // 歧义回复时选定督办单
  routeProblem: 'routeProblem', // 问题：交由某单位办理（单位在签名令牌中）
  dismissProblem: 'dismissProblem', // 问题：不予受理
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];

// ---- Adaptive Card (schema 1.5) as JSON: the subset the catalogue emits and renderers read ----

export type AcElement = { type: string; id?: string; [key: string]: unknown };

/**
 * What a button sends back. `command` is the complete text command that does the same thing ('' when
 * there is none, or when the action needs typed input); `hint` tells a person how to do it by text.
 * Renderers for platforms without callbacks or inputs use them; handlers only read `action`/`token`.
 */
export interface SubmitData {
  action: ActionId;
  token: string;
  command: string;
  hint: string;
  [key: string]: unknown;
}

export type AcAction =
  | {
      type: 'Action.Submit';
      title: string;
      data: SubmitData;
      style?: 'default' | 'positive' | 'destructive';
      /** 'none' = the click does not need the card's inputs (通过 next to 退回 with a required reason). */
      associatedInputs?: 'auto' | 'none';
    }
  | { type: 'Action.OpenUrl'; title: string; url: string; style?: 'default' | 'positive' | 'destructive' };

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: '1.5';
  $schema?: string;
  body: AcElement[];
  actions?: AcAction[];
}

export type CardName =
  | 'ticket'
  | 'reminder'
  | 'progress-form'
  | 'extension-form'
  | 'note-form'
  | 'evidence-receipt'
  | 'review-request'
  | 'extension-request'
  | 'extension-decision'
  | 'disclaim-request'
  | 'status'
  | 'help'
  | 'ticket-chooser'
  | 'problem-assigned'
  | 'problem-route';

export type OutMessage =
  | { type: 'text'; text: string }
  | { type: 'markdown'; title: string; markdown: string }
  | { type: 'card'; name: CardName; card: AdaptiveCard; fallbackText: string }
  | ({ type: 'image'; title: string; alt: string } & ({ pngBase64: string; url?: undefined } | { url: string; pngBase64?: undefined }));

export type CardMessage = Extract<OutMessage, { type: 'card' }>;

// ---- View data: what callers hand to the catalogue ----

export type TicketStatusView = 'ASSIGNED' | 'IN_PROGRESS' | 'SUBMITTED' | 'RETURNED' | 'DONE';
export type Light = 'GREEN' | 'YELLOW' | 'RED';

export interface TicketView {
  id: number;
  /** PROBLEM: a problem-rectification ticket (问题整改单); absent or PLAN: a plan ticket (督办单). */
  kind?: 'PLAN' | 'PROBLEM' | 'RETURN';
  /** Task number as printed in the plan (null for problem tickets). */
  taskSeq: number | null;
  category: string | null;
  /** Milestone text ("2026年6月底前，完成…"), or the ticket title for problem tickets. */
  milestone: string;
  unitName: string;
  due: ISODate;
  /** Set when an extension moved `due`. */
  originalDue?: ISODate | null;
  /** Working days from today to `due` (0 = due today, negative = overdue), computed by the caller. */
  workdaysLeft: number;
  light: Light;
  status: TicketStatusView;
  /** Percent done, 0–100. */
  progress: number;
  assignee?: string | null;
}

/** A button the caller allows, with the token it signed for it. Cards never sign. */
export interface Button {
  action: ActionId;
  token: string;
}

export interface EvidenceView {
  name: string;
  size: number;
  sha256: string;
  /** The same file was already on record for this ticket. */
  duplicate?: boolean;
}

export interface UnitChoice {
  code: string;
  name: string;
}

export interface HelpEntry {
  usage: string;
  description: string;
}
