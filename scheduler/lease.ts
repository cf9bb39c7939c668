/**
 * Job leases: one row per job in `job_lease`. A replica runs a job only while it holds the lease;
 * a lease that is not renewed (the replica died) expires and another replica takes the job. The
 * same row remembers the last completed run (`last_run_at`, `last_run_key`), so catch-up after
 * downtime reads from the database, not from memory.
 */
import type { RawSql } from '../prisma/raw-sql.ts';
import { EPOCH, instantParam, readInstant } from './instant.ts';

/**
 * Takes (or renews) the lease when it is free, expired or already ours — one statement, so two
 * replicas racing for it cannot both win. True when this owner holds it until now + ttlMs.
 */
export async function tryLease(sql: RawSql, name: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
  const t = (d: Date) => instantParam(sql.provider, d);
  const rows = await sql.query<{ owner: string }>(
    `INSERT INTO job_lease (name, owner, lease_until) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
     WHERE job_lease.lease_until < ? OR job_lease.owner = ?
     RETURNING owner`,
    [name, owner, t(new Date(now.getTime() + ttlMs)), t(now), owner],
  );
  return rows.length === 1 && rows[0]!.owner === owner;
}

/** Gives the lease back (only if still ours), so the next run need not wait for it to expire. */
export async function releaseLease(sql: RawSql, name: string, owner: string): Promise<void> {
  await sql.execute(`UPDATE job_lease SET lease_until = ? WHERE name = ? AND owner = ?`, [instantParam(sql.provider, EPOCH), name, owner]);
}

/** Records a completed run; creates the row when the job never held a lease (runs called directly). */
export async function recordRun(sql: RawSql, name: string, runKey: string, now: Date): Promise<void> {
  const t = (d: Date) => instantParam(sql.provider, d);
  await sql.execute(
    `INSERT INTO job_lease (name, owner, lease_until, last_run_at, last_run_key) VALUES (?, '', ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at, last_run_key = excluded.last_run_key`,
    [name, t(EPOCH), t(now), runKey],
  );
}

export interface LastRun {
  at: Date | null;
  key: string | null;
}

export async function lastRun(sql: RawSql, name: string): Promise<LastRun> {
  const rows = await sql.query<{ last_run_at: unknown; last_run_key: string | null }>(
    `SELECT last_run_at, last_run_key FROM job_lease WHERE name = ?`,
    [name],
  );
  const r = rows[0];
  return { at: readInstant(r?.last_run_at), key: r?.last_run_key ?? null };
}
