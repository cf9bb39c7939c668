/**
 * Plan document (text export of the Word file) → {@link ParsedPlan}.
 *
 * Sections are found by their `附件N` headings and titles, tables by their header cells — never by
 * line positions: 重点任务分解表 (the table with 序号/具体内容/完成时间/责任单位), 高频服务清单 (附件3) and
 * 适老、适残高频服务清单 (附件4), the latter two told apart by their titles.
 */
import { DomainError } from '../errors.ts';
import { collectUnitNames } from './responsible.ts';
import { buildServiceLists, readServiceRows, serviceColumns, type ServiceRow } from './services.ts';
import { splitSections, type Section } from './table.ts';
import { buildTask, normalizeTaskRows, readTaskRows, taskColumns, type TaskRow } from './tasks.ts';
import { clean, decodePlanInput } from './text.ts';
import type { ParsedPlan } from './types.ts';
import { buildDocumentUnits, KNOWN_DIRECTORY } from './units.ts';

export interface PlanMeta {
  title: string;
  docNo: string;
  year: number;
}

const DOC_NO_RE = /[\u4e00-\u9fa5]{1,12}[〔［\[【]\s*(\d{4})\s*[〕］\]】]\s*\d{1,4}\s*号/;
const TITLE_END_RE = /(方案|计划|要点|意见|办法)$/;

/**
 * Title, 文号 and year from the text before the annexes. The title is the paragraph block that ends
 * in 方案 (joined when Word split it over lines); failing that, the name inside 《》 of the notice.
 */
export function parseMeta(preamble: string[]): PlanMeta {
  const lines = preamble.map(clean);
  const docNoMatch = lines.map((l) => DOC_NO_RE.exec(l)).find((m) => m !== null);
  const docNo = docNoMatch ? docNoMatch[0].replace(/\s+/g, '') : '';

  let title = '';
  const looksTitle = (l: string): boolean => l !== '' && l.length <= 40 && !/[《》。：:]/.test(l) && !/^(附件|[（(])/.test(l);
  const end = lines.findIndex((l) => looksTitle(l) && TITLE_END_RE.test(l));
  if (end >= 0) {
    // Join the lines Word split the title into: the previous line ends mid-phrase ("…便利化、"), or
    // the lines form a block of their own (blank line or start of text before it).
    let start = end;
    for (;;) {
      const prev = lines[start - 1] ?? '';
      if (start === 0 || end - start >= 2 || !looksTitle(prev) || TITLE_END_RE.test(prev)) break;
      const block = start - 1 === 0 || lines[start - 2] === '';
      if (!/[、，,“]$/.test(prev) && !block) break;
      start--;
    }
    title = lines.slice(start, end + 1).join('');
  }
  if (title === '') {
    title = lines.map((l) => /《([^》]+)》/.exec(l)?.[1]).find((t) => t !== undefined) ?? '';
  }

  const yearText = /(\d{4})年/.exec(title)?.[1] ?? docNoMatch?.[1] ?? lines.join('\n').match(/(\d{4})年/)?.[1];
  return { title, docNo, year: yearText ? Number(yearText) : 0 };
}

function noTaskTable(detail: string, detailEn: string): DomainError {
  return new DomainError(
    'PLAN_NO_TASK_TABLE',
    `未找到“重点任务分解表”（${detail}），这似乎不是工作方案文件。请上传包含附件“重点任务分解表”的方案全文。`,
    `no key-task breakdown table (重点任务分解表) found: ${detailEn}`,
  );
}

function isTemplate(s: Section): boolean {
  return /梳理表|模板|模版|样表/.test(s.title);
}

/** Parse a plan document. Throws {@link DomainError} (PLAN_EMPTY, PLAN_BINARY, PLAN_ENCODING, PLAN_NO_TASK_TABLE, PLAN_BAD_ROW). */
export function parsePlan(input: Uint8Array | string): ParsedPlan {
  const text = decodePlanInput(input);
  const sections = splitSections(text);
  const preamble = sections.find((s) => s.annex === null);
  const meta = parseMeta(preamble ? preamble.text.map((l) => l.text) : []);

  const taskRows: TaskRow[] = [];
  const serviceRows: ServiceRow[] = [];
  let taskTables = 0;
  for (const section of sections) {
    const table = section.table;
    if (!table || isTemplate(section)) continue;
    const tcols = taskColumns(table.header);
    if (tcols) {
      taskTables++;
      taskRows.push(...readTaskRows(table, tcols, meta.year));
      continue;
    }
    const scols = serviceColumns(table.header);
    if (scols && /服务清单/.test(section.title)) {
      const annex = /适老|适残/.test(section.title) ? 4 : 3;
      serviceRows.push(...readServiceRows(table, annex, scols));
    }
  }
  if (taskTables === 0) {
    throw noTaskTable('没有含“序号、具体内容、完成时间、责任单位”列的表格', 'no table with columns 序号/具体内容/完成时间/责任单位');
  }
  if (taskRows.length === 0) throw noTaskTable('表格中没有任务行', 'the table has no task rows');

  // The document's units: named in the responsible column, the service lists, or the task text.
  const names: string[] = [];
  for (const r of taskRows) {
    names.push(...collectUnitNames(r.responsible, KNOWN_DIRECTORY));
    for (const n of KNOWN_DIRECTORY.names()) if (r.content.includes(n)) names.push(n);
  }
  for (const r of serviceRows) names.push(...collectUnitNames(r.unit, KNOWN_DIRECTORY));
  const dir = buildDocumentUnits(names);

  return {
    plan: meta,
    tasks: normalizeTaskRows(taskRows).map((r) => buildTask(r, dir, meta.year)),
    units: dir.units.map((u) => ({ ...u, aliases: [...u.aliases] })),
    services: buildServiceLists(serviceRows, dir),
  };
}
