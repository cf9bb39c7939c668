/**
 * Files and images sent to the bot become evidence on a ticket: the ticket is named in the
 * accompanying text (#123 or 任务6), or is the sender's only open ticket; otherwise the sender is
 * asked to resend with the number (the bytes are not kept for a guess).
 */
import { isDomainError } from '../../domain/errors.ts';
import { authorize } from '../../domain/access.ts';
import { storeEvidence } from '../services/evidence.ts';
import { ticketInfos, OPEN_STATUSES, type TicketInfo } from '../services/ticket-views.ts';
import * as V from '../views.ts';
import type { InboundAttachment } from '../bot.ts';
import type { HandlerArgs } from '../context.ts';

async function targetTicket(args: HandlerArgs, text: string): Promise<TicketInfo | string> {
  const ticketMatch = /[#＃]\s*(\d+)|督办单\s*(\d+)/.exec(text);
  const taskMatch = /任务\s*(\d+)/.exec(text);
  const scope = args.actor.role === 'BUREAU_ADMIN' || args.actor.role === 'BUREAU_STAFF' ? {} : { unitCode: args.actor.unitCode ?? '-' };
  if (ticketMatch) {
    const id = Number(ticketMatch[1] ?? ticketMatch[2]);
    const [t] = await ticketInfos(args.deps.db, { ...scope, id }, args.today, args.cal, args.deps.yellowWorkdays, 1);
    return t ?? `未找到督办单 #${id}（或不属于本单位）。`;
  }
  const open = await ticketInfos(args.deps.db, { ...scope, status: { in: [...OPEN_STATUSES, 'SUBMITTED'] }, ...(taskMatch ? { milestone: { task: { seq: Number(taskMatch[1]) } } } : {}) }, args.today, args.cal, args.deps.yellowWorkdays, 20);
  if (open.length === 1) return open[0]!;
  if (open.length === 0) return taskMatch ? `任务${taskMatch[1]} 没有本单位待办的督办单。` : '您所在单位没有待办的督办单，无法归档该文件。';
  return `您有 ${open.length} 件待办督办单，请在发送文件时注明督办单编号，例如在说明中写「#${open[0]!.id}」，然后重新发送文件。`;
}

export async function handleAttachment(args: HandlerArgs, attachment: InboundAttachment, text: string): Promise<void> {
  const t = await targetTicket(args, `${text} ${attachment.name}`);
  if (typeof t === 'string') return void (await args.conv.reply(V.text(t), args.key('evidence-where')));
  const denied = authorize(args.actor, 'progress', t.unitCode);
  if (denied) return void (await args.conv.reply(V.text(denied.message), args.key('evidence-denied')));
  try {
    const bytes = await attachment.fetch(args.deps.evidenceMaxBytes + 1);
    const stored = await storeEvidence(
      args.deps.db,
      args.deps.evidenceDir,
      { ticketId: t.id, name: attachment.name, bytes, uploaderId: args.actor.personId, uploaderName: args.actor.name, uploaderRole: args.actor.role },
      args.deps.now(),
      { maxBytes: args.deps.evidenceMaxBytes },
    );
    await args.conv.reply(V.evidenceReceipt(t, stored), args.key('evidence'));
  } catch (e) {
    if (!isDomainError(e)) throw e;
    // A full disk needs an operator; a refused file (type, size) is the sender's to fix.
    args.deps.log[e.code === 'EVIDENCE_DISK_FULL' ? 'error' : 'warn']({ code: e.code, ticketId: t.id }, e.messageEn);
    await args.conv.reply(V.text(e.message), args.key('evidence-refused'));
  }
}
