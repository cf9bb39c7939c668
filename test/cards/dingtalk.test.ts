import { describe, expect, it } from 'vitest';
import * as C from '../../cards/index.ts';
import { cardParamMap, sendMessageUrl, type DingtalkRobotMessage } from '../../cards/render/dingtalk.ts';
import { charCount, utf8Bytes } from '../../cards/render/truncate.ts';
import { everyCard, LONG_MILESTONE, tenButtons, ticket, token } from './fixtures.ts';

const param = (m: DingtalkRobotMessage) => JSON.parse(m.msgParam) as Record<string, string>;

describe('DingTalk robot rendering', () => {
  const cards = everyCard();

  it.each(Object.keys(cards))('renders the %s card (snapshot)', (name) => {
    const out = C.dingtalk.render(cards[name]!);
    expect(C.dingtalk.validate(out)).toEqual([]);
    expect({ msgKey: out.msgKey, msgParam: param(out) }).toMatchSnapshot();
  });

  it('makes a click send the equivalent text command', () => {
    expect(sendMessageUrl('/签收 #123')).toBe('dtmd://dingtalkclient/sendMessage?content=%2F%E7%AD%BE%E6%94%B6%20%23123');
    const p = param(C.dingtalk.render(cards.ticket!));
    expect(p.singleTitle).toBe('签收');
    expect(decodeURIComponent(p.singleURL!.split('content=')[1]!)).toBe('/签收 #123');
  });

  it('picks the action card by the number of buttons and lists the rest as commands', () => {
    const two = C.dingtalk.render(cards.extensionRequest!);
    expect(two.msgKey).toBe('sampleActionCard2');
    expect(param(two)).toMatchObject({ actionTitle1: '同意延期', actionTitle2: '不同意' });

    const ten = C.dingtalk.render(C.ticketCard({ ticket: ticket(), buttons: tenButtons() }));
    expect(ten.msgKey).toBe('sampleActionCard4');
    expect(Object.keys(param(ten)).filter((k) => k.startsWith('actionTitle'))).toHaveLength(4);
    expect(param(ten).text).toContain('更新进度：回复「/进度 更新 #123 80% 进展说明」即可更新进度');
  });

  it('sends a card without buttons as sampleMarkdown', () => {
    const out = C.dingtalk.render(cards.status!);
    expect(out.msgKey).toBe('sampleMarkdown');
    expect(param(out).text).toMatch(/^\*\*办理进度｜任务6（政务服务）\*\*/);
  });

  it('opens the form for buttons that need typed input, when given', () => {
    const out = C.dingtalk.render(cards.review!, { formUrl: 'https://duban.example.gov.cn/forms/review?t=1' });
    expect(param(out)).toMatchObject({ actionTitle1: '通过', actionTitle2: '退回', actionURL2: 'https://duban.example.gov.cn/forms/review?t=1' });
  });

  it('keeps title ≤100 and text ≤500 characters with a 300-character milestone, keeping the commands', () => {
    const long = ticket({ milestone: LONG_MILESTONE.slice(0, 300) });
    const p = param(C.dingtalk.render(C.ticketCard({ ticket: long, buttons: tenButtons(), notice: '退回原因'.repeat(100) })));
    expect(charCount(p.title!)).toBeLessThanOrEqual(100);
    expect(charCount(p.text!)).toBeLessThanOrEqual(500);
    expect(p.text).toContain('退单：回复「/退单 #123 退单原因」即可退单');
    expect(p.text).toMatch(/退回：回复「\/审核 #123 退回 退回原因」即可退回$/);
  });

  it('keeps "等共20件" of a 20-ticket reminder', () => {
    const tickets = Array.from({ length: 20 }, (_, i) => ({ ticket: ticket({ id: i + 1, milestone: LONG_MILESTONE }), buttons: [{ action: 'accept' as const, token: token('accept', i + 1) }] }));
    const p = param(C.dingtalk.render(C.reminderCard({ heading: '督办提醒', tickets })));
    expect(p.text).toContain('等共20件，回复「/我的」查看全部');
  });

  it('keeps text and markdown messages under 15000 bytes of msgParam', () => {
    const text = C.dingtalk.render({ type: 'text', text: '"引号"\\与换行\n'.repeat(3000) });
    expect(text.msgKey).toBe('sampleText');
    expect(utf8Bytes(text.msgParam)).toBeLessThanOrEqual(15_000);
    expect(C.dingtalk.validate(text)).toEqual([]);
    const md = C.dingtalk.render({ type: 'markdown', title: '周报', markdown: '- 省公安厅 🟢\n'.repeat(3000) });
    expect(utf8Bytes(md.msgParam)).toBeLessThanOrEqual(15_000);
  });

  it('sends an image URL as sampleImageMsg and a base64 image as its alt text', () => {
    expect(C.dingtalk.render({ type: 'image', title: '排名', alt: 'a', url: 'https://x/r.png' })).toEqual({ msgKey: 'sampleImageMsg', msgParam: '{"photoURL":"https://x/r.png"}' });
    expect(C.dingtalk.render({ type: 'image', title: '排名', alt: '办结率排名', pngBase64: 'AA==' }).msgKey).toBe('sampleMarkdown');
  });
});

describe('DingTalk interactive card parameters', () => {
  const cards = everyCard();

  it.each(Object.keys(cards))('maps the %s card to string parameters (snapshot)', (name) => {
    const m = cards[name]!;
    if (m.type !== 'card') throw new Error('card expected');
    const map = cardParamMap(m.card);
    expect(C.dingtalk.validateCardParams(map)).toEqual([]);
    expect(map).toMatchSnapshot();
  });

  it('carries each button token as the callback param `action`', () => {
    const m = cards.ticket!;
    if (m.type !== 'card') throw new Error('card expected');
    const buttons = JSON.parse(cardParamMap(m.card).buttons!) as { text: string; action: string; actionId: string }[];
    expect(buttons[0]).toEqual({ text: '签收', action: token('accept'), actionId: 'accept' });
    expect(buttons).toHaveLength(6);
  });

  it('marks a done card', () => {
    const m = C.cardDone(cards.ticket!, '已签收 · 李娜 · 11-29 10:02');
    if (m.type !== 'card') throw new Error('card expected');
    expect(cardParamMap(m.card)).toMatchObject({ done: 'true', doneLine: '✔ 已签收 · 李娜 · 11-29 10:02', buttons: '[]' });
  });

  it('reports values that are not strings', () => {
    expect(C.dingtalk.validateCardParams({ title: 't', count: 3 })).toEqual(['cardParamMap.count: not a string']);
  });
});
