import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../domain/plan/parse.ts';
import { seedText } from './fixtures.ts';

const base = seedText();
const expected = parsePlan(base);

const HEADING = /^[ \t]*(?:\[bookmark:[^\]]*\])*附件\d+[ \t]*$/m;

/** Split the document into [preamble, ...annex sections], each starting at its `附件N` heading. */
function annexes(text: string): string[] {
  return text.split(new RegExp(`(?=${HEADING.source})`, 'm'));
}

/** The task table of 附件2 split into header and row chunks (a row starts with its 序号 cell). */
function taskRows(text: string): { before: string; header: string; rows: string[]; after: string } {
  const start = text.indexOf('\t序号\n\t工作任务');
  const end = text.indexOf('附件3\n');
  const region = text.slice(start, end);
  const [header = '', ...rows] = region.split(/(?=^\t\d+\n)/m);
  return { before: text.slice(0, start), header, rows: rows.map((r) => r.replace(/\n+$/, '')), after: text.slice(end) };
}

const variants: [string, () => string][] = [
  ['extra blank lines between rows', () => base.replace(/\n\n\t/g, '\n\n\n\n\t')],
  [
    'extra blank lines inside rows and cells',
    () =>
      base
        .replace(/^(\t(?:\d{4}年\d+月|持续))$/gm, '\n$1') // between 具体内容 and 完成时间
        .replace(/\t\n省直各单位、各市州/g, '\t\n\n\n省直各单位、各市州')
        .replace(/\t\n省直有关单位/g, '\t\n\n省直有关单位'),
  ],
  ['CRLF line endings', () => base.replace(/\n/g, '\r\n')],
  ['UTF-8 BOM and CRLF', () => `\uFEFF${base.replace(/\n/g, '\r\n')}`],
  [
    'task rows in a different order',
    () => {
      const t = taskRows(base);
      const rows = [...t.rows].reverse();
      [rows[3], rows[10]] = [rows[10] ?? '', rows[3] ?? ''];
      return `${t.before}${t.header}${rows.join('\n\n')}\n\n\n${t.after}`;
    },
  ],
  [
    'annexes reordered',
    () => {
      const [pre = '', ...secs] = annexes(base);
      return [pre, ...[...secs].reverse()].join('');
    },
  ],
  [
    'extra [bookmark] and [image] marks',
    () =>
      base
        .replace(/^\t(\d+)$/gm, '\t[bookmark: x$1]$1')
        .replace(/\n\n\t/g, '\n[bookmark: between]\n\n\t')
        .replace(/省数据局/g, '省[bookmark: y]数据局')
        .replace(/^附件2$/m, '[bookmark: _Hlk1]附件2')
        .replace(/\t2026年12月/g, '\t[image: ]2026年12月'),
  ],
  ['trailing spaces and full-width spaces in cells', () => base.replace(/^(\t[^\n]+)$/gm, '$1 \u3000')],
];

describe('parsePlan — variations of the seed parse to the same plan', () => {
  it('the row shuffler really reorders rows', () => {
    const t = taskRows(base);
    expect(t.rows).toHaveLength(28);
    expect(t.rows[5]).toContain('省直各单位、各市州'); // task 6 keeps its split responsible cell
  });

  it.each(variants)('%s', (_name, make) => {
    const text = make();
    expect(text).not.toBe(base);
    const parsed = parsePlan(text);
    expect(parsed.tasks).toEqual(expected.tasks);
    expect(parsed.units).toEqual(expected.units);
    expect(parsed.services).toEqual(expected.services);
    expect(parsed.plan).toEqual(expected.plan);
  });

  it('no blank lines at all in the task table', () => {
    const t = taskRows(base);
    const squeezed = `${t.before}${t.header}${t.rows.join('\n')}`.replace(/\n{2,}/g, '\n');
    const parsed = parsePlan(`${squeezed}\n\n${t.after}`);
    expect(parsed.tasks).toEqual(expected.tasks);
    expect(parsed.plan).toEqual(expected.plan);
  });

  it('annexes reordered as bytes with CRLF', () => {
    const [pre = '', a1 = '', a2 = '', a3 = '', a4 = '', ...rest] = annexes(base);
    const text = [pre, a4, a3, ...rest, a2, a1].join('').replace(/\n/g, '\r\n');
    expect(parsePlan(new TextEncoder().encode(text))).toEqual(expected);
  });
});
