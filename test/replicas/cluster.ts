/**
 * A cluster of real `duban serve` processes on one fresh PostgreSQL schema, talking to a fake WeCom
 * in the test process: what an operator runs with several replicas behind a load balancer. Ports
 * are chosen by the OS (PORT=0, read back from the "duban is running" log line); every child is
 * killed in `stop()` and, should the test process die first, by an exit handler.
 *
 * PostgreSQL only: the suites using this skip themselves when TEST_POSTGRES_URL is unset.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { FakeWecom, signedCallback } from '../fakes/fake-wecom.ts';
import { freshUrl } from '../support/databases.ts';
import { migrate } from '../../prisma/migrate.ts';
import { openDatabase, type Database } from '../../prisma/client.ts';

export const PG_URL = process.env.TEST_POSTGRES_URL;
/** Appended to suite names, so a skipped run says why. */
export const PG_ONLY = PG_URL ? '' : ' (skipped: PostgreSQL only — set TEST_POSTGRES_URL)';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'duban.mjs');

export const CORP = 'wx5823bf96d3bd56c7';
export const AGENT = 1000002;
const TOKEN = 'QDG6eK';
const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const SECRET = 'app-secret';

// Children outlive nothing: whatever happens to the test process, they are killed with it.
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export interface LogLine { level: number; msg: string; [k: string]: unknown }

export class Replica {
  readonly logs: LogLine[] = [];
  /** Non-JSON output (stack traces of a crash, tsx errors). */
  readonly rawOutput: string[] = [];
  port = 0;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly name: string, readonly child: ChildProcess) {
    children.add(child);
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        try {
          const parsed = JSON.parse(line) as LogLine;
          if (typeof parsed.msg === 'string') return void this.logs.push(parsed);
        } catch {
          // not a log line
        }
        this.rawOutput.push(line);
      });
    }
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }));
  }

  get pid(): number {
    return this.child.pid!;
  }
  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  /** Lines at warn (40) or above. */
  problems(): LogLine[] {
    return this.logs.filter((l) => l.level >= 40);
  }
  count(msg: string | RegExp): number {
    return this.logs.filter((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg))).length;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<unknown> {
    if (this.alive) this.child.kill(signal);
    return this.exited;
  }

  async ready(timeoutMs = 100_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!this.alive) throw new Error(`${this.name} exited during start:\n${this.rawOutput.join('\n')}\n${JSON.stringify(this.logs.slice(-5))}`);
      const running = this.logs.find((l) => l.msg.startsWith('duban is running'));
      if (running) {
        this.port = Number(running.port);
        const r = await fetch(`${this.base}/healthz`).catch(() => null);
        if (r?.ok) return;
      }
      await sleep(100);
    }
    throw new Error(`${this.name} not healthy after ${timeoutMs} ms; last log: ${JSON.stringify(this.logs.slice(-4).map((l) => l.msg))} ${this.rawOutput.slice(-3).join(' ')}`);
  }
}

export interface ClusterOptions {
  /** Extra environment for every process (DUBAN_OUTBOX_LEASE_S, DUBAN_REMINDER_POLICY…). */
  env?: Record<string, string>;
  /** DATABASE_URL for the replicas when they go through a proxy; default the schema's own URL. */
  replicaDatabaseUrl?: (url: string) => string;
}

export class Cluster {
  readonly replicas: Replica[] = [];
  /** Why callbacks got no answer (connection refused, 5 s timeout). */
  readonly callbackErrors: string[] = [];
  /** How long each answered callback took. */
  readonly callbackMs: number[] = [];
  private seq = 0;
  private msgSeq = 0;

  private constructor(readonly url: string, readonly db: Database, readonly fake: FakeWecom, private readonly drop: () => Promise<void>, private readonly dir: string, private readonly opts: ClusterOptions) {}

  static async create(opts: ClusterOptions = {}): Promise<Cluster> {
    const { url, drop } = await freshUrl('postgresql');
    await migrate(url);
    const db = await openDatabase(url);
    const fake = await FakeWecom.start({ corpId: CORP, secret: SECRET, agentId: AGENT, realTime: true });
    return new Cluster(url, db, fake, drop, mkdtempSync(join(tmpdir(), 'duban-replicas-')), opts);
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TZ: process.env.TZ,
      DATABASE_URL: this.opts.replicaDatabaseUrl ? this.opts.replicaDatabaseUrl(this.url) : this.url,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DUBAN_CONSOLE: 'false',
      DUBAN_SEED_PLAN: '',
      DUBAN_SEED_DEMO: 'false',
      DUBAN_ACTION_SECRET: 'replica-test-shared-secret-0123456789',
      // The recovery sweep picks up events whose commit a replica never saw (cut connections).
      DUBAN_INBOUND_RECOVERY_S: '20',
      DUBAN_EVIDENCE_DIR: join(this.dir, 'evidence'),
      WECOM_CORP_ID: CORP,
      WECOM_AGENT_ID: String(AGENT),
      WECOM_SECRET: SECRET,
      WECOM_TOKEN: TOKEN,
      WECOM_ENCODING_AES_KEY: AES,
      WECOM_API_BASE: this.fake.baseUrl,
      ...this.opts.env,
      ...extra,
    };
  }

  /** Starts `node bin/duban.mjs serve`; resolves when /healthz answers. */
  async start(count = 1): Promise<Replica[]> {
    const started = Array.from({ length: count }, () => {
      const name = `replica-${++this.seq}`;
      const r = new Replica(name, spawn(process.execPath, [CLI, 'serve'], { cwd: ROOT, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] }));
      this.replicas.push(r);
      return r;
    });
    await Promise.all(started.map((r) => r.ready()));
    return started;
  }

  /** `duban ARGS…` with the replicas' environment. */
  cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise((resolve) => child.once('exit', (code) => {
      children.delete(child);
      resolve({ code, stdout, stderr });
    }));
  }

  /** A text message from `from` as WeCom encrypts it; the same `msgId` is the same message (a retry). */
  textXml(from: string, content: string, msgId = String(++this.msgSeq + 7_000_000)): string {
    const t = Math.floor(Date.now() / 1000);
    return `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${t}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>${AGENT}</AgentID></xml>`;
  }

  /** POSTs a signed callback to one replica; the HTTP status, or 0 when the connection failed. */
  async callback(replica: Replica, xml: string): Promise<number> {
    const c = signedCallback(xml, { token: TOKEN, aesKey: AES, corpId: CORP, timestamp: String(Math.floor(Date.now() / 1000)), nonce: String(++this.msgSeq), agentId: String(AGENT) });
    const started = performance.now();
    try {
      const r = await fetch(`${replica.base}/wecom/callback?${c.search}`, { method: 'POST', body: c.body, headers: { 'content-type': 'text/xml' }, signal: AbortSignal.timeout(5_000) });
      await r.arrayBuffer();
      this.callbackMs.push(performance.now() - started);
      return r.status;
    } catch (e) {
      this.callbackErrors.push(`${replica.name}: ${(e as Error).message} ${String((e as { cause?: unknown }).cause ?? '')}`);
      return 0;
    }
  }

  /**
   * As WeCom does: a callback not answered 200 within 5 s is sent again, up to three more times —
   * here `gapMs` apart and to the next live replica each time (the load balancer's choice).
   */
  async deliver(xml: string, first: number, tries = 4, gapMs = 500): Promise<{ status: number; tries: number }> {
    let status = 0;
    for (let i = 0; i < tries; i++) {
      const live = this.replicas.filter((r) => r.alive);
      status = await this.callback(live[(first + i) % live.length]!, xml);
      if (status === 200) return { status, tries: i + 1 };
      await sleep(gapMs);
    }
    return { status, tries };
  }

  /** Waits until `done()` holds, polling; throws with `what` after `timeoutMs`. */
  async until(what: string, done: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 200): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await done()) return;
      await sleep(everyMs);
    }
    throw new Error(`timed out waiting for ${what}: ${await this.state()}`);
  }

  /** What is left: for a timeout's message. */
  async state(): Promise<string> {
    const [inbound] = await this.db.sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM inbound_event WHERE processed_at IS NULL`);
    const outbox = await this.db.sql.query<{ status: string; locked: boolean; n: string | number }>(
      `SELECT status, locked_by IS NOT NULL AS locked, COUNT(*) AS n FROM outbox_message GROUP BY status, locked_by IS NOT NULL`,
    );
    const problems = this.replicas.map((r) => `${r.name}${r.alive ? '' : ' (exited)'}: ${JSON.stringify([...new Set(r.problems().map((l) => l.msg))].slice(0, 6))}`);
    return `${inbound!.n} inbound events unprocessed; outbox ${JSON.stringify(outbox)}; ${problems.join('; ')}`;
  }

  async pending(): Promise<number> {
    const [r] = await this.db.sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM outbox_message WHERE status = 'PENDING' AND platform = 'WECOM'`);
    return Number(r!.n);
  }

  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.kill('SIGKILL')));
    await this.fake.close();
    await this.db.close();
    await this.drop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** WeCom app messages the fake accepted, by outbox row (task_id `duban-<id>` of a template card). */
export function cardsByRow(fake: FakeWecom): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of fake.messages) {
    const card = (m.body as { template_card?: { task_id?: string } }).template_card;
    const id = card?.task_id?.startsWith('duban-') ? Number(card.task_id.slice(6)) : NaN;
    if (Number.isFinite(id)) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** Every send request that reached the fake for a template card of row `id`, accepted or refused. */
export function cardAttempts(fake: FakeWecom): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of fake.received) {
    if (r.path !== '/cgi-bin/message/send') continue;
    const card = (r.body as { template_card?: { task_id?: string } } | undefined)?.template_card;
    const id = card?.task_id?.startsWith('duban-') ? Number(card.task_id.slice(6)) : NaN;
    if (Number.isFinite(id)) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
