/**
 * Graceful shutdown of a real `duban serve` process: SIGTERM while a WeCom callback is still
 * uploading its body. The replica turns not ready at once, refuses new connections, answers the
 * request in flight, processes what it accepted, closes the database and exits 0; a shutdown that
 * cannot finish exits 1 after the configured timeout with one clear log line. The process's own
 * log output is checked for secrets too (bot/main.ts wires the redaction).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FakeWecom } from '../../fakes/fake-wecom.ts';
import { dbKinds, freshDatabase } from '../../support/databases.ts';
import { CORP, textCallback, wecomEnv } from './support.ts';

const BIN = fileURLToPath(new URL('../../../bin/duban.mjs', import.meta.url));
const CORP_SECRET = 'corp-secret-for-shutdown-4411';

interface Serve {
  child: ChildProcess;
  port: number;
  lines: Record<string, unknown>[];
  stdout: string[];
  exited: Promise<number | null>;
  waitFor(pred: (l: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

async function serve(env: Record<string, string>, cwd: string): Promise<Serve> {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const stdout: string[] = [];
  const waiters = new Set<() => void>();
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout.push(chunk);
    rest += chunk;
    const parts = rest.split('\n');
    rest = parts.pop()!;
    for (const p of parts) {
      try {
        lines.push(JSON.parse(p) as Record<string, unknown>);
      } catch {
        lines.push({ msg: p });
      }
    }
    for (const w of waiters) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pred: (l: Record<string, unknown>) => boolean, ms = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const hit = lines.find(pred);
        if (!hit) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no such log line within ${ms} ms; output:\n${stdout.join('')}`));
      }, ms);
      waiters.add(check);
      check();
    });
  const running = await waitFor((l) => String(l.msg ?? '').startsWith('duban is running'));
  return { child, port: Number(running.port), lines, stdout, exited, waitFor };
}

/** An HTTP/1.1 request written by hand, so it can stay half-sent. */
function rawRequest(port: number, head: string): { socket: Socket; response: Promise<{ status: number; body: string }> } {
  const socket = connect(port, '127.0.0.1');
  socket.write(head);
  const chunks: Buffer[] = [];
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n') });
    });
  });
  return { socket, response };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

function baseEnv(url: string, dir: string, apiBase: string): Record<string, string> {
  return {
    DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DUBAN_CONSOLE: 'false', DUBAN_SEED_PLAN: '',
    DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), DUBAN_ACTION_SECRET: 'action-secret-for-shutdown-tests',
    ...wecomEnv(apiBase, CORP_SECRET),
  };
}

describe.each(dbKinds)('graceful shutdown of duban serve on %s', (kind) => {
  it('on SIGTERM: not ready at once, no new connections, the request in flight answered and processed, exit 0', async () => {
    const fake = await FakeWecom.start({ corpId: CORP, secret: CORP_SECRET, agentId: 1000002 });
    const t = await freshDatabase(kind);
    const dir = mkdtempSync(join(tmpdir(), 'duban-shutdown-'));
    let s: Serve | undefined;
    try {
      s = await serve(baseEnv(t.url, dir, fake.baseUrl), dir);
      // A delivery whose token refresh fails with an answer quoting the corp secret (for the log check below).
      fake.failNext(100, { errcode: 40001, errmsg: `invalid credential: corpsecret=${CORP_SECRET}` }, '/cgi-bin/gettoken');
      const first = textCallback('zhangsan', '/帮助', 8001);
      expect((await fetch(`http://127.0.0.1:${s.port}${first.path}`, { method: 'POST', body: first.body })).status).toBe(200);
      await s.waitFor((l) => String(l.msg ?? '').includes('dead letters') && l.code === 'WECOM_40001', 20_000);

      // The slow request: headers and half of the body now, the rest after SIGTERM.
      const cb = textCallback('lisi', '/帮助', 8002);
      const bytes = Buffer.from(cb.body);
      const half = Math.floor(bytes.length / 2);
      const slow = rawRequest(s.port, `POST ${cb.path} HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
      slow.socket.write(bytes.subarray(0, half));
      // A readiness probe whose request is still arriving when the signal comes.
      const probe = rawRequest(s.port, 'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n');
      await settle(300);

      s.child.kill('SIGTERM');
      await s.waitFor((l) => String(l.msg ?? '').startsWith('shutting down'), 10_000);
      expect(await refused(s.port)).toBe(true);
      probe.socket.write('\r\n');
      const ready = await probe.response;
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'not_ready', reason: 'shutting_down' });

      await settle(300);
      slow.socket.write(bytes.subarray(half));
      expect((await slow.response).status).toBe(200);
      expect(await s.exited).toBe(0);
      expect(s.lines.some((l) => l.msg === 'shutdown complete')).toBe(true);

      // What the request in flight brought was recorded and processed before the database closed.
      const events = await t.db.sql.query<{ key: string; processed_at: unknown }>('SELECT key, processed_at FROM inbound_event ORDER BY key');
      expect(events).toHaveLength(2);
      expect(events.every((e) => e.processed_at !== null)).toBe(true);
      const replies = await t.db.sql.query<{ target: string }>('SELECT target FROM outbox_message ORDER BY id');
      expect(replies.map((r) => r.target)).toEqual(['user:zhangsan', 'user:lisi']);

      const out = s.stdout.join('');
      expect(out).toContain('WECOM_40001');
      expect(out).not.toContain(CORP_SECRET);
    } finally {
      if (s && s.child.exitCode === null) s.child.kill('SIGKILL');
      await t.cleanup();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('shutdown timeout', () => {
  it('exits 1 with one clear line when the shutdown cannot finish in time', async () => {
    const t = await freshDatabase('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'duban-shutdown-'));
    let s: Serve | undefined;
    try {
      s = await serve({ ...baseEnv(t.url, dir, 'http://127.0.0.1:9'), DUBAN_SHUTDOWN_TIMEOUT_S: '1' }, dir);
      const cb = textCallback('lisi', '/帮助', 9001);
      // A body that never completes keeps its request in flight for good.
      const stuck = rawRequest(s.port, `POST ${cb.path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${cb.body.length + 100}\r\n\r\n${cb.body}`);
      await settle(300);
      const t0 = Date.now();
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(1);
      expect(Date.now() - t0).toBeLessThan(5_000);
      const timeouts = s.lines.filter((l) => String(l.msg ?? '').startsWith('shutdown did not finish'));
      expect(timeouts).toHaveLength(1);
      expect(timeouts[0]).toMatchObject({ level: 50, phase: 'http', msg: expect.stringContaining('within 1 s (stuck in http)') });
      await stuck.response.catch(() => undefined);
    } finally {
      if (s && s.child.exitCode === null) s.child.kill('SIGKILL');
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
