/**
 * The rule checks of the returns. Each violation has a code, the column it is about, a Chinese
 * message naming the row and the column, and a severity: errors make a row non-compliant,
 * warnings (a service outside the unit's catalogue, a duplicate row) are shown but do not count.
 *
 * Where each rule comes from in the plan (prisma/seed/plan-2026-xiangyiban.txt):
 *   附件5/6 填报须知 “请严格按照以下3个时间节点安排服务上线（2026年7月30日、2026年9月30日、2026年11月30日）”
 *     → RETURN_LAUNCH_DATE
 *   “办件状态、事后评价能力是必接项” → RETURN_CAPABILITY_MISSING
 *   “避免……使用内部化、模糊化简称” → RETURN_VAGUE_NAME (see names.ts)
 *   附件2 任务1 “10月底前，在计划关停时间2个月前在原移动端发布迁移公告 … 12月底前关停原有移动端入口”
 *     → RETURN_NOTICE_LEAD, RETURN_NOTICE_LATE, RETURN_SHUTDOWN_LATE
 *   “比对附件3/附件4” → RETURN_NOT_IN_CATALOGUE (warning)
 * A cell with several dates is judged by its earliest notice and its earliest and latest shutdown.
 */
import { cellToText, compactText, datesIn, monthsBefore, zhDate, type CellValue } from './cells.ts';
import { inCatalogue, isPlaceholderName, vagueNameMessage, vagueNameReason } from './names.ts';
import { CAPABILITIES, REQUIRED_CAPABILITIES, dataColumns, type ColumnDef, type ReturnTemplate } from './templates.ts';

export const LAUNCH_DATES = ['2026-07-30', '2026-09-30', '2026-11-30'] as const;
export const NOTICE_BY = '2026-10-31';
export const SHUTDOWN_BY = '2026-12-31';
export const NOTICE_LEAD_MONTHS = 2;

export type RuleCode =
  | 'RETURN_REQUIRED'
  | 'RETURN_UNIT_MISMATCH'
  | 'RETURN_DATE_INVALID'
  | 'RETURN_VALUE_NOT_ALLOWED'
  | 'RETURN_LAUNCH_DATE'
  | 'RETURN_CAPABILITY_MISSING'
  | 'RETURN_VAGUE_NAME'
  | 'RETURN_PLACEHOLDER_NAME'
  | 'RETURN_NOTICE_LATE'
  | 'RETURN_SHUTDOWN_LATE'
  | 'RETURN_NOTICE_LEAD'
  | 'RETURN_NOT_IN_CATALOGUE'
  | 'RETURN_DUPLICATE';

export type Severity = 'error' | 'warning';

export interface Violation {
  code: RuleCode;
  /** The column's key (null: the row as a whole). */
  column: string | null;
  severity: Severity;
  message: string;
}

/** One row as submitted: values by column key (cells as read, or as typed in the form). */
export interface ReturnRowInput {
  rowNo: number;
  values: Record<string, CellValue>;
}

export interface RuleContext {
  unit: { code: string; name: string; aliases: readonly string[] };
  /** The unit's 附件3 (for 附件5) or 附件4 (for 附件6) services; null: no catalogue check. */
  catalogue: readonly string[] | null;
}

export interface CheckedRow {
  rowNo: number;
  /** Values as text (dates of date cells as YYYY-MM-DD), by column key. */
  data: Record<string, string>;
  violations: Violation[];
}

/** Values of a row as stored text. */
export function rowText(t: ReturnTemplate, values: Record<string, CellValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of t.columns) {
    const v = cellToText(values[c.key], Boolean(c.date));
    if (v !== '') out[c.key] = v;
  }
  const unit = cellToText(values.unit);
  if (unit !== '') out.unit = unit;
  for (const cap of CAPABILITIES) {
    const v = cellToText(values[`cap:${cap}`]);
    if (v !== '') out[`cap:${cap}`] = v;
  }
  return out;
}

const spellingCache = new WeakMap<ColumnDef, Map<string, string>>();
function spellings(col: ColumnDef): Map<string, string> {
  let m = spellingCache.get(col);
  if (!m) {
    m = new Map();
    for (const [canon, list] of Object.entries(col.allowed ?? {})) for (const sp of list) m.set(compactText(sp).toUpperCase(), canon);
    spellingCache.set(col, m);
  }
  return m;
}

/** Canonical value of an enumerated cell (or of each part of a multi cell), null when not allowed. */
export function canonicalValue(col: ColumnDef, text: string): string | null {
  if (!col.allowed) return text;
  const known = spellings(col);
  const lookup = (s: string): string | null => known.get(compactText(s).toUpperCase()) ?? null;
  const whole = lookup(text);
  if (whole || !col.multi) return whole;
  const parts = text.split(/[/、,，;；和及\s]+/).filter(Boolean);
  const canon = parts.map(lookup);
  return parts.length > 1 && canon.every(Boolean) ? [...new Set(canon)].join('/') : null;
}

const AFFIRMATIVE = /^(是|具备|已具备|已对接|已接入|对接|接入|有|√|✓|✔|Y|YES)$/i;

/** Capabilities a row declares: named in 能力对接, or a capability column saying 是/具备. */
export function capabilitiesOf(data: Record<string, string>): Set<string> {
  const caps = new Set<string>();
  const text = compactText(data.capabilities ?? '');
  for (const cap of CAPABILITIES) {
    if (text.includes(cap)) caps.add(cap);
    const own = data[`cap:${cap}`];
    if (own && AFFIRMATIVE.test(compactText(own))) caps.add(cap);
  }
  return caps;
}

function unitMatches(text: string, unit: RuleContext['unit']): boolean {
  const t = compactText(text).replace(/\(盖章\)/g, '');
  const names = [unit.name, ...unit.aliases].map(compactText);
  if (t === unit.code) return true;
  return names.some((n) => t === n || t.includes(n) || (t.length >= 3 && n.includes(t)));
}

/** A cell as quoted in a message: long text is cut (the row keeps it whole) so the message stays readable. */
function quoted(v: string): string {
  const chars = [...v];
  return chars.length > 60 ? `${chars.slice(0, 50).join('')}…（共${chars.length}字）` : v;
}

/** Check one row. */
export function checkRow(t: ReturnTemplate, row: ReturnRowInput, ctx: RuleContext): CheckedRow {
  const data = rowText(t, row.values);
  const out: Violation[] = [];
  const at = (col: ColumnDef | null) => (col ? `第${row.rowNo}行「${col.header}」` : `第${row.rowNo}行`);
  const add = (code: RuleCode, col: ColumnDef | null, message: string, severity: Severity = 'error') =>
    out.push({ code, column: col?.key ?? null, severity, message: `${at(col)}${message}` });
  const cols = dataColumns(t);
  const col = (key: string) => cols.find((c) => c.key === key)!;

  // Capabilities may come as their own columns (办件状态 | 是) instead of the 能力对接 cell.
  const capColumns = Object.keys(data).some((k) => k.startsWith('cap:'));
  for (const c of cols) {
    const v = data[c.key];
    if (v === undefined) {
      if (c.required && !(c.key === 'capabilities' && capColumns)) add('RETURN_REQUIRED', c, '未填写。');
      continue;
    }
    if (c.allowed && !canonicalValue(c, v)) {
      add('RETURN_VALUE_NOT_ALLOWED', c, `为“${quoted(v)}”，应填写${Object.keys(c.allowed).map((k) => `“${k}”`).join('、')}${c.multi ? '（可多选，用“/”分隔）' : ''}。`);
    }
    // The launch date has its own rule (one of three dates), which also covers “not a date”.
    if (c.date && c.key !== 'launchDate' && datesIn(v).length === 0) {
      add('RETURN_DATE_INVALID', c, `“${quoted(v)}”不是有效日期，请按“2026-08-15”或“2026年8月15日”填写。`);
    }
  }

  if (data.unit !== undefined && !unitMatches(data.unit, ctx.unit)) {
    add('RETURN_UNIT_MISMATCH', null, `的填报单位为“${quoted(data.unit)}”，与报送单位“${ctx.unit.name}”不一致：只能报送本单位的报表。`);
  }

  if (t.annex === 1) checkShutdown(data, col, add);
  else checkService(t, data, ctx, col, add, capColumns);
  return { rowNo: row.rowNo, data, violations: out };
}

type Add = (code: RuleCode, col: ColumnDef | null, message: string, severity?: Severity) => void;

function checkShutdown(data: Record<string, string>, col: (k: string) => ColumnDef, add: Add): void {
  if (data.appName !== undefined && isPlaceholderName(data.appName)) {
    add('RETURN_PLACEHOLDER_NAME', col('appName'), `“${quoted(data.appName)}”是模板占位内容，请填写应用的实际名称。`);
  }
  const notices = datesIn(data.noticeDate ?? '').sort();
  const shutdowns = datesIn(data.shutdownDate ?? '').sort();
  const notice = notices[0];
  if (notice && notice > NOTICE_BY) {
    add('RETURN_NOTICE_LATE', col('noticeDate'), `${zhDate(notice)}晚于2026年10月31日：迁移公告须在10月底前发布。`);
  }
  const last = shutdowns.at(-1);
  if (last && last > SHUTDOWN_BY) {
    add('RETURN_SHUTDOWN_LATE', col('shutdownDate'), `${zhDate(last)}晚于2026年12月31日：原有移动端入口须在12月底前关停。`);
  }
  const first = shutdowns[0];
  if (notice && first) {
    const latest = monthsBefore(first, NOTICE_LEAD_MONTHS);
    if (notice > latest) {
      add('RETURN_NOTICE_LEAD', col('noticeDate'), `${zhDate(notice)}距关停时间${zhDate(first)}不足2个月：须在关停前至少2个月发布公告（不晚于${zhDate(latest)}）。`);
    }
  }
}

function checkService(t: ReturnTemplate, data: Record<string, string>, ctx: RuleContext, col: (k: string) => ColumnDef, add: Add, capColumns: boolean): void {
  const name = data.serviceName;
  if (name !== undefined) {
    const reason = vagueNameReason(name);
    if (reason) add('RETURN_VAGUE_NAME', col('serviceName'), `${vagueNameMessage(quoted(name), reason)}。`);
    else if (ctx.catalogue && !inCatalogue(name, ctx.catalogue)) {
      const list = `附件${t.catalogueAnnex}`;
      add('RETURN_NOT_IN_CATALOGUE', col('serviceName'), ctx.catalogue.length
        ? `“${quoted(name)}”不在本单位${list}清单中，请核实是否属于${list}所列服务（提示，不计入问题）。`
        : `本单位在${list}中没有服务清单，请核实“${quoted(name)}”是否属于${list}所列服务（提示，不计入问题）。`, 'warning');
    }
  }
  if (data.launchDate !== undefined) {
    const dates = datesIn(data.launchDate);
    const wrong = dates.filter((d) => !(LAUNCH_DATES as readonly string[]).includes(d));
    if (dates.length === 0 || wrong.length > 0) {
      const shown = dates.length === 0 ? `“${quoted(data.launchDate)}”` : `${wrong.slice(0, 5).map(zhDate).join('、')}${wrong.length > 5 ? `等${wrong.length}个日期` : ''}`;
      add('RETURN_LAUNCH_DATE', col('launchDate'), `为${shown}，服务上线时间只能是2026年7月30日、2026年9月30日或2026年11月30日。`);
    }
  }
  if (data.capabilities !== undefined || capColumns) {
    const caps = capabilitiesOf(data);
    const missing = REQUIRED_CAPABILITIES.filter((c) => !caps.has(c));
    if (missing.length) {
      add('RETURN_CAPABILITY_MISSING', col('capabilities'), `未具备“${missing.join('”“')}”：办件状态、事后评价能力是必接项。`);
    }
  }
}

/** Check all rows of a return; duplicates (same app or service name twice) are warned on the later row. */
export function checkRows(t: ReturnTemplate, rows: readonly ReturnRowInput[], ctx: RuleContext): CheckedRow[] {
  const nameKey = t.annex === 1 ? 'appName' : 'serviceName';
  const nameCol = t.columns.find((c) => c.key === nameKey)!;
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const checked = checkRow(t, r, ctx);
    const name = checked.data[nameKey];
    if (name !== undefined) {
      const k = compactText(name);
      const first = seen.get(k);
      if (first !== undefined) {
        checked.violations.push({ code: 'RETURN_DUPLICATE', column: nameKey, severity: 'warning', message: `第${r.rowNo}行「${nameCol.header}」“${quoted(name)}”与第${first}行重复（提示，不计入问题）。` });
      } else seen.set(k, r.rowNo);
    }
    return checked;
  });
}

export function hasErrors(row: { violations: readonly Violation[] }): boolean {
  return row.violations.some((v) => v.severity === 'error');
}
