/**
 * Runs synchronous checks in a worker thread, so that a parser caught in an endless loop is a
 * failed run with its input, not a frozen test process: the main thread waits `budgetMs`, then
 * terminates the worker, starts a fresh one and reports a hang. A check returns null when the answer
 * was acceptable, else a sentence saying what was wrong (async checks are awaited). With
 * `resourceLimits`, a check that exhausts the worker's heap fails its run as well: the worker dies,
 * the run is reported at once and a fresh worker takes over.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';

type Answer = { id: number; problem: string | null; ms: number };

export class Sandbox {
  private worker!: Worker;
  private ready!: Promise<void>;
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly module: URL,
    private readonly resourceLimits?: ResourceLimits,
  ) {
    this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(new URL('./sandbox-boot.mjs', import.meta.url), { workerData: { module: this.module.href }, ...(this.resourceLimits ? { resourceLimits: this.resourceLimits } : {}) });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', () => {
        worker.off('error', reject);
        resolve();
      });
    });
    worker.on('message', (m: Answer | { ready: true }) => {
      if ('id' in m) this.waiting.get(m.id)?.resolve(m);
    });
    let died: Error | undefined;
    worker.on('error', (e) => {
      died = e;
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return; // terminated on purpose after a hang
      for (const w of this.waiting.values()) w.reject(new Error(`the worker died (exit ${code}): ${died ? `${died.name}: ${died.message}` : 'no error'}`));
    });
  }

  /** Runs `check(input)` in the worker; throws when it has not answered within `budgetMs`. */
  async run(check: string, input: unknown, budgetMs: number): Promise<{ problem: string | null; ms: number }> {
    await this.ready;
    const id = this.next++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<Answer>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        timer = setTimeout(() => reject(new Error(`${check}: no answer within ${budgetMs} ms (a hang)`)), budgetMs);
        this.worker.postMessage({ id, check, input });
      });
    } catch (e) {
      const old = this.worker;
      this.spawn();
      await old.terminate();
      throw e;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(id);
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
