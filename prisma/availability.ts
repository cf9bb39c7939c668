/**
 * Database availability, seen from one process. When PostgreSQL restarts or the network drops,
 * every loop that touches the database fails at once — the delivery worker twice a second, each
 * WeCom callback, each job — and logging each failure would bury the one thing an operator needs
 * to know. So connection-level failures are told apart from failing statements (`isUnavailable`),
 * and one `Availability` per database logs an outage edge-triggered: one error line when the first
 * call fails, one info line with the duration when a call succeeds again. Callers that meet an
 * unavailable database log at debug and leave their work for later (it resumes by itself).
 */
import type { RawSql } from './raw-sql.ts';

/** Node socket errors and PostgreSQL SQLSTATEs that mean "the server cannot be reached now". */
const CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', // admin_shutdown (the server is stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (the server is starting)
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  'P1001', // Prisma: can't reach database server
  'P1017', // Prisma: server has closed the connection
  'P2024', // Prisma: timed out fetching a connection from the pool
]);

const MESSAGES = /connection terminated|terminating connection due to administrator command|timeout exceeded when trying to connect|connection timeout|server closed the connection unexpectedly|client has encountered a connection error|can't reach database server|econnrefused|econnreset|the database system is (starting up|shutting down)/i;

/** True when `e` (or an error it wraps) says the database cannot be reached, not that a statement failed. */
export function isUnavailable(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur && typeof cur === 'object'; depth++) {
    const x = cur as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown; errors?: unknown };
    if (typeof x.code === 'string' && CODES.has(x.code)) return true;
    if (typeof x.originalCode === 'string' && CODES.has(x.originalCode)) return true;
    if (typeof x.message === 'string' && MESSAGES.test(x.message)) return true;
    // AggregateError (a connect to several addresses): any of them tells.
    if (Array.isArray(x.errors) && x.errors.some((inner) => isUnavailable(inner))) return true;
    cur = x.cause;
  }
  return false;
}

export interface AvailabilityLog {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * After an outage, connections the pool still holds from before it fail once on first use: a
 * failure this soon after recovery is the tail of the same outage, not a new one, and is not logged.
 */
const FLAP_MS = 30_000;

export class Availability {
  private outage: { since: number; failures: number; quiet: boolean } | null = null;
  private recoveredAt = -Infinity;

  constructor(private readonly database: string, private log: AvailabilityLog | null = null, private readonly now: () => number = Date.now) {}

  /** Where the outage lines go (the server's logger; none in command-line tools that print their own errors). */
  attach(log: AvailabilityLog): void {
    this.log = log;
  }

  get down(): boolean {
    return this.outage !== null;
  }

  /** A call failed. True when the database was unreachable: the outage is logged here, once. */
  failed(e: unknown): boolean {
    if (!isUnavailable(e)) return false;
    if (this.outage) {
      this.outage.failures++;
      return true;
    }
    const quiet = this.now() - this.recoveredAt < FLAP_MS;
    this.outage = { since: this.now(), failures: 1, quiet };
    if (quiet) return true;
    const reason = e instanceof Error ? e.message : String(e);
    this.log?.error({ database: this.database, reason },
      'database unreachable: deliveries, callbacks and jobs pause and resume by themselves when it is back (WeCom callbacks are answered 500 so that WeCom sends them again)');
    return true;
  }

  /** A call succeeded: ends an outage, if there was one. */
  succeeded(): void {
    if (!this.outage) return;
    const { since, failures, quiet } = this.outage;
    this.outage = null;
    if (quiet) return;
    this.recoveredAt = this.now();
    this.log?.info({ database: this.database, downForS: Math.round((this.now() - since) / 100) / 10, failedCalls: failures }, 'database reachable again');
  }

  /** Runs `fn`, telling the outcome. */
  async track<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.succeeded();
      return result;
    } catch (e) {
      this.failed(e);
      throw e;
    }
  }
}

/** The runner with every call's outcome told to `availability` (a transaction counts as one call). */
export function trackedRawSql(sql: RawSql, availability: Availability): RawSql {
  return {
    provider: sql.provider,
    query: (text, params) => availability.track(() => sql.query(text, params)),
    execute: (text, params) => availability.track(() => sql.execute(text, params)),
    transaction: (fn) => availability.track(() => sql.transaction(fn)),
    insertMany: (table, columns, rows, conflict) => availability.track(() => sql.insertMany(table, columns, rows, conflict)),
    insertManyReturning: (table, columns, rows, conflict, returning) => availability.track(() => sql.insertManyReturning(table, columns, rows, conflict, returning)),
  };
}
