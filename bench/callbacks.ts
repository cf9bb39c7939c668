/**
 * Issue 4 figure: encrypted WeCom callbacks per second through the full path, next to a bare Koa
 * endpoint and to verify+decrypt with one raw better-sqlite3 insert per request, measured in the
 * same run with autocannon on loopback (50 connections, a few seconds each).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { signedCallback } from '../test/fakes/fake-wecom.ts';
import { freshSqlite, printTable, type Row } from './support.ts';

const SERVER = fileURLToPath(new URL('./callback-server.ts', import.meta.url));
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

function bodies(n: number): { path: string; body: string }[] {
  const out: { path: string; body: string }[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < n; i++) {
    const inner = `<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[user${i % 500}]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[任务6 进度80% 已完成上线计划表报送]]></Content><MsgId>${7_000_000_000 + i}</MsgId><AgentID>1000002</AgentID></xml>`;
    const c = signedCallback(inner, { token: 'QDG6eK', aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corpId: 'wx5823bf96d3bd56c7', timestamp: String(now), nonce: String(i), agentId: '1000002' });
    out.push({ path: `/wecom/callback?${c.search}`, body: c.body });
  }
  return out;
}

async function measure(mode: 'bare' | 'raw' | 'full', reqs: { path: string; body: string }[]) {
  const db = await freshSqlite();
  const child = fork(SERVER, [mode, db.path], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  let i = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{
      method: 'POST',
      setupRequest: (req) => {
        const r = reqs[i++ % reqs.length]!;
        return { ...req, path: r.path, body: r.body, headers: { 'content-type': 'text/xml' } };
      },
    }],
  });
  child.kill();
  db.drop();
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

export async function benchCallbacks(): Promise<void> {
  const reqs = bodies(60_000);
  const bare = await measure('bare', reqs);
  const raw = await measure('raw', reqs);
  const full = await measure('full', reqs);
  const line = (r: typeof bare) => `${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors}`;
  const rows: Row[] = [
    { name: `bare Koa endpoint: ${line(bare)}`, ms: 1000 / bare.rps },
    { name: `verify + decrypt + raw better-sqlite3 insert: ${line(raw)}`, ms: 1000 / raw.rps },
    {
      name: `duban WeCom callback (verify, decrypt, dedupe, persist, ack): ${line(full)} — ${(full.rps / raw.rps).toFixed(2)}× the raw-insert throughput (target ≥ 0.8×, p99 < 50 ms)`,
      ms: 1000 / full.rps,
      baselineMs: 1000 / raw.rps,
      baseline: 'time per request of the raw-insert baseline',
    },
  ];
  printTable(`WeCom callbacks, ${CONNECTIONS} connections × ${SECONDS} s on loopback (issue 4)`, rows);
}
