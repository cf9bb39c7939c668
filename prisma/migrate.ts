/**
 * Applies the ordinary Prisma migration folders (prisma/migrations/<provider>/<name>/migration.sql)
 * through the WebAssembly schema engine, keeping Prisma's `_prisma_migrations` table, so
 * `prisma migrate deploy` and `duban migrate` agree on what is applied.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { openSchemaEngine } from './engine.ts';
import { parseDatabaseUrl, pgPool, redact, type Provider } from './client.ts';
import { DomainError } from '../domain/errors.ts';

const here = dirname(fileURLToPath(import.meta.url));
const filters = { externalTables: [], externalEnums: [] };

export function migrationsDir(provider: Provider): string {
  return join(here, 'migrations', provider);
}

/** The schema for a provider: schema.prisma with its provider line switched for PostgreSQL. */
export function schemaFor(provider: Provider): { path: string; content: string } {
  const path = join(here, 'schema.prisma');
  const source = readFileSync(path, 'utf8');
  const content = provider === 'sqlite' ? source : source.replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"');
  return { path, content };
}

export function loadMigrations(provider: Provider): MigrationList {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

async function withEngine<T>(url: string, fn: (engine: Awaited<ReturnType<typeof openSchemaEngine>>, provider: Provider) => Promise<T>): Promise<T> {
  const target = parseDatabaseUrl(url);
  let factory: SqlMigrationAwareDriverAdapterFactory;
  let cleanup = async () => {};
  if (target.provider === 'sqlite') {
    mkdirSync(dirname(target.path), { recursive: true });
    factory = new PrismaBetterSqlite3({ url: target.path, timeout: 10_000 });
  } else {
    const pool = pgPool(target, 2);
    try {
      await pool.query('SELECT 1');
      if (target.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema.replace(/"/g, '')}"`);
    } catch (e) {
      await pool.end().catch(() => undefined);
      const reason = e instanceof Error ? e.message : String(e);
      throw new DomainError('DB_UNREACHABLE', `无法连接数据库 ${redact(url)}：${reason}`, `cannot reach database ${redact(url)}: ${reason}`);
    }
    factory = new PrismaPg(pool, target.schema ? { schema: target.schema } : undefined);
    cleanup = () => pool.end();
  }
  const { path, content } = schemaFor(target.provider);
  const handle = await openSchemaEngine(path, content, factory);
  try {
    return await fn(handle, target.provider);
  } finally {
    await handle.close();
    await cleanup();
  }
}

/** Applies every migration not yet applied; returns the names applied now. */
export async function migrate(url: string): Promise<string[]> {
  return withEngine(url, async ({ engine }, provider) => {
    try {
      const out = await engine.applyMigrations({ migrationsList: loadMigrations(provider), filters });
      return out.appliedMigrationNames;
    } catch (e) {
      const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new DomainError('DB_MIGRATE', `数据库迁移失败：${reason}`, `migration failed on ${redact(url)}: ${reason}`);
    }
  });
}

/** Names of migrations in the folder that the database has not applied. */
export async function pendingMigrations(url: string): Promise<string[]> {
  return withEngine(url, async ({ engine }, provider) => {
    const all = loadMigrations(provider);
    let d;
    try {
      d = await engine.diagnoseMigrationHistory({ migrationsList: all, optInToShadowDatabase: false, filters });
    } catch (e) {
      if ((e as { code?: string }).code === 'P1014') return all.migrationDirectories.map((m) => m.path); // no _prisma_migrations yet
      throw e;
    }
    if (!d.hasMigrationsTable) return all.migrationDirectories.map((m) => m.path);
    return d.history?.diagnostic === 'databaseIsBehind' ? d.history.unappliedMigrationNames : [];
  });
}

/**
 * Developer command: writes a new migration folder for a provider with the SQL that turns the
 * schema of the latest migration into the current schema.prisma. Each migration folder keeps a
 * copy of the schema it produces (`schema.snapshot.prisma`), so the diff needs no database: the
 * WASM engine cannot introspect PostgreSQL catalogs through the pg adapter.
 */
export async function createMigration(provider: Provider, name: string, now: Date): Promise<string | null> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new DomainError('MIGRATION_NAME', '迁移名只能包含小写字母、数字和下划线', 'migration name must match [a-z0-9_]+');
  const list = loadMigrations(provider);
  const last = list.migrationDirectories.at(-1);
  const snapshotOf = (dir: string) => join(list.baseDir, dir, SNAPSHOT);
  if (last && !existsSync(snapshotOf(last.path))) {
    throw new DomainError('MIGRATION_SNAPSHOT', `迁移 ${last.path} 缺少 ${SNAPSHOT}`, `migration ${last.path} has no ${SNAPSHOT}`);
  }
  const { path, content } = schemaFor(provider);
  // Any database of the provider will do: the diff is between two datamodels.
  const scratch = join(tmpdir(), `duban-scratch-${process.pid}-${now.getTime()}.db`);
  const factory = new PrismaBetterSqlite3({ url: scratch });
  const handle = await openSchemaEngine(path, schemaFor('sqlite').content, factory);
  try {
    const d = await handle.engine.diff({
      from: last ? { tag: 'schemaDatamodel', files: [{ path, content: readFileSync(snapshotOf(last.path), 'utf8') }] } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path, content }] },
      script: true,
      exitCode: null,
      filters,
    });
    const script = d.stdout ?? '';
    if (!script.trim() || script.includes('This is an empty migration')) return null;
    const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const dir = join(list.baseDir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'migration.sql'), script);
    writeFileSync(join(dir, SNAPSHOT), content);
    const lock = join(list.baseDir, 'migration_lock.toml');
    if (!existsSync(lock)) writeFileSync(lock, `# Please do not edit this file manually\nprovider = "${provider}"\n`);
    return dir;
  } finally {
    await handle.close();
    rmSync(scratch, { force: true });
  }
}

const SNAPSHOT = 'schema.snapshot.prisma';
