/**
 * Batch import of problems from an Excel workbook (one row per problem), for sources that deliver
 * lists instead of calling the API. Columns are found by their headings — 来源编号, 服务名称,
 * 问题描述, 联系方式, 反映时间 — anywhere in the first rows of the first sheet. Each row goes
 * through the same intake as the API, so importing a file twice creates nothing the second time;
 * a bad row is reported with its number and reason and does not stop the others.
 */
import type ExcelJS from 'exceljs';
import { DomainError, isDomainError } from '../../domain/errors.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import { intakeProblem, sourceActor, type ProblemDeps } from './problems.ts';
import type { ProblemSummary } from './problem-views.ts';
import { loadWorkbook, WorkbookError } from './safe-workbook.ts';

export const IMPORT_COLUMNS = { sourceRef: '来源编号', serviceName: '服务名称', description: '问题描述', contact: '联系方式', reportedAt: '反映时间' } as const;
type Column = keyof typeof IMPORT_COLUMNS;

export type ImportRow =
  | { row: number; outcome: 'created' | 'repeat'; problem: ProblemSummary }
  | { row: number; outcome: 'error'; reason: string };

const HEADER_SEARCH_ROWS = 10;
/** Far more than any real list; a bigger file is refused before a single row is read. */
export const IMPORT_MAX_ROWS = 5000;

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
  }
  return String(v);
}

const heading = (s: string) => s.replace(/[\s*＊:：（(].*$/u, '').replace(/\s+/g, '');

/** Excel keeps wall-clock times without a zone (exceljs gives them as UTC): read them as Shanghai time. */
function reportedAtOf(v: ExcelJS.CellValue): Date | null | 'bad' {
  if (v === null || v === undefined || cellText(v).trim() === '') return null;
  if (v instanceof Date) return new Date(v.getTime() - 8 * 3_600_000);
  const t = cellText(v).trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/.exec(t);
  if (!m) return 'bad';
  const pad = (s: string | undefined) => (s ?? '0').padStart(2, '0');
  const day = `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  const d = new Date(`${day}T${pad(m[4])}:${pad(m[5])}:${pad(m[6])}+08:00`);
  // JavaScript rolls 2 月 30 日 over into March: a date that does not come back as written is wrong.
  return Number.isNaN(d.getTime()) || shanghaiDate(d) !== day ? 'bad' : d;
}

async function readSheet(bytes: Uint8Array): Promise<ExcelJS.Worksheet> {
  let wb: ExcelJS.Workbook;
  try {
    // Checked and bounded like uploads (zip bombs, ranges over whole sheets): see safe-workbook.ts.
    wb = await loadWorkbook(Buffer.from(bytes));
  } catch (e) {
    if (!(e instanceof WorkbookError)) throw e;
    const message = e.code === 'NOT_XLSX' ? '无法读取该 Excel 文件，请确认是 .xlsx 格式（可用 Excel 另存为“Excel 工作簿”）。' : e.message;
    throw new DomainError('PROBLEM_IMPORT_FILE', message, `workbook refused: ${e.code}`);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new DomainError('PROBLEM_IMPORT_FILE', 'Excel 文件中没有工作表。', 'workbook has no sheet');
  return sheet;
}

function findColumns(sheet: ExcelJS.Worksheet): { headerRow: number; columns: Partial<Record<Column, number>> } {
  for (let r = 1; r <= Math.min(HEADER_SEARCH_ROWS, sheet.rowCount); r++) {
    const columns: Partial<Record<Column, number>> = {};
    sheet.getRow(r).eachCell((cell, col) => {
      const h = heading(cellText(cell.value));
      for (const [key, name] of Object.entries(IMPORT_COLUMNS) as [Column, string][]) if (h === name) columns[key] ??= col;
    });
    if (columns.sourceRef && columns.description) return { headerRow: r, columns };
  }
  throw new DomainError(
    'PROBLEM_IMPORT_COLUMNS',
    `未找到表头：第一个工作表的前 ${HEADER_SEARCH_ROWS} 行中须有“${IMPORT_COLUMNS.sourceRef}”和“${IMPORT_COLUMNS.description}”两列（可选：${IMPORT_COLUMNS.serviceName}、${IMPORT_COLUMNS.contact}、${IMPORT_COLUMNS.reportedAt}）。`,
    'header row with 来源编号 and 问题描述 not found',
  );
}

export async function importProblems(deps: ProblemDeps, bytes: Uint8Array, source: { code: string; name: string }): Promise<ImportRow[]> {
  const sheet = await readSheet(bytes);
  const { headerRow, columns } = findColumns(sheet);
  if (sheet.rowCount - headerRow > IMPORT_MAX_ROWS) {
    throw new DomainError('PROBLEM_IMPORT_TOO_MANY', `一次最多导入 ${IMPORT_MAX_ROWS} 行，请拆分文件。`, `too many rows: ${sheet.rowCount - headerRow}`);
  }
  const by = sourceActor(`${source.name}（批量导入）`);
  const out: ImportRow[] = [];
  for (let r = headerRow + 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const value = (c: Column) => (columns[c] ? row.getCell(columns[c]!).value : null);
    // NUL dropped: exceljs decodes the escape _x0000_ into it, and PostgreSQL refuses it in text.
    const text = (c: Column) => cellText(value(c)).replace(/\0/g, '').trim();
    if ((Object.keys(columns) as Column[]).every((c) => text(c) === '')) continue; // blank line
    const reportedAt = reportedAtOf(value('reportedAt'));
    if (!text('sourceRef')) { out.push({ row: r, outcome: 'error', reason: `缺少${IMPORT_COLUMNS.sourceRef}` }); continue; }
    if (!text('description')) { out.push({ row: r, outcome: 'error', reason: `缺少${IMPORT_COLUMNS.description}` }); continue; }
    if (reportedAt === 'bad') { out.push({ row: r, outcome: 'error', reason: `${IMPORT_COLUMNS.reportedAt}“${text('reportedAt')}”无法识别，应为 2026-06-22 10:15 或日期单元格` }); continue; }
    try {
      const res = await intakeProblem(deps, {
        sourceCode: source.code, sourceRef: text('sourceRef'), serviceName: text('serviceName') || null,
        description: text('description'), contact: text('contact') || null, reportedAt,
      }, by);
      out.push({ row: r, outcome: res.created ? 'created' : 'repeat', problem: res.problem });
    } catch (e) {
      if (!isDomainError(e)) throw e;
      out.push({ row: r, outcome: 'error', reason: e.message });
    }
  }
  return out;
}
