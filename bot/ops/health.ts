/**
 * Liveness and readiness. Liveness (/healthz) says the process answers and touches nothing else:
 * a slow database must not get a healthy process restarted. Readiness (/readyz) says this replica
 * should get traffic: the database answers within a timeout, every migration of this code is
 * applied, and the replica is not shutting down. The outbox queue is reported but never makes a
 * replica unready: taking replicas out of the load balancer cannot make a backlog smaller.
 */
import { readdirSync } from 'node:fs';
import type { Database } from '../../prisma/client.ts';
import { migrationsDir } from '../../prisma/migrate.ts';
import { readQueue } from './queue.ts';

export type NotReadyReason = 'shutting_down' | 'database_unreachable' | 'database_timeout' | 'migrations_pending';

export interface ReadinessReport {
  ready: boolean;
  body: Record<string, unknown>;
}

export interface ReadinessOptions {
  db: Pick<Database, 'sql' | 'provider'>;
  now: () => Date;
  /** Longest wait for the database (default 2 s); a probe must not hang on a dead connection. */
  timeoutMs?: number;
  /** The migrations this code expects (default: the folders under prisma/migrations/<provider>). */
  expectedMigrations?: string[];
}

class Timeout extends Error {}

export class Readiness {
  private draining = false;
  /** Applied migrations do not come undone: once all are there, the check stops asking. */
  private migrationsApplied = false;
  private readonly timeoutMs: number;
  private expected: string[] | undefined;

  constructor(private readonly o: ReadinessOptions) {
    this.timeoutMs = o.timeoutMs ?? 2_000;
    this.expected = o.expectedMigrations;
  }

  /** From now on /readyz answers 503, so load balancers stop sending before the listener closes. */
  markShuttingDown(): void {
    this.draining = true;
  }

  get shuttingDown(): boolean {
    return this.draining;
  }

  async check(): Promise<ReadinessReport> {
    if (this.draining) return notReady('shutting_down', 'the replica is shutting down');
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Timeout()), this.timeoutMs);
    });
    try {
      return await Promise.race([this.probe(started), deadline]);
    } catch (e) {
      if (e instanceof Timeout) return notReady('database_timeout', `the database did not answer within ${this.timeoutMs} ms`);
      return notReady('database_unreachable', `the database cannot be reached: ${firstLine(e)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private async probe(started: number): Promise<ReadinessReport> {
    const sql = this.o.db.sql;
    await sql.query('SELECT 1');
    const ms = Math.round(performance.now() - started);
    const pending = await this.pendingMigrations();
    if (pending.length) return notReady('migrations_pending', `${pending.length} migration(s) not applied; run \`duban migrate\``, { pending });
    const q = await readQueue(sql, this.o.now());
    if (this.draining) return notReady('shutting_down', 'the replica is shutting down');
    return {
      ready: true,
      body: {
        status: 'ready',
        database: { provider: this.o.db.provider, ms },
        migrations: { pending: [] },
        outbox: { pending: q.pending, oldestPendingAgeS: q.oldestPendingAgeS, dead: q.dead },
      },
    };
  }

  private async pendingMigrations(): Promise<string[]> {
    if (this.migrationsApplied) return [];
    this.expected ??= readdirSync(migrationsDir(this.o.db.provider), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    let applied: Set<string>;
    try {
      const rows = await this.o.db.sql.query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      );
      applied = new Set(rows.map((r) => r.migration_name));
    } catch {
      applied = new Set(); // no migrations table: nothing applied (the database itself answered SELECT 1)
    }
    const pending = this.expected.filter((m) => !applied.has(m));
    this.migrationsApplied = pending.length === 0;
    return pending;
  }
}

function notReady(reason: NotReadyReason, message: string, extra: Record<string, unknown> = {}): ReadinessReport {
  return { ready: false, body: { status: 'not_ready', reason, message, ...extra } };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);
}
