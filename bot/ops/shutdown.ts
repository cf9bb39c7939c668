/**
 * Graceful shutdown on SIGTERM/SIGINT, in the order that loses nothing:
 * 1. not ready at once (/readyz 503), so a load balancer stops sending;
 * 2. stop accepting connections; requests already received finish (their responses say
 *    `Connection: close`), idle keep-alive connections are closed;
 * 3. stop background work: the scheduler's runs, the delivery worker's claimed batch, the
 *    inbound pipeline's accepted messages;
 * 4. close the database; exit 0.
 * A hard timeout (DUBAN_SHUTDOWN_TIMEOUT_S, default 25 s, under Kubernetes' 30 s grace period)
 * exits 1 with one log line naming the step that hung; what was unfinished resumes on restart
 * (outbox leases expire, unprocessed inbound events are recovered).
 */
import type { Server } from 'node:http';
import type { Logger } from '../logger.ts';
import type { Readiness } from './health.ts';

export interface ShutdownDeps {
  server: Server;
  readiness: Pick<Readiness, 'markShuttingDown'>;
  /** Stops background work, finishing what is in flight (App.stop). */
  stopWork: () => Promise<void>;
  closeDatabase: () => Promise<void>;
  log: Logger;
  timeoutMs: number;
  exit?: (code: number) => void;
}

type Phase = 'http' | 'work' | 'database';

/** Runs the shutdown once; resolves with the exit code it passed to `exit`. */
export async function shutdown(deps: ShutdownDeps, signal: string): Promise<number> {
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const t0 = performance.now();
  let phase: Phase = 'http';
  deps.readiness.markShuttingDown();
  deps.log.info({ signal, timeoutS: deps.timeoutMs / 1000 }, 'shutting down: not ready, no new connections; finishing in-flight requests and work');
  let timer: NodeJS.Timeout | undefined;
  const hard = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      deps.log.error({ phase, timeoutS: deps.timeoutMs / 1000 },
        `shutdown did not finish within ${deps.timeoutMs / 1000} s (stuck in ${phase}); exiting with code 1 — unfinished work resumes on the next start`);
      deps.server.closeAllConnections();
      resolve(1);
    }, deps.timeoutMs);
  });
  const orderly = (async () => {
    await closeHttp(deps.server);
    phase = 'work';
    await deps.stopWork();
    phase = 'database';
    await deps.closeDatabase();
    deps.log.info({ ms: Math.round(performance.now() - t0) }, 'shutdown complete');
    return 0;
  })().catch((e: unknown) => {
    deps.log.error({ err: e, phase }, 'shutdown failed; exiting with code 1');
    return 1;
  });
  const code = await Promise.race([orderly, hard]);
  clearTimeout(timer);
  exit(code);
  return code;
}

/** Installs the signal handlers; a second signal while shutting down is ignored. */
export function onSignals(deps: ShutdownDeps): void {
  let running = false;
  const handle = (signal: string) => {
    if (running) return;
    running = true;
    void shutdown(deps, signal);
  };
  process.once('SIGTERM', () => handle('SIGTERM'));
  process.once('SIGINT', () => handle('SIGINT'));
}

/** Resolves when every connection has ended; in-flight requests are answered first. */
function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    // A keep-alive connection turns idle after its last response: close it then, not only now.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}
