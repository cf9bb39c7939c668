/**
 * Sign-in and the role gate, over real HTTP against the real app: what a browser and an attacker
 * would see. Accounts are created the way an operator does (`duban user add`).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { createApp, type App } from '../../bot/app.ts';
import { firstAdmin } from '../../bot/bootstrap.ts';
import { main } from '../../bot/cli.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';
import { createUser, signIn, TEST_PASSWORD } from '../support/web-session.ts';
import { SESSION_IDLE_MS } from '../../web/server/sessions.ts';
import { verifyPassword } from '../../web/server/passwords.ts';

describe.each(dbKinds)('web sign-in and roles (%s)', (kind) => {
  let t: TestDb;
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  const clock = { now: new Date('2026-06-22T02:00:00Z') };

  beforeAll(async () => {
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'duban-auth-'));
    const config = loadConfig({ DATABASE_URL: t.url, DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), LOG_LEVEL: 'silent', DUBAN_SEED_PLAN: '', DUBAN_ACTION_SECRET: 'test-action-secret-0123456789' });
    app = createApp(config, t.db, createLogger('silent'), { now: () => clock.now, scheduler: false });
    server = app.koa.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await t.db.prisma.unit.create({ data: { code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL' } });
  });
  afterAll(async () => {
    server.close();
    await app.stop();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });

  it('signs in with a hashed password and sets a strict, HttpOnly session cookie', async () => {
    const username = await createUser(t.db, 'BUREAU_STAFF', { displayName: '张三' });
    const row = await t.db.prisma.userAccount.findUniqueOrThrow({ where: { username } });
    expect(row.passwordHash).not.toContain(TEST_PASSWORD);
    expect(await verifyPassword(TEST_PASSWORD, row.passwordHash)).toBe(true);
    const r = await login(username, TEST_PASSWORD);
    expect(r.status).toBe(200);
    const cookie = r.headers.getSetCookie().find((c) => c.startsWith('duban_session='))!;
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=strict/i);
    const token = cookie.split(';')[0]!.split('=')[1]!;
    // Only a hash of the token is stored.
    expect(await t.db.prisma.webSession.count({ where: { id: token } })).toBe(0);
    const me = await fetch(`${base}/api/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await me.json()).toMatchObject({ user: { username, displayName: '张三', role: 'BUREAU_STAFF', roleLabel: '省数据局统筹调度人员' } });
  });

  it('answers a wrong password and an unknown user alike, and locks after five failures', async () => {
    const username = await createUser(t.db, 'LEADER');
    const unknown = await login('nobody-here', 'whatever-123');
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).message).toBe('用户名或密码错误。');
    for (let i = 0; i < 5; i++) expect((await login(username, 'Wrong-password-1')).status).toBe(401);
    const locked = await login(username, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect((await locked.json()).message).toMatch(/账号已锁定至 \d\d:\d\d/);
    clock.now = new Date(clock.now.getTime() + 16 * 60_000);
    expect((await login(username, TEST_PASSWORD)).status).toBe(200);
  });

  it('refuses sign-in that is not JSON or comes from another site', async () => {
    const username = await createUser(t.db, 'LEADER');
    const form = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=${username}&password=${TEST_PASSWORD}` });
    expect(form.status).toBe(415);
    expect((await login(username, TEST_PASSWORD, { origin: 'https://evil.example' })).status).toBe(403);
    const bad = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toContain('JSON');
  });

  it('APIs answer 401 without a session and pages send people to the sign-in page', async () => {
    const api = await fetch(`${base}/api/me`);
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'UNAUTHENTICATED', message: '请先登录。' });
    const page = await fetch(`${base}/simulator?as=x`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login?next=%2Fsimulator%3Fas%3Dx');
    const login = await fetch(`${base}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(login.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses the wrong role and an unsafe request without the CSRF token', async () => {
    const leader = await signIn(base, await createUser(t.db, 'LEADER'));
    const r = await leader.fetch('/api/console/people');
    expect(r.status).toBe(403);
    expect((await r.json()).message).toContain('无权访问');
    const admin = await signIn(base, await createUser(t.db, 'BUREAU_ADMIN'));
    expect((await admin.fetch('/api/console/people')).status).toBe(200);
    const noToken = await admin.fetch('/api/console/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', csrf: false });
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error).toBe('CSRF');
    const wrongToken = await admin.fetch('/api/console/send', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': 'x'.repeat(32) }, body: '{}', csrf: false });
    expect(wrongToken.status).toBe(403);
    const crossSite = await admin.fetch('/api/console/send', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' });
    expect(crossSite.status).toBe(403);
  });

  it('ends a session on sign-out, after idling, and when the account is disabled', async () => {
    const username = await createUser(t.db, 'BUREAU_STAFF');
    const a = await signIn(base, username);
    expect((await a.fetch('/api/logout', { method: 'POST' })).status).toBe(200);
    expect((await a.fetch('/api/me')).status).toBe(401);
    const b = await signIn(base, username);
    clock.now = new Date(clock.now.getTime() + SESSION_IDLE_MS + 1000);
    expect((await b.fetch('/api/me')).status).toBe(401);
    const c = await signIn(base, username);
    await t.db.prisma.userAccount.update({ where: { username }, data: { active: false } });
    expect((await c.fetch('/api/me')).status).toBe(401);
  });
});

describe('duban user and the first administrator', () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await freshDatabase('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'duban-user-'));
    await t.db.prisma.unit.create({ data: { code: 'c-changsha', name: '长沙市', kind: 'CITY' } });
  });
  afterAll(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (args: string[], stdin = '') => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s), env: { DATABASE_URL: t.url }, now: () => new Date(), readStdin: async () => stdin });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('adds accounts with a generated or given password and explains bad input in Chinese', async () => {
    const a = await run(['user', 'add', 'zhang.san', '--role', 'BUREAU_ADMIN', '--name', '张三']);
    expect(a.code).toBe(0);
    const password = /初始密码：(\S+)/.exec(a.out)![1]!;
    const row = await t.db.prisma.userAccount.findUniqueOrThrow({ where: { username: 'zhang.san' } });
    expect(await verifyPassword(password, row.passwordHash)).toBe(true);
    expect((await run(['user', 'add', 'li.si', '--role', 'UNIT_OFFICER', '--password-stdin'], 'Abcdefgh-123\n')).err).toContain('单位账号必须指定单位');
    expect((await run(['user', 'add', 'li.si', '--role', 'UNIT_OFFICER', '--unit', 'c-changsha', '--password-stdin'], 'short\n')).err).toContain('密码至少 10 位');
    expect((await run(['user', 'add', 'li.si', '--role', 'UNIT_OFFICER', '--unit', 'c-changsha', '--password-stdin'], 'Abcdefgh-123\n')).code).toBe(0);
    expect((await run(['user', 'add', 'li.si', '--role', 'LEADER'])).err).toContain('已存在');
    expect((await run(['user', 'add', 'x', '--role', 'KING'])).err).toContain('用户名须为');
    expect((await run(['user', 'list'])).out).toContain('共 2 个账号');
    expect((await run(['user', 'passwd', 'li.si', '--password-stdin'], 'Newpassword-456\n')).code).toBe(0);
    const li = await t.db.prisma.userAccount.findUniqueOrThrow({ where: { username: 'li.si' } });
    expect(await verifyPassword('Newpassword-456', li.passwordHash)).toBe(true);
  });

  it('creates admin once on the demo start, with the password in a private file', async () => {
    const fresh = await freshDatabase('sqlite');
    try {
      const config = loadConfig({ DATABASE_URL: fresh.url, DUBAN_EVIDENCE_DIR: join(dir, 'evidence') });
      await firstAdmin(fresh.db, config, createLogger('silent'));
      await firstAdmin(fresh.db, config, createLogger('silent'));
      expect(await fresh.db.prisma.userAccount.count()).toBe(1);
      const file = join(dir, 'initial-admin-password.txt');
      expect(statSync(file).mode & 0o077).toBe(0);
      const password = /密码：(\S+)/.exec(readFileSync(file, 'utf8'))![1]!;
      const admin = await fresh.db.prisma.userAccount.findUniqueOrThrow({ where: { username: 'admin' } });
      expect(admin.role).toBe('BUREAU_ADMIN');
      expect(await verifyPassword(password, admin.passwordHash)).toBe(true);
    } finally {
      await fresh.cleanup();
    }
  });
});
