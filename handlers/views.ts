/**
 * What handlers say, as platform-neutral messages. Ticket cards come from the card catalogue
 * (cards/); short confirmations are text. Button tokens are signed by the caller (ticket-flow.ts)
 * and passed in keyed by action id; only actions with a token get a button.
 */
import type { OutMessage } from '../cards/types.ts';
import * as C from '../cards/index.ts';
import { ACTIONS, type ActionId } from './actions.ts';
import type { TicketInfo } from './services/ticket-views.ts';
import type { StatusView } from './services/status.ts';
import type { StoredEvidence } from './services/evidence.ts';
import type { TicketStatus } from '../domain/ticket/types.ts';

export type Tokens = Partial<Record<ActionId, string>>;

export const OFFICER_ACTIONS: ActionId[] = [ACTIONS.accept, ACTIONS.progress, ACTIONS.evidence, ACTIONS.submit, ACTIONS.extension, ACTIONS.difficulty, ACTIONS.disclaim];

/** The officer's buttons that make sense in a state (WeCom shows at most six). */
export function officerActionsFor(status: TicketStatus): ActionId[] {
  switch (status) {
    case 'ASSIGNED': return [ACTIONS.accept, ACTIONS.progress, ACTIONS.extension, ACTIONS.difficulty, ACTIONS.disclaim];
    case 'IN_PROGRESS': return [ACTIONS.progress, ACTIONS.evidence, ACTIONS.submit, ACTIONS.extension, ACTIONS.difficulty, ACTIONS.disclaim];
    case 'RETURNED': return [ACTIONS.progress, ACTIONS.evidence, ACTIONS.extension, ACTIONS.difficulty];
    default: return [];
  }
}

export const text = (s: string): OutMessage => ({ type: 'text', text: s });
export const markdown = (title: string, md: string): OutMessage => ({ type: 'markdown', title, markdown: md });
export const help = (s: string): OutMessage => C.helpCard({ text: s });

function buttons(tokens: Tokens, allowed?: ActionId[]): C.Button[] {
  const order = allowed ?? (Object.keys(tokens) as ActionId[]);
  return order.filter((a) => tokens[a]).map((a) => ({ action: a, token: tokens[a]! }));
}

export function ticketAssigned(t: TicketInfo, tokens: Tokens): OutMessage {
  const allowed = tokens.approve ? [ACTIONS.approve, ACTIONS.return] : officerActionsFor(t.status);
  return C.ticketCard({ ticket: t, buttons: buttons(tokens, allowed) });
}

export function cardDone(t: TicketInfo, line: string, tokens: Tokens): OutMessage {
  const allowed = tokens.approve ? [ACTIONS.approve, ACTIONS.return] : officerActionsFor(t.status);
  return C.ticketCard({ ticket: t, buttons: buttons(tokens, allowed), doneLine: line });
}

export const progressForm = (t: TicketInfo, tokens: Tokens): OutMessage => C.progressFormCard({ ticket: t, token: tokens.progress! });
export const extensionForm = (t: TicketInfo, tokens: Tokens): OutMessage => C.extensionFormCard({ ticket: t, token: tokens.extension! });
export const difficultyForm = (t: TicketInfo, tokens: Tokens): OutMessage => C.noteFormCard({ ticket: t, token: tokens.difficulty!, action: ACTIONS.difficulty, title: '反馈困难', label: '遇到的困难', field: 'note', submit: '提交困难反馈' });
export const disclaimForm = (t: TicketInfo, tokens: Tokens): OutMessage => C.noteFormCard({ ticket: t, token: tokens.disclaim!, action: ACTIONS.disclaim, title: '退单（不属于本单位）', label: '退单原因', field: 'reason', submit: '提交退单' });

export const reviewRequest = (t: TicketInfo, who: string, note: string | null, tokens: Tokens): OutMessage =>
  C.reviewCard({ ticket: t, submitter: who, note, approveToken: tokens.approve!, returnToken: tokens.return! });

export const returned = (t: TicketInfo, who: string, reason: string, tokens: Tokens): OutMessage =>
  C.ticketCard({ ticket: t, buttons: buttons(tokens, officerActionsFor(t.status)), notice: `已被退回（${who}）：${reason}` });

export const extensionRequest = (t: TicketInfo, who: string, tokens: Tokens): OutMessage =>
  C.extensionRequestCard({ ticket: t, requester: who, approveToken: tokens.extensionApprove!, rejectToken: tokens.extensionReject! });

export const extensionDecision = (t: TicketInfo, approve: boolean, who: string, note: string | null): OutMessage =>
  text(approve
    ? `✅ 督办单 #${t.id} 的延期申请已获同意（${who}），新的完成时限为 ${t.due}（原定 ${t.originalDue}）。${note ? `说明：${note}` : ''}`
    : `督办单 #${t.id} 的延期申请未获同意（${who}），完成时限仍为 ${t.due}。${note ? `说明：${note}` : ''}`);

export const disclaimRequest = (t: TicketInfo, who: string, units: { code: string; name: string }[], tokens: Tokens): OutMessage =>
  C.disclaimRequestCard({ ticket: t, requester: who, units, reassignToken: tokens.reassign!, confirmToken: tokens.confirmDisclaim! });

export const evidenceReceipt = (t: TicketInfo, e: StoredEvidence): OutMessage => C.evidenceReceiptCard({ ticket: t, evidence: e });

export const status = (s: StatusView): OutMessage => C.statusCard(s);

export const chooser = (list: TicketInfo[], percent: number, note: string | null, tokensOf: (t: TicketInfo) => Tokens): OutMessage =>
  C.chooserCard({ tickets: list.map((t) => ({ ticket: t, token: tokensOf(t).chooseTicket! })), percent, note });

export const mine = (list: TicketInfo[], tokensOf: (t: TicketInfo) => Tokens): OutMessage =>
  C.reminderCard({ heading: `本单位待办督办单（${list.length} 件）`, note: null, tickets: list.map((t) => ({ ticket: t, buttons: buttons(tokensOf(t), officerActionsFor(t.status)).slice(0, 2) })) });

export const reminder = (list: TicketInfo[], note: string | null, heading: string, tokensOf: (t: TicketInfo) => Tokens): OutMessage =>
  C.reminderCard({ heading: `${heading}：${list.length} 件待办督办单`, note, tickets: list.map((t) => ({ ticket: t, buttons: buttons(tokensOf(t), officerActionsFor(t.status)).slice(0, 2) })) });

export const exportReady = (rows: number, url: string): OutMessage => markdown('督办单导出', `已导出 ${rows} 件督办单（Excel）：[点击下载](${url})`);
