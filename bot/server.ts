/**
 * The Koa application: health, the console adapter's pages and a small read API. Platform
 * adapters (WeCom, DingTalk) mount their callback routes here in later steps.
 */
import Koa from 'koa';
import Router from '@koa/router';
import type { Database } from '../prisma/client.ts';
import type { Logger } from './logger.ts';
import type { Config } from './config.ts';
import { consoleRoutes } from './console/routes.ts';

export interface ServerDeps {
  db: Database;
  log: Logger;
  config: Config;
  now: () => Date;
}

export function createServer(deps: ServerDeps): Koa {
  const app = new Koa();
  const router = new Router();

  app.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } catch (e) {
      deps.log.error({ err: e, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: 'INTERNAL', message: '服务器内部错误，请稍后重试。' };
    } finally {
      deps.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  });

  router.get('/healthz', async (ctx) => {
    try {
      await deps.db.sql.query('SELECT 1');
      ctx.body = { status: 'ok', database: deps.db.provider };
    } catch (e) {
      deps.log.warn({ err: e }, 'health check: database unreachable');
      ctx.status = 503;
      ctx.body = { status: 'error', database: 'unreachable' };
    }
  });

  consoleRoutes(router, deps);
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
