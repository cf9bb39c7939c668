/** The fake must be as strict as WeCom, or the client tests prove nothing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cardProblems, FakeWecom } from '../../fakes/fake-wecom.ts';

let fake: FakeWecom;
let token: string;
const corp = { corpId: 'wwcorp0001', secret: 's3cret', agentId: 1000002 };

async function call(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${fake.baseUrl}${path}?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}
const textTo = (touser: string) => ({ touser, agentid: corp.agentId, msgtype: 'text', text: { content: '提醒' } });

beforeEach(async () => {
  fake = await FakeWecom.start({ ...corp, tokenTtlS: 7200 });
  const res = await fetch(`${fake.baseUrl}/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${corp.secret}`);
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterEach(() => fake.close());

describe('per-member app message limits (silently dropped by WeCom, recorded here)', () => {
  it('the 31st message to one member within a minute is dropped and recorded as a violation', async () => {
    for (let i = 0; i < 30; i++) expect((await call('/cgi-bin/message/send', textTo('zhangsan'))).errcode).toBe(0);
    expect(fake.violations).toEqual([]);
    const answer = await call('/cgi-bin/message/send', textTo('zhangsan'));
    expect(answer.errcode).toBe(0); // no error on the wire, like the real thing
    expect(fake.violations).toEqual([expect.objectContaining({ rule: 'member-per-minute', userId: 'zhangsan' })]);
    expect(fake.messages.at(-1)).toMatchObject({ delivered: [], dropped: ['zhangsan'] });
    expect((await call('/cgi-bin/message/send', textTo('lisi'))).errcode).toBe(0);
    expect(fake.violations).toHaveLength(1);
  });

  it('more than 1000 per hour is a violation even when paced under 30 per minute', async () => {
    for (let i = 0; i < 1000; i++) {
      if (i % 25 === 0) fake.clock.advance(61_000);
      await call('/cgi-bin/message/send', textTo('lisi'));
    }
    expect(fake.violations).toEqual([]);
    fake.clock.advance(61_000);
    await call('/cgi-bin/message/send', textTo('lisi'));
    expect(fake.violations).toEqual([expect.objectContaining({ rule: 'member-per-hour' })]);
  });
});

describe('token lifetime', () => {
  it('answers 42001 after expires_in on its own clock and 41001 without a token', async () => {
    fake.clock.advance(7200_000);
    expect((await call('/cgi-bin/message/send', textTo('a'))).errcode).toBe(42001);
    const res = await fetch(`${fake.baseUrl}/cgi-bin/message/send`, { method: 'POST', body: '{}' });
    expect(((await res.json()) as { errcode: number }).errcode).toBe(41001);
  });
});

describe('message/send shape checks', () => {
  it('refuses over-long text, unknown types, wrong agent id and missing recipients', async () => {
    expect((await call('/cgi-bin/message/send', { ...textTo('a'), text: { content: '字'.repeat(683) } })).errcode).toBe(45002);
    expect((await call('/cgi-bin/message/send', { ...textTo('a'), msgtype: 'telegram', telegram: {} })).errcode).toBe(40008);
    expect((await call('/cgi-bin/message/send', { ...textTo('a'), agentid: 1 })).errcode).toBe(40056);
    expect((await call('/cgi-bin/message/send', { ...textTo(''), touser: undefined })).errcode).toBe(82001);
  });
});

describe('template card limits', () => {
  const button = (over: Record<string, unknown> = {}) => ({
    card_type: 'button_interaction',
    task_id: 'task-1',
    main_title: { title: 't' },
    button_list: [{ text: '签收', key: 'accept' }],
    ...over,
  });
  const many = (n: number, f: (i: number) => Record<string, unknown>) => Array.from({ length: n }, (_, i) => f(i));

  it.each([
    ['task_id with a space', button({ task_id: 'task 1' })],
    ['task_id over 128 bytes', button({ task_id: 'a'.repeat(129) })],
    ['task_id missing on an interactive card', button({ task_id: undefined })],
    ['7 buttons', button({ button_list: many(7, (i) => ({ text: `b${i}`, key: `k${i}` })) })],
    ['duplicate button keys', button({ button_list: [{ text: 'a', key: 'k' }, { text: 'b', key: 'k' }] })],
    ['button key over 1024 bytes', button({ button_list: [{ text: 'a', key: 'k'.repeat(1025) }] })],
    ['7 horizontal items', button({ horizontal_content_list: many(7, (i) => ({ keyname: `k${i}`, value: 'v' })) })],
    ['4 jumps', button({ jump_list: many(4, (i) => ({ type: 1, title: `j${i}`, url: 'https://x' })) })],
    ['empty action menu', button({ action_menu: { desc: 'm', action_list: [] } })],
    ['4 menu actions', button({ action_menu: { desc: 'm', action_list: many(4, (i) => ({ text: `a${i}`, key: `m${i}` })) } })],
    ['text_notice without card_action', { card_type: 'text_notice', main_title: { title: 't' } }],
    ['21 vote options', { card_type: 'vote_interaction', task_id: 'v', checkbox: { question_key: 'q', option_list: many(21, (i) => ({ id: `o${i}`, text: 'x' })) }, submit_button: { text: '提交', key: 's' } }],
    ['4 selectors', { card_type: 'multiple_interaction', task_id: 'm', select_list: many(4, (i) => ({ question_key: `q${i}`, option_list: [{ id: 'a', text: 'a' }] })), submit_button: { text: '提交', key: 's' } }],
  ])('refuses a card with %s', (_label, cardJson) => {
    expect(cardProblems(cardJson as Record<string, unknown>, new Set())).not.toEqual([]);
  });

  it('accepts a well-formed card once per task_id', async () => {
    const body = { touser: 'a', agentid: corp.agentId, msgtype: 'template_card', template_card: button() };
    const first = await call('/cgi-bin/message/send', body);
    expect(first).toMatchObject({ errcode: 0, response_code: expect.any(String) });
    expect(await call('/cgi-bin/message/send', body)).toMatchObject({ errcode: 40058 });
  });
});

describe('failure injection', () => {
  it('failNext applies to the next n matching requests only', async () => {
    fake.failNext(2, { status: 503 }, '/cgi-bin/message/send');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${fake.baseUrl}/cgi-bin/message/send?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(textTo('a')) });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses).toEqual([503, 503, 200]);
  });
});
