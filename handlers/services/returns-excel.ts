/**
 * An uploaded .xlsx → cell grids (exceljs), one per worksheet. The zip's central directory is read
 * first and a workbook that declares more than 100 MB of content or 2,000 parts is refused before
 * anything is inflated (a 10 MB upload must not become gigabytes in memory).
 */
import ExcelJS from 'exceljs';
import type { CellValue } from '../../domain/returns/cells.ts';

export const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024;
const MAX_ENTRIES = 2000;
/** Sheets larger than this are not returns (a unit's table has tens of rows). */
const MAX_SHEET_ROWS = 10_000;

export type Grid = CellValue[][];

export class WorkbookError extends Error {
  constructor(readonly code: 'NOT_XLSX' | 'TOO_LARGE_UNZIPPED' | 'TOO_MANY_ROWS', message: string) {
    super(message);
  }
}

/** Total declared uncompressed size and entry count of a zip, or null when it is not a readable zip. */
export function zipContentSize(buf: Buffer): { bytes: number; entries: number } | null {
  const stop = Math.max(0, buf.length - 65_557);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) !== 0x06054b50) continue;
    const entries = buf.readUInt16LE(i + 10);
    let p = buf.readUInt32LE(i + 16);
    let bytes = 0;
    for (let e = 0; e < entries; e++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
      const size = buf.readUInt32LE(p + 24);
      if (size === 0xffffffff) return { bytes: Infinity, entries }; // zip64: far beyond any return
      bytes += size;
      p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    }
    return { bytes, entries };
  }
  return null;
}

function plain(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return plain((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ('text' in v && typeof (v as { text: unknown }).text === 'string') return (v as { text: string }).text;
  }
  return null;
}

export async function readWorkbook(bytes: Buffer): Promise<Grid[]> {
  const size = zipContentSize(bytes);
  if (!size) throw new WorkbookError('NOT_XLSX', '文件不是有效的 Excel（.xlsx）工作簿。');
  if (size.bytes > MAX_UNZIPPED_BYTES || size.entries > MAX_ENTRIES) {
    throw new WorkbookError('TOO_LARGE_UNZIPPED', '工作簿解压后内容过大，请只保留报表所在的工作表后再上传。');
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new WorkbookError('NOT_XLSX', '无法读取该 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后重新上传。');
  }
  return wb.worksheets.map((ws) => {
    if (ws.rowCount > MAX_SHEET_ROWS) throw new WorkbookError('TOO_MANY_ROWS', `工作表「${ws.name}」超过 ${MAX_SHEET_ROWS} 行，不像是报表，请检查后重新上传。`);
    const grid: Grid = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const cells: CellValue[] = [];
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        cells[c - 1] = plain(cell.value);
      });
      grid[n - 1] = cells;
    });
    for (let i = 0; i < grid.length; i++) grid[i] ??= [];
    return grid;
  });
}
