/**
 * WeCom end to end: a signed, encrypted callback into the real app; the bot answers through the
 * outbox and the WeCom sender, and the fake WeCom receives what the real one would.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { prepareDatabase, seedIfEmpty } from '../../bot/bootstrap.ts';
import { createApp, type App } from '../../bot/app.ts';
import { FakeWecom, signedCallback } from '../fakes/fake-wecom.ts';

const CORP = 'wx5823bf96d3bd56c7';
const TOKEN = 'QDG6eK';
const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

describe('WeCom end to end', () => {
  let fake: FakeWecom;
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  let seq = 0;

  const callback = async (inner: string, opts: { timestamp?: string } = {}) => {
    const ts = opts.timestamp ?? String(Math.floor(Date.now() / 1000));
    const c = signedCallback(inner, { token: TOKEN, aesKey: AES, corpId: CORP, timestamp: ts, nonce: String(++seq), agentId: '1000002' });
    return fetch(`${base}/wecom/callback?${c.search}`, { method: 'POST', body: c.body, headers: { 'content-type': 'text/xml' } });
  };
  const text = (from: string, content: string, msgId: string) =>
    `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;

  async function settle() {
    for (let i = 0; i < 50; i++) {
      await app.pipeline.drain();
      const r = await app.worker.runOnce();
      if (r.claimed === 0) return;
    }
  }

  beforeAll(async () => {
    fake = await FakeWecom.start({ corpId: CORP, secret: 'app-secret', agentId: 1000002 });
    dir = mkdtempSync(join(tmpdir(), 'duban-wecom-'));
    const config = loadConfig({ DATABASE_URL: `file:${join(dir, 'duban.db')}`, DUBAN_CONSOLE: 'false', DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), LOG_LEVEL: 'silent' });
    const log = createLogger('silent');
    const db = await prepareDatabase(config, log);
    await seedIfEmpty(db, config, log, new Date('2026-06-22T02:00:00Z'));
    // Map the demo officer of 省公安厅 to a WeCom userid; drop the seed's console-only cards.
    await db.prisma.person.updateMany({ where: { consoleId: 'officer-p-gongan' }, data: { wecomUserId: 'zhangsan' } });
    await db.prisma.outboxMessage.deleteMany({});
    app = createApp(config, db, log, {
      platformEnv: {
        WECOM_CORP_ID: CORP, WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'app-secret', WECOM_TOKEN: TOKEN,
        WECOM_ENCODING_AES_KEY: AES, WECOM_API_BASE: fake.baseUrl, WECOM_TIMESTAMP_SKEW_S: '300',
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

  it('answers a command with a template card sent through message/send', async () => {
    const r = await callback(text('zhangsan', '/我的', '1001'));
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
    await settle();
    const sent = fake.messages.at(-1)!;
    expect(sent.body).toMatchObject({ touser: 'zhangsan', msgtype: 'template_card' });
    expect(fake.violations).toEqual([]);
  });

  it('acts on a card click and updates the clicked card in place with its response_code', async () => {
    await callback(text('zhangsan', '/我的', '1010'));
    await settle();
    const card = fake.messages.at(-1)!.body as { template_card: { button_list?: { key?: string; text: string }[]; task_id: string } };
    const accept = card.template_card.button_list?.find((b) => b.text.includes('签收'));
    expect(accept?.key).toBeTruthy();
    const ticketId = Number(accept!.key!.split('.')[1]);
    const responseCode = fake.clickCard(card.template_card.task_id);
    const event = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${accept!.key}]]></EventKey><TaskId><![CDATA[${card.template_card.task_id}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[${responseCode}]]></ResponseCode><AgentID>1000002</AgentID></xml>`;
    const updatesBefore = fake.updates.length;
    expect((await callback(event)).status).toBe(200);
    await settle();
    expect((await app.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe('IN_PROGRESS');
    expect(fake.updates.length).toBe(updatesBefore + 1);
    expect(JSON.stringify(fake.updates.at(-1))).toContain(responseCode);
    expect(fake.violations).toEqual([]);
  });

  it('posts a fresh card when the response_code can no longer be used', async () => {
    await callback(text('zhangsan', '/我的', '1020'));
    await settle();
    const card = fake.messages.at(-1)!.body as { template_card: { button_list?: { key?: string; text: string }[]; task_id: string } };
    const progress = card.template_card.button_list?.find((b) => b.key && b.text.includes('进度')) ?? card.template_card.button_list?.find((b) => b.key)!;
    const event = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[${progress!.key}]]></EventKey><TaskId><![CDATA[${card.template_card.task_id}]]></TaskId><ResponseCode><![CDATA[expired-code]]></ResponseCode><AgentID>1000002</AgentID></xml>`;
    const before = fake.messages.length;
    await callback(event);
    await settle();
    expect(fake.messages.length).toBeGreaterThan(before);
    expect(fake.messages.at(-1)!.body).toMatchObject({ touser: 'zhangsan' });
  });

  it('processes a retried callback once', async () => {
    const before = fake.messages.length;
    await callback(text('zhangsan', '/帮助', '1002'));
    await callback(text('zhangsan', '/帮助', '1002'));
    await settle();
    expect(fake.messages.length - before).toBe(1);
  });

  it('tells an unregistered WeCom user how to get access, and changes nothing', async () => {
    await callback(text('stranger', '/我的', '1003'));
    await settle();
    expect(fake.messages.at(-1)!.body).toMatchObject({ touser: 'stranger', msgtype: 'text' });
    expect(JSON.stringify(fake.messages.at(-1)!.body)).toContain('尚未登记');
  });

  it('refuses a forged signature with 401 and records nothing', async () => {
    const c = signedCallback(text('zhangsan', '/我的', '1004'), { token: 'wrong', aesKey: AES, corpId: CORP, timestamp: String(Math.floor(Date.now() / 1000)), nonce: 'n', agentId: '1000002' });
    const r = await fetch(`${base}/wecom/callback?${c.search}`, { method: 'POST', body: c.body });
    expect(r.status).toBe(401);
    expect(await app.db.prisma.inboundEvent.count({ where: { key: { contains: '1004' } } })).toBe(0);
  });

  it('refuses a stale timestamp', async () => {
    const r = await callback(text('zhangsan', '/我的', '1005'), { timestamp: String(Math.floor(Date.now() / 1000) - 3600) });
    expect(r.status).toBe(401);
  });
});
