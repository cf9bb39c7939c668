/**
 * Problem figures (section 九) per unit and overall, aggregated in SQL, with no personal data: how
 * many problems were received and closed (销号) in a period, how many of those were closed within
 * their rectification deadline, and how many are open now (and overdue). The digest's 问题整改
 * section, the figures shown beside the ranking, the console's ranking page and the public view
 * (晾晒) read these. The plan ranking's score never includes them (ranking-stats.ts: PLAN only).
 *
 * 按时整改率 = problems closed in the period on or before their ticket's due date (Asia/Shanghai
 * day) ÷ problems closed in the period; null when none was closed.
 */
import type { Database } from '../../prisma/client.ts';
import type { ProblemGrade } from '../../domain/problems/index.ts';
import { shanghaiDateSql } from './ranking-stats.ts';
import { FEEDBACK_STAGE } from './problem-tickets.ts';

export interface ProblemPeriod {
  /** Half-open [from, to). */
  from: Date;
  to: Date;
  /** The day open problems are judged overdue against (YYYY-MM-DD, Asia/Shanghai). */
  asOf: string;
}

export interface ProblemUnitStats {
  unitCode: string;
  unitName: string;
  kind: 'PROVINCIAL' | 'CITY' | 'BUREAU';
  sortOrder: number;
  /** Routed to the unit and received in the period. */
  received: number;
  closed: number;
  closedOnTime: number;
  /** Percent, one decimal; null without a closed problem. */
  onTimeRate: number | null;
  /** Open now (the unit's problem tickets not yet approved). */
  open: number;
  overdueOpen: number;
}

export interface ProblemTotals {
  received: number;
  receivedByGrade: Record<ProblemGrade, number>;
  dismissed: number;
  closed: number;
  closedOnTime: number;
  onTimeRate: number | null;
  /** Now: waiting for the bureau to pick a unit. */
  pendingRoute: number;
  open: number;
  overdueOpen: number;
}

const num = (v: unknown): number => Number(v ?? 0);

/** Percent with one decimal, rounded half up, from integers; null for 0/0. */
export function rate(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.floor((2000 * part + whole) / (2 * whole)) / 10;
}

async function closedRows(db: Database, p: ProblemPeriod) {
  return db.sql.query<{ unit_code: string; closed: unknown; on_time: unknown }>(
    `SELECT t.unit_code, COUNT(*) AS closed,
            SUM(CASE WHEN ${shanghaiDateSql(db.provider, 'p.closed_at')} <= t.due THEN 1 ELSE 0 END) AS on_time
       FROM problem p JOIN ticket t ON t.problem_id = p.id
      WHERE p.status = 'CLOSED' AND p.closed_at >= ? AND p.closed_at < ? GROUP BY t.unit_code`,
    [p.from, p.to],
  );
}

async function openRows(db: Database, p: ProblemPeriod) {
  return db.sql.query<{ unit_code: string; open: unknown; overdue: unknown }>(
    `SELECT unit_code, COUNT(*) AS open, SUM(CASE WHEN due < ? THEN 1 ELSE 0 END) AS overdue
       FROM ticket WHERE kind = 'PROBLEM' AND status <> 'DONE' GROUP BY unit_code`,
    [p.asOf],
  );
}

/** Every unit (the bureau's own excluded), with zeros where nothing happened, in unit order. */
export async function problemStatsByUnit(db: Database, p: ProblemPeriod): Promise<ProblemUnitStats[]> {
  const [units, received, closed, open] = await Promise.all([
    db.sql.query<{ code: string; name: string; kind: ProblemUnitStats['kind']; sort_order: unknown }>(
      `SELECT code, name, kind, sort_order FROM unit WHERE kind <> 'BUREAU' ORDER BY sort_order, code`,
    ),
    db.sql.query<{ unit_code: string; n: unknown }>(
      `SELECT unit_code, COUNT(*) AS n FROM problem WHERE unit_code IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY unit_code`,
      [p.from, p.to],
    ),
    closedRows(db, p),
    openRows(db, p),
  ]);
  const stats = new Map<string, ProblemUnitStats>(units.map((u) => [u.code, {
    unitCode: u.code, unitName: u.name, kind: u.kind, sortOrder: num(u.sort_order),
    received: 0, closed: 0, closedOnTime: 0, onTimeRate: null, open: 0, overdueOpen: 0,
  }]));
  for (const r of received) {
    const s = stats.get(r.unit_code);
    if (s) s.received = num(r.n);
  }
  for (const r of closed) {
    const s = stats.get(r.unit_code);
    if (s) Object.assign(s, { closed: num(r.closed), closedOnTime: num(r.on_time), onTimeRate: rate(num(r.on_time), num(r.closed)) });
  }
  for (const r of open) {
    const s = stats.get(r.unit_code);
    if (s) Object.assign(s, { open: num(r.open), overdueOpen: num(r.overdue) });
  }
  return [...stats.values()];
}

export async function problemTotals(db: Database, p: ProblemPeriod): Promise<ProblemTotals> {
  const [byGrade, dismissed, closed, open, pending] = await Promise.all([
    db.sql.query<{ grade: ProblemGrade; n: unknown }>(
      `SELECT grade, COUNT(*) AS n FROM problem WHERE created_at >= ? AND created_at < ? GROUP BY grade`,
      [p.from, p.to],
    ),
    // A dismissal has no timestamp of its own on the problem: its feedback record has.
    db.sql.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM problem_feedback f JOIN problem p ON p.id = f.problem_id
        WHERE p.status = 'DISMISSED' AND f.stage = ? AND f.created_at >= ? AND f.created_at < ?`,
      [FEEDBACK_STAGE.dismissed, p.from, p.to],
    ),
    closedRows(db, p),
    openRows(db, p),
    db.sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM problem WHERE status = 'PENDING_ROUTE'`),
  ]);
  const receivedByGrade: Record<ProblemGrade, number> = { GENERAL: 0, SERIOUS: 0, SEVERE: 0 };
  for (const r of byGrade) receivedByGrade[r.grade] = num(r.n);
  const closedN = closed.reduce((a, r) => a + num(r.closed), 0);
  const onTime = closed.reduce((a, r) => a + num(r.on_time), 0);
  return {
    received: receivedByGrade.GENERAL + receivedByGrade.SERIOUS + receivedByGrade.SEVERE,
    receivedByGrade,
    dismissed: num(dismissed[0]?.n),
    closed: closedN,
    closedOnTime: onTime,
    onTimeRate: rate(onTime, closedN),
    pendingRoute: num(pending[0]?.n),
    open: open.reduce((a, r) => a + num(r.open), 0),
    overdueOpen: open.reduce((a, r) => a + num(r.overdue), 0),
  };
}

/** Problem figures shown beside a unit's rank, never part of its score: "｜问题未销号 2（逾期 1）". */
export function problemBeside(p: ProblemUnitStats | undefined): string {
  if (!p || p.open === 0) return '';
  return `｜问题未销号 ${p.open}${p.overdueOpen ? `（逾期 ${p.overdueOpen}）` : ''}`;
}

/** Said under a ranking that shows problem figures beside the scores. */
export const PROBLEM_BESIDE_LINE = '“问题未销号”为问题整改（发现—交办—整改—反馈）情况，仅作展示，不计入督办得分。';

/** Open problems by unit now (what the ranking shows beside the scores). */
export async function openProblemsByUnit(db: Database, asOf: string, now: Date): Promise<Map<string, ProblemUnitStats>> {
  const rows = await problemStatsByUnit(db, { from: now, to: now, asOf });
  return new Map(rows.filter((r) => r.open > 0).map((r) => [r.unitCode, r]));
}
