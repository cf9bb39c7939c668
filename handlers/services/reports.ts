/** /排名 and /通报: the ranking and the digest, from SQL aggregation and the published score. */
import { rankUnits, type RankedKind } from '../../domain/schedule/ranking.ts';
import { unitStats } from './ranking-stats.ts';
import { openProblemsByUnit, problemBeside, PROBLEM_BESIDE_LINE } from './problem-stats.ts';
import * as V from '../views.ts';
import type { HandlerArgs } from '../context.ts';
import type { OutMessage } from '../../cards/types.ts';

const SCOPES: Record<'全部' | '省直' | '市州', RankedKind[]> = { 全部: ['PROVINCIAL', 'CITY'], 省直: ['PROVINCIAL'], 市州: ['CITY'] };
const KIND_LABEL: Record<RankedKind, string> = { PROVINCIAL: '省直单位', CITY: '市州' };

export async function rankingMarkdown(args: HandlerArgs, scope: '全部' | '省直' | '市州', limit = scope === '全部' ? 10 : Infinity): Promise<string> {
  const [stats, problems] = await Promise.all([unitStats(args.deps.db, args.cal, args.today), openProblemsByUnit(args.deps.db, args.today, args.deps.now())]);
  const ranked = rankUnits(stats);
  const parts: string[] = [];
  for (const kind of SCOPES[scope]) {
    const g = ranked[kind];
    parts.push(`**${KIND_LABEL[kind]}排名**（共 ${g.rows.length} 个单位，截至 ${args.today}）`);
    for (const r of g.rows.slice(0, limit)) {
      parts.push(`${r.rank}. ${r.unitName} ${r.score.toFixed(1)} 分（按时 ${r.parts.onTime}｜完成 ${r.parts.completion}｜逾期 ${r.parts.overdue}｜响应 ${r.parts.response}｜退回 ${r.parts.returns}）${problemBeside(problems.get(r.unitCode))}`);
    }
    if (g.rows.length > limit) parts.push(`……其余 ${g.rows.length - limit} 个单位：发送 /排名 ${kind === 'CITY' ? '市州' : '省直'} 查看全部`);
    if (g.unranked.length) parts.push(`未参与排名（无纳入考核的督办单）：${g.unranked.map((u) => u.unitName).join('、')}`);
    parts.push('');
  }
  parts.push('评分：按时完成 40、完成率 25、逾期 15、响应 10、审核退回 10，满分 100。');
  if (problems.size) parts.push(PROBLEM_BESIDE_LINE);
  return parts.join('\n');
}

export async function rankingReply(args: HandlerArgs, scope: '全部' | '省直' | '市州'): Promise<OutMessage> {
  return V.markdown(`督办排名（${scope}）`, await rankingMarkdown(args, scope));
}

/** /通报: bureau staff publish the digest to the leadership groups; a leader gets it in the chat. */
export async function digestNow(args: HandlerArgs, kind: '周报' | '月报' | '逾期', post: boolean): Promise<void> {
  const now = args.deps.now();
  if (post) {
    const r = await args.deps.digests.publish(kind, now);
    const where = kind === '逾期' ? '统筹调度群' : '领导群';
    await args.conv.reply(
      V.text(r.published ? `已向 ${r.published} 个${where}发送${kind}。` : r.already ? `本时段的${kind}已发送过，未重复发送。` : `没有登记${where}，${kind}未发送（duban group-add 登记）。`),
      args.key('digest-ack'),
    );
    return;
  }
  const messages = await args.deps.digests.build(kind, now);
  for (const [i, m] of messages.entries()) await args.conv.reply(m, args.key(`digest-${i}`));
}
