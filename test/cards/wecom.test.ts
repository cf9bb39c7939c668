import { describe, expect, it } from 'vitest';
import * as C from '../../cards/index.ts';
import { wecomMarkdown, wecomTaskId, type WecomMessage, type WecomTemplateCard } from '../../cards/render/wecom.ts';
import { utf8Bytes } from '../../cards/render/truncate.ts';
import { everyCard, officerButtons, tenButtons, ticket, token } from './fixtures.ts';

const opts = { taskId: 'outbox-42', linkUrl: 'https://duban.example.gov.cn/tickets/123' };

function tc(m: WecomMessage): WecomTemplateCard {
  if (m.msgtype !== 'template_card') throw new Error(`expected a template card, got ${m.msgtype}`);
  return m.template_card;
}

describe('WeCom template_card rendering', () => {
  const cards = everyCard();

  it.each(Object.keys(cards))('renders the %s card (snapshot)', (name) => {
    const out = C.wecom.render(cards[name]!, opts);
    expect(C.wecom.validate(out)).toEqual([]);
    expect(out).toMatchSnapshot();
  });

  it('turns Submit buttons into button_interaction with the token as key', () => {
    const c = tc(C.wecom.render(cards.ticket!, opts));
    expect(c.card_type).toBe('button_interaction');
    expect(c.button_list?.map((b) => b.text)).toEqual(['签收', '更新进度', '提交佐证', '申请延期', '反馈困难', '退单']);
    expect(c.button_list?.[0]).toEqual({ type: 0, text: '签收', style: 1, key: token('accept') });
    expect(c.task_id).toBe('outbox-42');
  });

  it('shows six of ten buttons and says how to do the rest by text', () => {
    const c = tc(C.wecom.render(C.ticketCard({ ticket: ticket(), buttons: tenButtons() }), opts));
    expect(c.button_list).toHaveLength(6);
    expect(c.sub_title_text).toMatch(/通过：回复「\/审核 #123 通过」/);
  });

  it('puts short facts in horizontal_content_list and long ones in sub_title_text', () => {
    const c = tc(C.wecom.render(cards.ticket!, opts));
    expect(c.horizontal_content_list?.map((h) => h.keyname)).toEqual(['任务', '完成时限', '责任单位', '状态', '经办人']);
    expect(c.sub_title_text).toContain('工作节点：2026年6月底前');
  });

  it('uses text_notice with the card link when there is nothing to click', () => {
    const c = tc(C.wecom.render(cards.evidenceReceipt!, opts));
    expect(c.card_type).toBe('text_notice');
    expect(c.card_action).toEqual({ type: 1, url: opts.linkUrl });
    expect(c.button_list).toBeUndefined();
  });

  it('falls back to markdown when a text_notice would have no link', () => {
    const out = C.wecom.render(cards.evidenceReceipt!, { taskId: 'x' });
    expect(out.msgtype).toBe('markdown');
    expect(out.msgtype === 'markdown' && out.markdown.content).toContain('佐证材料已归档');
  });

  describe('forms (inputs cannot be typed into a template card)', () => {
    it('opens the console form when a form URL is given', () => {
      const c = tc(C.wecom.render(cards.progressForm!, { ...opts, formUrl: 'https://duban.example.gov.cn/forms/progress?t=abc' }));
      expect(c.button_list).toEqual([{ type: 1, text: '提交进度', style: 1, url: 'https://duban.example.gov.cn/forms/progress?t=abc' }]);
    });

    it('tells how to answer by text otherwise', () => {
      const c = tc(C.wecom.render(cards.progressForm!, opts));
      expect(c.card_type).toBe('text_notice');
      expect(c.sub_title_text).toMatch(/回复「\/进度 更新 #123 80% 进展说明」即可更新进度$/);
    });

    it('keeps 通过 clickable and explains 退回 (which needs a reason)', () => {
      const c = tc(C.wecom.render(cards.review!, opts));
      expect(c.button_list?.map((b) => b.text)).toEqual(['通过']);
      expect(c.sub_title_text).toMatch(/退回：回复「\/审核 #123 退回 退回原因」即可退回$/);
    });

    it('offers the units of 改派 as button_selection', () => {
      const c = tc(C.wecom.render(cards.disclaimRequest!, opts));
      expect(c.button_selection?.question_key).toBe('unit');
      expect(c.button_selection?.option_list.map((o) => o.id)).toEqual(['p-renshe', 'p-minzheng', 'c-changsha']);
      expect(c.button_list?.map((b) => b.text)).toEqual(['改派', '维持原单位']);
    });

    it('explains 改派 by text when there are more than ten units', () => {
      const units = Array.from({ length: 14 }, (_, i) => ({ code: `c-${i}`, name: `第${i}市` }));
      const c = tc(C.wecom.render(C.disclaimRequestCard({ ticket: ticket(), requester: '李娜', units, reassignToken: 'r', confirmToken: 'c' }), opts));
      expect(c.button_selection).toBeUndefined();
      expect(c.button_list?.map((b) => b.text)).toEqual(['维持原单位']);
      expect(c.sub_title_text).toContain('改派：');
    });
  });

  it('never cuts a token: a key over 1024 bytes becomes a text hint', () => {
    const m = C.reviewCard({ ticket: ticket(), submitter: '李娜', approveToken: 'x'.repeat(1025), returnToken: 'r' });
    const c = tc(C.wecom.render(m, opts));
    expect(c.card_type).toBe('text_notice');
    expect(c.sub_title_text).toContain('通过：回复「/审核 #123 通过」');
  });

  it('sends no callback buttons to a group robot', () => {
    const c = tc(C.wecom.render(cards.ticket!, { ...opts, target: 'webhook' }));
    expect(c.card_type).toBe('text_notice');
    expect(c.sub_title_text).toContain('签收：回复「/签收 #123」即可签收');
    expect(C.wecom.validate({ msgtype: 'template_card', template_card: c }, 'webhook')).toEqual([]);
  });

  it('keeps "等共20件" of a long reminder', () => {
    const tickets = Array.from({ length: 20 }, (_, i) => ({ ticket: ticket({ id: i + 1 }), buttons: officerButtons(i + 1).slice(0, 2) }));
    const c = tc(C.wecom.render(C.reminderCard({ heading: '督办提醒', tickets }), opts));
    expect(c.sub_title_text).toMatch(/等共20件，回复「\/我的」查看全部$/);
    expect(c.button_list).toHaveLength(6);
  });
});

describe('task_id', () => {
  it('keeps a valid id as it is', () => {
    expect(wecomTaskId('outbox-42_a@b')).toBe('outbox-42_a@b');
  });

  it('sanitizes other ids and keeps different ids different', () => {
    expect(wecomTaskId('督办:123/签收')).toMatchInlineSnapshot(`"___123___-7e7db7c3"`);
    expect(wecomTaskId('甲')).not.toBe(wecomTaskId('乙'));
    expect(wecomTaskId('')).toMatch(/^-[0-9a-f]{8}$/);
  });

  it('is at most 128 bytes and always matches the documented pattern', () => {
    for (const id of ['a'.repeat(129), '中'.repeat(200), 'x y', '', 'a'.repeat(128), '🟢'.repeat(70)]) {
      const t = wecomTaskId(id);
      expect(t).toMatch(/^[A-Za-z0-9_\-@]{1,128}$/);
    }
    expect(wecomTaskId('a'.repeat(129))).toHaveLength(128);
  });
});

describe('wecomMarkdown', () => {
  it('caps app markdown at 2048 bytes and robot markdown at 4096, on a character boundary', () => {
    const md = { type: 'markdown' as const, title: '周报', markdown: '湘易办🟢'.repeat(1000) };
    const app = wecomMarkdown(md, 'app');
    const robot = wecomMarkdown(md, 'webhook');
    if (app.msgtype !== 'markdown' || robot.msgtype !== 'markdown') throw new Error('markdown expected');
    expect(utf8Bytes(app.markdown.content)).toBeLessThanOrEqual(2048);
    expect(utf8Bytes(robot.markdown.content)).toBeLessThanOrEqual(4096);
    expect(utf8Bytes(robot.markdown.content)).toBeGreaterThan(2048);
    expect(app.markdown.content).toMatch(/^\*\*周报\*\*\n\n湘易办/);
    expect(app.markdown.content.endsWith('…')).toBe(true);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(app.markdown.content))).toBe(app.markdown.content);
  });

  it('sends text as text, capped at 2048 bytes', () => {
    const out = wecomMarkdown({ type: 'text', text: '已签收。'.repeat(500) });
    expect(out.msgtype).toBe('text');
    expect(out.msgtype === 'text' && utf8Bytes(out.text.content)).toBeLessThanOrEqual(2048);
  });

  it('links an image by URL, or shows its alt text', () => {
    expect(wecomMarkdown({ type: 'image', title: '排名', alt: '办结率排名', url: 'https://x/r.png' })).toEqual({ msgtype: 'markdown', markdown: { content: '**排名**\n\n[办结率排名](https://x/r.png)' } });
    expect(wecomMarkdown({ type: 'image', title: '排名', alt: '办结率排名', pngBase64: 'AA==' })).toEqual({ msgtype: 'markdown', markdown: { content: '**排名**\n\n办结率排名' } });
  });
});

describe('WeCom validate', () => {
  it('reports each broken limit', () => {
    const bad: WecomMessage = {
      msgtype: 'template_card',
      template_card: {
        card_type: 'button_interaction',
        source: { desc: '督办助手', desc_color: 0 },
        main_title: { title: '标'.repeat(37) },
        horizontal_content_list: Array.from({ length: 7 }, () => ({ type: 0 as const, keyname: '完成时限说明', value: 'v' })),
        button_list: Array.from({ length: 7 }, (_, i) => ({ type: 0 as const, text: '按钮文字超过十个字符了吧', style: 1, key: i ? 'k' : 'x'.repeat(1025) })),
        task_id: 'bad id',
      },
    };
    const problems = C.wecom.validate(bad);
    expect(problems).toEqual(expect.arrayContaining([
      'main_title.title: 37 chars > 36',
      'horizontal_content_list: 7 > 6',
      'horizontal[0].keyname: 6 chars > 5',
      'button_list: 7 buttons, 1–6 allowed',
      'button[0].text: 12 chars > 10',
      'button[0].key: 1025 bytes > 1024',
      'button[2]: duplicate key',
      'task_id: "bad id" does not match /^[A-Za-z0-9_\\-@]{1,128}$/',
    ]));
  });

  it('requires card_action on text_notice', () => {
    expect(C.wecom.validate({ msgtype: 'template_card', template_card: { card_type: 'text_notice', source: { desc: 'x', desc_color: 0 }, main_title: { title: 't' } } })).toEqual(['text_notice: card_action is required']);
  });
});
