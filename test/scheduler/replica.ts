/**
 * A second scheduler replica in its own process, for the "two replicas at once" tests: a real
 * separate connection that does not share the test's event loop (better-sqlite3 blocks its thread
 * while it waits for a lock, so two SQLite handles in one process cannot wait for each other).
 *
 *   node --import tsx test/scheduler/replica.ts <databaseUrl> <owner> <instantISO> sweep
 *   node --import tsx test/scheduler/replica.ts <databaseUrl> <owner> <instantISO> digest <KIND> <period>
 *   node --import tsx test/scheduler/replica.ts <databaseUrl> <owner> <instantISO> job <jobName>
 * The replica opens its database, prints `ready` and waits for a line on stdin before it runs, so
 * the test can start several replicas at the same moment. Prints the result as one JSON line.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../prisma/client.ts';
import { runReminderSweep } from '../../scheduler/reminders.ts';
import { publishDigest, type DigestKind } from '../../scheduler/digests.ts';
import { runJob, schedulerJobs } from '../../scheduler/index.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';
import { schedulerDeps } from './support.ts';

const SELF = fileURLToPath(import.meta.url);

export interface Replica {
  /** Resolves once the replica has opened its database and waits for `go`. */
  ready: Promise<void>;
  go(): void;
  result: Promise<unknown>;
}

/** Starts this script in a child process; `go()` lets it run, `result` is its JSON answer. */
export function startReplica(args: string[]): Replica {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (d) => (err += d));
  const result = new Promise<unknown>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`replica exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!));
      } catch {
        reject(new Error(`replica printed no JSON: ${out}${err}`));
      }
    });
  });
  return { ready, result, go: () => child.stdin.end('go\n') };
}

/** Starts replicas, waits until all are ready, releases them together with `alongside`, and returns every result. */
export async function raceReplicas<T>(argsList: string[][], alongside: () => Promise<T>): Promise<unknown[]> {
  const replicas = argsList.map(startReplica);
  await Promise.all(replicas.map((r) => r.ready));
  for (const r of replicas) r.go();
  return Promise.all([...replicas.map((r) => r.result), alongside()]);
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.once('data', () => resolve());
    process.stdin.once('end', () => resolve());
  });
}

async function main(argv: string[]): Promise<void> {
  const [url, owner, instant, action, ...rest] = argv;
  const now = new Date(instant!);
  const db = await openDatabase(url!);
  try {
    const deps = schedulerDeps(db, { owner: owner!, now: () => now });
    // Warm up (Prisma connects lazily) so that every replica starts its run on an equal footing.
    await loadCalendar(db);
    await db.sql.query('SELECT 1');
    process.stdout.write('ready\n');
    await waitForGo();
    let result: unknown;
    if (action === 'sweep') result = await runReminderSweep(deps, now);
    else if (action === 'digest') result = await publishDigest(deps, rest[0] as DigestKind, rest[1]!, { now });
    else if (action === 'job') {
      const job = schedulerJobs(deps.policy).find((j) => j.name === rest[0])!;
      const outcome = await runJob(deps, job, `${job.name}:${instant}`);
      result = outcome.status === 'failed' ? { status: 'failed', error: String(outcome.error) } : outcome;
    } else throw new Error(`unknown action ${action}`);
    console.log(JSON.stringify(result));
  } finally {
    await db.close();
  }
}

if (process.argv[1] === SELF) await main(process.argv.slice(2));
