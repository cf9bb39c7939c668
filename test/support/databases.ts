/**
 * Real databases for tests: a fresh SQLite file per test, and — when TEST_POSTGRES_URL is set
 * (`.ci/run` sets it) — a fresh PostgreSQL schema per test, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../prisma/client.ts';
import { migrate } from '../../prisma/migrate.ts';

export type DbKind = 'sqlite' | 'postgresql';

export const dbKinds: DbKind[] = process.env.TEST_POSTGRES_URL ? ['sqlite', 'postgresql'] : ['sqlite'];

export interface TestDb {
  db: Database;
  url: string;
  cleanup(): Promise<void>;
}

export async function freshUrl(kind: DbKind): Promise<{ url: string; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'duban-test-'));
    return { url: `file:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_POSTGRES_URL!;
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return {
    url: u.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function freshDatabase(kind: DbKind): Promise<TestDb> {
  const { url, drop } = await freshUrl(kind);
  await migrate(url);
  const db = await openDatabase(url);
  return {
    db,
    url,
    async cleanup() {
      await db.close();
      await drop();
    },
  };
}
