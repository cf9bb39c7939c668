import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WecomClient, webhookImage, type AppMessage } from '../../../bot/wecom/client.ts';
import { WecomApiError } from '../../../bot/wecom/api-error.ts';
import { FakeWecom } from '../../fakes/fake-wecom.ts';

let fake: FakeWecom;
let client: WecomClient;

const corp = { corpId: 'wwcorp0001', secret: 's3cret', agentId: 1000002 };
const text = (touser: string, content = '请签收第6项任务'): AppMessage => ({ touser, msgtype: 'text', text: { content } });
const card = (taskId: string, buttons = 2): AppMessage => ({
  touser: 'zhangsan',
  msgtype: 'template_card',
  template_card: {
    card_type: 'button_interaction',
    task_id: taskId,
    main_title: { title: '第6项 待签收' },
    button_list: Array.from({ length: buttons }, (_, i) => ({ text: `按钮${i}`, key: `k${i}` })),
  },
});

async function apiError(p: Promise<unknown>): Promise<WecomApiError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof WecomApiError)) throw new Error(`expected WecomApiError, got ${String(e)}`);
  return e;
}

beforeEach(async () => {
  fake = await FakeWecom.start({ ...corp, members: ['zhangsan', 'lisi'] });
  client = new WecomClient({ ...corp, apiBase: fake.baseUrl, now: () => fake.clock.now, timeoutMs: 2_000 });
});
afterEach(() => fake.close());

describe('access token', () => {
  it('one gettoken serves many sends, concurrent first calls included', async () => {
    await Promise.all([client.sendMessage(text('zhangsan')), client.sendMessage(text('lisi')), client.sendMessage(text('zhangsan'))]);
    for (let i = 0; i < 5; i++) await client.sendMessage(text('lisi'));
    expect(fake.tokenRequests()).toBe(1);
    expect(fake.messages).toHaveLength(8);
  });

  it('is refreshed 5 minutes before it expires, not later', async () => {
    await client.sendMessage(text('zhangsan'));
    fake.clock.advance(7200_000 - 5 * 60_000 - 1);
    await client.sendMessage(text('zhangsan'));
    expect(fake.tokenRequests()).toBe(1);
    fake.clock.advance(2);
    await client.sendMessage(text('zhangsan'));
    expect(fake.tokenRequests()).toBe(2);
  });

  it('42001 (expired early) → refreshed exactly once and the send retried', async () => {
    await client.sendMessage(text('zhangsan'));
    fake.expireTokens();
    await client.sendMessage(text('lisi'));
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.received.filter((r) => r.path === '/cgi-bin/message/send')).toHaveLength(3);
    expect(fake.messages).toHaveLength(2);
  });

  it('40014 (invalidated) → refreshed once too', async () => {
    await client.sendMessage(text('zhangsan'));
    fake.invalidateTokens();
    await client.sendMessage(text('zhangsan'));
    expect(fake.tokenRequests()).toBe(2);
  });

  it('a token error that survives the refresh is not retried again, and is retryable later', async () => {
    fake.failNext(2, { errcode: 42001, errmsg: 'access_token expired' }, '/cgi-bin/message/send');
    const e = await apiError(client.sendMessage(text('zhangsan')));
    expect(e).toMatchObject({ errcode: 42001, retryable: true });
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.received.filter((r) => r.path === '/cgi-bin/message/send')).toHaveLength(2);
  });

  it('a wrong secret is a non-retryable 40001', async () => {
    const bad = new WecomClient({ ...corp, secret: 'nope', apiBase: fake.baseUrl });
    expect(await apiError(bad.sendMessage(text('zhangsan')))).toMatchObject({ errcode: 40001, retryable: false, api: 'gettoken' });
  });
});

describe('error classification', () => {
  it.each([
    [{ status: 500 }, -1, true, 'http'],
    [{ status: 502 }, -1, true, 'http'],
    [{ errcode: -1 }, -1, true, 'api'],
    [{ errcode: 45009 }, 45009, true, 'api'],
    [{ errcode: 45033 }, 45033, true, 'api'],
    [{ errcode: 48002 }, 48002, false, 'api'],
    [{ errcode: 60020 }, 60020, false, 'api'],
    [{ errcode: 40003 }, 40003, false, 'api'],
  ] as const)('%j → errcode %i, retryable %s', async (failure, errcode, retryable, kind) => {
    await client.accessToken();
    fake.failNext(1, failure, '/cgi-bin/message/send');
    expect(await apiError(client.sendMessage(text('zhangsan')))).toMatchObject({ errcode, retryable, kind });
  });

  it('no answer in time is a retryable timeout', async () => {
    const impatient = new WecomClient({ ...corp, apiBase: fake.baseUrl, timeoutMs: 100 });
    await impatient.accessToken();
    fake.failNext(1, { delayMs: 400 }, '/cgi-bin/message/send');
    expect(await apiError(impatient.sendMessage(text('zhangsan')))).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('a refused connection is a retryable network error', async () => {
    const offline = new WecomClient({ ...corp, apiBase: 'http://127.0.0.1:9' });
    expect(await apiError(offline.sendMessage(text('zhangsan')))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('all recipients invalid is a non-retryable 81013; some invalid is a success that names them', async () => {
    expect(await apiError(client.sendMessage(text('ghost')))).toMatchObject({ errcode: 81013, retryable: false });
    expect(await client.sendMessage(text('zhangsan|ghost'))).toMatchObject({ invaliduser: 'ghost' });
  });

  it('a card over the platform limits is refused for good (7 buttons)', async () => {
    expect(await apiError(client.sendMessage(card('t-7', 7)))).toMatchObject({ errcode: 40058, retryable: false });
  });
});

describe('messages and cards', () => {
  it('long Chinese text is cut to 2048 bytes on a character boundary with an ellipsis', async () => {
    await client.sendMessage(text('zhangsan', '督办'.repeat(500)));
    const sent = (fake.messages[0]!.body.text as { content: string }).content;
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(2048);
    expect(sent.endsWith('…')).toBe(true);
    expect(sent).not.toContain('\uFFFD');
  });

  it('a card send returns msgid and a response code usable once for an update', async () => {
    const sent = await client.sendMessage(card('t6-m2-p_gongan-1'));
    expect(sent.msgid).toMatch(/^msg-/);
    expect(sent.response_code).toBeTruthy();
    await client.updateTemplateCard({ userids: ['zhangsan'], response_code: sent.response_code!, button: { replace_name: '已签收' } });
    expect(fake.updates).toHaveLength(1);
    expect(await apiError(client.updateTemplateCard({ userids: ['zhangsan'], response_code: sent.response_code!, button: { replace_name: '已签收' } }))).toMatchObject({
      errcode: 40058,
      retryable: false,
    });
  });

  it('a click response code expires after 72 hours', async () => {
    await client.sendMessage(card('t-exp'));
    const code = fake.clickCard('t-exp');
    fake.clock.advance(72 * 3600_000 + 1000);
    const e = await apiError(client.updateTemplateCard({ userids: ['zhangsan'], response_code: code, button: { replace_name: '已处理' } }));
    expect(e.errcode).toBe(40058);
  });
});

describe('media', () => {
  it('uploads as multipart "media" and downloads the same bytes and Chinese file name', async () => {
    const pdf = Buffer.from('%PDF-1.4 evidence for task 6');
    const { mediaId } = await client.uploadMedia('file', '第6项佐证.pdf', pdf, 'application/pdf');
    const upload = fake.received.find((r) => r.path === '/cgi-bin/media/upload')!;
    expect(upload.query.type).toBe('file');
    expect(upload.body).toMatchObject({ media: { name: '第6项佐证.pdf', mime: 'application/pdf' } });
    const got = await client.downloadMedia(mediaId, 1 << 20);
    expect(Buffer.from(got.bytes)).toEqual(pdf);
    expect(got).toMatchObject({ mime: 'application/pdf', filename: '第6项佐证.pdf' });
    await client.sendMessage({ touser: 'lisi', msgtype: 'file', file: { media_id: mediaId } });
  });

  it('a JSON answer to media/get is an error, never file content', async () => {
    expect(await apiError(client.downloadMedia('no-such-media', 1 << 20))).toMatchObject({ errcode: 40007, retryable: false });
  });

  it('downloads over the cap are refused', async () => {
    const id = fake.addMedia(Buffer.alloc(4096, 7), 'big.bin', 'application/octet-stream');
    await expect(client.downloadMedia(id, 1024)).rejects.toMatchObject({ code: 'WECOM_MEDIA_TOO_LARGE' });
  });

  it('files of 5 bytes or less are refused before upload', async () => {
    await expect(client.uploadMedia('file', 'a.txt', Buffer.from('12345'), 'text/plain')).rejects.toMatchObject({ code: 'WECOM_MEDIA_SIZE' });
    expect(fake.received.filter((r) => r.path === '/cgi-bin/media/upload')).toHaveLength(0);
  });
});

describe('group robot webhook', () => {
  it('the 21st message within a minute gets 45009 (retryable); a minute later it passes', async () => {
    for (let i = 0; i < 20; i++) await client.sendWebhook('robot-1', { msgtype: 'markdown', markdown: { content: `**通报** ${i}` } });
    expect(await apiError(client.sendWebhook('robot-1', { msgtype: 'markdown', markdown: { content: 'x' } }))).toMatchObject({ errcode: 45009, retryable: true });
    await client.sendWebhook('robot-2', { msgtype: 'markdown', markdown: { content: 'other robot' } });
    fake.clock.advance(60_001);
    await client.sendWebhook('robot-1', { msgtype: 'markdown', markdown: { content: 'again' } });
    expect(fake.webhooks).toHaveLength(22);
    expect(fake.tokenRequests()).toBe(0);
  });

  it('markdown is cut to 4096 bytes; images carry base64 and md5', async () => {
    await client.sendWebhook('robot-1', { msgtype: 'markdown', markdown: { content: '晾晒'.repeat(1000) } });
    expect(Buffer.byteLength((fake.webhooks[0]!.body.markdown as { content: string }).content)).toBeLessThanOrEqual(4096);
    await client.sendWebhook('robot-1', webhookImage(Buffer.from('\x89PNG fake image bytes')));
    expect(fake.webhooks).toHaveLength(2);
  });
});
