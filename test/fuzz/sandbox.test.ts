/**
 * The fuzz suite's own safety net: a check that never returns is reported as a hang within its
 * time limit (and the sandbox carries on with a fresh worker), and a check that throws is a failure.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox } from './support/sandbox.ts';

const sandbox = new Sandbox(new URL('./support/selftest-checks.ts', import.meta.url));
afterAll(() => sandbox.close());

describe('fuzz sandbox', () => {
  it('reports an endless loop as a hang within the time limit, then keeps working', async () => {
    const started = performance.now();
    await expect(sandbox.run('spins', null, 500)).rejects.toThrow(/no answer within 500 ms/);
    expect(performance.now() - started).toBeLessThan(5_000);
    await expect(sandbox.run('answers', null, 5_000)).resolves.toMatchObject({ problem: null });
  });

  it('reports a check that exhausts the worker heap as a failed run, then keeps working', async () => {
    const small = new Sandbox(new URL('./support/selftest-checks.ts', import.meta.url), { maxOldGenerationSizeMb: 64 });
    try {
      await expect(small.run('bloats', null, 30_000)).rejects.toThrow(/the worker died.*memory/i);
      await expect(small.run('answers', null, 5_000)).resolves.toMatchObject({ problem: null });
    } finally {
      await small.close();
    }
  }, 60_000);

  it('reports a check that throws as a problem', async () => {
    const { problem } = await sandbox.run('throws', null, 5_000);
    expect(problem).toMatch(/boom/);
  });
});
