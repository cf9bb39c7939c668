/**
 * Cell values of a return as units type them: full-width characters, stray spaces, dates written
 * 2026-07-30, 2026/7/30, 2026.7.30, 2026年7月30日, 7月30日 (the plan's year), 20260730, or Excel
 * date cells (a Date, or a serial number when the cell lost its date format).
 */
import { isoDate } from '../plan/deadline.ts';

/** A cell as a spreadsheet reader gives it. */
export type CellValue = string | number | boolean | Date | null | undefined;

export const PLAN_YEAR = 2026;

/** NFKC (full-width → half-width), line breaks and runs of spaces → one space, trimmed. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u3000\u00a0]+/g, ' ').trim();
}

/** For comparing names and headers: NFKC without any whitespace or required-field stars. */
export function compactText(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u3000\u00a0*＊]+/g, '');
}

/** Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29). */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 20000 || serial > 80000) return null;
  const d = new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/**
 * A cell as text. Date cells become YYYY-MM-DD: spreadsheet readers give dates at UTC midnight
 * (Excel stores no time zone), so the UTC calendar day is the day typed.
 */
export function cellToText(value: CellValue, dateColumn = false): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number') {
    if (dateColumn) {
      const iso = excelSerialToIso(value);
      if (iso) return iso;
    }
    return String(value);
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  return normalizeText(value);
}

const FULL = /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?/g;
const COMPACT = /(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)/g;
const NO_YEAR = /(?<![\d年./-])(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;

/**
 * Every date written in a cell, in order of appearance (a shutdown cell may read
 * “2026-11-15关闭XX小程序；2026-12-20关闭APP”). Impossible dates (2026-02-30) are not dates.
 */
export function datesIn(text: string, year = PLAN_YEAR): string[] {
  const s = text.normalize('NFKC');
  const found: { at: number; iso: string }[] = [];
  const taken: [number, number][] = [];
  const add = (m: RegExpExecArray, y: number, mo: number, d: number) => {
    taken.push([m.index, m.index + m[0].length]);
    const iso = isoDate(y, mo, d);
    if (iso) found.push({ at: m.index, iso });
  };
  for (const m of s.matchAll(FULL)) add(m, Number(m[1]), Number(m[2]), Number(m[3]));
  for (const m of s.matchAll(COMPACT)) add(m, Number(m[1]), Number(m[2]), Number(m[3]));
  for (const m of s.matchAll(NO_YEAR)) {
    if (taken.some(([a, b]) => m.index >= a && m.index < b)) continue;
    add(m, year, Number(m[1]), Number(m[2]));
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.iso);
}

/** `iso` moved back by whole calendar months, clamped to the month's end (12-31 − 2 months = 10-31). */
export function monthsBefore(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** 2026-07-30 → 2026年7月30日 (as the plan writes dates). */
export function zhDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
