/**
 * Fuzz through the real Koa server on 127.0.0.1 with a real database (SQLite, and PostgreSQL when
 * TEST_POSTGRES_URL is set): the WeCom and DingTalk callback routes and the console adapter's JSON
 * API. Platform callbacks answer 200 or a 4xx — a refusal records nothing and writes one log line;
 * the console answers 2xx or a 4xx with a Chinese message; nothing answers 500.
 */
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSign } from '../../bot/dingtalk/sign.ts';
import { dbKinds } from '../support/databases.ts';
import { check, hasChinese, tally, testTimeout, watchProcess } from './support/fuzz.ts';
import { observe, refusalProblem, startHarness, type Harness, type Observed } from './support/adapters.ts';
import { anyBodyArb, cardParamsArb, DINGTALK_SECRET, damagedPayloadArb } from './support/dingtalk-inputs.ts';
import {
  arbitraryBodyArb, arbitraryQueryArb, badCiphertextArb, encodeBody, GOOD_ENCRYPT, encodingArb, envelope, hostileXmlArb, mutatedEnvelopeArb, mutatedInnerArb, NOW, sign, type SignedPost,
} from './support/wecom-inputs.ts';
import { consoleRequestArb, type ConsoleRequest } from './support/console-inputs.ts';

watchProcess();

const PER_RUN_MS = 10_000;

/** A query as it goes over the wire: values percent-encoded, or raw for the client to cope with. */
function search(query: SignedPost['query'], raw: boolean): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) parts.push(`${k}=${raw ? one : encodeURIComponent(one)}`);
  return parts.join('&');
}

describe.each(dbKinds)('inbound HTTP (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(kind, NOW);
  });
  afterAll(() => h?.close());
  const scale = (n: number) => (kind === 'sqlite' ? n : Math.ceil(n / 2));

  it('WeCom POST: 200 or a 4xx with an empty body; a refusal records nothing and logs one line', async () => {
    const request = fc.oneof(
      mutatedInnerArb,
      mutatedEnvelopeArb,
      badCiphertextArb.map((e): SignedPost => ({ query: sign(e), body: envelope(e) })),
      fc.tuple(arbitraryQueryArb, arbitraryBodyArb).map(([query, body]): SignedPost => ({ query, body })),
      hostileXmlArb.map((body): SignedPost => ({ query: sign('x'), body })),
    );
    await check(
      fc.asyncProperty(request, encodingArb, fc.boolean(), async (req, encoding, raw) => {
        const body = typeof req.body === 'string' ? encodeBody(req.body, encoding) : req.body;
        const o = await observe(h, () => fetch(`${h.base}/wecom/callback?${search(req.query, raw)}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: body as BodyInit }));
        tally(`wecom POST ${kind}`, `${o.status} ${o.logs[0]?.reason ?? ''} +${o.inboundAdded}`);
        const problem = refusalProblem(o, [200], [400, 401, 403, 413]) ?? (o.body === '' ? null : `non-empty answer ${o.body.slice(0, 100)}`);
        if (problem) throw new Error(problem);
      }),
      { runs: scale(150), perRunMs: PER_RUN_MS },
    );
  }, testTimeout(150, 300));

  it('WeCom GET URL verification: the echo or a 4xx, one log line per refusal', async () => {
    const query = fc.oneof(badCiphertextArb.map((e): SignedPost['query'] => ({ ...sign(e), echostr: e })), arbitraryQueryArb);
    await check(
      fc.asyncProperty(query, fc.boolean(), async (q, raw) => {
        const o = await observe(h, () => fetch(`${h.base}/wecom/callback?${search(q, raw)}`));
        tally(`wecom GET ${kind}`, `${o.status} ${o.logs[0]?.reason ?? ''}`);
        const problem = refusalProblem(o, [200], [400, 401, 403]);
        if (problem) throw new Error(problem);
      }),
      { runs: scale(100), perRunMs: PER_RUN_MS },
    );
  }, testTimeout(100, 300));

  const dingtalkHeaders = () => ({ timestamp: String(NOW.getTime()), sign: hmacSign(DINGTALK_SECRET, NOW.getTime()) });

  it('DingTalk POST: 200 or a 4xx; a refusal records nothing and logs one line', async () => {
    const body = fc.oneof(damagedPayloadArb, cardParamsArb, anyBodyArb, fc.uint8Array({ maxLength: 300 }));
    const headers = fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ timestamp: fc.string({ maxLength: 20 }), sign: fc.string({ maxLength: 50 }) }) },
    );
    await check(
      fc.asyncProperty(body, headers, async (b, hs) => {
        const o = await observe(h, () => fetch(`${h.base}/dingtalk/callback`, { method: 'POST', headers: { 'content-type': 'application/json', ...(hs ?? dingtalkHeaders()) }, body: b }));
        tally(`dingtalk POST ${kind}`, `${o.status} ${o.logs[0]?.reason ?? ''} +${o.inboundAdded}`);
        const problem = refusalProblem(o, [200], [400, 401, 413]);
        if (problem) throw new Error(problem);
      }),
      { runs: scale(150), perRunMs: PER_RUN_MS },
    );
  }, testTimeout(150, 300));

  it('regression: a DingTalk card callback with a form value {"toString":1} gets 400, not 500', async () => {
    const body = JSON.stringify({ outTrackId: 'o', userId: 'u', content: JSON.stringify({ cardPrivateData: { params: { action: 'a', x: [{ toString: 1 }] } } }) });
    const o = await observe(h, () => fetch(`${h.base}/dingtalk/callback`, { method: 'POST', headers: dingtalkHeaders(), body }));
    expect(o.status).toBe(400);
    expect(o.logs).toHaveLength(1);
    expect(o.inboundAdded).toBe(0);
  });

  it('console API: 2xx or a 4xx with a Chinese message; a refusal records nothing; never 500', async () => {
    await check(
      fc.asyncProperty(consoleRequestArb(() => h.directory), async (req: ConsoleRequest) => {
        const o = await observe(h, () => fetch(`${h.base}${req.path}`, req.init));
        tally(`console ${kind}`, `${req.route} ${o.status}`);
        const problem = consoleProblem(req, o);
        if (problem) throw new Error(problem);
      }),
      { runs: scale(200), perRunMs: PER_RUN_MS },
    );
  }, testTimeout(200, 300));

  it('a client that hangs up halfway through its body: one warning, no error, nothing recorded, and the server keeps answering', async () => {
    const port = Number(new URL(h.base).port);
    const start = h.logs.length;
    const target = fc.constantFrom(
      `/wecom/callback?${search(sign(GOOD_ENCRYPT), false)}`,
      '/dingtalk/callback',
      '/api/console/send',
    );
    await check(
      fc.asyncProperty(target, fc.integer({ min: 1, max: 5_000 }), fc.nat(), async (path, declared, cut) => {
        const before = { inbound: await h.inboundRows(), console: await h.consoleRows(), logs: h.logs.length };
        const ding = dingtalkHeaders();
        const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\ntimestamp: ${ding.timestamp}\r\nsign: ${ding.sign}\r\nContent-Length: ${declared}\r\n\r\n`;
        const closed = new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(head + '{'.repeat(cut % declared));
            setTimeout(() => socket.destroy(), 20);
          });
          socket.on('close', () => resolve()).on('error', () => undefined);
        });
        await closed;
        await waitFor(() => h.logs.length > before.logs, 2_000);
        const logs = h.logs.slice(before.logs);
        const problem =
          logs.some((l) => l.level >= 50) ? `an error was logged: ${logs.map((l) => l.msg).join(' | ')}`
          : logs.length > 1 ? `${logs.length} log lines`
          : (await h.inboundRows()) !== before.inbound || (await h.consoleRows()) !== before.console ? 'something was recorded'
          : (await fetch(`${h.base}/wecom/callback`)).status !== 401 ? 'the server stopped answering'
          : null;
        if (problem) throw new Error(problem);
      }),
      { runs: 12, perRunMs: PER_RUN_MS },
    );
    // Errors Koa meets after the answer arrive late: none of them may be an error line either.
    await new Promise((r) => setTimeout(r, 200));
    expect(h.logs.slice(start).filter((l) => l.level >= 50)).toEqual([]);
  }, 60_000);
});

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

/** The console answers people: a refusal carries a Chinese message and changes nothing. */
function consoleProblem(req: ConsoleRequest, o: Observed): string | null {
  const errors = o.logs.filter((l) => l.level >= 50);
  // Node itself refuses a URL beyond its 16 KB header limit, before Koa sees the request.
  if (o.status === 431 && req.path.length > 16_000) return o.inboundAdded || o.consoleAdded ? 'refused by Node but recorded' : null;
  if (errors.length || o.status >= 500) return `${req.route} answered ${o.status}: ${o.body.slice(0, 200)} ${errors[0]?.err?.stack ?? ''}`;
  if (o.status < 400) {
    if (![200, 202].includes(o.status)) return `${req.route} answered ${o.status}`;
    if (req.route === 'send' || req.route === 'upload') return o.inboundAdded === 1 && o.consoleAdded === 1 ? null : `accepted ${req.route} recorded ${o.inboundAdded} event(s) and ${o.consoleAdded} message(s)`;
    if (req.route === 'action') return o.inboundAdded === 1 && o.consoleAdded === 0 ? null : `accepted click recorded ${o.inboundAdded} event(s)`;
    return o.inboundAdded === 0 && o.consoleAdded === 0 ? null : `a read (${req.route}) recorded something`;
  }
  if (![400, 404, 413].includes(o.status)) return `${req.route} answered ${o.status}`;
  if (o.inboundAdded || o.consoleAdded) return `refused ${req.route} with ${o.status} but recorded ${o.inboundAdded} event(s), ${o.consoleAdded} message(s)`;
  let message: unknown;
  try {
    message = (JSON.parse(o.body) as { message?: unknown }).message;
  } catch {
    return `refused ${req.route} with ${o.status} and a body that is not JSON: ${o.body.slice(0, 100)}`;
  }
  return typeof message === 'string' && hasChinese(message) ? null : `refused ${req.route} with ${o.status} without a Chinese message: ${o.body.slice(0, 200)}`;
}
