/**
 * The console's pages and assets. Pages are static HTML shells (no inline script, so the CSP can
 * forbid it) whose scripts call the JSON API; each page path is gated by role like its API.
 * Assets under /app/ hold no data and are public.
 */
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import { requireRoles, type AuthDeps, type RoleSet } from './auth.ts';

export const APP_DIR = fileURLToPath(new URL('../app/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

const cache = new Map<string, Buffer>();
function read(file: string): Buffer {
  let b = cache.get(file);
  if (!b) {
    b = readFileSync(join(APP_DIR, file));
    if (process.env.NODE_ENV === 'production') cache.set(file, b);
  }
  return b;
}

/** GET `path` → web/app/`file` for signed-in users of `roles` (people without a session go to /login). */
export function page(router: Router, deps: AuthDeps, path: string, file: string, roles: RoleSet): void {
  router.get(path, requireRoles(deps, roles, { page: true }), (ctx) => {
    ctx.type = TYPES['.html']!;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = read(file);
  });
}

/** GET /app/<file>: scripts and styles of the pages. */
export function assets(router: Router): void {
  router.get('/app/:file', (ctx) => {
    const file = String(ctx.params.file);
    if (!/^[a-z0-9-]+\.(js|css|svg)$/.test(file)) return;
    let body: Buffer;
    try {
      body = read(file);
    } catch {
      return;
    }
    ctx.type = TYPES[extname(file)]!;
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = body;
  });
  router.get('/login', (ctx) => {
    ctx.type = TYPES['.html']!;
    ctx.body = read('login.html');
  });
}
