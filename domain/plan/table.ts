/**
 * Sections and tables of a Word text export.
 *
 * Layout of the export: an annex starts with a heading line `附件N` followed by its title; a table
 * is a run of cell lines, each starting with a tab (`\t`), one cell per line (extra leading tabs are
 * ignored); rows are usually separated by blank lines, but blank lines also occur inside a row. A
 * line without a leading tab continues the previous cell (a cell split over several paragraphs).
 * The first row is the header; its cell count N fixes the row width, and rows are cut every N cells.
 */
import { clean, stripMarks } from './text.ts';

export interface Cell {
  /** Non-empty paragraphs of the cell, trimmed. */
  lines: string[];
  /** 1-based line number where the cell starts. */
  line: number;
}

export interface Row {
  cells: Cell[];
  /** 1-based line number of the row's first cell. */
  line: number;
}

export interface Table {
  header: string[];
  rows: Row[];
}

export interface Section {
  /** N of the `附件N` heading; null for the text before the first heading. */
  annex: number | null;
  /** 1-based line number of the heading (1 for the preamble). */
  line: number;
  /** Title paragraphs between the heading and the table. */
  title: string;
  /** Lines of the section without the table (marks stripped). */
  text: { no: number; text: string }[];
  table: Table | null;
}

const HEADING_RE = /^附件\s*([0-9０-９]{1,2})\s*(?:[:：]\s*(.*))?$/;

/** Text of a cell: paragraphs joined with `sep` (default: no separator, as Chinese wraps). */
export function cellText(cell: Cell | undefined, sep = ''): string {
  return cell ? cell.lines.join(sep) : '';
}

function toAsciiDigits(s: string): string {
  return s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
}

/** Split the document into the preamble and the `附件N` sections, each with its table (if any). */
export function splitSections(text: string): Section[] {
  const lines = text.split('\n').map(stripMarks);
  const chunks: { annex: number | null; line: number; inlineTitle: string; body: { no: number; text: string }[] }[] = [
    { annex: null, line: 1, inlineTitle: '', body: [] },
  ];
  lines.forEach((raw, i) => {
    const m = raw.startsWith('\t') ? null : HEADING_RE.exec(clean(raw));
    if (m) {
      chunks.push({ annex: Number(toAsciiDigits(m[1] ?? '')), line: i + 1, inlineTitle: clean(m[2] ?? ''), body: [] });
    } else {
      chunks[chunks.length - 1]?.body.push({ no: i + 1, text: raw });
    }
  });
  return chunks.map((c) => {
    const firstCell = c.body.findIndex((l) => l.text.startsWith('\t'));
    const before = firstCell < 0 ? c.body : c.body.slice(0, firstCell);
    const titleParts = [c.inlineTitle, ...before.map((l) => clean(l.text))].filter((s) => s !== '');
    return {
      annex: c.annex,
      line: c.line,
      title: titleParts.join(''),
      text: before,
      table: firstCell < 0 ? null : parseTable(c.body.slice(firstCell)),
    };
  });
}

/** Parse the table that starts at the first line of `body` (a cell line). */
export function parseTable(body: { no: number; text: string }[]): Table {
  const rows: Row[] = [];
  let width = 0; // 0 until the header row is closed by the first blank line
  let current: Cell[] = [];
  let blankGap = false;
  let ended = false;

  const closeRow = (): void => {
    const first = current[0];
    if (first) rows.push({ cells: current, line: first.line });
    current = [];
  };

  for (const { no, text } of body) {
    if (ended) break;
    const value = clean(text);
    if (text.startsWith('\t')) {
      // Without a blank line after the header, a bare number after text cells opens the first row.
      if (width === 0 && /^\d+$/.test(value) && current.length > 1 && current.every((c) => !/^\d+$/.test(cellText(c)))) {
        width = current.length;
        closeRow();
      }
      if (width > 0 && current.length >= width) closeRow();
      current.push({ lines: value === '' ? [] : [value.replace(/\t+/g, ' ')], line: no });
      blankGap = false;
    } else if (value === '') {
      if (width === 0 && current.length > 0) {
        width = current.length;
        closeRow();
      }
      blankGap = true;
    } else {
      // A paragraph without a tab continues the previous cell — unless the row is complete, its last
      // cell already has text and a blank line came between: then it is text after the table.
      const last = current[current.length - 1] ?? rows[rows.length - 1]?.cells.at(-1);
      const rowOpen = width === 0 || (current.length > 0 && current.length < width);
      if (last && (!blankGap || rowOpen || last.lines.length === 0)) last.lines.push(value);
      else ended = true;
    }
  }
  if (width === 0) width = current.length;
  closeRow();
  const [header, ...data] = rows;
  for (const row of data) {
    while (row.cells.length < width) row.cells.push({ lines: [], line: row.line });
  }
  return { header: header ? header.cells.map((c) => cellText(c)) : [], rows: data };
}

/** Index of the first header cell matching one of `names` (after removing spaces), or -1. */
export function columnIndex(header: string[], ...names: string[]): number {
  const norm = header.map((h) => h.replace(/[\s\u3000]/g, ''));
  for (const name of names) {
    const i = norm.indexOf(name);
    if (i >= 0) return i;
  }
  return -1;
}

/** True when every cell of the row is empty. */
export function isEmptyRow(row: Row): boolean {
  return row.cells.every((c) => c.lines.length === 0);
}
