/**
 * 附件3 高频服务清单 and 附件4 适老、适残高频服务清单 → {@link PlanServiceList}s.
 *
 * - Service text is split at 、 ； 。 outside brackets: "社保缴费（含城乡居民、灵活就业人员…）" is one
 *   service. Prefixes like "集成14个市州" and trailing punctuation are stripped, and so is a closing
 *   summary such as "等6大类个人服务" ("变更等6大类个人服务" → "变更").
 * - A blank unit cell belongs to the unit above (merged cell).
 * - The unit cell is a unit list: "各市州" → each city, "省直住房资金管理中心、各市州" → that unit and
 *   each city. A unit cell that does not resolve to units is a bad row (PLAN_BAD_ROW).
 * - One list per (unit, annex), annex 3 first, units in order of appearance.
 */
import { DomainError } from '../errors.ts';
import { resolveUnitList } from './responsible.ts';
import { cellText, columnIndex, isEmptyRow, type Table } from './table.ts';
import { clean } from './text.ts';
import type { PlanServiceList } from './types.ts';
import type { UnitDirectory } from './units.ts';

export interface ServiceRow {
  annex: 3 | 4;
  /** The unit cell, carried down from the row above when blank. */
  unit: string;
  services: string[];
  line: number;
}

/** Column positions when `header` is a service list (附件3/附件4), else null. */
export function serviceColumns(header: string[]): { unit: number; services: number } | null {
  const unit = columnIndex(header, '单位', '所属部门', '部门', '所属单位', '责任单位');
  const services = columnIndex(header, '服务类别', '名称', '服务名称', '服务事项', '服务');
  return unit < 0 || services < 0 ? null : { unit, services };
}

/** Split one service cell into service names. */
export function splitServices(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text.replace(/\n/g, '')) {
    if (ch === '（' || ch === '(') depth++;
    else if ((ch === '）' || ch === ')') && depth > 0) depth--;
    if (depth === 0 && '、；;。'.includes(ch)) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  const out: string[] = [];
  for (const p of parts) {
    const name = clean(p)
      .replace(/^集成(?:\d+|[一二三四五六七八九十]+|各)个?市州的?/, '')
      .replace(/等(?:\d+|[一二三四五六七八九十]+)?大?类?[^（）()、]{0,8}?(?:服务|事项|业务)$/, '')
      .replace(/^[\s\u3000，,：:]+|[\s\u3000，,：:.．]+$/g, '');
    if (name !== '' && !out.includes(name)) out.push(name);
  }
  return out;
}

function badRow(line: number, annex: 3 | 4, text: string, why: string, whyEn: string): DomainError {
  return new DomainError(
    'PLAN_BAD_ROW',
    `附件${annex}服务清单第 ${line} 行${why}：“${text}”`,
    `annex ${annex} service row at line ${line}: ${whyEn}: ${text}`,
    { line, row: text },
  );
}

/** Data rows of a service table; blank unit cells take the unit of the row above. */
export function readServiceRows(table: Table, annex: 3 | 4, cols: { unit: number; services: number }): ServiceRow[] {
  const out: ServiceRow[] = [];
  let unit = '';
  for (const row of table.rows) {
    if (isEmptyRow(row)) continue;
    const unitText = (row.cells[cols.unit]?.lines ?? []).join('、');
    const services = splitServices(clean(cellText(row.cells[cols.services])));
    if (unitText !== '') unit = unitText;
    if (services.length === 0) continue;
    if (unit === '') {
      throw badRow(row.line, annex, services.join('、'), '没有所属单位', 'no unit for the services');
    }
    out.push({ annex, unit, services, line: row.line });
  }
  return out;
}

/** Resolve the rows' units and group the services per (unit, annex). */
export function buildServiceLists(rows: ServiceRow[], dir: UnitDirectory): PlanServiceList[] {
  const lists = new Map<string, PlanServiceList>();
  const ordered = [...rows].sort((a, b) => a.annex - b.annex); // stable: keeps row order per annex
  for (const row of ordered) {
    const { units, unresolved } = resolveUnitList(row.unit, dir);
    if (unresolved.length > 0 || units.length === 0) {
      throw badRow(row.line, row.annex, row.unit, '的单位无法识别', `unit not resolvable (${unresolved.join(', ')})`);
    }
    for (const unit of units) {
      const key = `${row.annex}:${unit}`;
      let list = lists.get(key);
      if (!list) {
        list = { unit, annex: row.annex, services: [] };
        lists.set(key, list);
      }
      for (const s of row.services) if (!list.services.includes(s)) list.services.push(s);
    }
  }
  return [...lists.values()];
}
