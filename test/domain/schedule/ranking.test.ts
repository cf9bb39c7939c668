import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors.ts';
import { RANKING_RULES_ZH, rankUnits, rankWithTrend, scoreUnit, type UnitStats } from '../../../domain/schedule/ranking.ts';

function unit(code: string, name: string, over: Partial<UnitStats>): UnitStats {
  return {
    unitCode: code,
    unitName: name,
    kind: 'PROVINCIAL',
    total: 0,
    done: 0,
    doneOnTime: 0,
    overdueOpen: 0,
    overdueWorkdaysSum: 0,
    acceptedCount: 0,
    acceptWorkdaysSum: 0,
    returnedAfterReview: 0,
    ...over,
  };
}

// Hand-computed (weights 40 / 25 / 15 / 10 / 10; each part rounded half up to 0.1):
// A: 40×6/10 = 24.0; 25×8/10 = 20.0; overdue avg 5/10 = 0.5 → 15×(1 − 0.05) = 14.25 → 14.3;
//    签收 avg 20/10 = 2 → 10×(5 − 2)/4 = 7.5; returns 10×(1 − 2/10) = 8.0            → 73.8
const A = unit('p-a', '省甲厅', { total: 10, done: 8, doneOnTime: 6, overdueOpen: 1, overdueWorkdaysSum: 5, acceptedCount: 10, acceptWorkdaysSum: 20, returnedAfterReview: 2 });
// B: everything on time, 签收 avg 0.5 ≤ 1                                           → 100.0
const B = unit('p-b', '省乙厅', { total: 4, done: 4, doneOnTime: 4, acceptedCount: 4, acceptWorkdaysSum: 2 });
// C: 40×1/5 = 8.0; 25×2/5 = 10.0; overdue avg 60/5 = 12 > 10 → 0 (capped);
//    签收 avg 18/3 = 6 ≥ 5 → 0; returns 6 > 5 tickets → 0 (capped)                  → 18.0
const C = unit('p-c', '省丙厅', { total: 5, done: 2, doneOnTime: 1, overdueOpen: 3, overdueWorkdaysSum: 60, acceptedCount: 3, acceptWorkdaysSum: 18, returnedAfterReview: 6 });
// D (city): 40/3 = 13.33 → 13.3; 25/3 = 8.33 → 8.3; overdue avg 2/3 → 15×(1 − 0.0667) = 14.0;
//    签收 avg 1.5 → 10×3.5/4 = 8.75 → 8.8; returns 10×(1 − 1/3) = 6.67 → 6.7          → 51.1
const D = unit('c-d', '丁市', { kind: 'CITY', total: 3, done: 1, doneOnTime: 1, overdueOpen: 1, overdueWorkdaysSum: 2, acceptedCount: 2, acceptWorkdaysSum: 3, returnedAfterReview: 1 });
const EMPTY = unit('p-z', '省无单厅', {});
const EMPTY_CITY = unit('c-z', '无单市', { kind: 'CITY' });

describe('scoreUnit', () => {
  it('matches the hand-computed parts and score', () => {
    expect(scoreUnit(A)).toEqual({ score: 73.8, parts: { onTime: 24, completion: 20, overdue: 14.3, response: 7.5, returns: 8 } });
    expect(scoreUnit(B)).toEqual({ score: 100, parts: { onTime: 40, completion: 25, overdue: 15, response: 10, returns: 10 } });
    expect(scoreUnit(C)).toEqual({ score: 18, parts: { onTime: 8, completion: 10, overdue: 0, response: 0, returns: 0 } });
    expect(scoreUnit(D)).toEqual({ score: 51.1, parts: { onTime: 13.3, completion: 8.3, overdue: 14, response: 8.8, returns: 6.7 } });
  });

  it('gives no response points when nothing was accepted', () => {
    expect(scoreUnit(unit('p-x', '省戊厅', { total: 2 })).parts.response).toBe(0);
  });

  it.each([
    [{ done: 11 }, 'done'],
    [{ doneOnTime: 9 }, 'doneOnTime'],
    [{ overdueOpen: 3 }, 'overdueOpen'],
    [{ acceptWorkdaysSum: -1 }, 'acceptWorkdaysSum'],
    [{ total: 10.5 }, 'total'],
  ])('refuses inconsistent input %j', (over, field) => {
    try {
      scoreUnit({ ...A, ...over });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('RANKING_BAD_INPUT');
      expect((e as DomainError).message).toContain(field);
    }
  });
});

describe('rankUnits', () => {
  it('ranks provincial units and cities separately and lists units without tickets apart', () => {
    const r = rankUnits([C, EMPTY, A, D, B, EMPTY_CITY]);
    expect(r.PROVINCIAL.rows.map((u) => [u.unitCode, u.rank, u.score])).toEqual([
      ['p-b', 1, 100],
      ['p-a', 2, 73.8],
      ['p-c', 3, 18],
    ]);
    expect(r.PROVINCIAL.unranked.map((u) => u.unitCode)).toEqual(['p-z']);
    expect(r.CITY.rows.map((u) => [u.unitCode, u.rank, u.score])).toEqual([['c-d', 1, 51.1]]);
    expect(r.CITY.unranked.map((u) => u.unitCode)).toEqual(['c-z']);
  });

  it('breaks equal scores by on-time rate, then overdue working days; shares a rank only when all are equal', () => {
    // X: 40 + 25 + 15 + 签收 avg 3 → 5.0 + 10 = 95.0, on time 100 %
    const X = unit('p-x', '省戊厅', { total: 10, done: 10, doneOnTime: 10, acceptedCount: 10, acceptWorkdaysSum: 30 });
    // Y: 36 + 25 + 15 + 10 + 9 = 95.0, on time 90 % (one late by 0 working days: done on the weekend)
    const Y = unit('p-y', '省己厅', { total: 10, done: 10, doneOnTime: 9, acceptedCount: 10, acceptWorkdaysSum: 10, returnedAfterReview: 1 });
    // Q1: 36 + 22.5 + 15×(1 − 2/100) = 14.7 + 10 + 10 = 93.2, on time 90 %, 2 overdue working days
    const Q1 = unit('p-q1', '省庚厅', { total: 10, done: 9, doneOnTime: 9, overdueOpen: 1, overdueWorkdaysSum: 2, acceptedCount: 10, acceptWorkdaysSum: 10 });
    // Q2: 36 + 22.5 + 15×(1 − 4/200) = 14.7 + 10 + 10 = 93.2, on time 90 %, 4 overdue working days
    const Q2 = unit('p-q2', '省辛厅', { total: 20, done: 18, doneOnTime: 18, overdueOpen: 2, overdueWorkdaysSum: 4, acceptedCount: 20, acceptWorkdaysSum: 20 });
    // R1, R2: the same numbers as Q1 → share Q1's rank; listed by sort order, then name
    const R1 = { ...Q1, unitCode: 'p-r1', unitName: '省壬厅', sortOrder: 2 };
    const R2 = { ...Q1, unitCode: 'p-r2', unitName: '省癸厅', sortOrder: 1 };
    const rows = rankUnits([Q2, R1, Y, Q1, X, R2]).PROVINCIAL.rows;
    expect(rows.map((u) => [u.unitCode, u.rank, u.score])).toEqual([
      ['p-x', 1, 95],
      ['p-y', 2, 95],
      ['p-r2', 3, 93.2],
      ['p-r1', 3, 93.2],
      ['p-q1', 3, 93.2], // no sort order: after those with one
      ['p-q2', 6, 93.2],
    ]);
  });

  it('refuses a unit listed twice', () => {
    expect(() => rankUnits([A, { ...A }])).toThrow(/重复/);
  });
});

describe('rankWithTrend', () => {
  it('compares with the previous period by unit code', () => {
    const current = [
      { unitCode: 'a', rank: 1 },
      { unitCode: 'b', rank: 2 },
      { unitCode: 'c', rank: 2 },
      { unitCode: 'd', rank: 4 },
    ];
    const previous = [
      { unitCode: 'b', rank: 1 },
      { unitCode: 'a', rank: 3 },
      { unitCode: 'c', rank: 2 },
    ];
    expect(rankWithTrend(current, previous).map((r) => [r.unitCode, r.rank, r.previousRank, r.delta, r.arrow])).toEqual([
      ['a', 1, 3, 2, '↑'],
      ['b', 2, 1, -1, '↓'],
      ['c', 2, 2, 0, '—'],
      ['d', 4, null, null, '新'],
    ]);
    expect(rankWithTrend(current, null).every((r) => r.arrow === '新')).toBe(true);
  });
});

describe('RANKING_RULES_ZH', () => {
  it('states the weights, caps and tie rules the code uses', () => {
    for (const s of ['按时完成率 | 40 分', '完成率 | 25 分', '逾期扣分 | 15 分', '扣 1.5 分', '响应速度 | 10 分', '扣 2.5 分', '审核退回 | 10 分', '不参与排名', '并列', '↑ 上升']) {
      expect(RANKING_RULES_ZH).toContain(s);
    }
  });
});
