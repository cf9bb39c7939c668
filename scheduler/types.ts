/** What the scheduler's jobs are given: the database, the clock, the policy and where messages go. */
import type { Database } from '../prisma/client.ts';
import type { ReminderPolicy } from '../domain/schedule/policy.ts';
import type { DigestSchedule } from '../domain/schedule/periods.ts';
import type { OutboxPlatform } from '../bot/outbox/types.ts';

export type NotifyPlatform = OutboxPlatform;

/** The slice of a pino logger the scheduler uses (object first, message second). */
export interface SchedulerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** One unit's bar in the completion chart of a digest. */
export interface ChartUnit {
  unitCode: string;
  unitName: string;
  kind: 'PROVINCIAL' | 'CITY';
  total: number;
  done: number;
  doneOnTime: number;
  overdueOpen: number;
}

export interface CompletionChartInput {
  title: string;
  /** The cut-off day the figures are counted to (Asia/Shanghai). */
  asOf: string;
  units: ChartUnit[];
  /** Overall completion (percent) of the previous digests of the kind and this one, oldest first. */
  trend?: { label: string; completion: number }[];
}

/** Renders the digest's chart as PNG bytes (scheduler/chart.ts in production; a stub in tests). */
export type RenderChart = (input: CompletionChartInput) => Promise<Uint8Array> | Uint8Array;

export interface SchedulerDeps {
  db: Database;
  now: () => Date;
  log: SchedulerLog;
  /** Platforms reminders go out on; digests go to the groups of these platforms. */
  notifyPlatforms: NotifyPlatform[];
  /** HMAC secret for the buttons on reminder cards. */
  actionSecret: string;
  policy: ReminderPolicy;
  /** The digest chart; startScheduler defaults to scheduler/chart.ts, null sends digests without it. */
  renderChart?: RenderChart | null;
  /** This replica's name in job leases (host:pid or similar). */
  owner: string;
  /** Default DEFAULT_DIGEST_SCHEDULE. */
  digestSchedule?: DigestSchedule;
  /** Traffic light: yellow when due within this many working days (default 3). */
  yellowWorkdays?: number;
  /** Told every run's outcome (ran, busy, already, failed) and duration (metrics). */
  onJobRun?: (job: string, outcome: string, seconds: number) => void;
}
