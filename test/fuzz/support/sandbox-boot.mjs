// Worker thread of the fuzz sandbox (sandbox.ts): loads the TypeScript checks module through tsx and
// answers one message per input (a check may be async: the Excel readers are). Kept in plain JS
// because the worker starts outside vitest's transform.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { checks } = await import(workerData.module);

parentPort.on('message', async ({ id, check, input }) => {
  const started = performance.now();
  let problem;
  try {
    problem = await checks[check](input);
  } catch (e) {
    problem = `the check itself threw: ${e && e.stack ? e.stack : String(e)}`;
  }
  parentPort.postMessage({ id, problem: problem ?? null, ms: performance.now() - started });
});
parentPort.postMessage({ ready: true });
