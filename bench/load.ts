/**
 * `npm run bench:load`: signed, encrypted WeCom callbacks against real `duban serve` processes,
 * driven by autocannon for a bounded time per scenario, next to a bare Koa endpoint measured in
 * the same run:
 * - bare Koa: a handler answering 200 with an empty body (bench/callback-server.ts `bare`);
 * - 1 replica on SQLite (the default deployment);
 * - 1 replica and 3 replicas on PostgreSQL (BENCH_POSTGRES_URL or TEST_POSTGRES_URL; the 3 share
 *   one schema, autocannon spreads its connections over them round-robin).
 * Every callback has its own MsgId (no dedupe short-cut); the sender is not in the directory, so
 * each one is verified, decrypted, recorded, acknowledged and then answered with the polite refusal
 * through the outbox (to an unreachable WeCom API: the delivery worker retries in the background).
 * Afterwards every acknowledged MsgId must be an inbound_event row.
 *
 * BENCH_LOAD_SECONDS (default 10), BENCH_LOAD_CONNECTIONS (default 48), BENCH_LOAD_SCENARIOS
 * (default bare,sqlite,pg1,pg3).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { signedCallback } from '../test/fakes/fake-wecom.ts';
import { openDatabase } from '../prisma/client.ts';
import { freshSqlite } from './support.ts';
import { freshPgSchema, startServe, type ServeProcess } from './serve-process.ts';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 48);
const PG = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
const SCENARIOS = new Set((process.env.BENCH_LOAD_SCENARIOS ?? 'bare,sqlite,pg1,pg3').split(',').map((s) => s.trim()));
const BARE_SERVER = fileURLToPath(new URL('./callback-server.ts', import.meta.url));
const WECOM = { corpId: 'wx5823bf96d3bd56c7', token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', agentId: '1000002' };
const SERVE_ENV = {
  LOG_LEVEL: 'error', DUBAN_CONSOLE: 'false', DUBAN_SEED_PLAN: '', DUBAN_ACTION_SECRET: 'bench-load-action-secret',
  WECOM_CORP_ID: WECOM.corpId, WECOM_AGENT_ID: WECOM.agentId, WECOM_SECRET: 'bench-secret', WECOM_TOKEN: WECOM.token,
  WECOM_ENCODING_AES_KEY: WECOM.aesKey, WECOM_API_BASE: 'http://127.0.0.1:9', WECOM_TIMESTAMP_SKEW_S: '300',
};

interface Callback { msgId: number; path: string; body: string }
interface Measured { rps: number; p50: number; p99: number; errors: number; non2xx: number; ok: number; acked: Set<string> }
interface Row { scenario: string; m: Measured; check?: string; note?: string }

let nextMsgId = Date.now() * 1000; // distinct from any earlier run's MsgIds too

function makeCallback(): Callback {
  const msgId = nextMsgId++;
  const now = String(Math.floor(Date.now() / 1000));
  const inner = `<xml><ToUserName><![CDATA[${WECOM.corpId}]]></ToUserName><FromUserName><![CDATA[load-${msgId % 500}]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[任务6 进度80% 已完成上线计划表报送]]></Content><MsgId>${msgId}</MsgId><AgentID>${WECOM.agentId}</AgentID></xml>`;
  const c = signedCallback(inner, { token: WECOM.token, aesKey: WECOM.aesKey, corpId: WECOM.corpId, timestamp: now, nonce: String(msgId), agentId: WECOM.agentId });
  return { msgId, path: `/wecom/callback?${c.search}`, body: c.body };
}

/** Callbacks made before the clock starts (signing costs the load generator ~50 µs each); more are made on demand. */
function supply(n: number): () => Callback {
  const pool = Array.from({ length: n }, makeCallback);
  let i = 0;
  return () => pool[i++] ?? makeCallback();
}

async function drive(urls: string[], next: () => Callback): Promise<Measured> {
  const acked = new Set<string>();
  const r = await autocannon({
    url: urls as unknown as string, // autocannon spreads connections over several URLs round-robin
    connections: CONNECTIONS,
    duration: SECONDS,
    pipelining: 1, // one request in flight per connection: a response belongs to the last request set up
    requests: [{
      method: 'POST',
      setupRequest: (req, context) => {
        const c = next();
        (context as { msgId?: number }).msgId = c.msgId;
        return { ...req, path: c.path, body: c.body, headers: { 'content-type': 'text/xml' } };
      },
      onResponse: (status: number, _body: string, context: object) => {
        if (status >= 200 && status < 300) acked.add(`WECOM:${(context as { msgId: number }).msgId}`);
      },
    }],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, ok: r['2xx'], acked };
}

/** Every acknowledged callback must be a row; rows beyond them were in flight when the clock stopped. */
async function verify(databaseUrl: string, m: Measured): Promise<string> {
  await new Promise((r) => setTimeout(r, 1_000));
  const db = await openDatabase(databaseUrl);
  try {
    const rows = new Set((await db.sql.query<{ key: string }>('SELECT key FROM inbound_event')).map((r) => r.key));
    const missing = [...m.acked].filter((k) => !rows.has(k)).length;
    const extra = [...rows].filter((k) => !m.acked.has(k)).length;
    const ok = missing === 0 && m.acked.size === m.ok ? 'OK' : 'MISMATCH';
    return `${ok}: ${rows.size} rows, ${m.ok} 2xx, ${missing} acknowledged without a row, ${extra} in flight at stop`;
  } finally {
    await db.close();
  }
}

async function stopAll(replicas: ServeProcess[]): Promise<string> {
  const t0 = performance.now();
  const codes = await Promise.all(replicas.map((r) => r.stop()));
  return `SIGTERM → exit ${codes.join('/')} in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

async function bare(): Promise<Row> {
  const child = fork(BARE_SERVER, ['bare', ''], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  const pool = Array.from({ length: 2_000 }, makeCallback);
  let i = 0;
  const m = await drive([`http://127.0.0.1:${port}`], () => pool[i++ % pool.length]!);
  child.kill();
  return { scenario: 'bare Koa (200, empty body)', m };
}

async function replicas(label: string, databaseUrl: string, n: number): Promise<Row> {
  const started = await Promise.all(Array.from({ length: n }, () => startServe({ ...SERVE_ENV, DATABASE_URL: databaseUrl })));
  try {
    const m = await drive(started.map((s) => s.url), supply(3_000 * SECONDS));
    const check = await verify(databaseUrl, m);
    return { scenario: label, m, check, note: await stopAll(started) };
  } catch (e) {
    await stopAll(started);
    throw e;
  }
}

function table(rows: Row[]): void {
  const base = rows.find((r) => r.scenario.startsWith('bare'))?.m.rps;
  console.log('\n| scenario | req/s | p50 ms | p99 ms | errors / non-2xx | vs bare Koa | acknowledged = recorded |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of rows) {
    const ratio = base ? `${(r.m.rps / base).toFixed(2)}×` : '—';
    console.log(`| ${r.scenario} | ${Math.round(r.m.rps)} | ${r.m.p50} | ${r.m.p99} | ${r.m.errors} / ${r.m.non2xx} | ${ratio} | ${r.check ?? '—'} |`);
  }
  for (const r of rows) if (r.note) console.log(`- ${r.scenario}: ${r.note}`);
}

const t0 = performance.now();
console.log(`duban load benchmark — node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, ${CONNECTIONS} connections × ${SECONDS} s per scenario`);
const rows: Row[] = [];
if (SCENARIOS.has('bare')) rows.push(await bare());
if (SCENARIOS.has('sqlite')) {
  const db = await freshSqlite();
  try {
    rows.push(await replicas('duban serve ×1, SQLite', db.url, 1));
  } finally {
    db.drop();
  }
}
for (const n of [1, 3]) {
  if (!SCENARIOS.has(`pg${n}`)) continue;
  if (!PG) {
    console.log(`- duban serve ×${n}, PostgreSQL: skipped (set BENCH_POSTGRES_URL or TEST_POSTGRES_URL)`);
    continue;
  }
  const schema = await freshPgSchema(PG, `bench_load_${process.pid}_${n}`);
  try {
    rows.push(await replicas(`duban serve ×${n}, PostgreSQL`, schema.url, n));
  } finally {
    await schema.drop();
  }
}
table(rows);
console.log(`\n(${((performance.now() - t0) / 1000).toFixed(0)} s in all; load average now ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
if (rows.some((r) => r.check?.startsWith('MISMATCH'))) process.exitCode = 1;
