/**
 * The operations endpoints and the request middleware:
 * - GET /healthz — liveness: 200 while the process serves HTTP; no database.
 * - GET /readyz — readiness: 200 with the database, migrations and outbox queue; 503 with a reason.
 * - GET /metrics — Prometheus text; with DUBAN_METRICS_TOKEN it wants `Authorization: Bearer …`.
 *   Without a token it is open: keep it on an internal network.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import type Router from '@koa/router';
import type { Ops } from './index.ts';

const started = Date.now();

/** Times every request by route pattern (never the raw path: ids and query strings would explode the label set). */
export function opsMiddleware(ops: Ops): Koa.Middleware {
  return async (ctx, next) => {
    const t0 = performance.now();
    // While draining, a keep-alive connection must not take further requests after this one.
    if (ops.readiness.shuttingDown) ctx.set('Connection', 'close');
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string | RegExp })._matchedRoute;
      ops.metrics.httpRequest(ctx.method, route === undefined ? 'unmatched' : String(route), ctx.status, (performance.now() - t0) / 1000);
    }
  };
}

export function opsRoutes(router: Router, ops: Ops): void {
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok', uptimeS: Math.round((Date.now() - started) / 1000) };
  });

  router.get('/readyz', async (ctx) => {
    const r = await ops.readiness.check();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = r.ready ? 200 : 503;
    ctx.body = r.body;
  });

  router.get('/metrics', async (ctx) => {
    if (ops.metricsToken && !bearerMatches(ctx.get('authorization'), ops.metricsToken)) {
      ctx.status = 401;
      ctx.set('WWW-Authenticate', 'Bearer realm="duban metrics"');
      ctx.body = { error: 'UNAUTHORIZED', message: '需要有效的访问令牌（Authorization: Bearer …）。' };
      return;
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.type = ops.metrics.registry.contentType;
    ctx.body = await ops.metrics.registry.metrics();
  });
}

function bearerMatches(header: string, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  // Equal-length digests: the comparison takes the same time whatever was sent.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}
