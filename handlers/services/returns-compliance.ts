/**
 * Compliance of the returns per unit, for the returns matrix and next to the ranking score (the
 * definition is in domain/returns/compliance.ts). Two small SQL queries whatever the history: the
 * owing units, and the current submission of each (annex, unit) — its row and error-row counts are
 * kept on the submission, so no row is read.
 */
import type { Database } from '../../prisma/client.ts';
import { complianceOf, type ComplianceFigures } from '../../domain/returns/compliance.ts';
import { ANNEXES, isAnnexNo, type AnnexNo } from '../../domain/returns/templates.ts';

export interface AnnexReturnStatus {
  annex: AnnexNo;
  submitted: boolean;
  submissionId: number | null;
  submittedAt: string | null;
  rows: number;
  rowsWithViolations: number;
}

export interface UnitReturnsCompliance extends ComplianceFigures {
  unitCode: string;
  unitName: string;
  unitKind: 'PROVINCIAL' | 'CITY';
  annexes: AnnexReturnStatus[];
}

const num = (v: unknown) => Number(v ?? 0);
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

/**
 * Every unit that owes the returns (省直各单位 and 各市州: provincial units of the collective phrase
 * and the cities), plus any other unit that submitted one, in directory order.
 * `unitCode` narrows to one unit (a unit account sees only its own).
 */
export async function returnsComplianceByUnit(db: Database, opts: { unitCode?: string } = {}): Promise<UnitReturnsCompliance[]> {
  const one = opts.unitCode ? ' AND code = ?' : '';
  const oneSub = opts.unitCode ? ' WHERE unit_code = ?' : '';
  const args = opts.unitCode ? [opts.unitCode] : [];
  const [units, subs] = await Promise.all([
    db.sql.query<{ code: string; name: string; kind: string; owes: unknown }>(
      `SELECT code, name, kind, CASE WHEN kind = 'CITY' OR collective = ? THEN 1 ELSE 0 END AS owes
         FROM unit WHERE kind IN ('PROVINCIAL', 'CITY')${one} ORDER BY sort_order, code`,
      [true, ...args],
    ),
    db.sql.query<{ id: unknown; annex: unknown; unit_code: string; row_count: unknown; violation_count: unknown; created_at: unknown }>(
      `SELECT s.id, s.annex, s.unit_code, s.row_count, s.violation_count, s.created_at
         FROM return_submission s
         JOIN (SELECT MAX(id) AS id FROM return_submission${oneSub} GROUP BY annex, unit_code) c ON c.id = s.id`,
      args,
    ),
  ]);
  const byUnit = new Map<string, AnnexReturnStatus[]>();
  for (const s of subs) {
    const annex = num(s.annex);
    if (!isAnnexNo(annex)) continue;
    const list = byUnit.get(s.unit_code) ?? [];
    list.push({ annex, submitted: true, submissionId: num(s.id), submittedAt: iso(s.created_at), rows: num(s.row_count), rowsWithViolations: num(s.violation_count) });
    byUnit.set(s.unit_code, list);
  }
  const out: UnitReturnsCompliance[] = [];
  for (const u of units) {
    const submitted = byUnit.get(u.code) ?? [];
    const owes = num(u.owes) === 1;
    if (!owes && submitted.length === 0) continue;
    const figures = complianceOf(submitted, owes ? ANNEXES : []);
    const annexes = ANNEXES.map((annex) => submitted.find((s) => s.annex === annex) ?? { annex, submitted: false, submissionId: null, submittedAt: null, rows: 0, rowsWithViolations: 0 });
    out.push({ unitCode: u.code, unitName: u.name, unitKind: u.kind === 'CITY' ? 'CITY' : 'PROVINCIAL', ...figures, annexes });
  }
  return out;
}
