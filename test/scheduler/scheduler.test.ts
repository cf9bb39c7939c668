import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_POLICY } from '../../domain/schedule/policy.ts';
import { recordRun, lastRun, tryLease } from '../../scheduler/lease.ts';
import { runJob, schedulerJobs, startScheduler, type JobSpec } from '../../scheduler/index.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';
import { addTicket, at, outbox, schedulerDeps, seedDirectory } from './support.ts';
import { raceReplicas } from './replica.ts';

describe('scheduler jobs', () => {
  it('are data: a sweep through office hours, an hourly urgent sweep, a digest pass per scheduled time', () => {
    expect(schedulerJobs(DEFAULT_REMINDER_POLICY).map((j) => [j.name, j.cron, j.tz, j.lease])).toEqual([
      ['reminder-sweep', '0,30 9-17 * * *', 'Asia/Shanghai', 'reminder-sweep'],
      ['urgent-sweep', '15 * * * *', 'Asia/Shanghai', 'reminder-sweep'],
      ['digests@09:00', '0 9 * * *', 'Asia/Shanghai', 'digests'],
      ['digests@17:00', '0 17 * * *', 'Asia/Shanghai', 'digests'],
    ]);
  });
});

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe.each(dbKinds)('scheduler runs on %s', (kind) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    await seedDirectory(t.db);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const job = (run: JobSpec['run']): JobSpec => ({ name: 'test-job', cron: '* * * * *', tz: 'Asia/Shanghai', lease: 'test-job', run });

  it('runs a tick once, skips it while another replica holds the lease, and keeps a failed run for the next tick', async () => {
    const now = at('2026-06-22', '09:00');
    const deps = schedulerDeps(t.db, { now: () => now });
    let runs = 0;
    const counting = job(async () => (runs += 1));
    expect(await runJob(deps, counting, 'tick-1')).toEqual({ status: 'ran', value: 1 });
    expect(await runJob(schedulerDeps(t.db, { now: () => now, owner: 'replica-b' }), counting, 'tick-1')).toEqual({ status: 'already' });
    expect(runs).toBe(1);

    await tryLease(t.db.sql, 'test-job', 'replica-b', 60_000, now);
    expect(await runJob(deps, counting, 'tick-2')).toEqual({ status: 'busy' });

    const failing = job(async () => {
      throw new Error('database went away');
    });
    const other = schedulerDeps(t.db, { now: () => at('2026-06-22', '09:05'), owner: 'replica-b' });
    expect(await runJob(other, failing, 'tick-2')).toMatchObject({ status: 'failed' });
    expect((await lastRun(t.db.sql, 'test-job')).key).toBe('tick-1'); // not recorded: the next tick retries
    expect(await runJob(deps, counting, 'tick-3')).toMatchObject({ status: 'ran' }); // lease given back
  });

  it('catches up on start: one late weekly digest after a weekend of downtime; stop() waits for it', async () => {
    await addTicket(t.db, { due: '2026-06-30' }); // due today: the start-up sweep reminds too
    await recordRun(t.db.sql, 'digests', 'digests@17:00:2026-06-26T09:00:00.000Z', at('2026-06-26', '17:00'));
    const entered = deferred();
    const release = deferred();
    const now = at('2026-06-30', '10:00');
    const scheduler = startScheduler(
      schedulerDeps(t.db, {
        now: () => now,
        renderChart: async () => {
          entered.resolve();
          await release.promise;
          return new Uint8Array([1, 2, 3]);
        },
      }),
    );
    expect(scheduler.jobs).toHaveLength(4);
    await entered.promise;
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    for (let i = 0; i < 5; i += 1) await tick();
    expect(stopped).toBe(false); // the digest pass is still running
    release.resolve();
    await stopping;

    const digests = await t.db.prisma.digest.findMany({ orderBy: { id: 'asc' } });
    expect(digests.map((d) => [d.kind, d.period, d.late])).toEqual([
      ['WEEKLY', '2026-W27', true],
      ['DAILY_OVERDUE', '2026-06-29', true],
    ]);
    expect((await lastRun(t.db.sql, 'digests')).at).toEqual(now);
    // stop() came before the start-up sweep: it did not run, and nothing runs after stop
    expect((await outbox(t.db)).filter((m) => m.kind === 'reminder')).toHaveLength(0);
    expect(await scheduler.runNow('reminder-sweep')).toEqual({ status: 'busy' });
  });

  it('runs jobs by name; the normal and the urgent sweep share one lease and one set of reminder keys', async () => {
    await addTicket(t.db, { due: '2026-06-30' });
    const now = at('2026-06-30', '10:00');
    const scheduler = startScheduler(schedulerDeps(t.db, { now: () => now }), { catchUpOnStart: false });
    try {
      expect(await scheduler.runNow('reminder-sweep')).toMatchObject({ status: 'ran', value: { reminders: 1, cards: 1 } });
      expect(await scheduler.runNow('urgent-sweep')).toMatchObject({ status: 'ran', value: { reminders: 0 } });
      await expect(scheduler.runNow('no-such-job')).rejects.toThrow(/unknown scheduler job/);
    } finally {
      await scheduler.stop();
    }
    expect((await outbox(t.db)).filter((m) => m.kind === 'reminder')).toHaveLength(1);
  });

  it('lets one of several replicas run the same digest tick', async () => {
    await t.db.prisma.chatGroup.create({ data: { id: 'g-lead-2', name: '厅领导群', platform: 'CONSOLE', chatId: 'leaders-2', purpose: 'LEADERSHIP' } });
    await addTicket(t.db, { due: '2026-06-10' });
    await recordRun(t.db.sql, 'digests', 'before', at('2026-06-19', '17:00'));
    const now = at('2026-06-22', '09:00');
    const iso = now.toISOString();
    const jobA = schedulerJobs(DEFAULT_REMINDER_POLICY).find((j) => j.name === 'digests@09:00')!;
    const outcomes = (await raceReplicas(
      [[t.url, 'replica-b', iso, 'job', 'digests@09:00'], [t.url, 'replica-c', iso, 'job', 'digests@09:00']],
      () => runJob(schedulerDeps(t.db, { now: () => now }), jobA, `digests@09:00:${iso}`),
    )) as { status: string }[];
    expect(outcomes.filter((o) => o.status === 'ran')).toHaveLength(1);
    expect(outcomes.every((o) => ['ran', 'busy', 'already'].includes(o.status))).toBe(true);
    expect(await t.db.prisma.digest.count()).toBe(2); // W26 to both leadership groups, once
    expect((await outbox(t.db)).map((m) => m.target).sort()).toEqual(['group:leaders', 'group:leaders', 'group:leaders-2', 'group:leaders-2']);
  });
});
