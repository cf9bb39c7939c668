/**
 * `duban jobs`: list the scheduler's jobs and run one now, under the same lease as `duban serve`.
 * (Three replicas running jobs at once: test/replicas/replicas.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../bot/cli.ts';
import { openDatabase, type Database } from '../../prisma/client.ts';
import { migrate } from '../../prisma/migrate.ts';
import { tryLease } from '../../scheduler/lease.ts';
import { REMINDER_LEASE } from '../../scheduler/index.ts';
import { dbKinds, freshUrl } from '../support/databases.ts';

const NOW = new Date('2026-06-22T02:00:00Z'); // a Monday, 10:00 in Shanghai

describe.each(dbKinds)('duban jobs (%s)', (kind) => {
  let url: string;
  let drop: () => Promise<void>;
  let db: Database;
  beforeEach(async () => {
    ({ url, drop } = await freshUrl(kind));
    await migrate(url);
    db = await openDatabase(url);
  });
  afterEach(async () => {
    await db.close();
    await drop();
  });

  async function run(args: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, {
      out: (s) => out.push(s), err: (s) => err.push(s), now: () => NOW,
      env: { DATABASE_URL: url, DUBAN_ACTION_SECRET: 'cli-jobs-test-secret-0123456', LOG_LEVEL: 'silent', DUBAN_SEED_PLAN: '', ...env },
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('lists the jobs with their schedule in Asia/Shanghai, following the configured send window', async () => {
    const r = await run(['jobs', 'list'], { DUBAN_REMINDER_POLICY: '{"sendWindow":{"start":"08:00","end":"18:00"}}' });
    expect(r.code).toBe(0);
    expect(r.out).toContain('reminder-sweep\t0,30 8-18 * * *\tAsia/Shanghai');
    expect(r.out).toContain('digests@09:00');
  });

  it('runs a job once and says what it did', async () => {
    const r = await run(['jobs', 'run', 'reminder-sweep', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ job: 'reminder-sweep', status: 'ran', result: { reminders: 0 } });
  });

  it('skips a job another replica is running, and sends nothing', async () => {
    expect(await tryLease(db.sql, REMINDER_LEASE, 'other-replica:1', 60_000, NOW)).toBe(true);
    const r = await run(['jobs', 'run', 'urgent-sweep']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('urgent-sweep：另一个副本正在执行，本次跳过（不会重复发送）');
  });

  it('refuses an unknown job with the list of known ones', async () => {
    const r = await run(['jobs', 'run', 'reminders']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('没有名为 reminders 的定时任务。可选：reminder-sweep、urgent-sweep');
  });

  it('refuses an invalid reminder policy with the field named', async () => {
    const r = await run(['jobs', 'list'], { DUBAN_REMINDER_POLICY: '{"beforeDue":[5,5]}' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('DUBAN_REMINDER_POLICY');
    expect(r.err).toContain('beforeDue');
  });
});
