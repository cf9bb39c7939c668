/**
 * The 重点任务分解表 (key-task breakdown table) → {@link PlanTask}s.
 *
 * Columns are found by their header names, not positions. Merged 工作任务 (category) cells are
 * exported blank and carried down in 序号 order, so a shuffled row order gives the same result.
 */
import { DomainError } from '../errors.ts';
import { parseCompletion, parseSla } from './deadline.ts';
import { buildMilestones } from './milestones.ts';
import { resolveUnitList } from './responsible.ts';
import { cellText, columnIndex, isEmptyRow, type Row, type Table } from './table.ts';
import { clean } from './text.ts';
import type { PlanTask } from './types.ts';
import type { UnitDirectory } from './units.ts';

export interface TaskRow {
  seq: number;
  /** Blank when the cell is merged with the row above. */
  category: string;
  content: string;
  completion: string;
  responsible: string;
  /** 1-based line number of the row. */
  line: number;
  /** The row as written, for error messages. */
  text: string;
}

interface TaskColumns {
  seq: number;
  category: number;
  content: number;
  completion: number;
  responsible: number;
}

/** Column positions when `header` is a task breakdown table, else null. */
export function taskColumns(header: string[]): TaskColumns | null {
  const cols = {
    seq: columnIndex(header, '序号'),
    category: columnIndex(header, '工作任务', '重点任务', '任务', '任务类别', '类别'),
    content: columnIndex(header, '具体内容', '工作内容', '任务内容', '具体任务'),
    completion: columnIndex(header, '完成时间', '完成时限', '时间节点', '完成期限'),
    responsible: columnIndex(header, '责任单位', '牵头单位', '责任部门', '牵头部门'),
  };
  return cols.seq < 0 || cols.content < 0 || cols.completion < 0 || cols.responsible < 0 ? null : cols;
}

/** Join the paragraphs of a unit-list cell: a paragraph break separates units. */
function joinList(lines: string[]): string {
  return lines.reduce((acc, l) => (acc === '' || /[、，,；;]$/.test(acc) ? acc + l : `${acc}、${l}`), '');
}

/** The row for messages: cells joined by " | ", each cut to 30 characters. */
function rowText(row: Row): string {
  return row.cells
    .map((c) => clean(cellText(c, '、')))
    .map((t) => (t.length > 30 ? `${t.slice(0, 30)}…` : t))
    .join(' | ');
}

function badRow(row: Row, why: string, whyEn: string): DomainError {
  const text = rowText(row);
  return new DomainError(
    'PLAN_BAD_ROW',
    `重点任务分解表第 ${row.line} 行的任务${why}：“${text}”`,
    `task table row at line ${row.line}: ${whyEn}: ${text}`,
    { line: row.line, row: text },
  );
}

/** Read the data rows of a task table (empty and template rows skipped). */
export function readTaskRows(table: Table, cols: TaskColumns, planYear: number): TaskRow[] {
  const out: TaskRow[] = [];
  for (const row of table.rows) {
    if (isEmptyRow(row)) continue;
    const cell = (i: number): string => (i < 0 ? '' : clean(cellText(row.cells[i])));
    const seqText = cell(cols.seq);
    const content = cell(cols.content);
    if (!/^\d+$/.test(seqText)) {
      if (content === '' || /^[…\.。x×X样例]+$/.test(seqText)) continue; // "……" / 样例 rows
      throw badRow(row, '序号无法识别', 'sequence number is not a number');
    }
    const completion = cell(cols.completion);
    if (parseCompletion(completion, planYear) === null) {
      throw badRow(row, '完成时间无法识别（应为“2026年12月”“持续”等）', `completion date not understood (${completion || 'empty'})`);
    }
    out.push({
      seq: Number(seqText),
      category: cell(cols.category),
      content,
      completion,
      responsible: joinList(row.cells[cols.responsible]?.lines ?? []),
      line: row.line,
      text: rowText(row),
    });
  }
  return out;
}

/** Sort rows by 序号, reject duplicates, and carry merged categories down. */
export function normalizeTaskRows(rows: TaskRow[]): TaskRow[] {
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  let category = '';
  return sorted.map((r, i) => {
    const prev = sorted[i - 1];
    if (prev && prev.seq === r.seq) {
      throw new DomainError(
        'PLAN_BAD_ROW',
        `重点任务分解表第 ${r.line} 行的任务序号 ${r.seq} 与第 ${prev.line} 行重复：“${r.text}”`,
        `task table row at line ${r.line}: duplicate sequence number ${r.seq} (also line ${prev.line})`,
        { line: r.line, row: r.text },
      );
    }
    if (r.category !== '') category = r.category;
    return { ...r, category };
  });
}

/** Build the task from a normalised row. */
export function buildTask(row: TaskRow, dir: UnitDirectory, planYear: number): PlanTask {
  const completion = parseCompletion(row.completion, planYear) ?? { due: null, recurring: false };
  const responsible = resolveUnitList(row.responsible, dir);
  return {
    seq: row.seq,
    category: row.category,
    content: row.content,
    due: completion.due,
    recurring: completion.recurring,
    milestones: buildMilestones(row.content, completion.due, responsible, dir, planYear),
    sla: parseSla(row.content),
    responsible: { text: row.responsible, units: responsible.units, unresolved: responsible.unresolved },
  };
}
