/**
 * The Koa application: the operations endpoints (bot/ops: /healthz, /readyz, /metrics), the console
 * adapter's pages and a small read API. Platform adapters mount their callback routes in app.ts.
 */
import Koa from 'koa';
import Router from '@koa/router';
import type { Database } from '../prisma/client.ts';
import type { Logger } from './logger.ts';
import type { Config } from './config.ts';
import { consoleRoutes } from './console/routes.ts';
import { createOps, type Ops } from './ops/index.ts';
import { opsMiddleware, opsRoutes } from './ops/routes.ts';
import { requireRoles } from '../web/server/auth.ts';

export interface ServerDeps {
  db: Database;
  log: Logger;
  config: Config;
  now: () => Date;
  /** Metrics and readiness (createApp builds them); a server without gets its own. */
  ops?: Ops;
}

export function createServer(deps: ServerDeps): Koa {
  const app = new Koa();
  app.proxy = deps.config.DUBAN_TRUST_PROXY;
  const router = new Router();
  const ops = deps.ops ?? createOps(deps.db, { now: deps.now, metricsToken: deps.config.DUBAN_METRICS_TOKEN });

  app.use(opsMiddleware(ops));
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

  opsRoutes(router, ops);
  // The overview and its read API show every unit's tickets: bureau staff and leaders only.
  router.use(['/overview', '/api/summary', '/api/outbox', '/api/tickets'], requireRoles(deps, ['BUREAU_ADMIN', 'BUREAU_STAFF', 'LEADER'], { page: true }));
  consoleRoutes(router, deps);
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
