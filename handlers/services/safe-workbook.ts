/**
 * Loading an uploaded .xlsx with exceljs without letting the file decide how much memory and time
 * that takes. Found by fuzzing (test/fuzz/excel.test.ts); each of these took the server down or
 * held it for minutes, from files of a few KB:
 * - a part that inflates far beyond its declared size (zip-guard.ts checks every part);
 * - exceljs makes a cell object for every cell a range covers: a merged range A1:XFD1048576, a data
 *   validation or a defined name over whole sheets (an old .xls print area $A$1:$IV$65536 is 16
 *   million cells). Merges are kept — a merged cell reads as its first cell, as units expect — but
 *   bounded; data validations, conditional formats and other sheet parts we never read are not
 *   loaded; defined names are dropped before exceljs expands them;
 * - millions of cells or rows within the size limit (counted in the XML before loading).
 */
import ExcelJS from 'exceljs';
import { inspectZip } from './zip-guard.ts';

export const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;
const MAX_ENTRIES = 2000;
/** Sheets larger than this are not returns or lists (a unit's table has tens of rows, a directory thousands). */
export const MAX_SHEET_ROWS = 10_000;
/** Cells of all sheets together: a return of 2,000 rows has 30,000. */
export const MAX_CELLS = 300_000;
const MAX_MERGES = 2_000;
const MAX_MERGED_CELLS = 100_000;

export class WorkbookError extends Error {
  constructor(readonly code: 'NOT_XLSX' | 'TOO_LARGE_UNZIPPED' | 'TOO_MANY_ROWS' | 'TOO_MANY_MERGES', message: string) {
    super(message);
  }
}

/** Worksheet parts exceljs would parse that no reader here uses (see the module comment). */
const IGNORED_NODES = [
  'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'autoFilter', 'rowBreaks', 'hyperlinks', 'pageMargins', 'dataValidations',
  'pageSetup', 'headerFooter', 'printOptions', 'picture', 'drawing', 'sheetProtection', 'tableParts', 'conditionalFormatting', 'extLst',
];

const CELL = /<c[\s/>]/g;
const ROW = /<row[\s/>]/g;
const MERGE = /<mergeCell\s[^>]*?\bref\s*=\s*(["'])(.*?)\1/g;

function count(text: string, re: RegExp): number {
  let n = 0;
  re.lastIndex = 0;
  while (re.exec(text)) n++;
  return n;
}

function unescapeXml(s: string): string {
  return s.replace(/&(?:#(\d+)|#x([0-9a-f]+)|(amp|lt|gt|quot|apos));/gi, (m, dec?: string, hex?: string, name?: string) => {
    if (name) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name.toLowerCase()] ?? m;
    const code = dec ? Number(dec) : parseInt(hex!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** Cells a merge reference can cover at most: every column letter and row number in it counts. */
function mergedArea(ref: string): number {
  const text = unescapeXml(ref).toUpperCase();
  const cols = (text.match(/[A-Z]+/g) ?? []).map((l) => [...l].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0));
  const rows = (text.match(/\d+/g) ?? []).map(Number);
  if (cols.length === 0 || rows.length === 0) return 1;
  return (Math.max(...cols) - Math.min(...cols) + 1) * (Math.max(...rows) - Math.min(...rows) + 1);
}

/** Throws a WorkbookError unless exceljs can load `bytes` within the limits above. */
export function assertSafeWorkbook(bytes: Buffer): void {
  let cells = 0;
  const verdict = inspectZip(bytes, { maxBytes: MAX_UNZIPPED_BYTES, maxEntries: MAX_ENTRIES }, (content) => {
    const text = content.toString('latin1');
    cells += count(text, CELL);
    if (cells > MAX_CELLS) throw new WorkbookError('TOO_LARGE_UNZIPPED', `工作簿中的单元格超过 ${MAX_CELLS / 10_000} 万个，请只保留要导入的工作表后再上传。`);
    if (count(text, ROW) > MAX_SHEET_ROWS) throw new WorkbookError('TOO_MANY_ROWS', `工作簿中有工作表超过 ${MAX_SHEET_ROWS} 行，请只保留要导入的工作表后再上传。`);
    let merges = 0;
    let merged = 0;
    MERGE.lastIndex = 0;
    for (let m = MERGE.exec(text); m; m = MERGE.exec(text)) {
      merges++;
      merged += mergedArea(m[2]!);
      if (merges > MAX_MERGES || merged > MAX_MERGED_CELLS) {
        throw new WorkbookError('TOO_MANY_MERGES', '工作表中的合并单元格过多或过大，请取消不必要的合并（特别是整行、整列的合并）后重新上传。');
      }
    }
  });
  if (verdict.ok) return;
  if (verdict.reason === 'TOO_LARGE') throw new WorkbookError('TOO_LARGE_UNZIPPED', '工作簿解压后内容过大，请只保留要导入的工作表后再上传。');
  throw new WorkbookError('NOT_XLSX', '文件不是有效的 Excel（.xlsx）工作簿，请用 Excel 或 WPS 另存为 .xlsx 后重新上传。');
}

interface XlsxInternals {
  reconcile(model: { definedNames?: unknown[] }, options: unknown): void;
}

/** The workbook in `bytes`, checked and loaded as the module comment says; throws WorkbookError. */
export async function loadWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  assertSafeWorkbook(bytes);
  const wb = new ExcelJS.Workbook();
  // exceljs expands every defined name into one entry per cell when it applies the model, right
  // after `reconcile`: empty them there. If exceljs renames the hook, fail loudly, not slowly.
  const xlsx = wb.xlsx as unknown as XlsxInternals;
  if (typeof xlsx.reconcile !== 'function') throw new Error('exceljs has no xlsx.reconcile any more: defined names would be expanded');
  const reconcile = xlsx.reconcile.bind(xlsx);
  xlsx.reconcile = (model, options) => {
    reconcile(model, options);
    model.definedNames = [];
  };
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer, { ignoreNodes: IGNORED_NODES });
  } catch {
    throw new WorkbookError('NOT_XLSX', '无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后重新上传。');
  }
  for (const ws of wb.worksheets) {
    if (ws.rowCount > MAX_SHEET_ROWS) throw new WorkbookError('TOO_MANY_ROWS', `工作表「${ws.name}」超过 ${MAX_SHEET_ROWS} 行，请只保留要导入的表格后重新上传。`);
  }
  return wb;
}
