/**
 * Signed-in HTTP clients for tests of the web console: create an account directly in the database,
 * sign in through the real `/api/login`, then send requests with the session cookie and CSRF token.
 */
import type { Database } from '../../prisma/client.ts';
import type { Role } from '../../domain/access.ts';
import { createAccount } from '../../web/server/accounts.ts';

export const TEST_PASSWORD = 'Test-password-2026';

export interface WebClient {
  username: string;
  cookie: string;
  csrfToken: string;
  /** fetch with the session cookie; unsafe methods also carry the CSRF token unless `csrf: false`. */
  fetch(path: string, init?: RequestInit & { csrf?: boolean }): Promise<Response>;
  json<T = unknown>(path: string, body?: unknown, method?: string): Promise<{ status: number; body: T }>;
}

let counter = 0;

export async function createUser(db: Database, role: Role, opts: { unitCode?: string; personId?: string; username?: string; displayName?: string } = {}): Promise<string> {
  const username = opts.username ?? `${role.toLowerCase().replace(/_/g, '-')}-${++counter}-${process.pid}`;
  await createAccount(db, { username, role, unitCode: opts.unitCode ?? null, personId: opts.personId ?? null, password: TEST_PASSWORD, ...(opts.displayName ? { displayName: opts.displayName } : {}) });
  return username;
}

export async function signIn(base: string, username: string, password = TEST_PASSWORD): Promise<WebClient> {
  const r = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (r.status !== 200) throw new Error(`sign-in of ${username} failed: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.getSetCookie().find((c) => c.startsWith('duban_session=')) ?? '').split(';')[0]!;
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  const client: WebClient = {
    username,
    cookie,
    csrfToken,
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      const method = (init.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD' && init.csrf !== false) headers.set('x-csrf-token', csrfToken);
      return fetch(base + path, { ...init, headers });
    },
    async json(path, body, method) {
      const init: RequestInit = body === undefined ? { method: method ?? 'GET' } : { method: method ?? 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
      const res = await client.fetch(path, init);
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as never };
    },
  };
  return client;
}

/** Creates an account of `role` and signs it in. */
export async function signedIn(db: Database, base: string, role: Role, opts: Parameters<typeof createUser>[2] = {}): Promise<WebClient> {
  return signIn(base, await createUser(db, role, opts));
}
