/**
 * An uploaded directory file (.xlsx or UTF-8 .csv) → tables of people and of chat groups, each row
 * a record of the template's columns as text. Which table a sheet holds is told by its header
 * (姓名 → people, 群名称 → groups), so sheets may come in any order and other sheets (说明) are
 * ignored. Excel goes through returns-excel.ts (zip-bomb checks); CSV through exceljs' RFC 4180
 * reader (fast-csv) with every value kept as written (no number or date guessing: "0731" stays).
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { DomainError } from '../../domain/errors.ts';
import type { CellValue } from '../../domain/returns/cells.ts';
import { readWorkbook, WorkbookError } from './returns-excel.ts';
import { MAX_CELLS } from './safe-workbook.ts';

export type SheetKind = 'people' | 'groups';

export const PEOPLE_COLUMNS = ['姓名', '角色', '单位', '企业微信账号', '钉钉账号', '职务'] as const;
export const GROUP_COLUMNS = ['群名称', '平台', '用途', '单位', '群ID', 'Webhook', '加签密钥'] as const;
export type PeopleColumn = (typeof PEOPLE_COLUMNS)[number];
export type GroupColumn = (typeof GROUP_COLUMNS)[number];

const REQUIRED: Record<SheetKind, readonly string[]> = { people: ['姓名', '角色'], groups: ['群名称', '平台', '用途'] };

/** Header spellings people actually use → the template's column. */
const HEADER_ALIASES: Record<SheetKind, Record<string, string>> = {
  people: {
    姓名: '姓名', 名字: '姓名', 人员: '姓名', 人员姓名: '姓名',
    角色: '角色', 人员角色: '角色', 身份: '角色',
    单位: '单位', 所属单位: '单位', 单位名称: '单位', 单位编码: '单位',
    企业微信账号: '企业微信账号', 企业微信: '企业微信账号', 企业微信userid: '企业微信账号', 企业微信id: '企业微信账号', 企微账号: '企业微信账号',
    钉钉账号: '钉钉账号', 钉钉: '钉钉账号', 钉钉userid: '钉钉账号', 钉钉id: '钉钉账号',
    职务: '职务', 职位: '职务', 岗位: '职务',
  },
  groups: {
    群名称: '群名称', 群名: '群名称', 名称: '群名称',
    平台: '平台',
    用途: '用途', 群用途: '用途', 类型: '用途',
    单位: '单位', 所属单位: '单位',
    群id: '群ID', chatid: '群ID', 会话id: '群ID', opencoversationid: '群ID', openconversationid: '群ID',
    webhook: 'Webhook', webhook地址: 'Webhook', 机器人地址: 'Webhook', 机器人webhook: 'Webhook',
    加签密钥: '加签密钥', 密钥: '加签密钥', secret: '加签密钥',
  },
};

export const MAX_IMPORT_ROWS = 5000;
const HEADER_SEARCH_ROWS = 5;

export interface SheetRow {
  /** As the spreadsheet numbers it (the header is row 1 when it is the first line). */
  rowNo: number;
  cells: Record<string, string>;
}

export interface DirectorySheet {
  kind: SheetKind;
  name: string;
  rows: SheetRow[];
}

function text(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).replace(/\u00a0/g, ' ').trim();
}

function headerKey(v: string): string {
  return v.replace(/[\s*＊:：()（）_\-]/g, '').toLowerCase();
}

function classify(header: string[]): { kind: SheetKind; columns: (string | null)[] } | null {
  for (const kind of ['people', 'groups'] as const) {
    const columns = header.map((h) => HEADER_ALIASES[kind][headerKey(h)] ?? null);
    if (columns.includes(kind === 'people' ? '姓名' : '群名称')) return { kind, columns };
  }
  return null;
}

const KIND_LABEL: Record<SheetKind, string> = { people: '人员', groups: '群' };

/** A grid (rows of cells) → the table it holds, or null when it holds neither. */
export function sheetOf(name: string, grid: CellValue[][]): DirectorySheet | null {
  for (let h = 0; h < Math.min(HEADER_SEARCH_ROWS, grid.length); h++) {
    const found = classify((grid[h] ?? []).map(text));
    if (!found) continue;
    const missing = REQUIRED[found.kind].filter((c) => !found.columns.includes(c));
    if (missing.length) {
      throw new DomainError('IMPORT_COLUMNS', `「${name}」是${KIND_LABEL[found.kind]}表，但缺少列：${missing.join('、')}。请使用下载的模板。`, `sheet ${name} lacks ${missing.join(',')}`);
    }
    const rows: SheetRow[] = [];
    for (let r = h + 1; r < grid.length; r++) {
      const cells: Record<string, string> = {};
      found.columns.forEach((col, c) => {
        if (col && cells[col] === undefined) cells[col] = text(grid[r]?.[c]);
      });
      if (Object.values(cells).every((v) => v === '')) continue;
      rows.push({ rowNo: r + 1, cells });
    }
    if (rows.length > MAX_IMPORT_ROWS) {
      throw new DomainError('IMPORT_TOO_MANY_ROWS', `「${name}」有 ${rows.length} 行，一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入。`, `sheet ${name} has ${rows.length} rows`);
    }
    return { kind: found.kind, name, rows };
  }
  return null;
}

/** Records, fields and the widest record of CSV text as RFC 4180 reads it (separators in quotes do not count). */
function csvShape(csv: string): { records: number; fields: number; widest: number } {
  let records = 1;
  let fields = 1;
  let width = 1;
  let widest = 1;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (quoted) continue;
    else if (c === 44) {
      fields++;
      widest = Math.max(widest, ++width);
    } else if (c === 10 || (c === 13 && csv.charCodeAt(i + 1) !== 10)) {
      records++;
      fields++;
      width = 1;
    }
  }
  return { records, fields, widest };
}

/** CSV text → grid of strings, RFC 4180 (quoted commas, doubled quotes, line breaks in quotes). */
export async function csvGrid(csv: string): Promise<CellValue[][]> {
  // Counted before parsing: exceljs makes an object per field, and a 10 MB upload of short lines
  // (5 million rows) took 40 s and ran the heap out before the row limit could refuse it.
  const shape = csvShape(csv);
  if (shape.records > 2 * MAX_IMPORT_ROWS || shape.fields > MAX_CELLS) {
    throw new DomainError('IMPORT_TOO_MANY_ROWS', `CSV 文件过大（${shape.records} 行、${shape.fields} 个单元格）：一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入。`, `csv of ${shape.records} records, ${shape.fields} fields`);
  }
  if (shape.widest > 16_384) {
    throw new DomainError('IMPORT_CSV', `CSV 文件有一行多达 ${shape.widest} 列，超过 Excel 的上限（16384 列），请检查分隔符后重新上传。`, `csv record of ${shape.widest} fields`);
  }
  const wb = new ExcelJS.Workbook();
  let ws: ExcelJS.Worksheet;
  try {
    ws = await wb.csv.read(Readable.from([csv.replace(/^\uFEFF/, '')]), { map: (v: unknown) => v, parserOptions: { ignoreEmpty: true } } as never);
  } catch (e) {
    throw new DomainError('IMPORT_CSV', 'CSV 文件格式有误（可能有未闭合的引号），请用 Excel 或 WPS 打开检查后另存为 CSV UTF-8 或 .xlsx 再上传。', `bad csv: ${(e as Error).message}`);
  }
  const grid: CellValue[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: CellValue[] = [];
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      cells[c - 1] = cell.value === null || cell.value === undefined ? null : String(cell.value);
    });
    grid[n - 1] = cells;
  });
  for (let i = 0; i < grid.length; i++) grid[i] ??= [];
  return grid;
}

/** The people and group tables of an upload; a file with neither is refused with the reason. */
export async function readDirectoryFile(fileName: string, kind: 'xlsx' | 'csv', bytes: Buffer): Promise<DirectorySheet[]> {
  let grids: { name: string; grid: CellValue[][] }[];
  if (kind === 'csv') {
    grids = [{ name: fileName, grid: await csvGrid(bytes.toString('utf8')) }];
  } else {
    let sheets: CellValue[][][];
    try {
      sheets = await readWorkbook(bytes);
    } catch (e) {
      if (e instanceof WorkbookError) throw new DomainError('IMPORT_XLSX', e.message, `workbook refused: ${e.code}`);
      throw e;
    }
    grids = sheets.map((grid, i) => ({ name: `第 ${i + 1} 个工作表`, grid }));
  }
  const out = grids.map((g) => sheetOf(g.name, g.grid)).filter((s): s is DirectorySheet => s !== null);
  if (out.length === 0) {
    throw new DomainError('IMPORT_NO_TABLE', '文件中没有找到人员表或群表：人员表第一行应含「姓名」「角色」等列，群表应含「群名称」「平台」「用途」等列。请使用下载的模板。', 'no directory table in upload');
  }
  return out;
}
