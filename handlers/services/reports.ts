/** /排名 and /通报: the ranking and the digest, from SQL aggregation and the published score. */
import { rankUnits, type RankedKind } from '../../domain/schedule/ranking.ts';
import { unitStats } from './ranking-stats.ts';
import { statusSummary } from './status.ts';
import * as V from '../views.ts';
import type { HandlerArgs } from '../context.ts';
import type { OutMessage } from '../../cards/types.ts';

const SCOPES: Record<'全部' | '省直' | '市州', RankedKind[]> = { 全部: ['PROVINCIAL', 'CITY'], 省直: ['PROVINCIAL'], 市州: ['CITY'] };
const KIND_LABEL: Record<RankedKind, string> = { PROVINCIAL: '省直单位', CITY: '市州' };

export async function rankingMarkdown(args: HandlerArgs, scope: '全部' | '省直' | '市州', limit = 10): Promise<string> {
  const ranked = rankUnits(await unitStats(args.deps.db, args.cal, args.today));
  const parts: string[] = [];
  for (const kind of SCOPES[scope]) {
    const g = ranked[kind];
    parts.push(`**${KIND_LABEL[kind]}排名**（共 ${g.rows.length} 个单位，截至 ${args.today}）`);
    for (const r of g.rows.slice(0, limit)) {
      parts.push(`${r.rank}. ${r.unitName} ${r.score.toFixed(1)} 分（按时 ${r.parts.onTime}｜完成 ${r.parts.completion}｜逾期 ${r.parts.overdue}｜响应 ${r.parts.response}｜退回 ${r.parts.returns}）`);
    }
    if (g.rows.length > limit) parts.push(`……其余 ${g.rows.length - limit} 个单位见控制台排名页`);
    if (g.unranked.length) parts.push(`未纳入排名（无督办单）：${g.unranked.map((u) => u.unitName).join('、')}`);
    parts.push('');
  }
  parts.push('评分：按时完成 40、完成率 25、逾期 15、响应 10、审核退回 10，满分 100。');
  return parts.join('\n');
}

export async function rankingReply(args: HandlerArgs, scope: '全部' | '省直' | '市州'): Promise<OutMessage> {
  return V.markdown(`督办排名（${scope}）`, await rankingMarkdown(args, scope));
}

/** Posts a digest now: bureau staff to the leadership groups (and a confirmation here); a leader gets it here. */
export async function digestNow(args: HandlerArgs, kind: '周报' | '月报' | '逾期', post: boolean): Promise<void> {
  const s = await statusSummary(args, null);
  const lines: string[] = [];
  if (typeof s === 'string') lines.push(s);
  else {
    lines.push(`截至 ${args.today}：督办单 ${s.total} 件，办结率 ${s.completion}%，逾期 ${s.overdue} 件。`);
    lines.push(s.counts.map((c) => `${c.label} ${c.count}`).join('｜'));
    if (s.overdueList.length) {
      lines.push('', '**逾期事项（前 5 件）**');
      for (const t of s.overdueList) lines.push(`- #${t.id} ${t.unitName}：任务${t.taskSeq ?? '-'}，时限 ${t.due}，已逾期 ${-t.workdaysLeft} 个工作日`);
    }
  }
  if (kind !== '逾期') lines.push('', await rankingMarkdown(args, '全部', 5));
  const message = V.markdown(`“湘易办”提升工作${kind === '逾期' ? '逾期清单' : kind}（${args.today}）`, lines.join('\n'));
  if (post) {
    await args.deps.notifier.notify({ group: 'LEADERSHIP' }, message, `digest-now:${kind}:${args.key('')}`);
    await args.conv.reply(V.text(`已向领导群发送${kind}。`), args.key('digest-ack'));
  } else {
    await args.conv.reply(message, args.key('digest'));
  }
}
