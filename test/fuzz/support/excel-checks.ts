/**
 * Acceptance rules of the returns and directory importers, run in the sandbox worker (sandbox.ts)
 * so that a file that makes exceljs loop or eat the heap fails its run instead of the test
 * process (`duban problems import` goes through the same loader: see problems-cli.ts). A check
 * returns null for a clear answer — rows (each with its violations), or a coded refusal in
 * Chinese — and otherwise says what was wrong.
 */
import { isDomainError } from '../../../domain/errors.ts';
import { checkRows, type RuleContext } from '../../../domain/returns/rules.ts';
import { readSheet } from '../../../domain/returns/sheet.ts';
import type { CellValue } from '../../../domain/returns/cells.ts';
import { TEMPLATES, type AnnexNo } from '../../../domain/returns/templates.ts';
import { readDirectoryFile } from '../../../handlers/services/directory-sheets.ts';
import { MAX_RETURN_ROWS, readReturnUpload } from '../../../handlers/services/returns.ts';
import { detectKind } from '../../../web/server/uploads.ts';

const han = (s: string) => /\p{Script=Han}/u.test(s);
const bytesOf = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

function thrown(e: unknown): string {
  return `threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`;
}

const RETURN_CODES = new Set([
  'NOT_XLSX', 'TOO_LARGE_UNZIPPED', 'TOO_MANY_ROWS', 'TOO_MANY_MERGES', 'RETURN_COLUMNS_MISSING', 'RETURN_NO_ROWS', 'RETURN_TOO_MANY_ROWS', 'RETURN_NO_HEADER',
]);

const CONTEXT: Record<AnnexNo, RuleContext> = {
  1: { unit: { code: 'p-zhujian', name: '省住房城乡建设厅', aliases: ['省住建厅'] }, catalogue: null },
  5: { unit: { code: 'p-zhujian', name: '省住房城乡建设厅', aliases: ['省住建厅'] }, catalogue: ['住房公积金账户明细查询', '住房公积金贷款申请'] },
  6: { unit: { code: 'p-zhujian', name: '省住房城乡建设厅', aliases: ['省住建厅'] }, catalogue: [] },
};

/** The rows as the rules check them: every row has a number, text values, and Chinese violations. */
function rowsProblem(annex: AnnexNo, rows: { rowNo: number; values: Record<string, CellValue> }[]): string | null {
  const checked = checkRows(TEMPLATES[annex], rows, CONTEXT[annex]);
  if (checked.length !== rows.length) return `${rows.length} rows in, ${checked.length} checked`;
  for (const r of checked) {
    if (!Number.isInteger(r.rowNo) || r.rowNo < 1) return `row number ${r.rowNo}`;
    if (Object.values(r.data).some((v) => typeof v !== 'string')) return `row ${r.rowNo}: a value is not text`;
    for (const v of r.violations) if (!han(v.message) || v.message.length > 2000) return `row ${r.rowNo}: violation without a short Chinese message: ${v.message.slice(0, 200)}`;
    try {
      JSON.stringify(r);
    } catch (e) {
      return `row ${r.rowNo} cannot be stored: ${thrown(e)}`;
    }
  }
  return null;
}

/** An uploaded workbook for a return (附件1/5/6): rows with violations, or a coded Chinese refusal. */
async function returnsUpload(input: { annex: AnnexNo; bytes: Uint8Array }): Promise<string | null> {
  let r;
  try {
    r = await readReturnUpload(input.annex, bytesOf(input.bytes));
  } catch (e) {
    return thrown(e);
  }
  if (!r.ok) {
    if (!RETURN_CODES.has(r.code)) return `unexpected code ${r.code}`;
    return han(r.message) && r.message.length <= 2000 ? null : `refusal without a short Chinese message: ${r.message.slice(0, 200)}`;
  }
  if (r.sheet.rows.length === 0 || r.sheet.rows.length > MAX_RETURN_ROWS) return `${r.sheet.rows.length} rows accepted`;
  if (r.sheet.rows.some((row) => row.rowNo <= r.sheet.headerRow)) return 'a row above the header was read as data';
  return rowsProblem(input.annex, r.sheet.rows);
}

/** A grid straight into the header finder and row reader (no workbook around it). */
function returnsGrid(input: { annex: AnnexNo; grid: CellValue[][] }): string | null {
  try {
    // Dates cross the worker boundary as Dates; holes as undefined — both as exceljs gives them.
    const sheet = readSheet(TEMPLATES[input.annex], input.grid);
    if (!sheet) return null;
    if (sheet.headerRow < 1 || sheet.headerRow > 30) return `header at row ${sheet.headerRow}`;
    return rowsProblem(input.annex, sheet.rows);
  } catch (e) {
    return thrown(e);
  }
}

const DIRECTORY_CODES = new Set(['IMPORT_XLSX', 'IMPORT_NO_TABLE', 'IMPORT_COLUMNS', 'IMPORT_TOO_MANY_ROWS', 'IMPORT_CSV']);

/** A directory upload as the route reads it: type by name and content, then tables or a coded refusal. */
async function directoryFile(input: { name: string; bytes: Uint8Array }): Promise<string | null> {
  const bytes = bytesOf(input.bytes);
  const kind = detectKind(input.name, bytes);
  if (!kind) return null; // the route answers 415 before reading
  try {
    const sheets = await readDirectoryFile(input.name, kind, bytes);
    if (sheets.length === 0) return 'no table and no refusal';
    for (const s of sheets) {
      if (s.kind !== 'people' && s.kind !== 'groups') return `table kind ${String(s.kind)}`;
      for (const row of s.rows) {
        if (!Number.isInteger(row.rowNo) || row.rowNo < 2) return `row number ${row.rowNo}`;
        if (Object.values(row.cells).some((v) => typeof v !== 'string')) return `row ${row.rowNo}: a cell is not text`;
      }
    }
    return null;
  } catch (e) {
    if (!isDomainError(e)) return thrown(e);
    if (!DIRECTORY_CODES.has(e.code)) return `unexpected code ${e.code}`;
    return han(e.message) ? null : `refusal without a Chinese message: ${e.message}`;
  }
}

/** For the examples kept from fuzzing: the upload must get exactly this answer (and pass the general rule). */
async function returnsExpect(input: { annex: AnnexNo; bytes: Uint8Array; code?: string; rows?: number; maxMessage?: number }): Promise<string | null> {
  const general = await returnsUpload(input);
  if (general) return general;
  const r = await readReturnUpload(input.annex, bytesOf(input.bytes));
  if (input.code && (r.ok || r.code !== input.code)) return `expected ${input.code}, got ${r.ok ? `${r.sheet.rows.length} rows` : `${r.code}: ${r.message}`}`;
  if (input.rows !== undefined && (!r.ok || r.sheet.rows.length !== input.rows)) return `expected ${input.rows} rows, got ${r.ok ? r.sheet.rows.length : `${r.code}: ${r.message}`}`;
  if (input.maxMessage !== undefined && r.ok) {
    const longest = Math.max(0, ...checkRows(TEMPLATES[input.annex], r.sheet.rows, CONTEXT[input.annex]).flatMap((row) => row.violations.map((v) => v.message.length)));
    if (longest > input.maxMessage) return `a violation message of ${longest} characters`;
  }
  return null;
}

/** For the examples kept from fuzzing: the directory file must be refused with this code. */
async function directoryExpect(input: { name: string; bytes: Uint8Array; code: string }): Promise<string | null> {
  const general = await directoryFile(input);
  if (general) return general;
  try {
    const sheets = await readDirectoryFile(input.name, 'csv', bytesOf(input.bytes));
    return `expected ${input.code}, got ${sheets.length} tables`;
  } catch (e) {
    return isDomainError(e) && e.code === input.code ? null : `expected ${input.code}, got ${thrown(e)}`;
  }
}

export const checks: Record<string, (input: never) => string | null | Promise<string | null>> = {
  directoryExpect,
  returnsUpload,
  returnsExpect,
  returnsGrid,
  directoryFile,
};
