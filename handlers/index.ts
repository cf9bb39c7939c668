/**
 * The dispatcher: who is talking, then which family handles it. Every platform's messages arrive
 * here in the same normalized shape (handlers/bot.ts).
 */
import type { InboundMessage } from './bot.ts';
import type { HandlerArgs, HandlerDeps } from './context.ts';
import { actorOf, findPerson } from './services/people.ts';
import { loadCalendar } from './services/calendar.ts';
import { shanghaiDate } from '../domain/calendar.ts';
import { handleCommand } from './families/commands.ts';
import { handleCardAction } from './families/card-actions.ts';
import { handleReply } from './families/replies.ts';
import { handleAttachment } from './families/evidence.ts';
import { ticketInfos, OPEN_STATUSES } from './services/ticket-views.ts';
import { tokensFor } from './families/card-actions.ts';
import * as V from './views.ts';

const UNKNOWN_PERSON = '您尚未登记到督办名录，暂时无法办理。请联系省数据局统筹调度处登记您的账号。';

export function createDispatcher(deps: HandlerDeps) {
  return async function dispatch(message: InboundMessage): Promise<void> {
    const conv = deps.conversationFor(message);
    const key = (suffix: string) => `${message.eventKey}:${suffix}`;
    const addressed = message.kind !== 'text' || message.mentionedBot || message.chat.kind === 'direct' || /^\s*[/／]/.test(message.text);
    const person = await findPerson(deps.db, message.sender.platform, message.sender.userId);
    if (!person) {
      if (addressed) await conv.reply(V.text(UNKNOWN_PERSON), key('unknown-person'));
      deps.log.info({ platform: message.sender.platform, userId: message.sender.userId }, 'message from a person not in the directory');
      return;
    }
    const now = deps.now();
    const args: HandlerArgs = { message, person, actor: actorOf(person), conv, deps, cal: await loadCalendar(deps.db), today: shanghaiDate(now), key };

    switch (message.kind) {
      case 'text':
        if (await handleCommand(args, message.text)) return;
        if (addressed) await handleReply(args, message.text);
        return;
      case 'card-action':
        return handleCardAction(args, message.actionToken, message.values);
      case 'attachment':
        return handleAttachment(args, message.attachment, message.text ?? '');
      case 'enter': {
        const open = await ticketInfos(deps.db, { unitCode: person.unitCode ?? '-', status: { in: OPEN_STATUSES } }, args.today, args.cal, deps.yellowWorkdays, 20);
        await conv.reply(V.text(`您好，${person.name}。${open.length ? `您单位有 ${open.length} 件待办督办单：` : '您单位目前没有待办督办单。'}发送 /帮助 查看命令。`), key('greet'));
        if (open.length) await conv.reply(V.mine(open, (t) => tokensFor(args, t)), key('mine'));
      }
    }
  };
}
