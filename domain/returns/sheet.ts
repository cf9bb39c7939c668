/**
 * A unit's sheet (as a grid of cells) → the rows of a return. Units fill the template in Excel and
 * rarely keep it pristine, so:
 * - the header row is found by column names (within the first 30 rows), not by position: title
 *   rows, the 填报单位 line and blank rows above it are skipped; headers match after NFKC (full-width
 *   → half-width) with spaces, line breaks and required-field stars removed, by printed name or alias,
 *   and then once more without bracketed remarks (“公告时间（YYYY-MM-DD）”);
 * - columns may be in any order, extra columns are ignored (an exported 问题 column, for instance);
 * - the template's 样例 row, “……” rows and blank rows are skipped; 填报须知/注意事项 end the table;
 * - the “填报单位（盖章）：… 联系人：… 联系电话：…” line, above or below the table, gives the unit of
 *   rows that have no 填报单位 column.
 */
import { cellToText, compactText, normalizeText, type CellValue } from './cells.ts';
import type { ReturnRowInput } from './rules.ts';
import { CAPABILITIES, UNIT_COLUMN, dataColumns, type ColumnDef, type ReturnTemplate } from './templates.ts';

export interface SheetRead {
  /** 1-based row number of the header. */
  headerRow: number;
  /** Column key → 0-based column index. */
  columns: Record<string, number>;
  /** Printed names of required columns the sheet does not have. */
  missing: string[];
  /** Data rows; rowNo is the sheet's row number (what the unit sees in Excel). */
  rows: ReturnRowInput[];
  unitText: string | null;
  contact: string | null;
  phone: string | null;
}

const HEADER_SCAN = 30;

function headerKey(s: string): string {
  return compactText(s).toUpperCase();
}

function names(c: ColumnDef): string[] {
  return [c.header, ...c.aliases].map(headerKey);
}

/** Which column a header cell names, or null. */
export function matchHeaderCell(t: ReturnTemplate, cell: string): string | null {
  const exact = headerKey(cell);
  if (exact === '') return null;
  const bare = exact.replace(/\([^)]*\)/g, '');
  const all = [...t.columns, UNIT_COLUMN];
  for (const probe of exact === bare ? [exact] : [exact, bare]) {
    for (const c of all) if (names(c).includes(probe)) return c.key;
    for (const cap of CAPABILITIES) if (probe === cap || probe === `是否具备${cap}` || probe === `${cap}能力`) return `cap:${cap}`;
  }
  return null;
}

function headerOf(t: ReturnTemplate, row: readonly CellValue[]): Record<string, number> | null {
  const columns: Record<string, number> = {};
  row.forEach((v, i) => {
    const key = matchHeaderCell(t, cellToText(v));
    if (key && columns[key] === undefined) columns[key] = i;
  });
  const data = dataColumns(t).filter((c) => columns[c.key] !== undefined).length;
  // A third of the columns is enough to recognise the header, so that a sheet lacking a few gets
  // “missing columns: …” rather than “no header”.
  return data >= Math.max(3, Math.ceil(dataColumns(t).length / 3)) ? columns : null;
}

/** The 填报单位/联系人/联系电话 line, if `text` is one. */
export function unitLine(text: string): { unit: string | null; contact: string | null; phone: string | null } | null {
  const s = normalizeText(text);
  if (!/^填报单位/.test(s) && !/^联系人/.test(s)) return null;
  const grab = (re: RegExp) => {
    const v = re.exec(s)?.[1]?.trim() ?? '';
    return v === '' ? null : v;
  };
  return {
    unit: grab(/填报单位\s*(?:\(\s*盖章\s*\))?\s*:?\s*(.*?)\s*(?=联系人|联系电话|$)/),
    contact: grab(/联系人\s*:?\s*(.*?)\s*(?=联系电话|$)/),
    phone: grab(/联系电话\s*:?\s*(\S*)/),
  };
}

const SKIP_SEQ = /^(样例|示例|例|填写示例|[.…。·]+)$/;
const END = /^(填报须知|注意事项|填表说明|说明[:：])/;

/** Read a grid; null when no row of the first 30 looks like the template's header. */
export function readSheet(t: ReturnTemplate, grid: readonly (readonly CellValue[])[]): SheetRead | null {
  let headerRow = -1;
  let columns: Record<string, number> | null = null;
  for (let r = 0; r < Math.min(grid.length, HEADER_SCAN) && !columns; r++) {
    columns = headerOf(t, grid[r] ?? []);
    if (columns) headerRow = r;
  }
  if (!columns) return null;
  const cols = columns;
  const hasCaps = CAPABILITIES.some((c) => cols[`cap:${c}`] !== undefined);
  const missing = dataColumns(t)
    .filter((c) => c.required && cols[c.key] === undefined && !(c.key === 'capabilities' && hasCaps))
    .map((c) => c.header);
  const out: SheetRead = { headerRow: headerRow + 1, columns: cols, missing, rows: [], unitText: null, contact: null, phone: null };
  const takeLine = (line: ReturnType<typeof unitLine>) => {
    if (!line) return;
    out.unitText = line.unit ?? out.unitText;
    out.contact = line.contact ?? out.contact;
    out.phone = line.phone ?? out.phone;
  };
  for (let r = 0; r < headerRow; r++) takeLine(unitLine(joined(grid[r] ?? [])));

  for (let r = headerRow + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    const text = joined(cells);
    if (text === '') continue;
    if (END.test(text)) break;
    const line = unitLine(text);
    if (line) {
      takeLine(line);
      continue;
    }
    const values: Record<string, CellValue> = {};
    for (const [key, i] of Object.entries(cols)) values[key] = cells[i];
    const seq = cellToText(values.seq);
    const filled = Object.entries(values).filter(([k, v]) => k !== 'seq' && cellToText(v) !== '');
    if (filled.length === 0 || SKIP_SEQ.test(seq)) continue;
    out.rows.push({ rowNo: r + 1, values });
  }
  if (out.unitText) {
    for (const row of out.rows) if (cellToText(row.values.unit) === '') row.values.unit = out.unitText;
  }
  return out;
}

function joined(cells: readonly CellValue[]): string {
  return cells.map((c) => cellToText(c)).filter((s) => s !== '').join(' ');
}
