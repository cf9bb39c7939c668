/** Spreadsheets for the directory import tests. */
import ExcelJS from 'exceljs';

/** A workbook with the given sheets of text rows. */
export async function xlsx(sheets: Record<string, string[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
