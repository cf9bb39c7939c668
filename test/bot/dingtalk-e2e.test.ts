/**
 * DingTalk end to end in HTTP mode: a signed robot callback into the real app; the answer goes
 * through the outbox and the DingTalk sender to the fake DingTalk, and the leadership group's custom
 * robot receives a digest through its signed webhook.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { prepareDatabase, seedIfEmpty } from '../../bot/bootstrap.ts';
import { createApp, type App } from '../../bot/app.ts';
import { hmacSign } from '../../bot/dingtalk/sign.ts';
import { FakeDingtalk } from '../fakes/fake-dingtalk.ts';

const CLIENT = { clientId: 'dingfake0123456789', clientSecret: 'fake-secret-0123456789', robotCode: 'dingfake0123456789' };

describe('DingTalk end to end (HTTP mode)', () => {
  let fake: FakeDingtalk;
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  const payload = JSON.parse(readFileSync(new URL('../fixtures/dingtalk/robot-text-direct.json', import.meta.url), 'utf8'));

  const post = async (body: unknown, opts: { sign?: string; ts?: number } = {}) => {
    const ts = String(opts.ts ?? Date.now());
    return fetch(`${base}/dingtalk/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', timestamp: ts, sign: opts.sign ?? hmacSign(CLIENT.clientSecret, ts) },
      body: JSON.stringify(body),
    });
  };
  async function settle() {
    for (let i = 0; i < 50; i++) {
      await app.pipeline.drain();
      if ((await app.worker.runOnce()).claimed === 0) return;
    }
  }
  const sends = () => fake.requests.filter((r) => r.path.includes('/robot/oToMessages/batchSend'));

  beforeAll(async () => {
    fake = await FakeDingtalk.start(CLIENT);
    dir = mkdtempSync(join(tmpdir(), 'duban-dingtalk-'));
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'duban.db')}`, DUBAN_CONSOLE: 'false', DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), LOG_LEVEL: 'silent' });
    const log = createLogger('silent');
    const db = await prepareDatabase(config, log);
    await seedIfEmpty(db, config, log, new Date('2026-06-22T02:00:00Z'));
    await db.prisma.person.updateMany({ where: { consoleId: 'officer-p-gongan' }, data: { dingtalkUserId: 'manager7421' } });
    await db.prisma.outboxMessage.deleteMany({});
    app = createApp(config, db, log, {
      platformEnv: {
        DINGTALK_CLIENT_ID: CLIENT.clientId, DINGTALK_CLIENT_SECRET: CLIENT.clientSecret, DINGTALK_ROBOT_CODE: CLIENT.robotCode,
        DINGTALK_MODE: 'http', DINGTALK_API_BASE: fake.base, DINGTALK_OAPI_BASE: fake.base,
      },
    });
    server = app.koa.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await app?.stop();
    await app?.db.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /我的 with an ActionCard whose buttons send the equivalent command', async () => {
    const r = await post({ ...payload, msgId: 'm-1', text: { content: '/我的' } });
    expect(r.status).toBe(200);
    await settle();
    const sent = sends().at(-1)!;
    expect(sent.body.userIds).toEqual(['manager7421']);
    expect(sent.body.msgKey).toMatch(/^sampleActionCard/);
    expect(sent.body.msgParam).toContain('dtmd://dingtalkclient/sendMessage');
  });

  it('records a progress reply sent as free text in the 1:1 chat', async () => {
    const ticket = await app.db.prisma.ticket.findFirstOrThrow({ where: { unitCode: 'p-gongan', milestone: { task: { seq: 26 } } } }).catch(() => null);
    const any = ticket ?? (await app.db.prisma.ticket.findFirstOrThrow({ where: { unitCode: 'p-gongan' } }));
    await post({ ...payload, msgId: 'm-2', text: { content: `#${any.id} 进度40% 已启动` } });
    await settle();
    expect((await app.db.prisma.ticket.findUniqueOrThrow({ where: { id: any.id } })).progress).toBe(40);
    expect(JSON.stringify(sends().at(-1)!.body)).toContain('40%');
  });

  it('processes a redelivered message once', async () => {
    const before = sends().length;
    await post({ ...payload, msgId: 'm-3', text: { content: '/帮助' } });
    await post({ ...payload, msgId: 'm-3', text: { content: '/帮助' } });
    await settle();
    expect(sends().length - before).toBe(1);
  });

  it('refuses a bad signature and a stale timestamp with 401', async () => {
    expect((await post({ ...payload, msgId: 'm-4' }, { sign: 'forged' })).status).toBe(401);
    expect((await post({ ...payload, msgId: 'm-5' }, { ts: Date.now() - 2 * 3600_000 })).status).toBe(401);
    expect(await app.db.prisma.inboundEvent.count({ where: { key: { in: ['DINGTALK:m-4', 'DINGTALK:m-5'] } } })).toBe(0);
  });
});
