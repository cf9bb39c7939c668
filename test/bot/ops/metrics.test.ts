/**
 * /metrics through the real app: WeCom callbacks in, replies out through the outbox to a fake
 * WeCom that delivers one, refuses one for good and fails one with HTTP 503; the scrape shows each
 * outcome with its platform and code, the queue read from the database, and request durations by
 * route.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { createLogger } from '../../../bot/logger.ts';
import { createApp, type App } from '../../../bot/app.ts';
import { FakeWecom } from '../../fakes/fake-wecom.ts';
import { dbKinds, freshDatabase, type TestDb } from '../../support/databases.ts';
import { CORP, parseMetrics, sample, textCallback, wecomEnv } from './support.ts';

const METRICS_TOKEN = 'scrape-token-1234567890';

describe.each(dbKinds)('metrics on %s', (kind) => {
  let fake: FakeWecom;
  let t: TestDb;
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;

  const post = (c: { path: string; body: string }) => fetch(`${base}${c.path}`, { method: 'POST', body: c.body, headers: { 'content-type': 'text/xml' } });
  const scrape = async (token = METRICS_TOKEN) => {
    const r = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/plain');
    return parseMetrics(await r.text());
  };
  async function settle() {
    for (let i = 0; i < 20; i++) {
      await app.pipeline.drain();
      if ((await app.worker.runOnce()).claimed === 0) return;
    }
  }

  beforeAll(async () => {
    fake = await FakeWecom.start({ corpId: CORP, secret: 'app-secret', agentId: 1000002 });
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'duban-metrics-'));
    const config = loadConfig({
      DATABASE_URL: t.url, DUBAN_CONSOLE: 'false', DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), LOG_LEVEL: 'silent',
      DUBAN_ACTION_SECRET: 'action-secret-for-tests', DUBAN_METRICS_TOKEN: METRICS_TOKEN,
    });
    app = createApp(config, t.db, createLogger('silent'), { platformEnv: wecomEnv(fake.baseUrl), scheduler: false });
    server = app.koa.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await app?.stop();
    await t?.cleanup();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('wants the bearer token when DUBAN_METRICS_TOKEN is set', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await scrape();
  });

  it('counts inbound events, deliveries by result and error code, the queue and requests by route', async () => {
    // Delivered: the unknown sender gets the polite refusal through message/send.
    expect((await post(textCallback('zhangsan', '/帮助', 5001))).status).toBe(200);
    await settle();
    expect(fake.messages).toHaveLength(1);
    // The same MsgId again is WeCom retrying: a duplicate, nothing sent.
    expect((await post(textCallback('zhangsan', '/帮助', 5001))).status).toBe(200);
    // Refused for good (invalid user) → dead letter; then HTTP 503 → retried later.
    fake.failNext(1, { errcode: 81013, errmsg: 'user & party & tag all invalid' }, '/cgi-bin/message/send');
    await post(textCallback('lisi', '/帮助', 5002));
    await settle();
    fake.failNext(1, { status: 503 }, '/cgi-bin/message/send');
    await post(textCallback('wangwu', '/帮助', 5003));
    await settle();

    const m = await scrape();
    expect(sample(m, 'duban_inbound_events_total', { platform: 'WECOM', result: 'accepted' })).toBe(3);
    expect(sample(m, 'duban_inbound_events_total', { platform: 'WECOM', result: 'duplicate' })).toBe(1);
    expect(sample(m, 'duban_outbox_sends_total', { platform: 'WECOM', result: 'sent' })).toBe(1);
    expect(sample(m, 'duban_outbox_sends_total', { platform: 'WECOM', result: 'dead' })).toBe(1);
    expect(sample(m, 'duban_outbox_sends_total', { platform: 'WECOM', result: 'retry' })).toBe(1);
    expect(sample(m, 'duban_outbox_send_errors_total', { platform: 'WECOM', code: 'WECOM_81013' })).toBe(1);
    expect(sample(m, 'duban_outbox_send_errors_total', { platform: 'WECOM', code: 'WECOM_HTTP_503' })).toBe(1);
    expect(sample(m, 'duban_outbox_delivery_seconds_count', { platform: 'WECOM', result: 'ok' })).toBe(1);
    expect(sample(m, 'duban_outbox_delivery_seconds_count', { platform: 'WECOM', result: 'error' })).toBe(2);
    // The queue gauges are read from the database at scrape time.
    expect(sample(m, 'duban_database_up')).toBe(1);
    expect(sample(m, 'duban_outbox_messages', { platform: 'WECOM', status: 'PENDING' })).toBe(1);
    expect(sample(m, 'duban_outbox_messages', { platform: 'WECOM', status: 'DEAD' })).toBe(1);
    expect(sample(m, 'duban_outbox_messages', { platform: 'DINGTALK', status: 'PENDING' })).toBe(0);
    expect(sample(m, 'duban_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    // Requests by route pattern, never by raw path with its query string.
    expect(sample(m, 'duban_http_request_duration_seconds_count', { method: 'POST', route: '/wecom/callback', status: '200' })).toBe(4);
    expect(m.some((s) => s.labels.route?.includes('msg_signature'))).toBe(false);
    expect(sample(m, 'duban_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '401' })).toBe(2);
    // Node's process metrics come along.
    expect(sample(m, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(m, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);

    // The dead letter requeued by an operator and delivered moves the gauges back.
    await app.db.sql.execute(`UPDATE outbox_message SET status = 'PENDING', attempts = 0, next_attempt_at = ? WHERE status IN ('DEAD', 'PENDING')`, [new Date(0)]);
    await settle();
    const after = await scrape();
    expect(sample(after, 'duban_outbox_messages', { platform: 'WECOM', status: 'DEAD' })).toBe(0);
    expect(sample(after, 'duban_outbox_messages', { platform: 'WECOM', status: 'PENDING' })).toBe(0);
    expect(sample(after, 'duban_outbox_sends_total', { platform: 'WECOM', result: 'sent' })).toBe(3);
  });

  it('keeps two apps in one process apart (own registries)', async () => {
    const other = createApp(loadConfig({ DATABASE_URL: t.url, DUBAN_CONSOLE: 'false', DUBAN_ACTION_SECRET: 'action-secret-for-tests', LOG_LEVEL: 'silent' }), t.db, createLogger('silent'), { scheduler: false });
    const text = await other.ops.metrics.registry.metrics();
    expect(sample(parseMetrics(text), 'duban_inbound_events_total', { platform: 'WECOM', result: 'accepted' })).toBeUndefined();
    expect(sample(await scrape(), 'duban_inbound_events_total', { platform: 'WECOM', result: 'accepted' })).toBe(3);
  });
});

describe.each(dbKinds)('scheduler metrics on %s', (kind) => {
  it('counts the job runs of a started app by job and outcome', async () => {
    const t = await freshDatabase(kind);
    const dir = mkdtempSync(join(tmpdir(), 'duban-metrics-'));
    const config = loadConfig({ DATABASE_URL: t.url, DUBAN_CONSOLE: 'false', DUBAN_EVIDENCE_DIR: join(dir, 'evidence'), DUBAN_ACTION_SECRET: 'action-secret-for-tests', LOG_LEVEL: 'silent' });
    const app = createApp(config, t.db, createLogger('silent'));
    try {
      await app.start(); // the scheduler catches up at start: the digest pass, then a reminder sweep
      let m = parseMetrics(await app.ops.metrics.registry.metrics());
      for (let i = 0; i < 100 && sample(m, 'duban_scheduler_job_runs_total', { job: 'reminder-sweep', outcome: 'ran' }) === undefined; i++) {
        await new Promise((r) => setTimeout(r, 100));
        m = parseMetrics(await app.ops.metrics.registry.metrics());
      }
      expect(sample(m, 'duban_scheduler_job_runs_total', { job: 'reminder-sweep', outcome: 'ran' })).toBe(1);
      const digestRuns = m.filter((s) => s.name === 'duban_scheduler_job_runs_total' && s.labels.job?.startsWith('digests@'));
      expect(digestRuns).toEqual([expect.objectContaining({ labels: expect.objectContaining({ outcome: 'ran' }), value: 1 })]);
      expect(sample(m, 'duban_scheduler_job_duration_seconds_count', { job: 'reminder-sweep' })).toBe(1);
    } finally {
      await app.stop();
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
