/**
 * What `duban serve` does before it listens: open the database, bring an embedded SQLite file up to
 * date by itself (PostgreSQL is migrated by the operator with `duban migrate`), and on first start
 * load the seed plan, assign its tickets and seed the demo directory.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { openDatabase, parseDatabaseUrl, type Database } from '../prisma/client.ts';
import { migrate, pendingMigrations } from '../prisma/migrate.ts';
import { DomainError } from '../domain/errors.ts';
import { parsePlan } from '../domain/plan/parse.ts';
import { assignPlan, loadPlan } from '../handlers/services/plan-store.ts';
import { seedDemoDirectory } from '../handlers/services/directory.ts';
import { ensureFirstAdmin } from '../web/server/accounts.ts';

export async function prepareDatabase(config: Config, log: Logger): Promise<Database> {
  const target = parseDatabaseUrl(config.DATABASE_URL);
  if (target.provider === 'sqlite') {
    const applied = await migrate(config.DATABASE_URL);
    if (applied.length) log.info({ applied }, 'database migrated');
  } else {
    const pending = await pendingMigrations(config.DATABASE_URL);
    if (pending.length) {
      throw new DomainError(
        'DB_PENDING_MIGRATIONS',
        `PostgreSQL 数据库有 ${pending.length} 个迁移尚未执行，请先运行 duban migrate。`,
        `PostgreSQL has ${pending.length} unapplied migration(s) (${pending.join(', ')}); run \`duban migrate\` first`,
      );
    }
  }
  const db = await openDatabase(config.DATABASE_URL);
  // A database outage is logged once, by this process's logger, with its duration when it ends.
  db.availability.attach(log);
  return db;
}

/** Any fixed number: the PostgreSQL advisory lock that lets one of several starting replicas seed. */
const SEED_LOCK = 2_026_057;

/** First start only: nothing happens once any plan exists. */
export async function seedIfEmpty(db: Database, config: Config, log: Logger, now: Date, platforms: readonly string[] = config.DUBAN_CONSOLE ? ['CONSOLE'] : []): Promise<void> {
  if (!config.DUBAN_SEED_PLAN) return;
  if (db.provider === 'sqlite') return seed(db, config, log, now, platforms);
  // Replicas started together on an empty database would each seed and all but one fail on the
  // unique keys: the first takes the lock and seeds, the others wait for it and find the plan there.
  await db.sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(?)', [SEED_LOCK]);
    await seed(db, config, log, now, platforms);
  });
}

async function seed(db: Database, config: Config, log: Logger, now: Date, platforms: readonly string[]): Promise<void> {
  if ((await db.prisma.plan.count()) > 0) return;
  const bytes = readFileSync(config.DUBAN_SEED_PLAN);
  const parsed = parsePlan(bytes);
  const loaded = await loadPlan(db, parsed, bytes.toString('utf8'), now);
  const assigned = await assignPlan(db, loaded.planId, now, platforms);
  log.info({ plan: parsed.plan.docNo, tasks: loaded.tasks, milestones: loaded.milestones, tickets: assigned.created.length }, 'seed plan loaded and assigned');
  if (config.DUBAN_SEED_DEMO) {
    const seeded = await seedDemoDirectory(db);
    log.info(seeded, 'demo directory seeded');
  }
}

/**
 * The web console needs an account to sign in. With the console adapter on (the demo start), the
 * first start creates `admin` with a random password written to data/initial-admin-password.txt;
 * otherwise the operator creates one with `duban user add`.
 */
export async function firstAdmin(db: Database, config: Config, log: Logger): Promise<void> {
  if (config.DUBAN_CONSOLE) {
    const file = resolve(config.DUBAN_EVIDENCE_DIR, '..', 'initial-admin-password.txt');
    const password = await ensureFirstAdmin(db, file);
    if (password) log.info({ username: 'admin', file }, `first web console account created: sign in as admin with the password in ${file}`);
  } else if ((await db.prisma.userAccount.count()) === 0) {
    log.warn('no web console account yet: create one with `duban user add NAME --role BUREAU_ADMIN`');
  }
}
