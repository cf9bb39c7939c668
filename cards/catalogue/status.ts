/** Status of a unit, a task or everything: counts by state, completion, and the overdue tickets. */
import type { OutMessage, TicketStatusView, TicketView } from '../types.ts';
import { card, cardMessage, clip, expand, facts, header } from '../template.ts';
import { FACT, HEADING, LIGHT_EMOJI, STATUS_LABEL, workdaysLeftText } from '../text.ts';

const TEMPLATE = card([
  ...header,
  facts,
  { type: 'TextBlock', id: 'overdueHeading', text: '${overdueHeading}', weight: 'Bolder', $when: '${count(overdue) > 0}' },
  { $data: '${overdue}', type: 'TextBlock', text: '${line}', wrap: true, color: 'Attention' },
  { type: 'TextBlock', id: 'more', text: '${more}', wrap: true, isSubtle: true, $when: '${more != ""}' },
], []);

export const STATUS_MAX_OVERDUE = 10;

export interface StatusCardData {
  /** What the status is of: "省公安厅", "任务6（政务服务）", "全部督办单". */
  title: string;
  total: number;
  /** Counts by state; `label` is used for rows that are not a ticket state. */
  counts: readonly { status?: TicketStatusView; label?: string; count: number }[];
  overdue: number;
  /** Percent of tickets done, 0–100. */
  completion: number;
  overdueList: readonly TicketView[];
  maxOverdue?: number;
}

export function overdueLine(t: TicketView): string {
  const task = t.taskSeq === null ? clip(t.milestone, 16) : `任务${t.taskSeq}`;
  return `${LIGHT_EMOJI.RED} #${t.id} ${t.unitName}｜${task}｜${t.due}（${workdaysLeftText(t.workdaysLeft)}）`;
}

export function statusCard(d: StatusCardData): OutMessage {
  const max = Math.max(1, d.maxOverdue ?? STATUS_MAX_OVERDUE);
  const shown = d.overdueList.slice(0, max);
  const listed = Math.max(d.overdue, d.overdueList.length);
  return cardMessage('status', expand(TEMPLATE, {
    title: HEADING.status(d.title),
    subtitle: `共 ${d.total} 件，${FACT.completion} ${d.completion}%，${FACT.overdue} ${d.overdue} 件`,
    facts: d.counts.map((c) => ({ k: c.status ? STATUS_LABEL[c.status] : (c.label ?? ''), v: `${c.count} 件` })),
    overdueHeading: HEADING.overdueList,
    overdue: shown.map((t) => ({ line: overdueLine(t) })),
    more: listed > shown.length && shown.length > 0 ? `等共${listed}件逾期` : '',
  }));
}
