import { describe, expect, it } from 'vitest';
import * as C from '../../cards/index.ts';
import { toMarkdown, toPlainText } from '../../cards/render/markdown.ts';
import { utf8Bytes } from '../../cards/render/truncate.ts';
import { everyCard, tenButtons, ticket } from './fixtures.ts';

describe('markdown fallback', () => {
  const cards = everyCard();

  it.each(Object.keys(cards))('renders the %s card (snapshot)', (name) => {
    const out = C.markdown.render(cards[name]!);
    expect(C.markdown.validate(out)).toEqual([]);
    expect(out).toMatchSnapshot();
  });

  it('writes the title, facts as "- 键：值" and buttons as the commands that do the same', () => {
    const m = cards.ticket!;
    if (m.type !== 'card') throw new Error('card expected');
    const { title, markdown } = toMarkdown(m.card);
    expect(title).toBe('督办单 #123 · 任务6');
    expect(markdown).toMatch(/^\*\*督办单 #123 · 任务6\*\*\n🟢 正常 · 剩余 12 个工作日\n\n- 任务：任务6（政务服务）\n/);
    expect(markdown).toContain('- 完成时限：2026-06-30（剩余 12 个工作日）');
    expect(markdown).toContain('可回复以下命令办理：\n- 签收：回复「/签收 #123」即可签收');
  });

  it('links buttons that need typed input to the form when given', () => {
    const m = cards.progressForm!;
    if (m.type !== 'card') throw new Error('card expected');
    expect(toMarkdown(m.card, { formUrl: 'https://duban.example.gov.cn/f/1' }).markdown).toContain('- [提交进度](https://duban.example.gov.cn/f/1)');
  });

  it('folds the repeated actions of a reminder into one line each', () => {
    const m = cards.reminder!;
    if (m.type !== 'card') throw new Error('card expected');
    const text = toPlainText(m.card);
    expect(text.match(/签收 #\d+：/g)).toHaveLength(1);
    expect(text).toContain('签收 #200：回复「/签收 #200」即可签收（其余督办单同理）');
  });

  it('stays within the byte budget and keeps the commands', () => {
    const m = C.ticketCard({ ticket: ticket({ milestone: '很长的节点描述'.repeat(300) }), buttons: tenButtons() });
    if (m.type !== 'card') throw new Error('card expected');
    const { markdown } = toMarkdown(m.card, { maxBytes: 2048 });
    expect(utf8Bytes(markdown)).toBeLessThanOrEqual(2048);
    expect(markdown).toContain('- 退回：回复「/审核 #123 退回 退回原因」即可退回');
    expect(markdown).toMatch(/同意延期：回复「\/延期 #123 同意」即可同意延期$/);
  });

  it('uses the plain text as every card\'s fallbackText', () => {
    for (const m of Object.values(cards)) {
      if (m.type !== 'card') continue;
      expect(m.fallbackText).toBe(toPlainText(m.card));
      expect(m.fallbackText).not.toMatch(/\*\*/);
    }
  });
});
