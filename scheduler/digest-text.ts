/**
 * The words of a digest (Chinese, for leaders and the bureau). Every number printed comes from
 * DigestFigures; each markdown message stays under the platforms' 4096-byte markdown limit by
 * packing sections into several messages and shortening long lists with a pointer to the console.
 */
import { TICKET_STATUSES, TICKET_STATUS_LABELS } from '../domain/ticket/types.ts';
import { RANKING_WEIGHTS, type RankedKind, type RankedUnit, type TrendRow, type UnitStats } from '../domain/schedule/ranking.ts';
import { shanghaiParts } from '../domain/calendar.ts';
import { utf8Bytes } from '../cards/render/truncate.ts';
import type { AtRiskTicket, DigestFigures } from './digest-figures.ts';
import { problemBeside, PROBLEM_BESIDE_LINE, type ProblemTotals, type ProblemUnitStats } from '../handlers/services/problem-stats.ts';

export type DigestKind = 'WEEKLY' | 'MONTHLY' | 'DAILY_OVERDUE';

export const DIGEST_NAMES: Readonly<Record<DigestKind, string>> = {
  WEEKLY: '督办工作周报',
  MONTHLY: '督办工作月报',
  DAILY_OVERDUE: '逾期督办单日报',
};

const KIND_LABEL: Record<RankedKind, string> = { PROVINCIAL: '省直单位', CITY: '市州' };
/** Under the platforms' 4096-byte markdown cap, with room for a renderer's title line. */
export const MAX_MESSAGE_BYTES = 3800;
const MAX_TEXT_CHARS = 30;

export const ON_DEMAND_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** '2026-W26' → '2026年第26周', '2026-06' → '2026年6月', on-demand '2026-06-22T10:15' → '2026-06-22 10:15 即时生成'. */
export function periodText(label: string): string {
  let m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (m) return `${m[1]}年第${Number(m[2])}周`;
  m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  if (ON_DEMAND_RE.test(label)) return `${label.replace('T', ' ')} 即时生成`;
  return label;
}

export function digestTitle(kind: DigestKind, period: string, late: boolean): string {
  return `${DIGEST_NAMES[kind]}（${periodText(period)}）${late ? '（补发）' : ''}`;
}

function clock(now: Date): string {
  const p = shanghaiParts(now);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

function clip(s: string, max = MAX_TEXT_CHARS): string {
  const chars = [...s.replace(/\s+/g, ' ')];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}

export function riskLine(t: AtRiskTicket, i: number): string {
  const task = t.taskSeq === null ? '' : `任务${t.taskSeq}：`;
  const when = t.light === 'RED'
    ? (t.workdays > 0 ? `已逾期 ${t.workdays} 个工作日` : '已过时限（逾期工作日自下一工作日起计）')
    : t.workdays === 0 ? '今日到期' : `剩余 ${t.workdays} 个工作日`;
  return `${i + 1}. ${t.light === 'RED' ? '🔴' : '🟡'} #${t.id} ${t.unitName}｜${task}${clip(t.text)}｜时限 ${t.due}｜${when}｜${TICKET_STATUS_LABELS[t.status]}`;
}

function overview(f: DigestFigures): string[] {
  return [
    `- 督办单共 ${f.total} 件，已办结 ${f.done} 件，办结率 ${f.completionRate.toFixed(1)}%`,
    `- 按状态：${TICKET_STATUSES.map((s) => `${TICKET_STATUS_LABELS[s]} ${f.byStatus[s]} 件`).join('｜')}`,
    `- 🔴 逾期未办结 ${f.red} 件；🟡 ${f.yellowWorkdays} 个工作日内到期（未提交）${f.yellow} 件`,
    `- ${windowText(f)} 新办结 ${f.newlyDone} 件`,
  ];
}

function windowText(f: DigestFigures): string {
  return f.window.firstDay === f.window.lastDay ? f.window.firstDay : `${f.window.firstDay} 至 ${f.window.lastDay}`;
}

/** The figures part of a weekly or monthly digest. */
export function summaryMarkdown(title: string, f: DigestFigures, now: Date, late: boolean): string {
  const lines = [`**${title}**`, `统计截至 ${f.asOf}（${clock(now)} 生成）`];
  if (late) lines.push('> 本期通报因系统停机未能按时发送，现予补发，数据统计至补发时。');
  lines.push('', '**总体情况**', ...overview(f));
  const atRisk = f.red + f.yellow;
  if (f.atRisk.length) {
    lines.push('', `**风险事项**（共 ${atRisk} 件，列出前 ${f.atRisk.length} 件：逾期在前、临期在后）`, ...f.atRisk.map(riskLine));
  } else {
    lines.push('', '**风险事项**：无逾期或临期督办单。');
  }
  return fit(lines, MAX_MESSAGE_BYTES).join('\n');
}

/** The daily overdue list for the bureau. */
export function overdueMarkdown(title: string, f: DigestFigures, now: Date, late: boolean): string {
  const lines = [`**${title}**`, `统计截至 ${f.asOf}（${clock(now)} 生成）`];
  if (late) lines.push('> 本期清单因系统停机未能按时发送，现予补发。');
  lines.push(
    '',
    `- 逾期未办结督办单 ${f.red} 件（督办单共 ${f.total} 件，办结率 ${f.completionRate.toFixed(1)}%）`,
    `- ${windowText(f)} 办结 ${f.newlyDone} 件`,
  );
  if (f.redByUnit.length) lines.push('', '**逾期单位**（按逾期件数）', ...f.redByUnit.map((u) => `- ${u.unitName} ${u.count} 件`));
  const red = f.atRisk.filter((t) => t.light === 'RED');
  if (red.length) lines.push('', `**逾期事项**（列出逾期最久的 ${red.length} 件）`, ...red.map(riskLine));
  else lines.push('', '目前没有逾期未办结的督办单。');
  return fit(lines, MAX_MESSAGE_BYTES).join('\n');
}

function trendText(r: TrendRow<RankedUnit>): string {
  if (r.arrow === '新') return '新';
  if (r.delta === 0 || r.delta === null) return '—';
  return `${r.arrow}${Math.abs(r.delta)}`;
}

export interface RankingSection {
  kind: RankedKind;
  rows: TrendRow<RankedUnit>[];
  unranked: UnitStats[];
}

function rankingLines(s: RankingSection, asOf: string, problems?: ReadonlyMap<string, ProblemUnitStats>): string[] {
  const tied = (r: TrendRow<RankedUnit>) => s.rows.filter((x) => x.rank === r.rank).length > 1;
  const lines = [`**${KIND_LABEL[s.kind]}排名**（截至 ${asOf}，${s.rows.length} 个单位参与排名；名次后为较上期变化）`];
  for (const r of s.rows) {
    lines.push(`${r.rank}. ${r.unitName} ${r.score.toFixed(1)} 分${tied(r) ? '（并列）' : ''} ${trendText(r)}${problemBeside(problems?.get(r.unitCode))}`);
  }
  if (s.rows.length === 0) lines.push('暂无参与排名的单位。');
  if (s.unranked.length) lines.push(`未参与排名（无纳入考核的督办单）：${s.unranked.map((u) => u.unitName).join('、')}`);
  return lines;
}

const W = RANKING_WEIGHTS;
export const RULES_LINE =
  `评分：按时完成率 ${W.onTime} 分、完成率 ${W.completion} 分、逾期扣分 ${W.overdue} 分、响应速度 ${W.response} 分、审核退回 ${W.returns} 分，满分 100 分；` +
  '得分相同依次比较按时完成率、逾期工作日合计，均相同者并列。完整规则见控制台排名页。';


/** Keeps the first lines within the byte budget, saying how many were left out. */
export function fit(lines: string[], budget: number, where = '控制台'): string[] {
  if (utf8Bytes(lines.join('\n')) <= budget) return lines;
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const rest = lines.length - i;
    const tail = `……其余 ${rest} 行见${where}`;
    const add = utf8Bytes(lines[i]!) + 1;
    if (used + add + utf8Bytes(tail) > budget) {
      out.push(tail);
      break;
    }
    out.push(lines[i]!);
    used += add;
  }
  return out;
}

/** Ranking sections packed into as few markdown messages as fit, the rules line last. */
export function rankingMessages(sections: RankingSection[], asOf: string, problems?: ReadonlyMap<string, ProblemUnitStats>): string[] {
  const beside = problems !== undefined && [...problems.values()].some((p) => p.open > 0);
  const rules = beside ? `${RULES_LINE}\n${PROBLEM_BESIDE_LINE}` : RULES_LINE;
  const blocks = sections.map((s) => fit(rankingLines(s, asOf, problems), MAX_MESSAGE_BYTES - utf8Bytes(rules) - 2, '控制台排名页').join('\n'));
  blocks.push(rules);
  const messages: string[] = [];
  for (const b of blocks) {
    const last = messages[messages.length - 1];
    if (last !== undefined && utf8Bytes(`${last}\n\n${b}`) <= MAX_MESSAGE_BYTES) messages[messages.length - 1] = `${last}\n\n${b}`;
    else messages.push(b);
  }
  return messages;
}

export interface ProblemSection {
  totals: ProblemTotals;
  byUnit: ProblemUnitStats[];
  window: { firstDay: string; lastDay: string };
}

/** Units with open problems listed in the 问题整改 section. */
export const PROBLEM_TOP_UNITS = 10;

const rateText = (r: number | null): string => (r === null ? '—（本期无销号）' : `${r.toFixed(1)}%`);

/** The 问题整改 section: counts and unit names only — no description, contact or other personal data. */
export function problemMarkdown(title: string, s: ProblemSection): string {
  const t = s.totals;
  const span = s.window.firstDay === s.window.lastDay ? s.window.firstDay : `${s.window.firstDay} 至 ${s.window.lastDay}`;
  const g = t.receivedByGrade;
  const lines = [
    `**${title}**`,
    `- ${span} 受理问题 ${t.received} 件（严重 ${g.SEVERE}、较重 ${g.SERIOUS}、一般 ${g.GENERAL}），不予受理 ${t.dismissed} 件`,
    `- ${span} 销号 ${t.closed} 件，其中按时整改 ${t.closedOnTime} 件，按时整改率 ${rateText(t.onTimeRate)}`,
    `- 目前整改中 ${t.open} 件，其中逾期 ${t.overdueOpen} 件；待省数据局分派 ${t.pendingRoute} 件`,
  ];
  const open = s.byUnit
    .filter((u) => u.open > 0)
    .sort((a, b) => b.open - a.open || b.overdueOpen - a.overdueOpen || a.sortOrder - b.sortOrder || a.unitCode.localeCompare(b.unitCode));
  if (open.length) {
    lines.push('', `**未销号问题较多的单位**（前 ${Math.min(PROBLEM_TOP_UNITS, open.length)} 个，共 ${open.length} 个单位有未销号问题）`);
    open.slice(0, PROBLEM_TOP_UNITS).forEach((u, i) => {
      lines.push(`${i + 1}. ${u.unitName} ${u.open} 件${u.overdueOpen ? `（逾期 ${u.overdueOpen} 件）` : ''}${u.onTimeRate === null ? '' : `，本期按时整改率 ${u.onTimeRate.toFixed(1)}%`}`);
    });
  } else {
    lines.push('', '目前没有未销号的问题。');
  }
  lines.push('', '按时整改率 = 本期在整改时限内销号的问题 ÷ 本期销号的问题。');
  return fit(lines, MAX_MESSAGE_BYTES).join('\n');
}
