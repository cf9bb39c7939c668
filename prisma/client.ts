/**
 * Opens the database named by a DATABASE_URL: `file:...` → SQLite through better-sqlite3,
 * `postgresql://...` (or `postgres://`) → PostgreSQL through pg. The application sees one
 * `Database`: a Prisma client (same API for both) and a raw SQL runner for hot paths.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { PrismaClient as PgClient } from './generated/postgresql/client.ts';
import { DomainError } from '../domain/errors.ts';
import { pgRawSql, sqliteRawSql, type Provider, type RawSql } from './raw-sql.ts';
import { Availability, trackedRawSql } from './availability.ts';

export type { Provider, RawSql } from './raw-sql.ts';
export type PrismaClient = SqliteClient;
export * as Models from './generated/sqlite/client.ts';

export interface Database {
  readonly provider: Provider;
  /** The URL with any password removed, for logs. */
  readonly safeUrl: string;
  readonly prisma: PrismaClient;
  readonly sql: RawSql;
  /** Connection failures of this database, logged once per outage (see availability.ts). */
  readonly availability: Availability;
  close(): Promise<void>;
}

export interface SqliteTarget { provider: 'sqlite'; path: string }
export interface PgTarget { provider: 'postgresql'; connectionString: string; schema: string | null }

export function parseDatabaseUrl(url: string): SqliteTarget | PgTarget {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path) throw new DomainError('DB_URL', `DATABASE_URL 无效：${url}`, `DATABASE_URL has no file path: ${url}`);
    return { provider: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema');
    u.searchParams.delete('schema');
    return { provider: 'postgresql', connectionString: u.toString(), schema };
  }
  throw new DomainError(
    'DB_URL',
    `不支持的 DATABASE_URL：${redact(url)}（应为 file:./data/duban.db 或 postgresql://…）`,
    `unsupported DATABASE_URL ${redact(url)}: expected file:PATH or postgresql://…`,
  );
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

export function sqliteConnection(path: string): BetterSqlite3.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path, { timeout: 10_000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

export function pgPool(target: PgTarget, max = 10): pg.Pool {
  return new pg.Pool({
    connectionString: target.connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    ...(target.schema ? { options: `-c search_path="${target.schema.replace(/"/g, '')}"` } : {}),
  });
}

/** Opens and checks the connection; an unreachable database is one clear DomainError. */
export async function openDatabase(url: string): Promise<Database> {
  const target = parseDatabaseUrl(url);
  const safeUrl = redact(url);
  if (target.provider === 'sqlite') {
    let raw: BetterSqlite3.Database;
    try {
      raw = sqliteConnection(target.path);
    } catch (e) {
      throw unreachable(safeUrl, e);
    }
    const prisma = new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: target.path, timeout: 10_000 }) });
    return {
      provider: 'sqlite',
      safeUrl,
      prisma,
      sql: sqliteRawSql(raw),
      availability: new Availability(safeUrl),
      async close() {
        await prisma.$disconnect();
        raw.close();
      },
    };
  }
  const pool = pgPool(target);
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw unreachable(safeUrl, e);
  }
  const availability = new Availability(safeUrl);
  pool.on('error', (e) => availability.failed(e));
  const adapter = new PrismaPg(pool, { ...(target.schema ? { schema: target.schema } : {}), onConnectionError: (e) => availability.failed(e) });
  const prisma = new PgClient({ adapter }) as unknown as PrismaClient;
  return {
    provider: 'postgresql',
    safeUrl,
    prisma,
    sql: trackedRawSql(pgRawSql(pool), availability),
    availability,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function unreachable(safeUrl: string, e: unknown): DomainError {
  const reason = e instanceof Error ? e.message : String(e);
  return new DomainError('DB_UNREACHABLE', `无法连接数据库 ${safeUrl}：${reason}`, `cannot reach database ${safeUrl}: ${reason}`);
}
