/**
 * Every catalogue card, everyday and under stress (300-character milestones, 20 tickets, 10 buttons,
 * a 2000-byte token, 14 units, long notes), passes each platform's validator in every mode.
 */
import { describe, expect, it } from 'vitest';
import * as C from '../../cards/index.ts';
import { cardParamMap } from '../../cards/render/dingtalk.ts';
import { stressCards } from './fixtures.ts';

const cards = stressCards();
const names = Object.keys(cards);

const wecomModes = [
  { target: 'app' as const },
  { target: 'app' as const, linkUrl: 'https://duban.example.gov.cn/tickets/123' },
  { target: 'app' as const, linkUrl: 'https://duban.example.gov.cn/tickets/123', formUrl: 'https://duban.example.gov.cn/forms/abc' },
  { target: 'webhook' as const },
  { target: 'webhook' as const, linkUrl: 'https://duban.example.gov.cn/tickets/123' },
];

describe('platform limits', () => {
  it.each(names)('%s fits WeCom in every mode', (name) => {
    for (const mode of wecomModes) {
      const out = C.wecom.render(cards[name]!, { taskId: `card:${name}/中文`, ...mode });
      expect(C.wecom.validate(out, mode.target), `${name} ${JSON.stringify(mode)}`).toEqual([]);
    }
  });

  it.each(names)('%s fits DingTalk (robot message and interactive card)', (name) => {
    const m = cards[name]!;
    for (const opts of [{}, { formUrl: 'https://duban.example.gov.cn/forms/abc' }]) {
      expect(C.dingtalk.validate(C.dingtalk.render(m, opts))).toEqual([]);
      if (m.type === 'card') expect(C.dingtalk.validateCardParams(cardParamMap(m.card, opts))).toEqual([]);
    }
  });

  it.each(names)('%s fits the markdown fallback at 2048 and 4096 bytes', (name) => {
    for (const maxBytes of [2048, 4096]) {
      expect(C.markdown.validate(C.markdown.render(cards[name]!, { maxBytes }), { maxBytes })).toEqual([]);
    }
  });

  it('summarizes a 20-ticket reminder on every platform', () => {
    const m = cards.reminder20!;
    const wecom = C.wecom.render(m, { taskId: 'r' });
    expect(JSON.stringify(wecom)).toContain('等共20件');
    expect(C.dingtalk.render(m).msgParam).toContain('等共20件');
    expect(C.markdown.render(m, { maxBytes: 2048 }).markdown).toContain('等共20件');
  });

  it('exposes each renderer\'s limits', () => {
    expect(C.wecom.limits).toMatchObject({ buttons: 6, buttonText: 10, keyBytes: 1024, title: 36, desc: 44, subTitle: 160, horizontal: 6, keyname: 5, value: 30, markdownBytes: { app: 2048, webhook: 4096 } });
    expect(C.dingtalk.limits).toMatchObject({ titleChars: 100, textChars: 500, buttons: 5, msgParamBytes: 15_000 });
    expect(C.markdown.limits.maxBytes).toBe(4096);
  });
});
