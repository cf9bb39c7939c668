/**
 * The 问题整改 part of a weekly or monthly digest: figures of the problem loop over the digest's
 * window (received, closed, on time) and now (open, overdue, waiting for a unit), by unit. Absent
 * until the first problem is received, so that a deployment without the loop gets no empty section.
 */
import type { Database } from '../prisma/client.ts';
import { problemStatsByUnit, problemTotals } from '../handlers/services/problem-stats.ts';
import type { DoneWindow } from './digest-figures.ts';
import type { ProblemSection } from './digest-text.ts';

export async function problemSection(db: Database, window: DoneWindow, asOf: string): Promise<ProblemSection | null> {
  const any = await db.sql.query<{ id: unknown }>('SELECT id FROM problem LIMIT 1');
  if (any.length === 0) return null;
  const period = { from: window.from, to: window.to, asOf };
  const [totals, byUnit] = await Promise.all([problemTotals(db, period), problemStatsByUnit(db, period)]);
  return { totals, byUnit, window: { firstDay: window.firstDay, lastDay: window.lastDay } };
}
