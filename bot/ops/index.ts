/**
 * The operations side of one app: metrics, readiness and the routes that expose them. createApp
 * builds one and passes it down; see routes.ts for the endpoints and shutdown.ts for SIGTERM.
 */
import type { Database } from '../../prisma/client.ts';
import { Metrics } from './metrics.ts';
import { Readiness } from './health.ts';
import { readQueue } from './queue.ts';

export { Metrics } from './metrics.ts';
export { Readiness } from './health.ts';

export interface Ops {
  metrics: Metrics;
  readiness: Readiness;
  /** Bearer token required by /metrics; undefined: open. */
  metricsToken: string | undefined;
}

export interface OpsOptions {
  now?: () => Date;
  metricsToken?: string | undefined;
  readyTimeoutMs?: number;
  /** Node's process metrics (default true). */
  defaultMetrics?: boolean;
}

export function createOps(db: Pick<Database, 'sql' | 'provider'>, opts: OpsOptions = {}): Ops {
  const now = opts.now ?? (() => new Date());
  return {
    metrics: new Metrics({ queue: () => readQueue(db.sql, now()), ...(opts.defaultMetrics === false ? { defaultMetrics: false } : {}) }),
    readiness: new Readiness({ db, now, ...(opts.readyTimeoutMs ? { timeoutMs: opts.readyTimeoutMs } : {}) }),
    metricsToken: opts.metricsToken,
  };
}
