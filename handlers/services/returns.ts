/**
 * Returns (报表填报) of 附件1, 附件5 and 附件6: a unit's rows are checked against the rules and stored
 * as a submission, whatever the violations (the unit sees what to fix; compliance counts them). The
 * latest submission of an (annex, unit) is its current return; earlier ones stay as history.
 * `violationCount` of a submission is the number of its rows with at least one error.
 */
import type { Database } from '../../prisma/client.ts';
import { checkRows, hasErrors, type CheckedRow, type ReturnRowInput, type RuleContext, type Violation } from '../../domain/returns/rules.ts';
import { readSheet, type SheetRead } from '../../domain/returns/sheet.ts';
import { TEMPLATES, type AnnexNo } from '../../domain/returns/templates.ts';
import { readWorkbook, WorkbookError } from './returns-excel.ts';

export const MAX_RETURN_ROWS = 2000;

export interface ReturnUnit {
  code: string;
  name: string;
  aliases: string[];
}

export interface StoredReturn {
  id: number;
  annex: AnnexNo;
  unitCode: string;
  unitName: string;
  source: 'UPLOAD' | 'FORM';
  fileName: string | null;
  submittedBy: string;
  createdAt: string;
  rowCount: number;
  /** Rows with at least one error. */
  errorRows: number;
  warnings: number;
  rows: CheckedRow[];
}

/** A unit that owes returns (provincial or city), or null. */
export async function returnUnit(db: Database, code: string): Promise<ReturnUnit | null> {
  const u = await db.prisma.unit.findUnique({ where: { code }, select: { code: true, name: true, aliases: true, kind: true } });
  if (!u || u.kind === 'BUREAU') return null;
  return { code: u.code, name: u.name, aliases: JSON.parse(u.aliases) as string[] };
}

export async function ruleContext(db: Database, annex: AnnexNo, unit: ReturnUnit): Promise<RuleContext> {
  const list = TEMPLATES[annex].catalogueAnnex;
  if (!list) return { unit, catalogue: null };
  const items = await db.prisma.serviceItem.findMany({ where: { unitCode: unit.code, annex: list }, select: { name: true }, distinct: ['name'] });
  return { unit, catalogue: items.map((i) => i.name) };
}

export async function checkReturn(db: Database, annex: AnnexNo, unit: ReturnUnit, rows: readonly ReturnRowInput[]): Promise<CheckedRow[]> {
  return checkRows(TEMPLATES[annex], rows, await ruleContext(db, annex, unit));
}

export type UploadRead = { ok: true; sheet: SheetRead; sheetName: string } | { ok: false; code: string; message: string };

/** The return in an uploaded workbook: the first worksheet whose header is the annex's. */
export async function readReturnUpload(annex: AnnexNo, bytes: Buffer): Promise<UploadRead> {
  const t = TEMPLATES[annex];
  let grids;
  try {
    grids = await readWorkbook(bytes);
  } catch (e) {
    if (e instanceof WorkbookError) return { ok: false, code: e.code, message: e.message };
    throw e;
  }
  for (const [i, grid] of grids.entries()) {
    const sheet = readSheet(t, grid);
    if (!sheet) continue;
    if (sheet.missing.length) {
      return { ok: false, code: 'RETURN_COLUMNS_MISSING', message: `${t.title}的表头（第${sheet.headerRow}行）缺少以下列：${sheet.missing.join('、')}。请使用本页下载的模板填写。` };
    }
    if (sheet.rows.length === 0) return { ok: false, code: 'RETURN_NO_ROWS', message: `表格中没有读到数据行（表头在第${sheet.headerRow}行）。没有需要填报的内容时，请在页面上提交“无”（零报告）。` };
    if (sheet.rows.length > MAX_RETURN_ROWS) return { ok: false, code: 'RETURN_TOO_MANY_ROWS', message: `数据行超过 ${MAX_RETURN_ROWS} 行，请检查表格。` };
    return { ok: true, sheet, sheetName: String(i + 1) };
  }
  const names = t.columns.filter((c) => c.key !== 'seq').map((c) => c.header).join('、');
  return { ok: false, code: 'RETURN_NO_HEADER', message: `没有找到${t.title}的表头：应有一行列名包含 ${names}。请使用本页下载的模板填写。` };
}

export interface StoreInput {
  annex: AnnexNo;
  unit: ReturnUnit;
  source: 'UPLOAD' | 'FORM';
  fileName: string | null;
  rows: readonly ReturnRowInput[];
  submittedBy: string;
  now: Date;
}

export async function storeReturn(db: Database, input: StoreInput): Promise<StoredReturn> {
  const checked = await checkReturn(db, input.annex, input.unit, input.rows);
  const errorRows = checked.filter(hasErrors).length;
  const sub = await db.prisma.returnSubmission.create({
    data: {
      annex: input.annex,
      unitCode: input.unit.code,
      source: input.source,
      fileName: input.fileName,
      rowCount: checked.length,
      violationCount: errorRows,
      submittedBy: input.submittedBy,
      createdAt: input.now,
      rows: { createMany: { data: checked.map((r) => ({ rowNo: r.rowNo, data: JSON.stringify(r.data), violations: JSON.stringify(r.violations) })) } },
    },
  });
  return {
    id: sub.id, annex: input.annex, unitCode: input.unit.code, unitName: input.unit.name, source: input.source, fileName: input.fileName,
    submittedBy: input.submittedBy, createdAt: sub.createdAt.toISOString(), rowCount: checked.length, errorRows,
    warnings: checked.reduce((n, r) => n + r.violations.filter((v) => v.severity === 'warning').length, 0), rows: checked,
  };
}

/** The current return of an (annex, unit) with its rows, or null when none was submitted. */
export async function currentReturn(db: Database, annex: AnnexNo, unit: ReturnUnit): Promise<StoredReturn | null> {
  const sub = await db.prisma.returnSubmission.findFirst({
    where: { annex, unitCode: unit.code },
    orderBy: { id: 'desc' },
    include: { rows: { orderBy: [{ rowNo: 'asc' }, { id: 'asc' }] } },
  });
  if (!sub) return null;
  const rows: CheckedRow[] = sub.rows.map((r) => ({ rowNo: r.rowNo, data: JSON.parse(r.data) as Record<string, string>, violations: JSON.parse(r.violations) as Violation[] }));
  return {
    id: sub.id, annex, unitCode: unit.code, unitName: unit.name, source: sub.source === 'UPLOAD' ? 'UPLOAD' : 'FORM', fileName: sub.fileName,
    submittedBy: sub.submittedBy, createdAt: sub.createdAt.toISOString(), rowCount: sub.rowCount, errorRows: sub.violationCount,
    warnings: rows.reduce((n, r) => n + r.violations.filter((v) => v.severity === 'warning').length, 0), rows,
  };
}

/** Earlier submissions of an (annex, unit), newest first (without rows). */
export async function returnHistory(db: Database, annex: AnnexNo, unitCode: string, limit = 10) {
  const subs = await db.prisma.returnSubmission.findMany({
    where: { annex, unitCode },
    orderBy: { id: 'desc' },
    take: limit,
    select: { id: true, source: true, fileName: true, rowCount: true, violationCount: true, submittedBy: true, createdAt: true },
  });
  return subs.map((s) => ({ ...s, errorRows: s.violationCount, createdAt: s.createdAt.toISOString() }));
}
