/**
 * The Koa application: the operations endpoints (bot/ops: /healthz, /readyz, /metrics) and the
 * request log. The web console (web/server) and the platform adapters mount their routes in app.ts.
 */
import Koa from 'koa';
import Router from '@koa/router';
import type { Database } from '../prisma/client.ts';
import type { Logger } from './logger.ts';
import type { Config } from './config.ts';
import { createOps, type Ops } from './ops/index.ts';
import { opsMiddleware, opsRoutes } from './ops/routes.ts';

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

  // Koa's default prints errors met after the answer as stacks on stderr; the log gets one line.
  app.on('error', (err: Error & { code?: string }, ctx?: Koa.Context) => {
    const clientGone = ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE'].includes(err.code ?? '') || /^HPE_/.test(err.code ?? '');
    if (clientGone) deps.log.debug({ code: err.code, method: ctx?.method, path: ctx?.path }, 'client connection closed early');
    else deps.log.error({ err, method: ctx?.method, path: ctx?.path }, 'request failed after the answer');
  });
  app.use(opsMiddleware(ops));
  app.use(async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } catch (e) {
      if (ctx.req.destroyed && (e as { code?: unknown }).code === 'ECONNRESET') {
        // The client hung up mid-request: nobody is left to answer, and it is no fault of ours.
        deps.log.warn({ method: ctx.method, path: ctx.path }, 'client closed the connection before its request was read');
        return;
      }
      deps.log.error({ err: e, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: 'INTERNAL', message: '服务器内部错误，请稍后重试。' };
    } finally {
      deps.log.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  });

  opsRoutes(router, ops);
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
