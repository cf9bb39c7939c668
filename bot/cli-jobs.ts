/**
 * `duban jobs …`: the scheduler's jobs, listed or run once from the command line. A run takes the
 * same database lease as the ticks inside `duban serve`, so it is safe next to any number of
 * replicas: when a replica (or another `jobs run`) holds the lease the run is skipped and says so,
 * and a run that does go ahead sends nothing twice (reminder keys, digest rows). Uses: re-running
 * a sweep or a digest pass by hand after an outage, driving the jobs from an external cron, tests.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Config, PlatformEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { DomainError } from '../domain/errors.ts';
import { openDatabase, type Database } from '../prisma/client.ts';
import type { PlatformName } from '../handlers/bot.ts';
import { resolveActionSecret } from './secrets.ts';
import { parseWecomConfig } from './wecom/config.ts';
import { parseDingtalkConfig } from './dingtalk/config.ts';
import { DIGEST_LEASE, lastRun, renderDigestChart, runJob, schedulerJobs, type RunOutcome, type SchedulerDeps } from '../scheduler/index.ts';

interface JobsIo {
  out: (s: string) => void;
  config: () => Config;
  platformEnv: () => PlatformEnv;
  now: () => Date;
}

/** What `duban serve` gives its scheduler (bot/app.ts), for a process that only runs jobs. */
export function jobDeps(config: Config, platformEnv: PlatformEnv, db: Database, now: () => Date): SchedulerDeps {
  const notifyPlatforms: PlatformName[] = [];
  if (config.DUBAN_CONSOLE) notifyPlatforms.push('CONSOLE');
  if (parseWecomConfig(platformEnv)) notifyPlatforms.push('WECOM');
  if (parseDingtalkConfig(platformEnv)) notifyPlatforms.push('DINGTALK');
  return {
    db, now, notifyPlatforms,
    log: createLogger(config.LOG_LEVEL, process.stderr),
    actionSecret: resolveActionSecret(config),
    policy: config.DUBAN_REMINDER_POLICY,
    yellowWorkdays: config.DUBAN_YELLOW_WORKDAYS,
    renderChart: renderDigestChart,
    owner: `${hostname()}:${process.pid}:cli`,
  };
}

const OUTCOME_TEXT: Record<RunOutcome['status'], string> = {
  ran: '已执行',
  busy: '另一个副本正在执行，本次跳过（不会重复发送）',
  already: '该次已由其他副本执行',
  failed: '执行失败',
};

export function registerJobCommands(program: Command, io: JobsIo): void {
  const jobs = program.command('jobs').description('定时任务：列出，或立即执行一次（与运行中的服务共用租约，多副本下也不会重复发送）');
  jobs
    .command('list')
    .description('列出定时任务、执行时间（Asia/Shanghai）与上次执行')
    .action(async () => {
      const config = io.config();
      const db = await openDatabase(config.DATABASE_URL);
      try {
        for (const job of schedulerJobs(config.DUBAN_REMINDER_POLICY)) {
          const last = await lastRun(db.sql, job.lease);
          io.out(`${job.name}\t${job.cron}\t${job.tz}\t租约 ${job.lease}\t上次 ${last.at ? last.at.toISOString() : '—'}`);
        }
      } finally {
        await db.close();
      }
    });
  jobs
    .command('run <names...>')
    .description(`执行一次，按给出的顺序，例如 duban jobs run reminder-sweep digests@09:00（digests@… 补发自上次执行以来应发而未发的通报，租约 ${DIGEST_LEASE}）`)
    .option('--json', '每个任务输出一行 JSON')
    .action(async (names: string[], opts: { json?: boolean }) => {
      const config = io.config();
      const all = schedulerJobs(config.DUBAN_REMINDER_POLICY);
      const chosen = names.map((n) => {
        const job = all.find((j) => j.name === n);
        if (!job) throw new DomainError('JOB_UNKNOWN', `没有名为 ${n} 的定时任务。可选：${all.map((j) => j.name).join('、')}`, `unknown job ${n}`);
        return job;
      });
      const db = await openDatabase(config.DATABASE_URL);
      let failed = false;
      try {
        const deps = jobDeps(config, io.platformEnv(), db, io.now);
        for (const job of chosen) {
          const outcome = await runJob(deps, job, `${job.name}:cli:${deps.owner}:${io.now().toISOString()}`);
          failed ||= outcome.status === 'failed';
          const detail = outcome.status === 'ran' ? outcome.value : outcome.status === 'failed' ? String(outcome.error) : undefined;
          if (opts.json) io.out(JSON.stringify({ job: job.name, status: outcome.status, ...(detail === undefined ? {} : { result: detail }) }));
          else io.out(`${job.name}：${OUTCOME_TEXT[outcome.status]}${detail === undefined ? '' : ` ${JSON.stringify(detail)}`}`);
        }
      } finally {
        await db.close();
      }
      if (failed) throw new DomainError('JOB_FAILED', '有定时任务执行失败，详见上方日志。', 'a job failed; see the log above');
    });
}
