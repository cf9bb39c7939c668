/**
 * An uploaded .xlsx → cell grids, one per worksheet. The workbook is checked and loaded by
 * safe-workbook.ts (zip bombs, ranges that expand to millions of cells, too many cells or rows);
 * cells right of column 200 are not read (no table here has more than 20 columns, and a stray
 * cell at XFD must not make every row 16,384 cells long).
 */
import type ExcelJS from 'exceljs';
import type { CellValue } from '../../domain/returns/cells.ts';
import { loadWorkbook } from './safe-workbook.ts';
import { zipDeclared } from './zip-guard.ts';

export { MAX_UNZIPPED_BYTES, WorkbookError } from './safe-workbook.ts';

export const MAX_COLUMNS = 200;

export type Grid = CellValue[][];

/** Total declared uncompressed size and entry count of a zip, or null when it is not a readable zip. */
export const zipContentSize = zipDeclared;

/**
 * A cell's value as the importers use it. NUL characters are dropped: exceljs decodes the OOXML
 * escape _x0000_ into one, and PostgreSQL refuses NUL in text (a directory import answered 500).
 */
function plain(v: ExcelJS.CellValue): CellValue {
  const out = value(v);
  return typeof out === 'string' ? out.replace(/\0/g, '') : out;
}

function value(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return value((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v && typeof (v as { text: unknown }).text === 'string') return (v as { text: string }).text;
  }
  return null;
}

export async function readWorkbook(bytes: Buffer): Promise<Grid[]> {
  const wb = await loadWorkbook(bytes);
  return wb.worksheets.map((ws) => {
    const grid: Grid = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      // findCell, not eachCell: includeEmpty creates every missing cell up to the last one, and
      // without it exceljs walks a sparse array of 16,384 slots per row when a cell sits at XFD.
      const cells: CellValue[] = [];
      for (let c = 1; c <= Math.min(row.cellCount, MAX_COLUMNS); c++) cells.push(plain(row.findCell(c)?.value ?? null));
      grid[n - 1] = cells;
    });
    for (let i = 0; i < grid.length; i++) grid[i] ??= [];
    return grid;
  });
}
