import { describe, expect, it } from 'vitest';
import {
  findDeadlines,
  monthEnd,
  parseCompletion,
  parseDeadlinePhrase,
  parseNumber,
  parseSla,
} from '../../../domain/plan/deadline.ts';

describe('parseDeadlinePhrase', () => {
  it.each([
    ['2026年6月底前', 2026, '2026-06-30'],
    ['10月底前', 2026, '2026-10-31'],
    ['10月底前', 2027, '2027-10-31'],
    ['6月10日前', 2026, '2026-06-10'],
    ['2026年12月底前', 2025, '2026-12-31'],
    ['2026年底前', 2025, '2026-12-31'],
    ['2026年底', 2025, '2026-12-31'],
    ['6月底', 2026, '2026-06-30'],
    ['9月末前', 2026, '2026-09-30'],
    ['2月底前', 2026, '2026-02-28'],
    ['2月底前', 2028, '2028-02-29'],
    ['十二月底前', 2026, '2026-12-31'],
    ['十月底前', 2026, '2026-10-31'],
    ['6月中旬前', 2026, '2026-06-20'],
    ['2027年3月上旬前', 2026, '2027-03-10'],
    ['6月下旬前', 2026, '2026-06-30'],
    ['6月10号之前', 2026, '2026-06-10'],
    ['2026年7月30日前', 2026, '2026-07-30'],
    ['2026 年 9 月底前', 2026, '2026-09-30'],
    // not deadlines
    ['2个月前', 2026, null],
    ['7月30日', 2026, null],
    ['2026年12月', 2026, null],
    ['2月30日前', 2026, null],
    ['13月底前', 2026, null],
    ['持续', 2026, null],
    ['', 2026, null],
  ])('%s (year %i) → %s', (phrase, year, due) => {
    expect(parseDeadlinePhrase(phrase, year)).toBe(due);
  });
});

describe('findDeadlines', () => {
  it('carries the last written year to later phrases', () => {
    const text = '2025年12月底前完成A；3月底前完成B；2026年5月底前完成C，6月10日前完成D。';
    expect(findDeadlines(text, 2030).map((d) => [d.phrase, d.due, d.year])).toEqual([
      ['2025年12月底前', '2025-12-31', 2025],
      ['3月底前', '2025-03-31', null],
      ['2026年5月底前', '2026-05-31', 2026],
      ['6月10日前', '2026-06-10', null],
    ]);
  });

  it('uses the plan year when no year is written', () => {
    expect(findDeadlines('11月底前根据上线计划表完成', 2026).map((d) => d.due)).toEqual(['2026-11-30']);
  });

  it('skips durations and bare dates, reports offsets', () => {
    const text = '10月底前，在计划关停时间2个月前发布公告，10个工作日内办结，7月30日上线';
    const found = findDeadlines(text, 2026);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 0, end: 5, phrase: '10月底前', due: '2026-10-31' });
  });

  it('does not read a deadline out of a longer number', () => {
    expect(findDeadlines('热线12345月底前', 2026)).toEqual([]);
  });
});

describe('parseCompletion', () => {
  it.each([
    ['2026年12月', { due: '2026-12-31', recurring: false }],
    ['2026年9月', { due: '2026-09-30', recurring: false }],
    ['2026年2月', { due: '2026-02-28', recurring: false }],
    ['2026年6月10日', { due: '2026-06-10', recurring: false }],
    ['2026年12月底前', { due: '2026-12-31', recurring: false }],
    ['2026年底', { due: '2026-12-31', recurring: false }],
    ['12月', { due: '2026-12-31', recurring: false }],
    ['2026-09-30', { due: '2026-09-30', recurring: false }],
    ['2026.11', { due: '2026-11-30', recurring: false }],
    [' 2026年 7月 ', { due: '2026-07-31', recurring: false }],
    ['持续', { due: null, recurring: true }],
    ['长期', { due: null, recurring: true }],
    ['常态化', { due: null, recurring: true }],
    ['尽快', null],
    ['', null],
    ['2026年13月', null],
  ])('%s', (text, expected) => {
    expect(parseCompletion(text, 2026)).toEqual(expected);
  });
});

describe('parseSla / numbers', () => {
  it.each([
    ['数源部门自收到校核申请之日起10个工作日予以核实', { workdays: 10 }],
    ['十个工作日内办结', { workdays: 10 }],
    ['5 个工作日', { workdays: 5 }],
    ['按时办结', null],
  ])('%s', (text, sla) => expect(parseSla(text)).toEqual(sla));

  it.each([
    ['1', 1],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['三十一', 31],
    ['六', 6],
    ['abc', null],
  ])('parseNumber(%s) = %s', (s, n) => expect(parseNumber(s)).toBe(n));

  it('monthEnd', () => {
    expect([monthEnd(2026, 2), monthEnd(2028, 2), monthEnd(2026, 4), monthEnd(2026, 12)]).toEqual([28, 29, 30, 31]);
  });
});
