/**
 * Prometheus metrics of one app. Each app has its own Registry (never prom-client's global one):
 * several apps run in one test process, and a registry that outlives its app would keep reporting
 * it. Hooks into the rest of the code are plain functions passed through the existing deps
 * (worker observer, scheduler `onJobRun`, a pipeline wrapper), so nothing imports this module
 * except the composition root and the ops routes.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pipeline } from '../core/pipeline.ts';
import type { DeliveryOutcome } from '../outbox/worker.ts';
import { OUTBOX_PLATFORMS } from '../outbox/types.ts';
import type { QueueState } from './queue.ts';

export interface MetricsOptions {
  /** The outbox queue, read on every scrape (one aggregated query). */
  queue?: () => Promise<QueueState>;
  /** Node's process metrics (CPU, memory, event loop lag, GC); default true. */
  defaultMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly inboundTotal: Counter<'platform' | 'result'>;
  private readonly sendsTotal: Counter<'platform' | 'result'>;
  private readonly sendErrorsTotal: Counter<'platform' | 'code'>;
  private readonly rateLimitedTotal: Counter<'platform'>;
  private readonly deliverySeconds: Histogram<'platform' | 'result'>;
  private readonly jobRunsTotal: Counter<'job' | 'outcome'>;
  private readonly jobSeconds: Histogram<'job'>;
  private readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;

  constructor(opts: MetricsOptions = {}) {
    const registers = [this.registry];
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.inboundTotal = new Counter({
      name: 'duban_inbound_events_total',
      help: 'Verified inbound platform events by platform and result (accepted: recorded and queued; duplicate: a platform retry or another replica had it).',
      labelNames: ['platform', 'result'], registers,
    });
    this.sendsTotal = new Counter({
      name: 'duban_outbox_sends_total',
      help: 'Outbox deliveries by platform and result (sent, retry, dead, throttled: the platform asked us to wait).',
      labelNames: ['platform', 'result'], registers,
    });
    this.sendErrorsTotal = new Counter({
      name: 'duban_outbox_send_errors_total',
      help: 'Failed outbox deliveries by platform and error code (WECOM_<errcode>, WECOM_HTTP_<status>, DINGTALK_<code>, NO_RECIPIENT...).',
      labelNames: ['platform', 'code'], registers,
    });
    this.rateLimitedTotal = new Counter({
      name: 'duban_outbox_rate_limited_total',
      help: 'Rows postponed by our own rate limiter to keep within the platform limits (no attempt counted).',
      labelNames: ['platform'], registers,
    });
    this.deliverySeconds = new Histogram({
      name: 'duban_outbox_delivery_seconds',
      help: 'Duration of one delivery call to the platform (rendering included), by platform and result (ok, error).',
      labelNames: ['platform', 'result'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.jobRunsTotal = new Counter({
      name: 'duban_scheduler_job_runs_total',
      help: 'Scheduler job runs on this replica by job and outcome (ran, busy: another run holds the lease, already: another replica ran this tick, failed).',
      labelNames: ['job', 'outcome'], registers,
    });
    this.jobSeconds = new Histogram({
      name: 'duban_scheduler_job_duration_seconds',
      help: 'Duration of scheduler job runs on this replica, lease included.',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'duban_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern (unmatched for 404s) and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    if (opts.queue) this.queueGauges(opts.queue, registers);
  }

  inbound(platform: string, result: 'accepted' | 'duplicate'): void {
    this.inboundTotal.inc({ platform, result });
  }

  /** The delivery worker's observer (DeliveryWorkerOptions.observe). */
  readonly delivery = (o: DeliveryOutcome): void => {
    if (o.result === 'rate_limited') {
      this.rateLimitedTotal.inc({ platform: o.platform });
      return;
    }
    this.sendsTotal.inc({ platform: o.platform, result: o.result });
    if (o.code) this.sendErrorsTotal.inc({ platform: o.platform, code: o.code });
    if (o.seconds !== undefined) this.deliverySeconds.observe({ platform: o.platform, result: o.result === 'sent' ? 'ok' : 'error' }, o.seconds);
  };

  /** The scheduler's observer (SchedulerDeps.onJobRun). */
  readonly jobRun = (job: string, outcome: string, seconds: number): void => {
    this.jobRunsTotal.inc({ job, outcome });
    if (outcome === 'ran' || outcome === 'failed') this.jobSeconds.observe({ job }, seconds);
  };

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpSeconds.observe({ method, route, status: String(status) }, seconds);
  }

  /** Counts what `accept` answered; the pipeline itself stays unaware of metrics. */
  countInbound(pipeline: Pipeline): Pipeline {
    return {
      ...pipeline,
      accept: async (message) => {
        const result = await pipeline.accept(message);
        this.inbound(message.chat.platform, result);
        return result;
      },
    };
  }

  private queueGauges(read: () => Promise<QueueState>, registers: Registry[]): void {
    // One query per scrape: a scrape calls every collect() in the same tick, so they share one read.
    let shared: Promise<QueueState | null> | undefined;
    const state = () => {
      if (!shared) {
        shared = read().catch(() => null);
        setImmediate(() => (shared = undefined));
      }
      return shared;
    };
    new Gauge({
      name: 'duban_database_up',
      help: '1 when the last scrape could read the database, 0 when it could not.',
      registers,
      async collect() {
        this.set((await state()) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'duban_outbox_messages',
      help: 'Outbox rows waiting (PENDING) or given up (DEAD) by platform; read from the database at scrape time.',
      labelNames: ['platform', 'status'],
      registers,
      async collect() {
        const s = await state();
        this.reset();
        if (!s) return;
        for (const platform of OUTBOX_PLATFORMS) for (const status of ['PENDING', 'DEAD']) this.set({ platform, status }, 0);
        for (const r of s.rows) this.set({ platform: r.platform, status: r.status }, r.count);
      },
    });
    new Gauge({
      name: 'duban_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest PENDING outbox row (0 when none): how far delivery is behind.',
      registers,
      async collect() {
        const s = await state();
        this.reset();
        if (s) this.set(s.oldestPendingAgeS ?? 0);
      },
    });
  }
}
