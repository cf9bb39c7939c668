/**
 * The scheduler: jobs are data (name, cron, time zone, lease), node-schedule only ticks. Each run
 * takes the job's lease in the database, so one replica runs a job at a time; a replica that dies
 * holding it is replaced when the lease expires. The truth about what already ran is in the
 * database (reminder keys, digest rows, last run per job), so a tick missed during downtime is
 * caught up by the next run or on start, and a tick run twice sends nothing twice.
 */
import schedule from 'node-schedule';
import { isUnavailable } from '../prisma/availability.ts';
import { DEFAULT_DIGEST_SCHEDULE, type DigestSchedule } from '../domain/schedule/periods.ts';
import type { ReminderPolicy } from '../domain/schedule/policy.ts';
import { lastRun, recordRun, releaseLease, tryLease } from './lease.ts';
import { runReminderSweep } from './reminders.ts';
import { runDueDigests } from './digests.ts';
import { renderDigestChart } from './digest-chart.ts';
import type { SchedulerDeps } from './types.ts';

export type { SchedulerDeps, SchedulerLog, RenderChart, CompletionChartInput, NotifyPlatform } from './types.ts';
export { runReminderSweep, SWEEP_STATE, type SweepResult } from './reminders.ts';
export { buildDigest, publishDigest, runDueDigests, onDemandPeriod, digestKindOfCommand, type DigestKind } from './digests.ts';
export { tryLease, releaseLease, recordRun, lastRun } from './lease.ts';
export { renderDigestChart } from './digest-chart.ts';

export const SCHEDULER_TZ = 'Asia/Shanghai';
export const REMINDER_LEASE = 'reminder-sweep';
export const DIGEST_LEASE = 'digests';
/** A run that takes longer than this may be taken over by another replica (harmless: runs are idempotent). */
export const DEFAULT_LEASE_MS = 10 * 60_000;

export interface JobSpec {
  name: string;
  /** Cron expression read in `tz`. */
  cron: string;
  tz: string;
  /** Jobs sharing a lease never run at the same time (the normal and the urgent sweep). */
  lease: string;
  run(deps: SchedulerDeps, now: Date): Promise<unknown>;
}

function hhmm(at: string): { h: number; m: number } {
  const [h, m] = at.split(':').map(Number);
  return { h: h ?? 0, m: m ?? 0 };
}

async function sweep(deps: SchedulerDeps, now: Date): Promise<unknown> {
  return runReminderSweep(deps, now);
}

async function digests(deps: SchedulerDeps, now: Date): Promise<unknown> {
  const { at } = await lastRun(deps.db.sql, DIGEST_LEASE);
  return runDueDigests(deps, now, at);
}

/**
 * The jobs: the reminder sweep every 30 minutes through the send window's hours, an hourly sweep
 * around the clock for urgent tickets (the sweep itself applies quiet hours and the working-day
 * rule), and a digest pass at each time of the digest schedule (the pass works out from the
 * calendar which digests are due, e.g. the weekly one on the first working day of the week).
 */
export function schedulerJobs(policy: ReminderPolicy, digestSchedule: DigestSchedule = DEFAULT_DIGEST_SCHEDULE): JobSpec[] {
  const from = hhmm(policy.sendWindow.start).h;
  const to = hhmm(policy.sendWindow.end).h;
  const jobs: JobSpec[] = [
    { name: 'reminder-sweep', cron: `0,30 ${from}-${to} * * *`, tz: SCHEDULER_TZ, lease: REMINDER_LEASE, run: sweep },
    { name: 'urgent-sweep', cron: '15 * * * *', tz: SCHEDULER_TZ, lease: REMINDER_LEASE, run: sweep },
  ];
  const times = new Set([digestSchedule.daily, digestSchedule.weekly, digestSchedule.monthly].flatMap((s) => (s ? [s.at] : [])));
  for (const at of [...times].sort()) {
    const { h, m } = hhmm(at);
    jobs.push({ name: `digests@${at}`, cron: `${m} ${h} * * *`, tz: SCHEDULER_TZ, lease: DIGEST_LEASE, run: digests });
  }
  return jobs;
}

export type RunOutcome =
  | { status: 'ran'; value: unknown }
  | { status: 'busy' } // another replica (or this one) holds the lease
  | { status: 'already' } // this tick already ran on another replica
  | { status: 'failed'; error: unknown };

/**
 * One run of a job on this replica: take the lease, skip a tick another replica already ran,
 * run, record the run, give the lease back. Failures are logged and left for the next tick.
 */
export async function runJob(deps: SchedulerDeps, job: JobSpec, runKey: string, leaseMs = DEFAULT_LEASE_MS): Promise<RunOutcome> {
  const sql = deps.db.sql;
  const now = deps.now();
  const failed = (error: unknown): RunOutcome => {
    // A database outage is logged once by the database's Availability; here it is only a skipped run.
    if (isUnavailable(error)) deps.log.info({ job: job.name, runKey }, 'scheduled job not run: the database is unreachable; next tick retries');
    else deps.log.error({ job: job.name, runKey, err: error instanceof Error ? error.message : String(error) }, 'scheduled job failed; next tick retries');
    return { status: 'failed', error };
  };
  try {
    if (!(await tryLease(sql, job.lease, deps.owner, leaseMs, now))) return { status: 'busy' };
  } catch (error) {
    return failed(error); // database unreachable: nothing was taken
  }
  try {
    if ((await lastRun(sql, job.lease)).key === runKey) return { status: 'already' };
    const value = await job.run(deps, now);
    await recordRun(sql, job.lease, runKey, now);
    return { status: 'ran', value };
  } catch (error) {
    return failed(error);
  } finally {
    await releaseLease(sql, job.lease, deps.owner).catch(() => undefined);
  }
}

export interface SchedulerHandle {
  readonly jobs: readonly JobSpec[];
  /** Runs a job now (tools, tests), as a tick would. */
  runNow(name: string): Promise<RunOutcome>;
  /** Cancels the timers and waits for the runs in progress. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Run the digest pass (catch-up after downtime) and a sweep right away; default true. */
  catchUpOnStart?: boolean;
  leaseMs?: number;
}

export function startScheduler(given: SchedulerDeps, opts: StartOptions = {}): SchedulerHandle {
  const deps: SchedulerDeps = { ...given, renderChart: given.renderChart === undefined ? renderDigestChart : given.renderChart };
  const jobs = schedulerJobs(deps.policy, deps.digestSchedule);
  const inFlight = new Map<string, Promise<RunOutcome>>();
  let stopped = false;

  const fire = (job: JobSpec, runKey: string): Promise<RunOutcome> => {
    if (stopped) return Promise.resolve({ status: 'busy' });
    // One run per lease in this process; the database lease covers the other replicas.
    const running = inFlight.get(job.lease);
    if (running) return running.then(() => ({ status: 'busy' }) as const);
    const started = performance.now();
    const p = runJob(deps, job, runKey, opts.leaseMs)
      .then((o) => {
        deps.onJobRun?.(job.name, o.status, (performance.now() - started) / 1000);
        return o;
      })
      .finally(() => inFlight.delete(job.lease));
    inFlight.set(job.lease, p);
    return p;
  };

  const timers = jobs.map((job) =>
    schedule.scheduleJob(job.name, { rule: job.cron, tz: job.tz }, (fireDate) => {
      void fire(job, `${job.name}:${fireDate.toISOString()}`);
    }),
  );
  deps.log.info({ jobs: jobs.map((j) => ({ name: j.name, cron: j.cron, tz: j.tz })), owner: deps.owner }, 'scheduler started');

  if (opts.catchUpOnStart !== false) {
    const startKey = `start:${deps.owner}:${deps.now().toISOString()}`;
    const digestJob = jobs.find((j) => j.lease === DIGEST_LEASE);
    const sweepJob = jobs.find((j) => j.lease === REMINDER_LEASE);
    void (async () => {
      if (digestJob) await fire(digestJob, `${digestJob.name}:${startKey}`);
      if (sweepJob) await fire(sweepJob, `${sweepJob.name}:${startKey}`);
    })();
  }

  return {
    jobs,
    runNow(name) {
      const job = jobs.find((j) => j.name === name);
      if (!job) return Promise.reject(new Error(`unknown scheduler job ${name}`));
      return fire(job, `${job.name}:manual:${deps.now().toISOString()}`);
    },
    async stop() {
      stopped = true;
      for (const t of timers) t?.cancel();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
