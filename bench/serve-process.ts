/**
 * Real `duban serve` processes for the load benchmark: each on its own free port, ready when its
 * /readyz answers 200, stopped with SIGTERM (the graceful shutdown) and waited for.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { migrate } from '../prisma/migrate.ts';

const BIN = fileURLToPath(new URL('../bin/duban.mjs', import.meta.url));

export interface ServeProcess {
  url: string;
  stop(): Promise<number | null>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function startServe(env: Record<string, string>, timeoutMs = 90_000): Promise<ServeProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'duban-load-'));
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
    cwd: dir,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DUBAN_EVIDENCE_DIR: join(dir, 'evidence') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const s of [child.stdout!, child.stderr!]) s.setEncoding('utf8').on('data', (c: string) => output.length < 200 && output.push(c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`duban serve exited with ${child.exitCode}:\n${output.join('')}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`duban serve not ready within ${timeoutMs} ms:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 40_000))]);
      if (code === 'late') child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      return code === 'late' ? null : code;
    },
  };
}

/** A fresh, migrated PostgreSQL schema on `base`, and how to drop it. */
export async function freshPgSchema(base: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const u = new URL(base);
  u.searchParams.set('schema', name);
  const url = u.toString();
  await migrate(url);
  return {
    url,
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
