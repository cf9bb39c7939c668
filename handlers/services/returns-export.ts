/**
 * Excel files of the returns, in the plan's layout: row 1 the title (“附件5 服务上线计划表”), row 2
 * the 填报单位 line (template) or a summary (export), row 3 the printed header, then the rows.
 * - the template: the plan's 样例 row (the upload reader skips it), ten numbered empty rows and the
 *   填报须知 below;
 * - the export of an annex: every unit's current rows, with 填报单位, 报送时间 and 问题 (the
 *   violations of the row) after the template's columns, and the cells at fault shaded.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Database } from '../../prisma/client.ts';
import type { Violation } from '../../domain/returns/rules.ts';
import { TEMPLATES, type AnnexNo, type ColumnDef, type ReturnTemplate } from '../../domain/returns/templates.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const HEADER_ROW = 3;

/** The plan's sample rows (附件1 样例, 附件5/6 first example), shown as 样例 in the template. */
const SAMPLES: Record<AnnexNo, Record<string, string>> = {
  1: {
    appName: 'XX应用', noticeDate: '2026-08-15', noticeChannel: 'XX移动端、XX网站', noticeContent: '主要内容文本',
    offlineMaterials: '公交车广告、办事大厅海报、大楼巨型广告牌等', offlinePlan: '2026-9-30完成所有广告牌替换', shutdownDate: '2026-11-15关闭XX微信小程序、支付宝小程序、移动端',
  },
  5: { serviceName: 'XX市住房公积金账户明细查询', nature: '个人', status: '已上线', registered: '是', capabilities: '人脸识别/消息推送/办件状态/事后评价', aiService: '已上线', uiSpec: '是', tracking: '是', launchDate: '2026年7月30日' },
  6: { serviceName: 'XX市老年人福利补贴申请', nature: '适老', status: '已上线', registered: '是', capabilities: '人脸识别/消息推送/办件状态/事后评价', aiService: '已上线', uiSpec: '是', tracking: '是', launchDate: '2026年7月30日' },
};

const THIN = { style: 'thin' as const, color: { argb: 'FFB7BEC8' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const BAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE1DE' } };

interface ExtraColumn {
  key: string;
  header: string;
  width: number;
}

function layout(ws: ExcelJS.Worksheet, t: ReturnTemplate, line2: string, extra: ExtraColumn[]): (ColumnDef | ExtraColumn)[] {
  const cols: (ColumnDef | ExtraColumn)[] = [...t.columns, ...extra];
  ws.columns = cols.map((c) => ({ key: c.key, width: c.width }));
  ws.addRow([t.title]);
  ws.mergeCells(1, 1, 1, cols.length);
  const title = ws.getCell(1, 1);
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center' };
  ws.addRow([line2]);
  ws.mergeCells(2, 1, 2, cols.length);
  const header = ws.addRow(cols.map((c) => c.header));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  header.eachCell((c) => {
    c.border = BORDER;
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F4F7' } };
  });
  ws.views = [{ state: 'frozen', ySplit: HEADER_ROW }];
  return cols;
}

function bodyRow(ws: ExcelJS.Worksheet, values: unknown[]): ExcelJS.Row {
  const row = ws.addRow(values);
  row.alignment = { wrapText: true, vertical: 'top' };
  for (let i = 1; i <= values.length; i++) row.getCell(i).border = BORDER;
  return row;
}

/** The empty template of an annex. */
export async function templateWorkbook(annex: AnnexNo): Promise<Buffer> {
  const t = TEMPLATES[annex];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  const ws = wb.addWorksheet(`附件${annex}`);
  const cols = layout(ws, t, '填报单位（盖章）：                    联系人：                    联系电话：', []);
  const sample = bodyRow(ws, cols.map((c) => (c.key === 'seq' ? '样例' : (SAMPLES[annex][c.key] ?? ''))));
  sample.font = { color: { argb: 'FF8F959E' }, italic: true };
  for (let i = 1; i <= 10; i++) bodyRow(ws, cols.map((c) => (c.key === 'seq' ? i : '')));
  ws.addRow([]);
  ws.addRow(['填报须知：']).font = { bold: true };
  t.notes.forEach((n, i) => ws.addRow([`${i + 1}.${n}`]));
  ws.addRow([`${t.notes.length + 1}.“样例”行仅供参考，上传时会被忽略；日期可写作 2026-08-15、2026/8/15 或 2026年8月15日。`]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every unit's current rows of an annex, in directory order. */
export async function exportAnnex(db: Database, annex: AnnexNo, now: Date): Promise<{ buffer: Buffer; rows: number; units: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  const { rows, units } = await addAnnexSheet(db, wb, annex, now);
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows, units };
}

/**
 * All three annexes, one sheet each, written under the export directory (for `/导出 回执`, whose
 * link is served by /exports/:name). `units` is the number of (unit, annex) returns included.
 */
export async function exportReturnsToFile(db: Database, dir: string, now: Date): Promise<{ file: string; name: string; rows: number; units: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  let rows = 0;
  let units = 0;
  for (const annex of [1, 5, 6] as AnnexNo[]) {
    const r = await addAnnexSheet(db, wb, annex, now);
    rows += r.rows;
    units += r.units;
  }
  await mkdir(dir, { recursive: true });
  const name = `回执汇总-${now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })}-${randomBytes(4).toString('hex')}.xlsx`;
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return { file, name, rows, units };
}

async function addAnnexSheet(db: Database, wb: ExcelJS.Workbook, annex: AnnexNo, now: Date): Promise<{ rows: number; units: number }> {
  const t = TEMPLATES[annex];
  const current = await db.sql.query<{ id: unknown }>('SELECT MAX(id) AS id FROM return_submission WHERE annex = ? GROUP BY unit_code', [annex]);
  const ids = current.map((c) => Number(c.id));
  const subs = await db.prisma.returnSubmission.findMany({ where: { id: { in: ids } }, select: { id: true, unitCode: true, createdAt: true } });
  const unitRows = await db.prisma.unit.findMany({ where: { code: { in: subs.map((s) => s.unitCode) } }, select: { code: true, name: true, sortOrder: true } });
  const unitOf = new Map(unitRows.map((u) => [u.code, u]));
  subs.sort((a, b) => (unitOf.get(a.unitCode)?.sortOrder ?? 0) - (unitOf.get(b.unitCode)?.sortOrder ?? 0) || a.unitCode.localeCompare(b.unitCode));

  const ws = wb.addWorksheet(`附件${annex}`);
  const stamp = now.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
  const extra: ExtraColumn[] = [
    { key: 'unit', header: '填报单位', width: 18 },
    { key: 'submittedAt', header: '报送时间', width: 18 },
    { key: 'problems', header: '问题', width: 60 },
  ];
  const cols = layout(ws, t, '', extra);
  const allRows = await db.prisma.returnRow.findMany({ where: { submissionId: { in: ids } }, orderBy: [{ rowNo: 'asc' }, { id: 'asc' }] });
  let n = 0;
  for (const s of subs) {
    const rows = allRows.filter((r) => r.submissionId === s.id);
    const when = s.createdAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
    for (const r of rows) {
      const data = JSON.parse(r.data) as Record<string, string>;
      const violations = JSON.parse(r.violations) as Violation[];
      n++;
      const values = cols.map((c) => {
        if (c.key === 'seq') return n;
        if (c.key === 'unit') return unitOf.get(s.unitCode)?.name ?? s.unitCode;
        if (c.key === 'submittedAt') return when;
        if (c.key === 'problems') return violations.map((v) => v.message).join('\n');
        return data[c.key] ?? '';
      });
      const row = bodyRow(ws, values);
      for (const v of violations) {
        const i = v.column ? cols.findIndex((c) => c.key === v.column) : -1;
        if (i >= 0 && v.severity === 'error') row.getCell(i + 1).fill = BAD_FILL;
      }
    }
  }
  ws.getCell(2, 1).value = `${subs.length} 个单位报送，共 ${n} 行；导出时间 ${stamp}；“问题”列为规则检查结果，标红单元格需修改。`;
  return { rows: n, units: subs.length };
}
