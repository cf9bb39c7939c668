/** `duban serve`: wires configuration, logger, database and the app, listens, and shuts down cleanly. */
import type { Server } from 'node:http';
import type { Config, PlatformEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { firstAdmin, prepareDatabase, seedIfEmpty } from './bootstrap.ts';
import { createApp } from './app.ts';
import { notifyPlatforms } from './platforms.ts';
import { secretValues } from './ops/redact.ts';
import { onSignals } from './ops/shutdown.ts';

export async function runServer(config: Config, platformEnv: PlatformEnv = {}): Promise<Server> {
  const log = createLogger(config.LOG_LEVEL, undefined, { secrets: secretValues(config, platformEnv) });
  const db = await prepareDatabase(config, log);
  await seedIfEmpty(db, config, log, new Date(), notifyPlatforms(config, platformEnv));
  await firstAdmin(db, config, log);
  const app = createApp(config, db, log, { platformEnv });
  await app.start();
  const server = app.koa.listen(config.PORT, config.HOST);
  // Longer than a load balancer's idle timeout (often 60 s): Node's default 5 s lets the server close
  // a kept-alive connection just as the balancer reuses it, which it answers with a 502.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ port, database: db.safeUrl }, `duban is running: open http://localhost:${port}/ for the web console (sign in), /simulator for the chat simulator, /healthz for health`);
  onSignals({
    server, log, readiness: app.ops.readiness, timeoutMs: config.DUBAN_SHUTDOWN_TIMEOUT_S * 1000,
    stopWork: () => app.stop(), closeDatabase: () => db.close(),
  });
  return server;
}
