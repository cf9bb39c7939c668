/**
 * Every page and API refuses the wrong role: this walks EVERY route the app registers. A route is
 * either on the public list below (each with the reason it is public) or carries a role gate; each
 * gated route is then called without a session (401, or the sign-in page) and by every role it
 * does not admit (403), and by the roles it admits (never 401/403 from the gate).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { createApp, type App } from '../../bot/app.ts';
import { ROLES, type Role } from '../../domain/access.ts';
import type { RoleGate } from '../../web/server/auth.ts';
import { freshDatabase, type TestDb } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';

/** Routes without a session gate, and why. Anything else unguarded fails this test. */
const PUBLIC: Record<string, string> = {
  'GET /healthz': 'load balancer liveness',
  'GET /readyz': 'load balancer readiness',
  'GET /metrics': 'Prometheus scrape (optional bearer token)',
  'POST /api/login': 'sign-in itself',
  'GET /login': 'the sign-in page',
  'GET /app/:file': 'scripts and styles without data',
  'GET /fonts/duban-cjk.otf': 'the bundled CJK font',
  'GET /vendor/adaptivecards.js': 'Adaptive Cards renderer',
  'GET /vendor/adaptivecards.css': 'Adaptive Cards styles',
  'GET /console/app.js': 'simulator script without data',
  'GET /console/app.css': 'simulator styles',
  'POST /api/problems': 'problem intake: authenticated by the source API key',
  'GET /api/problems/feedback': 'feedback for a source: authenticated by the source API key',
  'GET /public/problems': 'the public 晾晒 view: aggregated, no personal data',
  'GET /api/public/problems': 'data of the public 晾晒 view: aggregated, no personal data',
  'GET /overview': 'old address, redirects to /',
};
/** Platform callbacks verify their own signatures (WeCom/DingTalk), never a session. */
const PLATFORM = /^\/(wecom|dingtalk)\//;

interface RouteInfo {
  method: string;
  path: string;
  gate: RoleGate | null;
}

function routesOf(router: Router): RouteInfo[] {
  const layers = router.stack as unknown as { path: string; methods: string[]; stack: unknown[]; opts: { end?: boolean } }[];
  const uses = layers.filter((l) => l.methods.length === 0);
  const out: RouteInfo[] = [];
  for (const l of layers) {
    if (l.methods.length === 0) continue;
    const own = l.stack.find((m) => typeof m === 'function' && 'roles' in (m as object)) as RoleGate | undefined;
    const inherited = uses.find((u) => l.path === u.path || l.path.startsWith(u.path + '/'))?.stack.find((m) => typeof m === 'function' && 'roles' in (m as object)) as RoleGate | undefined;
    for (const method of l.methods.filter((m) => m !== 'HEAD')) out.push({ method, path: l.path, gate: own ?? inherited ?? null });
  }
  // Sign-out last: it ends the session the other calls use.
  return out.sort((a, b) => Number(a.path === '/api/logout') - Number(b.path === '/api/logout'));
}

const concrete = (path: string) => path.replace(/:(\w+)/g, (_m, name: string) => (name === 'file' ? 'x.js' : '1'));

describe('every route is guarded by role', () => {
  let t: TestDb;
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  const as = new Map<Role, WebClient>();

  beforeAll(async () => {
    t = await freshDatabase('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'duban-guards-'));
    const config = loadConfig({ DATABASE_URL: t.url, DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), LOG_LEVEL: 'silent', DUBAN_SEED_PLAN: '' });
    app = createApp(config, t.db, createLogger('silent'), { scheduler: false });
    server = app.koa.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await t.db.prisma.unit.create({ data: { code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL' } });
    for (const role of ROLES) as.set(role, await signedIn(t.db, base, role, role.startsWith('UNIT') ? { unitCode: 'p-gongan' } : {}));
  });
  afterAll(async () => {
    server.close();
    await app.stop();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has no route that is neither public nor gated', () => {
    const routes = routesOf(app.router);
    expect(routes.length).toBeGreaterThan(10);
    const unguarded = routes.filter((r) => !r.gate && !PUBLIC[`${r.method} ${r.path}`] && !PLATFORM.test(r.path)).map((r) => `${r.method} ${r.path}`);
    expect(unguarded).toEqual([]);
  });

  it('answers a request without a session with 401 (API) or the sign-in page', async () => {
    for (const r of routesOf(app.router).filter((x) => x.gate)) {
      const res = await fetch(base + concrete(r.path), { method: r.method, redirect: 'manual', headers: r.method === 'GET' ? {} : { 'content-type': 'application/json' }, ...(r.method === 'GET' ? {} : { body: '{}' }) });
      const expected = r.gate!.page && r.method === 'GET' ? 302 : 401;
      expect({ route: `${r.method} ${r.path}`, status: res.status }).toEqual({ route: `${r.method} ${r.path}`, status: expected });
    }
  });

  it('refuses every role a route does not admit, and lets the others past the gate', async () => {
    for (const r of routesOf(app.router).filter((x) => x.gate)) {
      for (const role of ROLES) {
        const admitted = r.gate!.roles === 'ANY' || r.gate!.roles.includes(role);
        const init: RequestInit = r.method === 'GET' ? { method: 'GET', redirect: 'manual' } : { method: r.method, headers: { 'content-type': 'application/json' }, body: '{}', redirect: 'manual' };
        const res = await as.get(role)!.fetch(concrete(r.path), init);
        const body = await res.text();
        const gateRefused = res.status === 401 || (res.status === 403 && /无权访问/.test(body));
        expect({ route: `${r.method} ${r.path}`, role, refused: gateRefused }).toEqual({ route: `${r.method} ${r.path}`, role, refused: !admitted });
      }
    }
  });
});
