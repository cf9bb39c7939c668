/** `duban serve`: wires configuration, logger, database and the app, listens, and shuts down cleanly. */
import type { Server } from 'node:http';
import type { Config, PlatformEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { firstAdmin, prepareDatabase, seedIfEmpty } from './bootstrap.ts';
import { createApp } from './app.ts';

export async function runServer(config: Config, platformEnv: PlatformEnv = {}): Promise<Server> {
  const log = createLogger(config.LOG_LEVEL);
  const db = await prepareDatabase(config, log);
  await seedIfEmpty(db, config, log, new Date());
  await firstAdmin(db, config, log);
  const app = createApp(config, db, log, { platformEnv });
  await app.start();
  const server = app.koa.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ port, database: db.safeUrl }, `duban is running: open http://localhost:${port}/ for the web console (sign in), /simulator for the chat simulator, /healthz for health`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    server.close();
    void app
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}
