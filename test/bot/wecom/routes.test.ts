import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import Router from '@koa/router';
import { createLogger } from '../../../bot/logger.ts';
import { registerWecomRoutes } from '../../../bot/wecom/routes.ts';
import type { InboundMessage } from '../../../handlers/bot.ts';
import { config, NOW, signedFixture, VECTOR } from './support.ts';

const delivered: InboundMessage[] = [];
const logLines: Array<{ level: number; msg: string; reason?: string }> = [];
let clock = NOW;
let failPersist = false;
let server: Server;
let base: string;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const router = new Router();
  registerWecomRoutes(router, {
    config,
    log: createLogger('debug', sink),
    now: () => clock,
    onMessage: async (m) => {
      if (failPersist) throw new Error('database is down');
      delivered.push(m);
    },
  });
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  delivered.length = 0;
  logLines.length = 0;
  clock = NOW;
  failPersist = false;
});

const post = (search: string, body: string) => fetch(`${base}?${search}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
const warnings = () => logLines.filter((l) => l.level === 40);

describe('GET /wecom/callback', () => {
  it('answers the official echostr vector with the bare plaintext, fast', async () => {
    clock = VECTOR.get.now;
    const started = performance.now();
    const res = await fetch(`${base}?${VECTOR.get.search}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1616140317555161061');
  });

  it('a forged echostr gets 401 with an empty body and one log line', async () => {
    clock = VECTOR.get.now;
    const res = await fetch(`${base}?${VECTOR.get.search.replace('msg_signature=5c', 'msg_signature=6c')}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ reason: 'BAD_SIGNATURE' });
  });
});

describe('POST /wecom/callback', () => {
  it('answers 200 with an empty body and delivers the normalized message', async () => {
    const req = signedFixture('text-command.xml');
    const res = await post(req.search, req.body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ kind: 'text', text: '/督办 6 进度 <80%> & 已签收', eventKey: 'WECOM:7453215869841234567' });
  });

  it('a forged request gets 401, nothing is delivered and one warning is logged', async () => {
    const req = signedFixture('text-command.xml');
    const res = await post(req.search.replace(/msg_signature=[0-9a-f]/, 'msg_signature=x'), req.body);
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('');
    expect(delivered).toHaveLength(0);
    expect(warnings()).toHaveLength(1);
  });

  it('a request from another corp gets 403 and nothing is delivered', async () => {
    const req = signedFixture('text-command.xml');
    const res = await post(req.search, req.body.replace(config.corpId, 'wwforeign'));
    expect(res.status).toBe(403);
    expect(delivered).toHaveLength(0);
  });

  it('malformed XML gets 400', async () => {
    const req = signedFixture('text-command.xml');
    const res = await post(req.search, '<xml><Encrypt>');
    expect(res.status).toBe(400);
    expect(await res.text()).toBe('');
  });

  it('an oversized body gets 413, declared or chunked', async () => {
    const req = signedFixture('text-command.xml');
    expect((await post(req.search, 'x'.repeat(70_000))).status).toBe(413);
    const status = await new Promise<number>((resolve, reject) => {
      const r = httpRequest(`${base}?${req.search}`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      r.on('error', reject);
      for (let i = 0; i < 10; i++) r.write('y'.repeat(16 * 1024));
      r.end();
    });
    expect(status).toBe(413);
    expect(delivered).toHaveLength(0);
  });

  it('an ignored event type gets 200 and is not delivered', async () => {
    const req = signedFixture('subscribe-event.xml');
    const res = await post(req.search, req.body);
    expect(res.status).toBe(200);
    expect(delivered).toHaveLength(0);
  });

  it('when persisting fails it answers 500 so that WeCom delivers again', async () => {
    failPersist = true;
    const req = signedFixture('enter-agent.xml');
    const res = await post(req.search, req.body);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('');
    failPersist = false;
    expect((await post(req.search, req.body)).status).toBe(200);
    expect(delivered).toHaveLength(1);
  });

  it('a replay is delivered with the same key, for the caller to drop', async () => {
    const req = signedFixture('template-card-button.xml', { RESPONSE_CODE_PLACEHOLDER: 'rc-9' });
    await post(req.search, req.body);
    await post(req.search, req.body);
    expect(delivered.map((m) => m.eventKey)).toEqual([delivered[0]!.eventKey, delivered[0]!.eventKey]);
  });
});
