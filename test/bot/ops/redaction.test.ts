/**
 * Secrets never reach the logs: the app runs with configured secrets against a fake WeCom whose
 * error answers quote them (as proxies and some platform errors quote the request URL), and the
 * captured log output is searched for every secret value.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { createLogger } from '../../../bot/logger.ts';
import { createApp } from '../../../bot/app.ts';
import { secretValues } from '../../../bot/ops/redact.ts';
import { FakeWecom } from '../../fakes/fake-wecom.ts';
import { dbKinds, freshDatabase } from '../../support/databases.ts';
import { AES, CORP, TOKEN, textCallback, wecomEnv } from './support.ts';

const CORP_SECRET = 'corp-secret-7f3a9c2e1b44d0';
const METRICS_TOKEN = 'metrics-token-5be1c0ffee77';
const ACTION_SECRET = 'action-secret-90ab12cd34ef';

describe.each(dbKinds)('log redaction on %s', (kind) => {
  it('never writes a configured secret or an access token, even when a failing platform call quotes them', async () => {
    const fake = await FakeWecom.start({ corpId: CORP, secret: CORP_SECRET, agentId: 1000002 });
    const t = await freshDatabase(kind);
    const dir = mkdtempSync(join(tmpdir(), 'duban-redact-'));
    const lines: string[] = [];
    let server: Server | undefined;
    try {
      const config = loadConfig({
        DATABASE_URL: t.url, DUBAN_CONSOLE: 'false', DUBAN_EVIDENCE_DIR: join(dir, 'evidence'),
        DUBAN_ACTION_SECRET: ACTION_SECRET, DUBAN_METRICS_TOKEN: METRICS_TOKEN, LOG_LEVEL: 'debug',
      });
      const platformEnv = wecomEnv(fake.baseUrl, CORP_SECRET);
      // As bot/main.ts builds it: the configured secret values go to the logger.
      const log = createLogger('debug', { write: (s: string) => void lines.push(s) }, { secrets: secretValues(config, platformEnv) });
      const app = createApp(config, t.db, log, { platformEnv, scheduler: false });
      server = app.koa.listen(0, '127.0.0.1');
      await new Promise((r) => server!.once('listening', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const callback = async (from: string, msgId: number) => {
        const c = textCallback(from, '/帮助', msgId);
        expect((await fetch(`${base}${c.path}`, { method: 'POST', body: c.body })).status).toBe(200);
        for (let i = 0; i < 10; i++) {
          await app.pipeline.drain();
          if ((await app.worker.runOnce()).claimed === 0) break;
        }
      };

      await callback('zhangsan', 7001); // delivered: the client now holds an access token
      const accessToken = fake.received.find((r) => r.path === '/cgi-bin/message/send')!.query.access_token!;
      expect(accessToken.length).toBeGreaterThan(8);

      // The platform's error text quotes the request URL with the token…
      fake.failNext(1, { errcode: 60020, errmsg: `not allow to access from your ip, url: /cgi-bin/message/send?access_token=${accessToken}&debug=1` }, '/cgi-bin/message/send');
      await callback('lisi', 7002);
      // …and, after the token is revoked, the refresh fails with a text quoting the corp secret.
      fake.invalidateTokens();
      fake.failNext(1, { errcode: 40001, errmsg: `invalid credential: secret ${CORP_SECRET} does not belong to corp ${CORP}` }, '/cgi-bin/gettoken');
      await callback('wangwu', 7003);
      // Whole settings objects and a URL in an error message, as careless code might log them.
      log.info({ config, platformEnv }, 'configuration');
      log.error({ err: new TypeError(`Failed to parse URL from https://oapi.dingtalk.com/robot/send?access_token=${accessToken}&timestamp=1&sign=c2lnbmF0dXJl`) }, 'webhook failed');
      log.warn({ headers: { authorization: `Bearer ${METRICS_TOKEN}`, cookie: 'duban_session=abc' } }, 'request');
      await app.stop();

      const out = lines.join('');
      // The failures were logged (so the secrets had a way in)…
      expect(out).toContain('WECOM_60020');
      expect(out).toContain('not allow to access from your ip');
      expect(out).toContain('WECOM_40001');
      expect(out).toContain('Failed to parse URL');
      // …but none of the secrets made it.
      for (const secret of [CORP_SECRET, accessToken, METRICS_TOKEN, ACTION_SECRET, AES, TOKEN, 'c2lnbmF0dXJl', 'duban_session=abc']) {
        expect(out, `log output contains ${secret}`).not.toContain(secret);
      }
      expect(out).toContain('access_token=***');
    } finally {
      server?.close();
      await t.cleanup();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('secret values taken from the configuration', () => {
  it('include every *SECRET*, *TOKEN*, *AES_KEY*, *PASSWORD* setting and the PostgreSQL password', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://duban:p%40ss-word-123@db:5432/duban', DUBAN_ACTION_SECRET: ACTION_SECRET });
    const values = secretValues(config, { WECOM_SECRET: CORP_SECRET, WECOM_ENCODING_AES_KEY: AES, DINGTALK_CLIENT_SECRET: 'ding-secret-value', WECOM_CORP_ID: CORP });
    expect(values).toEqual(expect.arrayContaining([ACTION_SECRET, CORP_SECRET, AES, 'ding-secret-value', 'p@ss-word-123']));
    expect(values).not.toContain(CORP);
    const lines: string[] = [];
    createLogger('info', { write: (s: string) => void lines.push(s) }, { secrets: values }).info({ url: 'postgresql://duban:p%40ss-word-123@db:5432/duban' }, 'opening p@ss-word-123');
    expect(lines.join('')).not.toMatch(/p@ss-word-123|p%40ss-word-123/);
  });
});
