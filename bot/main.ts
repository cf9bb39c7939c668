/** `duban serve`: wires configuration, logger, database and the Koa server, and shuts down cleanly. */
import type { Server } from 'node:http';
import type { Config } from './config.ts';
import { createLogger } from './logger.ts';
import { prepareDatabase, seedIfEmpty } from './bootstrap.ts';
import { createServer } from './server.ts';

export async function runServer(config: Config): Promise<Server> {
  const log = createLogger(config.LOG_LEVEL);
  const db = await prepareDatabase(config, log);
  await seedIfEmpty(db, config, log, new Date());
  const app = createServer({ db, log, config, now: () => new Date() });
  const server = app.listen(config.PORT, config.HOST);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ port, database: db.safeUrl }, `duban is running: open http://localhost:${port}/ for the console, /healthz for health`);
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    server.close(() => {
      void db.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}
