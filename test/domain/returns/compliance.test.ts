/** The compliance formula: each owed annex weighs a third; missing 0, 零报告 1, else clean rows ÷ rows. */
import { describe, expect, it } from 'vitest';
import { complianceOf } from '../../../domain/returns/compliance.ts';

describe('returns compliance', () => {
  it.each([
    ['nothing submitted', [], 0, [1, 5, 6]],
    ['all three clean', [{ annex: 1, rows: 3, rowsWithViolations: 0 }, { annex: 5, rows: 10, rowsWithViolations: 0 }, { annex: 6, rows: 0, rowsWithViolations: 0 }], 100, []],
    ['one missing', [{ annex: 1, rows: 3, rowsWithViolations: 0 }, { annex: 5, rows: 10, rowsWithViolations: 0 }], 66.7, [6]],
    ['one bad row of ten', [{ annex: 1, rows: 0, rowsWithViolations: 0 }, { annex: 5, rows: 10, rowsWithViolations: 1 }, { annex: 6, rows: 4, rowsWithViolations: 0 }], 96.7, []],
    ['every row bad', [{ annex: 5, rows: 2, rowsWithViolations: 2 }], 0, [1, 6]],
  ] as const)('%s', (_l, submitted, expected, missing) => {
    const c = complianceOf(submitted.map((s) => ({ ...s })));
    expect(c.compliance).toBe(expected);
    expect(c.missingAnnexes).toEqual(missing);
  });

  it('a unit that owes nothing is judged on what it submitted', () => {
    expect(complianceOf([{ annex: 5, rows: 4, rowsWithViolations: 1 }], [])).toMatchObject({ compliance: 75, missingAnnexes: [], annexesSubmitted: [5] });
  });
});
