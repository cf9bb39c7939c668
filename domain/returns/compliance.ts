/**
 * Compliance of a unit's returns (填报合规率), shown next to the ranking score.
 *
 * Every unit of 省直各单位 and 各市州 owes the three returns (附件2 任务1: 关停计划表; 任务6 and 10:
 * 服务上线计划表 附件5 and 附件6). Each owed annex weighs the same:
 *   not submitted                       0
 *   submitted with no rows (零报告)      1
 *   submitted with rows                 rows without errors ÷ rows (warnings do not count)
 * compliance = the mean over the owed annexes × 100, one decimal. A unit with all three returns
 * clean scores 100; a missing return caps it at 66.7; one bad row of ten in one return costs 3.3.
 * Only the current (latest) submission of each (annex, unit) counts.
 */
import { ANNEXES, type AnnexNo } from './templates.ts';

export interface AnnexFigures {
  annex: AnnexNo;
  rows: number;
  /** Rows with at least one error. */
  rowsWithViolations: number;
}

export interface ComplianceFigures {
  annexesSubmitted: AnnexNo[];
  missingAnnexes: AnnexNo[];
  rows: number;
  rowsWithViolations: number;
  /** 0–100, one decimal. */
  compliance: number;
}

export function annexScore(a: AnnexFigures | undefined): number {
  if (!a) return 0;
  if (a.rows === 0) return 1;
  return Math.max(0, a.rows - a.rowsWithViolations) / a.rows;
}

export function complianceOf(submitted: readonly AnnexFigures[], owed: readonly AnnexNo[] = ANNEXES): ComplianceFigures {
  const by = new Map(submitted.map((a) => [a.annex, a]));
  const counted = owed.length ? owed : [...by.keys()];
  const mean = counted.length ? counted.reduce((s, n) => s + annexScore(by.get(n)), 0) / counted.length : 0;
  return {
    annexesSubmitted: ANNEXES.filter((n) => by.has(n)),
    missingAnnexes: owed.filter((n) => !by.has(n)),
    rows: submitted.reduce((s, a) => s + a.rows, 0),
    rowsWithViolations: submitted.reduce((s, a) => s + a.rowsWithViolations, 0),
    compliance: Math.round(mean * 1000) / 10,
  };
}
