/**
 * Timestamps in hand-written SQL. Both databases store UTC: PostgreSQL a `timestamp(3)` (no zone)
 * and SQLite ISO-8601 text. On SQLite, Prisma writes `…000+00:00` while a Date bound by raw-sql
 * becomes `…000Z`; both coexist in a column. Bounds written as `+00:00` compare correctly against
 * either form ('+' sorts before 'Z'), so a half-open range [from, to) is exact at the boundary.
 * On PostgreSQL an ISO string is read as UTC wall time whatever the server process's zone.
 */
import type { Provider } from '../prisma/raw-sql.ts';

export function instantParam(provider: Provider, d: Date): string {
  const iso = d.toISOString();
  return provider === 'sqlite' ? `${iso.slice(0, -1)}+00:00` : iso;
}

/** A timestamp column as read back: a Date (pg) or ISO text (SQLite); null stays null. */
export function readInstant(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The lease of a job nobody holds: long expired. */
export const EPOCH = new Date(0);
