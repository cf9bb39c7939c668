/** Types of the problem (问题) domain: grading, routing, SLA. Pure data, no I/O. */

/** Mirrors the Prisma enum ProblemGrade. */
export type ProblemGrade = 'GENERAL' | 'SERIOUS' | 'SEVERE';

export const GRADE_LABELS: Record<ProblemGrade, string> = { GENERAL: '一般', SERIOUS: '较重', SEVERE: '严重' };

export const GRADE_ORDER: Record<ProblemGrade, number> = { GENERAL: 0, SERIOUS: 1, SEVERE: 2 };

/** One service of 附件3/附件4 as owned by one unit (a 各市州 row yields one entry per city). */
export interface CatalogueEntry {
  unitCode: string;
  unitName: string;
  unitKind: 'PROVINCIAL' | 'CITY' | 'BUREAU';
  annex: number;
  name: string;
}

export interface RouteUnit {
  code: string;
  name: string;
  aliases: string[];
  kind: 'PROVINCIAL' | 'CITY' | 'BUREAU';
}

export interface RouteCandidate {
  unitCode: string;
  score: number;
  /** What matched: the service name, or the service plus the city named. */
  matched: string;
}

export interface RouteResult {
  /** Null when nothing matched well enough to name a unit: the bureau routes by hand. */
  unitCode: string | null;
  /** 0..1; below ROUTE_CONFIDENCE_THRESHOLD the problem waits for the bureau (PENDING_ROUTE). */
  confidence: number;
  /** Chinese, shown to the bureau: why this unit. */
  reason: string;
  candidates: RouteCandidate[];
  /** The catalogue service recognised, null when none. */
  service: string | null;
}

export interface GradingRuleInput {
  id: number | null;
  grade: ProblemGrade;
  sourceCode: string | null;
  keyword: string | null;
  minRepeats: number | null;
  windowDays: number | null;
  note: string | null;
}

export interface GradeResult {
  grade: ProblemGrade;
  reason: string;
  ruleId: number | null;
}
