/**
 * What grading and routing a problem need from the database: the bureau's grading rules (seeded
 * with the defaults the first time), the SLA per grade, the service catalogue of 附件3/附件4 with
 * the units, the problem sources, and how often a service was reported lately (counted in SQL).
 */
import type { Database } from '../../prisma/client.ts';
import {
  DEFAULT_GRADING_RULES,
  DEFAULT_PROBLEM_SLA,
  PROBLEM_SOURCES,
  type CatalogueEntry,
  type GradingRuleInput,
  type ProblemGrade,
  type RouteUnit,
} from '../../domain/problems/index.ts';

/** Active grading rules; an empty table is seeded with DEFAULT_GRADING_RULES first. */
export async function loadGradingRules(db: Database, now: Date): Promise<GradingRuleInput[]> {
  // Seeding is one transaction that holds the table: a concurrent first intake waits, then sees the
  // rows and inserts nothing (SQLite transactions are serialised anyway).
  if ((await db.prisma.gradingRule.count()) === 0) await db.prisma.$transaction(async (tx) => {
    if (db.provider === 'postgresql') await tx.$executeRawUnsafe('LOCK TABLE grading_rule IN SHARE ROW EXCLUSIVE MODE');
    if ((await tx.gradingRule.count()) > 0) return;
    await tx.gradingRule.createMany({ data: DEFAULT_GRADING_RULES.map((r) => ({ ...r, createdAt: now })) });
  });
  const rows = await db.prisma.gradingRule.findMany({ where: { active: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => ({ id: r.id, grade: r.grade, sourceCode: r.sourceCode, keyword: r.keyword, minRepeats: r.minRepeats, windowDays: r.windowDays, note: r.note }));
}

/** Working days per grade: the bureau's rows over DEFAULT_PROBLEM_SLA. */
export async function loadProblemSla(db: Database): Promise<Record<ProblemGrade, number>> {
  const rows = await db.prisma.problemSla.findMany();
  const sla = { ...DEFAULT_PROBLEM_SLA };
  for (const r of rows) sla[r.grade] = r.workdays;
  return sla;
}

export interface RoutingData {
  catalogue: CatalogueEntry[];
  units: RouteUnit[];
}

/** The service lists (附件3/4) of every loaded plan, one entry per (unit, annex, service). */
export async function loadRoutingData(db: Database): Promise<RoutingData> {
  const [units, services] = await Promise.all([
    db.prisma.unit.findMany({ orderBy: { sortOrder: 'asc' } }),
    db.sql.query<{ unit_code: string; annex: number | string; name: string }>(
      'SELECT DISTINCT unit_code, annex, name FROM service_item ORDER BY unit_code, annex, name',
    ),
  ]);
  const byCode = new Map(units.map((u) => [u.code, u]));
  const catalogue: CatalogueEntry[] = [];
  for (const s of services) {
    const u = byCode.get(s.unit_code);
    if (u) catalogue.push({ unitCode: u.code, unitName: u.name, unitKind: u.kind, annex: Number(s.annex), name: s.name });
  }
  return {
    catalogue,
    units: units.map((u) => ({ code: u.code, name: u.name, aliases: parseAliases(u.aliases), kind: u.kind })),
  };
}

function parseAliases(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** A source's Chinese name: the registered one, else the built-in list, else the code. */
export async function sourceName(db: Database, code: string): Promise<string> {
  const row = await db.prisma.problemSource.findUnique({ where: { code }, select: { name: true } });
  return row?.name ?? PROBLEM_SOURCES.find((s) => s.code === code)?.name ?? code;
}

/** Names of every source the database or the built-in list knows, by code. */
export async function sourceNames(db: Database): Promise<Map<string, string>> {
  const rows = await db.prisma.problemSource.findMany({ select: { code: true, name: true } });
  return new Map([...PROBLEM_SOURCES.map((s) => [s.code, s.name] as const), ...rows.map((r) => [r.code, r.name] as const)]);
}

const DAY_MS = 86_400_000;

/**
 * How many problems about `service` were reported in the `windowDays` days up to `reportedAt`,
 * this one included, for each window the rules use (one COUNT per window, on the service index).
 * Dismissed problems do not count: they were found not to be problems.
 */
export async function repeatCounts(db: Database, service: string | null, reportedAt: Date, windows: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const w of [...new Set(windows)]) {
    if (!service) {
      out.set(w, 1);
      continue;
    }
    const n = await db.prisma.problem.count({
      where: { serviceName: service, status: { not: 'DISMISSED' }, reportedAt: { gte: new Date(reportedAt.getTime() - w * DAY_MS), lte: reportedAt } },
    });
    out.set(w, n + 1);
  }
  return out;
}
