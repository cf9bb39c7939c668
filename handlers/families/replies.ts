/**
 * Free-text progress replies ("任务6 进度80% 已完成上线计划表报送") from unit people, in 1:1 chats or
 * in groups with the bot mentioned. Several possible tickets get a chooser card, never a guess.
 */
import { parseProgressReply } from '../../domain/reply/index.ts';
import { ACTIONS } from '../actions.ts';
import { perform, tokens } from '../ticket-flow.ts';
import { ticketInfos, OPEN_STATUSES } from '../services/ticket-views.ts';
import * as V from '../views.ts';
import type { HandlerArgs } from '../context.ts';

const HINT = '如需更新进度，可回复「任务6 进度80% 进展说明」或「#123 进度80%」；发送 /帮助 查看全部命令。';

export async function handleReply(args: HandlerArgs, text: string): Promise<void> {
  const unitPerson = args.actor.role === 'UNIT_OFFICER' || args.actor.role === 'UNIT_LEADER';
  if (!unitPerson) {
    await args.conv.reply(V.text(`您好，${args.actor.name}。发送 /帮助 查看可用的命令。`), args.key('hello'));
    return;
  }
  const open = await ticketInfos(args.deps.db, { unitCode: args.actor.unitCode ?? '-', status: { in: OPEN_STATUSES } }, args.today, args.cal, args.deps.yellowWorkdays, 500);
  const r = parseProgressReply(text, { today: args.today, candidates: open.map((t) => ({ ticketId: t.id, taskSeq: t.taskSeq, status: t.status })) });
  switch (r.kind) {
    case 'progress': {
      const done = await perform(args, r.ticketId, { type: 'progress', percent: r.percent, note: r.note || null });
      const msg = done.ok
        ? `已记录：督办单 #${r.ticketId}（任务${done.info.taskSeq ?? '-'}）进度 ${r.percent}%${r.note ? `，${r.note}` : ''}。${r.percent === 100 ? `如已全部完成，请提交审核：/提交 #${r.ticketId}` : ''}`
        : done.message;
      await args.conv.reply(V.text(msg), args.key('progress'));
      return;
    }
    case 'ambiguous': {
      const list = open.filter((t) => r.candidates.includes(t.id));
      await args.conv.reply(V.chooser(list, r.percent, r.note || null, (t) => tokens(args, t.id, [ACTIONS.chooseTicket])), args.key('choose'));
      return;
    }
    case 'no-open-tickets':
      await args.conv.reply(V.text('您所在单位目前没有待办的督办单，无需填报进度。'), args.key('none'));
      return;
    case 'unknown-ref': {
      const what = r.ref.kind === 'task' ? `任务${r.ref.seq}` : `督办单 #${r.ref.id}`;
      await args.conv.reply(V.text(`${what} 不在您单位的待办督办单中。发送 /我的 查看本单位待办。`), args.key('unknown-ref'));
      return;
    }
    case 'invalid':
      await args.conv.reply(V.text(r.message), args.key('invalid'));
      return;
    case 'not-progress':
      await args.conv.reply(V.text(HINT), args.key('hint'));
  }
}
