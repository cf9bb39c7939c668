import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../bot/logger.ts';
import { registerDingtalkRoutes } from '../../../bot/dingtalk/routes.ts';
import { hmacSign } from '../../../bot/dingtalk/sign.ts';
import type { DingtalkInboundMessage } from '../../../bot/dingtalk/decode.ts';
import { fixture } from './fixtures.ts';

const secret = 'appSecretExample_0123456789';
const now = 1781926805000;

describe('POST /dingtalk/callback (HTTP mode)', () => {
  let server: Server;
  let url: string;
  let received: DingtalkInboundMessage[];
  let failPersist = false;

  beforeAll(async () => {
    const app = new Koa();
    const router = new Router();
    registerDingtalkRoutes(router, {
      config: { clientSecret: secret, timestampWindowMs: 3_600_000 },
      onMessage: async (m) => {
        if (failPersist) throw new Error('database is locked');
        received.push(m);
      },
      log: createLogger('silent'),
      now: () => now,
      maxBodyBytes: 4096,
    });
    app.use(router.routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dingtalk/callback`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    received = [];
    failPersist = false;
  });

  const post = (body: string, headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (ts = now) => ({ timestamp: String(ts), sign: hmacSign(secret, ts) });

  it('accepts a signed robot message, hands it over and answers {}', async () => {
    const r = await post(JSON.stringify(fixture('robot-text-group')), signed(now - 5_000));
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ kind: 'text', text: '进度 6 80% 已完成系统联调', eventKey: 'msgQ7hQv0D9fQmWbF2oIx3Zk1g==' });
  });

  it('accepts a signed card callback', async () => {
    const r = await post(JSON.stringify(fixture('card-callback')), signed());
    expect(r.status).toBe(200);
    expect(received[0]).toMatchObject({ kind: 'card-action', cardRef: 'duban-ticket-42-v3' });
  });

  it('refuses a bad sign with 401 and an empty body, before reading anything', async () => {
    const r = await post(JSON.stringify(fixture('robot-text-group')), { timestamp: String(now), sign: hmacSign('forged secret', now) });
    expect(r.status).toBe(401);
    expect(await r.text()).toBe('');
    expect(received).toHaveLength(0);
  });

  it('refuses missing headers and a stale timestamp with 401, even if correctly signed', async () => {
    expect((await post('{}', {})).status).toBe(401);
    const stale = now - 3_600_001;
    const r = await post(JSON.stringify(fixture('robot-text-group')), signed(stale));
    expect(r.status).toBe(401);
    expect(received).toHaveLength(0);
  });

  it('answers 400 to malformed JSON and to a payload that is not a robot message', async () => {
    expect((await post('{"msgId": "x",', signed())).status).toBe(400);
    expect((await post(JSON.stringify({ hello: 'world' }), signed())).status).toBe(400);
    expect(received).toHaveLength(0);
  });

  it('answers 413 to an oversized body, declared or streamed', async () => {
    const big = JSON.stringify({ ...fixture('robot-text-group'), text: { content: '长'.repeat(3000) } });
    expect((await post(big, signed())).status).toBe(413);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { ...signed(), 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(big.slice(0, 3000));
      req.end(big.slice(3000));
    });
    expect(status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it('ignores an unhandled message type with 200', async () => {
    const r = await post(JSON.stringify(fixture('robot-audio')), signed());
    expect(r.status).toBe(200);
    expect(received).toHaveLength(0);
  });

  it('answers 500 when the message cannot be persisted, so nothing is silently lost', async () => {
    failPersist = true;
    expect((await post(JSON.stringify(fixture('robot-text-direct')), signed())).status).toBe(500);
  });
});
