/**
 * Sign-in, sessions and the role gate of the web console.
 *
 * - `POST /api/login` takes JSON only: a cross-site form cannot send application/json without a
 *   CORS preflight (which this server never grants), so sign-in cannot be forged (login CSRF).
 * - The session cookie is HttpOnly, SameSite=Strict, Secure whenever the request came over HTTPS
 *   (set DUBAN_TRUST_PROXY behind a TLS-terminating proxy).
 * - Every unsafe request (POST/PUT/PATCH/DELETE) of a signed-in browser must carry the session's
 *   CSRF token in `X-CSRF-Token` (or `_csrf` in a urlencoded form) and, when the browser sends an
 *   Origin, come from this host.
 * - Five wrong passwords lock the account for 15 minutes; the answer does not say whether the
 *   user name exists.
 * Who may do what is still decided by domain/access.ts; this gate only admits roles to routes.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import type { Database } from '../../prisma/client.ts';
import { ROLE_LABELS, type Actor, type Role } from '../../domain/access.ts';
import { DUMMY_HASH, verifyPassword } from './passwords.ts';
import { createSession, destroySession, loadSession, purgeExpiredSessions, SESSION_MAX_MS, type LoadedSession, type WebUser } from './sessions.ts';
import { fail, parseBody, readBody } from './http.ts';

export const SESSION_COOKIE = 'duban_session';
const MAX_FAILED = 5;
const LOCK_MS = 15 * 60_000;

export interface AuthDeps {
  db: Database;
  now: () => Date;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export type RoleSet = readonly Role[] | 'ANY';

export const BUREAU_ROLES: readonly Role[] = ['BUREAU_ADMIN', 'BUREAU_STAFF'];
export const UNIT_ROLES: readonly Role[] = ['UNIT_OFFICER', 'UNIT_LEADER'];
export const ALL_ROLES: RoleSet = 'ANY';

export function actorOf(user: WebUser): Actor {
  return { personId: user.personId, name: user.displayName, role: user.role, unitCode: user.unitCode };
}

/** The signed-in user of this request (set by `requireRoles`). */
export function webUser(ctx: Context): WebUser {
  const s = ctx.state.session as LoadedSession | undefined;
  if (!s) throw new Error('webUser() outside requireRoles');
  return s.user;
}

async function sessionOf(ctx: Context, deps: AuthDeps): Promise<LoadedSession | null> {
  if (ctx.state.session !== undefined) return ctx.state.session as LoadedSession | null;
  const token = ctx.cookies.get(SESSION_COOKIE);
  const s = token ? await loadSession(deps.db, token, deps.now()) : null;
  ctx.state.session = s;
  return s;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function sameOrigin(ctx: Context): boolean {
  const origin = ctx.get('origin');
  if (!origin) return true;
  try {
    return new URL(origin).host === ctx.host;
  } catch {
    return false;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Admits signed-in users of the given roles. Pages (`page: true`) send people without a session to
 * the sign-in page; APIs answer 401. Wrong role: 403 with the reason in Chinese.
 */
export type RoleGate = ((ctx: Context, next: Next) => Promise<void>) & { roles: RoleSet; page: boolean };

export function requireRoles(deps: AuthDeps, roles: RoleSet, opts: { page?: boolean } = {}): RoleGate {
  const gate = async (ctx: Context, next: Next) => {
    const s = await sessionOf(ctx, deps);
    if (!s) {
      if (opts.page && ctx.method === 'GET') {
        ctx.redirect(`/login?next=${encodeURIComponent(ctx.originalUrl)}`);
        return;
      }
      return fail(ctx, 401, 'UNAUTHENTICATED', '请先登录。');
    }
    if (roles !== 'ANY' && !roles.includes(s.user.role)) {
      deps.log.info({ user: s.user.username, role: s.user.role, path: ctx.path }, 'web access refused: role');
      const need = roles.map((r) => ROLE_LABELS[r]).join('、');
      const message = `您的账号（${ROLE_LABELS[s.user.role]}）无权访问此功能，需要：${need}。`;
      if (opts.page && ctx.method === 'GET') return forbiddenPage(ctx, message);
      return fail(ctx, 403, 'FORBIDDEN', message);
    }
    if (UNSAFE.has(ctx.method)) {
      if (!sameOrigin(ctx)) return fail(ctx, 403, 'CSRF', '请求来源不是本站，已拒绝。');
      let token = ctx.get('x-csrf-token');
      if (!token && String(ctx.get('content-type')).startsWith('application/x-www-form-urlencoded')) {
        const body = await readBody(ctx);
        if (!body) return;
        ctx.state.body = body;
        token = typeof body._csrf === 'string' ? body._csrf : '';
      }
      if (!token || !safeEqual(token, s.csrfToken)) {
        deps.log.warn({ user: s.user.username, path: ctx.path }, 'web request refused: missing or wrong CSRF token');
        return fail(ctx, 403, 'CSRF', '页面已过期或请求缺少安全令牌，请刷新页面后重试。');
      }
    }
    await next();
  };
  // Exposed so a test can walk every route and prove each refuses the roles it does not admit.
  return Object.assign(gate, { roles, page: Boolean(opts.page) });
}

const loginBody = z.object({ username: z.string().min(1, '请输入用户名').max(100), password: z.string().min(1, '请输入密码').max(500) });

export function authRoutes(router: Router, deps: AuthDeps): void {
  router.post('/api/login', async (ctx) => {
    if (!String(ctx.get('content-type')).startsWith('application/json')) return fail(ctx, 415, 'UNSUPPORTED_MEDIA_TYPE', '请以 JSON 提交登录信息。');
    if (!sameOrigin(ctx)) return fail(ctx, 403, 'CSRF', '请求来源不是本站，已拒绝。');
    const body = await parseBody(ctx, loginBody, 16 * 1024);
    if (!body) return;
    const now = deps.now();
    const user = await deps.db.prisma.userAccount.findUnique({ where: { username: body.username.trim() } });
    if (user?.lockedUntil && user.lockedUntil > now) {
      const until = user.lockedUntil.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
      return fail(ctx, 429, 'LOCKED', `登录失败次数过多，账号已锁定至 ${until}，请稍后再试或联系管理员。`);
    }
    const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) {
      if (user && !ok) {
        const failed = user.failedLogins + 1;
        await deps.db.prisma.userAccount.update({
          where: { id: user.id },
          data: failed >= MAX_FAILED ? { failedLogins: 0, lockedUntil: new Date(now.getTime() + LOCK_MS) } : { failedLogins: failed },
        });
        if (failed >= MAX_FAILED) deps.log.warn({ user: user.username }, 'account locked after repeated failed sign-ins');
      }
      deps.log.info({ username: body.username.slice(0, 40) }, 'sign-in refused');
      return fail(ctx, 401, 'BAD_CREDENTIALS', user && ok && !user.active ? '账号已停用，请联系管理员。' : '用户名或密码错误。');
    }
    await purgeExpiredSessions(deps.db, now);
    const { token, csrfToken } = await createSession(deps.db, user.id, now);
    await deps.db.prisma.userAccount.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
    ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, maxAge: SESSION_MAX_MS, overwrite: true, path: '/' });
    deps.log.info({ user: user.username, role: user.role }, 'signed in');
    ctx.body = { user: publicUser(user), csrfToken };
  });

  router.post('/api/logout', requireRoles(deps, 'ANY'), async (ctx) => {
    const token = ctx.cookies.get(SESSION_COOKIE);
    if (token) await destroySession(deps.db, token);
    ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: ctx.secure, maxAge: 0, overwrite: true, path: '/' });
    ctx.body = { ok: true };
  });

  router.get('/api/me', requireRoles(deps, 'ANY'), async (ctx) => {
    const s = ctx.state.session as LoadedSession;
    const unit = s.user.unitCode ? await deps.db.prisma.unit.findUnique({ where: { code: s.user.unitCode }, select: { name: true } }) : null;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: { ...s.user, roleLabel: ROLE_LABELS[s.user.role], unitName: unit?.name ?? null }, csrfToken: s.csrfToken };
  });
}

function publicUser(u: { id: string; username: string; displayName: string; role: Role; unitCode: string | null }) {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, roleLabel: ROLE_LABELS[u.role], unitCode: u.unitCode };
}

function forbiddenPage(ctx: Context, message: string): void {
  const esc = (v: string) => v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  ctx.status = 403;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>无权访问</title><link rel="stylesheet" href="/app/app.css"></head><body><main class="page"><h1>无权访问</h1><p class="error">${esc(message)}</p><p><a href="/">返回督办总览</a></p></main></body></html>`;
}

/** Headers for every console page and API answer: no framing, no sniffing, scripts only from here. */
export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  await next();
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'same-origin');
  if (String(ctx.response.type).startsWith('text/html')) {
    ctx.set('Content-Security-Policy', "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  }
}
