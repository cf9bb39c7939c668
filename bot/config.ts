/**
 * Configuration, read from the environment in this one module only. Everything else receives a
 * `Config` value, so tests pass their own.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseReminderPolicy } from '../domain/schedule/policy.ts';
import { isDomainError } from '../domain/errors.ts';

export const SEED_PLAN_FILE = fileURLToPath(new URL('../prisma/seed/plan-2026-xiangyiban.txt', import.meta.url));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().min(1).default('file:./data/duban.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The plan loaded (and assigned) on first start when the database has no plan. Empty: none. */
  DUBAN_SEED_PLAN: z.string().default(SEED_PLAN_FILE),
  /** Load the demo directory of people and groups on first start (console adapter). */
  DUBAN_SEED_DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** HMAC secret for card buttons. Several replicas must share it; SQLite setups get one generated under ./data. */
  DUBAN_ACTION_SECRET: z.string().min(16).optional(),
  /** Where evidence files are stored (content-addressed). */
  DUBAN_EVIDENCE_DIR: z.string().default('./data/evidence'),
  DUBAN_EVIDENCE_MAX_MB: z.coerce.number().min(1).max(200).default(20),
  /** The browser chat simulator (console adapter). Switch off where real platforms are connected. */
  DUBAN_CONSOLE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Largest Excel/CSV upload accepted by the web console (imports, returns). */
  DUBAN_UPLOAD_MAX_MB: z.coerce.number().min(1).max(100).default(10),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto/For (secure cookies, client IPs). */
  DUBAN_TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /**
   * With several replicas (PostgreSQL): an inbound event recorded but still unprocessed this many
   * seconds later is run again by the recovery sweep (a replica died, or never saw its own commit).
   */
  DUBAN_INBOUND_RECOVERY_S: z.coerce.number().int().min(5).max(3600).default(120),
  /** Public base URL of this server (links in cards and digests). */
  DUBAN_PUBLIC_URL: z.string().url().optional(),
  /** Traffic light: yellow when due within this many working days. */
  DUBAN_YELLOW_WORKDAYS: z.coerce.number().int().min(0).max(30).default(3),
  /** Bearer token for /metrics; without it /metrics is open (keep it off the public network). */
  DUBAN_METRICS_TOKEN: z.string().min(16).optional(),
  /** Longest graceful shutdown (SIGTERM/SIGINT) before the process exits with code 1. */
  DUBAN_SHUTDOWN_TIMEOUT_S: z.coerce.number().positive().max(600).default(25),
  /**
   * The reminder policy as JSON (send window, T-n working days, escalation; domain/schedule/policy.ts);
   * missing fields keep their defaults, e.g. '{"sendWindow":{"start":"08:30","end":"18:00"}}'.
   */
  DUBAN_REMINDER_POLICY: z.string().optional().transform((v, ctx) => {
    try {
      return parseReminderPolicy(v ?? {});
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: isDomainError(e) ? e.messageEn : String(e) });
      return z.NEVER;
    }
  }),
  /**
   * How long a delivery worker's claim on outbox rows lasts. A replica that dies holding a claim
   * delays those rows by up to this long (then another replica sends them); keep it well above the
   * platforms' request timeouts, since a claim older than this can be taken while still in flight.
   */
  DUBAN_OUTBOX_LEASE_S: z.coerce.number().int().min(10).max(3600).default(60),
  /**
   * How many replicas run (deliver) at once. Rate limits are kept in each process's memory, so each
   * replica keeps 1/N of every platform limit (WeCom drops what exceeds its limits without an error);
   * set it to the replica count, or more.
   */
  DUBAN_REPLICAS: z.coerce.number().int().min(1).max(64).default(1),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/**
 * The platform settings (WECOM_*, DINGTALK_*), passed as they are to the adapters' own zod schemas
 * (bot/wecom/config.ts, bot/dingtalk/config.ts), which decide whether a platform is configured.
 */
export type PlatformEnv = Record<string, string | undefined>;

export function loadPlatformEnv(env: NodeJS.ProcessEnv = process.env): PlatformEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('WECOM_') || k.startsWith('DINGTALK_')));
}
