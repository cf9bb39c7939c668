import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DingtalkClient } from '../../../bot/dingtalk/client.ts';
import { DingtalkApiError, isRetryableDingtalkError } from '../../../bot/dingtalk/api-error.ts';
import { FakeDingtalk } from '../../fakes/fake-dingtalk.ts';

let clock = Date.parse('2026-06-20T03:00:00Z');
let fake: FakeDingtalk;
let client: DingtalkClient;

beforeAll(async () => {
  fake = await FakeDingtalk.start({ now: () => clock });
});
afterAll(() => fake.close());
beforeEach(() => {
  client = new DingtalkClient({ ...fake.config, now: () => clock, timeoutMs: 300 });
  fake.requests.length = 0;
});

const tokenRequests = () => fake.requests.filter((r) => r.path === '/v1.0/oauth2/accessToken').length;
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as DingtalkApiError);

describe('access token', () => {
  it('is fetched once and cached until 5 minutes before it expires', async () => {
    await client.sendToGroup('cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==', 'sampleText', { content: '早上好' });
    await client.sendToGroup('cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==', 'sampleText', { content: '中午好' });
    expect(tokenRequests()).toBe(1);
    const token = fake.requests.find((r) => r.path === '/v1.0/robot/groupMessages/send')!.headers['x-acs-dingtalk-access-token'];
    expect(token).toMatch(/^fake_token_/);
    clock += 7200_000 - 5 * 60_000 + 1;
    await client.sendToGroup('cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==', 'sampleText', { content: '晚上好' });
    expect(tokenRequests()).toBe(2);
  });

  it('on 401 is dropped, refreshed and the call retried once', async () => {
    await client.accessToken();
    fake.expireTokens();
    await client.sendToUsers(['0135212546211226'], 'sampleText', { content: '请签收' });
    expect(tokenRequests()).toBe(2);
    expect(fake.requests.filter((r) => r.path.endsWith('batchSend')).map((r) => r.headers['x-acs-dingtalk-access-token'])).toHaveLength(2);
  });

  it('a second 401 in a row is not retried again, and is worth a later retry', async () => {
    await client.accessToken();
    fake.failNext({ status: 401, body: { code: 'InvalidAuthentication', message: '不合法的access_token' } }, '/v1.0/robot/groupMessages/send', 2);
    const e = await caught(client.sendToGroup('cid1', 'sampleText', { content: 'x' }));
    expect(e).toBeInstanceOf(DingtalkApiError);
    expect(e).toMatchObject({ code: 'InvalidAuthentication', httpStatus: 401, retryable: true });
    expect(fake.requests.filter((r) => r.path === '/v1.0/robot/groupMessages/send')).toHaveLength(2);
  });
});

describe('robot messages', () => {
  it('sends to 45 users in chunks of 20 with msgParam as a JSON string', async () => {
    const users = Array.from({ length: 45 }, (_, i) => `user${i}`);
    const results = await client.sendToUsers([...users, 'user0'], 'sampleMarkdown', { title: '督办提醒', text: '### 任务 6 即将到期' });
    const calls = fake.requests.filter((r) => r.path.endsWith('batchSend'));
    expect(calls.map((c) => c.body.userIds.length)).toEqual([20, 20, 5]);
    expect(JSON.parse(calls[0]!.body.msgParam)).toEqual({ title: '督办提醒', text: '### 任务 6 即将到期' });
    expect(calls[0]!.body.robotCode).toBe(fake.config.robotCode);
    expect(results.map((r) => r.processQueryKey.length > 0)).toEqual([true, true, true]);
  });

  it('when a later chunk fails, the error lists who already got the message', async () => {
    fake.failNext({ status: 503 }, '/v1.0/robot/oToMessages/batchSend');
    await expect(client.sendToUsers(['a'], 'sampleText', { content: 'x' })).rejects.toMatchObject({ retryable: true, code: 'ServiceUnavailable' });
    const users = Array.from({ length: 25 }, (_, i) => `u${i}`);
    fake.failNext({ status: 500, body: { code: 'InternalError' } }, '/v1.0/robot/oToMessages/batchSend', 1, 1);
    const e = await caught(client.sendToUsers(users, 'sampleText', { content: 'x' }));
    expect(e).toMatchObject({ code: 'InternalError', retryable: true });
    expect(e.details).toMatchObject({ deliveredUserIds: users.slice(0, 20) });
  });

  it('refuses a group msgParam over 15,000 bytes without sending it', async () => {
    const e = await caught(client.sendToGroup('cid1', 'sampleMarkdown', { title: 't', text: '督'.repeat(5_001) }));
    expect(e).toMatchObject({ code: 'MSG_PARAM_TOO_LARGE', retryable: false });
    expect(fake.requests.filter((r) => r.path.endsWith('groupMessages/send'))).toHaveLength(0);
  });

  it('classifies 5xx and timeouts as retryable', async () => {
    fake.failNext({ status: 502, body: 'Bad Gateway' }, '/v1.0/robot/groupMessages/send');
    expect(await caught(client.sendToGroup('cid1', 'sampleText', { content: 'x' }))).toMatchObject({ code: 'HTTP_502', retryable: true });
    fake.failNext('timeout', '/v1.0/robot/groupMessages/send');
    const e = await caught(client.sendToGroup('cid1', 'sampleText', { content: 'x' }));
    expect(e).toMatchObject({ code: 'TIMEOUT', kind: 'timeout', retryable: true });
    expect(isRetryableDingtalkError(e)).toBe(true);
  });

  it('a shape the fake refuses is not retryable', async () => {
    expect(await caught(client.sendToGroup('cid1', 'notAKey', { content: 'x' }))).toMatchObject({ code: 'param.invalid', retryable: false });
  });
});

describe('interactive cards', () => {
  it('creates and delivers a card to a group, then updates it in place', async () => {
    const r = await client.createAndDeliverCard({
      cardTemplateId: 'tpl-ticket.schema',
      outTrackId: 'duban-ticket-42-v1',
      cardParamMap: { title: '任务 6 · 省人社厅', progress: '60' },
      to: { openConversationId: 'cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==', atUserIds: { '0135212546211226': '李娟' } },
    });
    expect(r.deliverResults).toEqual([{ spaceType: 'IM_GROUP', spaceId: 'cidqO7Ne6Wr8tQ5ZkBfVD3Xhw==', success: true }]);
    expect(fake.cards.get('duban-ticket-42-v1')!.body).toMatchObject({ callbackType: 'STREAM', imGroupOpenDeliverModel: { robotCode: fake.config.robotCode, atUserIds: { '0135212546211226': '李娟' } } });
    await client.updateCard('duban-ticket-42-v1', { progress: '80' });
    expect(fake.cards.get('duban-ticket-42-v1')!.cardParamMap).toEqual({ title: '任务 6 · 省人社厅', progress: '80' });
  });

  it('delivers to a 1:1 chat too', async () => {
    const r = await client.createAndDeliverCard({ cardTemplateId: 't', outTrackId: 'duban-ticket-43-v1', cardParamMap: {}, to: { userId: 'manager7421' } });
    expect(r.deliverResults[0]).toMatchObject({ spaceType: 'IM_ROBOT', spaceId: 'manager7421' });
  });
});

describe('custom group robot webhook', () => {
  it('is signed so the fake accepts it', async () => {
    const robot = fake.addWebhookRobot('SEC1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcd');
    await client.sendWebhook(robot.url, 'SEC1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcd', { msgtype: 'markdown', markdown: { title: '周报', text: '#### 本周督办通报' } });
    expect(fake.webhookMessages.at(-1)).toMatchObject({ accessToken: robot.accessToken, body: { msgtype: 'markdown' } });
    const q = fake.requests.at(-1)!.query;
    expect(q.get('timestamp')).toBe(String(clock));
  });

  it('takes a bare access token as well', async () => {
    const robot = fake.addWebhookRobot();
    await client.sendWebhook(robot.accessToken, undefined, { msgtype: 'text', text: { content: '督办提醒' } });
    expect(fake.webhookMessages.at(-1)!.accessToken).toBe(robot.accessToken);
  });

  it('a wrong secret is refused and not retryable', async () => {
    const robot = fake.addWebhookRobot('SECright');
    expect(await caught(client.sendWebhook(robot.url, 'SECwrong', { msgtype: 'text', text: { content: 'x' } }))).toMatchObject({ code: '310000', retryable: false });
  });

  it('the 21st message within a minute hits the rate limit, classified retryable', async () => {
    const robot = fake.addWebhookRobot('SECrate');
    for (let i = 0; i < 20; i++) await client.sendWebhook(robot.url, 'SECrate', { msgtype: 'text', text: { content: `第${i + 1}条` } });
    const e = await caught(client.sendWebhook(robot.url, 'SECrate', { msgtype: 'text', text: { content: '第21条' } }));
    expect(e).toMatchObject({ code: '130101', kind: 'api', retryable: true });
    expect(e.message).toContain('稍后将自动重试');
  });
});

describe('file download', () => {
  it('exchanges the downloadCode and reads the bytes, capped', async () => {
    fake.addFile('code-1', new Uint8Array(Buffer.from('%PDF-1.7 fake')), 'application/pdf');
    expect(await client.downloadFile('code-1', 1024)).toEqual({ bytes: new Uint8Array(Buffer.from('%PDF-1.7 fake')), mime: 'application/pdf' });
    expect(await caught(client.downloadFile('code-1', 4))).toMatchObject({ code: 'FILE_TOO_LARGE', retryable: false });
  });
});
