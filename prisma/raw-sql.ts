/**
 * A thin, dialect-aware SQL runner for the few paths where Prisma's per-call cost matters (bulk
 * inserts, aggregations, row-locking claims). Statements are written once with `?` placeholders
 * and snake_case names; PostgreSQL gets `$n` placeholders. Everything else uses the Prisma client.
 */
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

export type Provider = 'sqlite' | 'postgresql';
export type SqlValue = string | number | bigint | boolean | null | Date | Uint8Array;

export interface RawSql {
  readonly provider: Provider;
  query<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  execute(sql: string, params?: SqlValue[]): Promise<number>;
  /** Runs `fn` in one transaction on one connection; rolled back if it throws. */
  transaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T>;
  /**
   * Inserts rows in chunks inside the caller's transaction (or its own), skipping rows that hit
   * the unique key `conflict`. Returns the number of rows inserted.
   */
  insertMany(table: string, columns: string[], rows: SqlValue[][], conflict?: string[]): Promise<number>;
  /** Like insertMany, returning the `returning` columns of the rows actually inserted. */
  insertManyReturning<T = Record<string, unknown>>(table: string, columns: string[], rows: SqlValue[][], conflict: string[] | undefined, returning: string[]): Promise<T[]>;
}

function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/**
 * SQLite keeps DateTime as text; write exactly what Prisma's better-sqlite3 adapter writes
 * ('2026-06-22T02:03:04.005+00:00') so that comparisons in SQL see one format.
 */
export function sqliteDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}
function sqliteValue(v: SqlValue): unknown {
  if (v instanceof Date) return sqliteDate(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

// Keep each statement's bound parameters under SQLite's and PostgreSQL's limits (32766 / 65535).
const MAX_PARAMS = 30000;

function insertSql(provider: Provider, table: string, columns: string[], rowCount: number, conflict?: string[], returning?: string[]): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  const values = Array.from({ length: rowCount }, () => one).join(', ');
  const onConflict = conflict ? ` ON CONFLICT (${conflict.map((c) => `"${c}"`).join(', ')}) DO NOTHING` : '';
  const ret = returning?.length ? ` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}` : '';
  const sql = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${values}${onConflict}${ret}`;
  return provider === 'postgresql' ? toPgPlaceholders(sql) : sql;
}

function chunks<T>(rows: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Full chunks of a fixed size (one multi-row statement shape) and the remainder row by row (one
 * single-row shape): bulk loads get multi-row speed, small batches never prepare a new statement.
 */
function fixedChunks<T>(rows: T[], columnCount: number): T[][] {
  const size = Math.max(1, Math.min(200, Math.floor(MAX_PARAMS / columnCount)));
  const full = rows.length - (rows.length % size);
  return [...chunks(rows.slice(0, full), size), ...rows.slice(full).map((r) => [r])];
}

export function sqliteRawSql(db: BetterSqlite3.Database): RawSql {
  // better-sqlite3 is synchronous: a transaction cannot interleave with other statements on this
  // connection as long as `fn` does not await real I/O; a queue keeps callers from overlapping.
  let queue: Promise<unknown> = Promise.resolve();
  // Statements are prepared once and reused: preparing costs more than running. Bulk inserts run a
  // one-row statement per row inside one transaction, which is what better-sqlite3 does fastest
  // (multi-row VALUES lists of varying length would each need a fresh prepare).
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size > 200) statements.clear();
      statements.set(sql, stmt);
    }
    return stmt;
  };
  const self: RawSql = {
    provider: 'sqlite',
    async query<T>(sql: string, params: SqlValue[] = []) {
      return prepare(sql).all(...params.map(sqliteValue)) as T[];
    },
    async execute(sql, params = []) {
      return prepare(sql).run(...params.map(sqliteValue)).changes;
    },
    transaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T> {
      const run = async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(self);
          db.exec('COMMIT');
          return result;
        } catch (e) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw e;
        }
      };
      const p = queue.then(run, run);
      queue = p.catch(() => undefined);
      return p;
    },
    async insertMany(table, columns, rows, conflict) {
      const run = () => {
        let n = 0;
        for (const part of fixedChunks(rows, columns.length)) n += prepare(insertSql('sqlite', table, columns, part.length, conflict)).run(...part.flat().map(sqliteValue)).changes;
        return n;
      };
      return db.inTransaction ? run() : db.transaction(run)();
    },
    async insertManyReturning<T>(table: string, columns: string[], rows: SqlValue[][], conflict: string[] | undefined, returning: string[]) {
      const run = () => fixedChunks(rows, columns.length).flatMap((part) => prepare(insertSql('sqlite', table, columns, part.length, conflict, returning)).all(...part.flat().map(sqliteValue)) as T[]);
      return db.inTransaction ? run() : db.transaction(run)();
    },
  };
  return self;
}

type PgQueryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/**
 * Prisma stores DateTime in PostgreSQL `timestamp(3)` columns as UTC wall time. node-postgres would
 * write a Date in the server process's local zone and read such columns back as local time, so on a
 * server set to Asia/Shanghai raw SQL and Prisma would disagree by eight hours. Dates go out as UTC
 * text, and `timestamp` values come back as UTC.
 */
function pgValue(v: SqlValue): unknown {
  return v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : v;
}
const TIMESTAMP_OID = 1114;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID ? (s: string) => new Date(s.replace(' ', 'T') + 'Z') : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
const q = (text: string, params: SqlValue[]) => ({ text, values: params.map(pgValue), types: pgTypes });

function pgRawSqlOn(client: PgQueryable, pool: pg.Pool | null): RawSql {
  const self: RawSql = {
    provider: 'postgresql',
    async query<T>(sql: string, params: SqlValue[] = []) {
      const r = await client.query(q(toPgPlaceholders(sql), params));
      return r.rows as T[];
    },
    async execute(sql, params = []) {
      const r = await client.query(q(toPgPlaceholders(sql), params));
      return r.rowCount ?? 0;
    },
    async transaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T> {
      if (!pool) return fn(self); // already inside a transaction
      const conn = await pool.connect();
      // A connection that dies while checked out emits 'error' on its client, and an 'error' event
      // nobody listens to ends the process; the statement in progress rejects anyway.
      const ignore = () => undefined;
      conn.on('error', ignore);
      let broken: Error | undefined;
      try {
        await conn.query('BEGIN');
        const result = await fn(pgRawSqlOn(conn, null));
        await conn.query('COMMIT');
        return result;
      } catch (e) {
        await conn.query('ROLLBACK').catch((rollbackFailed: Error) => (broken = rollbackFailed));
        throw e;
      } finally {
        conn.removeListener('error', ignore);
        conn.release(broken); // a connection that cannot even roll back is discarded, not pooled
      }
    },
    async insertMany(table, columns, rows, conflict) {
      let inserted = 0;
      const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
      for (const part of chunks(rows, Math.min(per, 2000))) {
        const r = await client.query(q(insertSql('postgresql', table, columns, part.length, conflict), part.flat()));
        inserted += r.rowCount ?? 0;
      }
      return inserted;
    },
    async insertManyReturning<T>(table: string, columns: string[], rows: SqlValue[][], conflict: string[] | undefined, returning: string[]) {
      const out: T[] = [];
      const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
      for (const part of chunks(rows, Math.min(per, 2000))) {
        const r = await client.query(q(insertSql('postgresql', table, columns, part.length, conflict, returning), part.flat()));
        out.push(...(r.rows as T[]));
      }
      return out;
    },
  };
  return self;
}

export function pgRawSql(pool: pg.Pool): RawSql {
  return pgRawSqlOn(pool, pool);
}
