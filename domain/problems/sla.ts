/**
 * Rectification deadlines (整改时限) per grade, in working days after the day a problem was
 * reported (the reporting day itself is not counted), on the official calendar with its holidays
 * and adjusted workdays (调休) plus the bureau's overrides.
 *
 *   严重 SEVERE   2 working days
 *   较重 SERIOUS  5 working days
 *   一般 GENERAL 10 working days — the plan's own figure: task 13 gives data sources 10 working
 *                 days from receiving a correction request to verify, correct and answer
 *                 (“自收到校核申请之日起10个工作日”), and an ordinary problem ticket is held to the same.
 *
 * Example: a SEVERE problem reported on Wednesday 2026-09-30 is due on Friday 2026-10-09 (10-01…10-07
 * are 国庆); a SERIOUS one on 2026-10-13, counting Saturday 10-10, a 调休 workday.
 */
import type { WorkCalendar } from '../calendar.ts';
import { DomainError } from '../errors.ts';
import type { ProblemGrade } from './types.ts';

export const DEFAULT_PROBLEM_SLA: Record<ProblemGrade, number> = { GENERAL: 10, SERIOUS: 5, SEVERE: 2 };

/** Due date (YYYY-MM-DD, Shanghai) of a problem reported on `reportedDay` with this grade. */
export function problemDue(
  reportedDay: string,
  grade: ProblemGrade,
  sla: Record<ProblemGrade, number>,
  cal: WorkCalendar,
): string {
  const days = sla[grade];
  if (!Number.isSafeInteger(days) || days < 1) {
    throw new DomainError(
      'PROBLEM_BAD_SLA',
      `「${grade}」级问题的整改时限「${String(days)}」不正确，应为正整数个工作日。`,
      `problem SLA for ${grade} must be a positive whole number of working days, got ${String(days)}`,
      { grade, days },
    );
  }
  return cal.addWorkdays(reportedDay, days);
}
