/**
 * Shared settings of the fuzz suite (test/fuzz): a fixed seed by default so CI is reproducible,
 * `FUZZ_SEED` to replay or vary it, `FUZZ_RUNS` to run every property longer; a per-run time limit
 * for async properties; a watch on the process for unhandled rejections and uncaught exceptions.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** `FUZZ_SEED=1234` replays a failure; `FUZZ_SEED=random` picks a new seed each run (printed). */
function seedFromEnv(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === 'random') return (Date.now() ^ (process.pid << 16)) | 0;
  if (raw && /^-?\d+$/.test(raw)) return Number(raw) | 0;
  return 20260622;
}

export const SEED = seedFromEnv();
const RUNS_OVERRIDE = /^\d+$/.test(process.env.FUZZ_RUNS ?? '') ? Number(process.env.FUZZ_RUNS) : undefined;

/** Runs of a property: its default, or `FUZZ_RUNS` for every property when set. */
export function runs(defaultRuns: number): number {
  return RUNS_OVERRIDE ?? defaultRuns;
}

/** Vitest timeout for a test running `n` runs of at most `perRunMs` each (generous: the cores are shared). */
export function testTimeout(defaultRuns: number, perRunMs: number): number {
  return Math.max(30_000, runs(defaultRuns) * perRunMs + 20_000);
}

export interface CheckOptions {
  runs: number;
  /** Async properties only: a run that has not settled after this long fails as a hang. */
  perRunMs?: number;
}

/**
 * `fc.assert` with the suite's seed. On failure fast-check reports seed, path and counterexample;
 * the extra line says how to replay it.
 */
export async function check<Ts extends unknown[]>(property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>, options: CheckOptions): Promise<void> {
  const params: fc.Parameters<Ts> = {
    seed: SEED,
    numRuns: runs(options.runs),
    ...(options.perRunMs ? { plugins: [fc.timeout(options.perRunMs)] } : {}),
  };
  try {
    await fc.assert(property as fc.IAsyncProperty<Ts>, params);
  } catch (e) {
    // fast-check's error carries the failing run's error as its cause: keep that one, folded too.
    const inner = (e as Error).cause instanceof Error ? ((e as Error).cause as Error) : (e as Error);
    const cause = Object.assign(new Error(shorten(inner.message)), { stack: shorten(inner.stack ?? '') });
    throw new Error(`${shorten((e as Error).message)}\nReplay: FUZZ_SEED=${SEED} npx vitest run <this file>  (seed ${SEED})`, { cause });
  }
}

/** Counterexamples with 40 000-character cells would bury the report: long runs of one character are folded. */
function shorten(message: string): string {
  return message.replace(/(.)\1{99,}/gsu, (run, ch: string) => `${ch.repeat(20)}…(${[...run].length} × ${JSON.stringify(ch)})`);
}

/** `FUZZ_STATS=1`: counts of outcomes per property, printed at the end (how deep the inputs reach). */
const tallies = new Map<string, Map<string, number>>();
export function tally(property: string, outcome: string): void {
  if (!process.env.FUZZ_STATS) return;
  const t = tallies.get(property) ?? new Map<string, number>();
  t.set(outcome, (t.get(outcome) ?? 0) + 1);
  tallies.set(property, t);
}

/**
 * Registers process listeners for the file's lifetime: any unhandled rejection or uncaught
 * exception while the fuzz suite runs fails the test that was running.
 */
export function watchProcess(): void {
  const seen: string[] = [];
  const onRejection = (reason: unknown) => void seen.push(`unhandledRejection: ${describe(reason)}`);
  const onException = (error: unknown) => void seen.push(`uncaughtException: ${describe(error)}`);
  beforeAll(() => {
    process.on('unhandledRejection', onRejection);
    process.on('uncaughtException', onException);
  });
  afterEach(async () => {
    // Rejections are reported after the microtask queue drains: give them a turn.
    await new Promise((r) => setImmediate(r));
    const found = seen.splice(0);
    expect(found, 'no unhandled rejection or uncaught exception during the fuzz run').toEqual([]);
  });
  afterAll(() => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    for (const [property, t] of tallies) console.log(`${property}: ${[...t].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    tallies.clear();
  });
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** True when `text` contains Chinese (answers to people are Chinese). */
export const hasChinese = (text: string): boolean => /\p{Script=Han}/u.test(text);
