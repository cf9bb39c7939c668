import { describe, expect, it } from 'vitest';
import * as C from '../../cards/index.ts';
import type { AcAction, AcElement, AdaptiveCard, OutMessage } from '../../cards/index.ts';
import { everyCard, LONG_MILESTONE, officerButtons, ticket, token } from './fixtures.ts';

function cardOf(m: OutMessage): AdaptiveCard {
  if (m.type !== 'card') throw new Error(`not a card: ${m.type}`);
  return m.card;
}

/** Every action of a card, nested ActionSets included. */
function actionsOf(card: AdaptiveCard): AcAction[] {
  const out: AcAction[] = [...(card.actions ?? [])];
  const visit = (els: AcElement[]) => {
    for (const el of els) {
      if (el.type === 'ActionSet') out.push(...(el.actions as AcAction[]));
      if (el.type === 'Container') visit(el.items as AcElement[]);
    }
  };
  visit(card.body);
  return out;
}

const inputsOf = (card: AdaptiveCard) => JSON.stringify(card.body).match(/"type":"Input\.\w+"/g) ?? [];

describe('the card catalogue', () => {
  const cards = everyCard();

  it.each(Object.keys(cards))('expands the %s card (snapshot)', (name) => {
    const m = cards[name]!;
    expect(m.type).toBe('card');
    expect(m).toMatchSnapshot();
  });

  it.each(Object.keys(cards))('binds every expression of the %s card', (name) => {
    expect(JSON.stringify(cards[name])).not.toContain('${');
    expect(cardOf(cards[name]!).version).toBe('1.5');
  });

  it('puts the caller-signed token and a known action id on every button', () => {
    const ids = new Set<string>(Object.values(C.ACTIONS));
    for (const m of Object.values(cards)) {
      for (const a of actionsOf(cardOf(m))) {
        expect(a.type).toBe('Action.Submit');
        if (a.type !== 'Action.Submit') continue;
        expect(ids.has(a.data.action)).toBe(true);
        expect(a.data.token).toBe(token(a.data.action, Number(/#(\d+)/.exec(a.data.hint)?.[1] ?? 123)));
      }
    }
  });

  it('shows the ticket card with the buttons the caller allows, in order', () => {
    const m = C.ticketCard({ ticket: ticket(), buttons: [{ action: 'progress', token: 'p' }, { action: 'accept', token: 'a' }] });
    expect(actionsOf(cardOf(m)).map((a) => a.title)).toEqual(['更新进度', '签收']);
    expect(m.type === 'card' && m.fallbackText).toMatch(/督办单 #123 · 任务6/);
  });

  it('shows the due date with working days left and the traffic light', () => {
    const red = C.ticketCard({ ticket: ticket({ light: 'RED', workdaysLeft: -3 }), buttons: [] });
    expect(JSON.stringify(red)).toContain('🔴 逾期 · 已逾期 3 个工作日');
    const today = C.ticketCard({ ticket: ticket({ light: 'YELLOW', workdaysLeft: 0 }), buttons: [] });
    expect(JSON.stringify(today)).toContain('🟡 临期 · 今日到期');
  });

  it('sends one reminder card for 20 tickets: the first five and "等共20件"', () => {
    const tickets = Array.from({ length: 20 }, (_, i) => ({ ticket: ticket({ id: i + 1 }), buttons: [{ action: 'accept' as const, token: `t${i}` }] }));
    const card = cardOf(C.reminderCard({ heading: '督办提醒', tickets }));
    const text = JSON.stringify(card);
    expect(card.body.filter((e) => e.type === 'Container')).toHaveLength(C.REMINDER_MAX_ITEMS);
    expect(text).toContain('等共20件');
    expect(actionsOf(card).map((a) => a.title)).toEqual(['签收 #1', '签收 #2', '签收 #3', '签收 #4', '签收 #5']);
  });

  it('asks for the return reason only when 退回 is clicked', () => {
    const card = cardOf(cards.review!);
    const [approve, ret] = actionsOf(card);
    expect(approve).toMatchObject({ title: '通过', associatedInputs: 'none' });
    expect(ret).toMatchObject({ title: '退回', associatedInputs: 'auto' });
    expect(card.body.find((e) => e.id === 'reason')).toMatchObject({ type: 'Input.Text', isRequired: true });
  });

  it('offers 改派 only when there are units to choose from', () => {
    const none = cardOf(C.disclaimRequestCard({ ticket: ticket(), requester: '李娜', reason: '非本单位职责', units: [], reassignToken: 'r', confirmToken: 'c' }));
    expect(actionsOf(none).map((a) => a.title)).toEqual(['维持原单位']);
    expect(inputsOf(none)).toEqual(['"type":"Input.Text"']);
  });

  it('lets the chooser button carry the reported percent and note as strings', () => {
    const [first] = actionsOf(cardOf(everyCard().chooser!));
    expect(first?.type === 'Action.Submit' && first.data).toMatchObject({ action: 'chooseTicket', percent: '50', note: '已梳理应用清单', command: '/进度 更新 #123 50% 已梳理应用清单' });
    const plain = actionsOf(cardOf(C.chooserCard({ tickets: [{ ticket: ticket(), token: 't' }] })))[0];
    expect(plain?.type === 'Action.Submit' && plain.data).not.toHaveProperty('percent');
  });

  it('shows user text containing ${…} as typed', () => {
    const m = C.ticketCard({ ticket: ticket({ milestone: '完成 ${evil} 与 ${count(x)}' }), buttons: [] });
    expect(JSON.stringify(m)).toContain('完成 ${evil} 与 ${count(x)}');
  });

  it('lists the help commands passed in', () => {
    const m = cards.help!;
    expect(m.type === 'card' && m.fallbackText).toContain('/签收 #督办单编号 — 签收督办单，开始办理');
  });

  it('renders a status card with counts by state and the overdue list', () => {
    const m = cards.status!;
    expect(m.type === 'card' && m.fallbackText).toMatch(/办理进度｜任务6（政务服务）[\s\S]*- 办理中：30 件[\s\S]*逾期事项[\s\S]*🔴 #9 省公安厅/);
  });

  it('keeps a 300-character milestone whole in the Adaptive Card (renderers shorten it)', () => {
    const m = C.ticketCard({ ticket: ticket({ milestone: LONG_MILESTONE }), buttons: officerButtons() });
    expect(JSON.stringify(m)).toContain(LONG_MILESTONE);
  });
});

describe('cardDone', () => {
  it('removes buttons and inputs and says what happened', () => {
    const done = C.cardDone(everyCard().review!, '已退回 · 王强 · 11-29 10:02');
    const card = cardOf(done);
    expect(actionsOf(card)).toEqual([]);
    expect(inputsOf(card)).toEqual([]);
    expect(card.body.at(-1)).toMatchObject({ id: 'done', text: '✔ 已退回 · 王强 · 11-29 10:02' });
    expect(done.type === 'card' && done.fallbackText).toContain('✔ 已退回 · 王强 · 11-29 10:02');
    expect(done).toMatchSnapshot();
  });

  it('removes the buttons of every ticket on a reminder', () => {
    const card = cardOf(C.cardDone(everyCard().reminder!, '已处理'));
    expect(actionsOf(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('#200');
  });

  it('replaces an earlier done line instead of stacking them', () => {
    const once = C.cardDone(C.ticketCard({ ticket: ticket(), buttons: officerButtons() }), '已签收 · 李娜 · 11-29 10:02');
    const twice = cardOf(C.cardDone(once, '已更新进度至 50% · 李娜 · 11-29 11:00'));
    expect(twice.body.filter((e) => e.id === 'done')).toHaveLength(1);
  });

  it('is what ticketCard renders with a doneLine', () => {
    const direct = C.ticketCard({ ticket: ticket(), buttons: officerButtons(), doneLine: '已签收 · 李娜 · 11-29 10:02' });
    expect(direct).toEqual(C.cardDone(C.ticketCard({ ticket: ticket(), buttons: officerButtons() }), '已签收 · 李娜 · 11-29 10:02'));
  });

  it('appends the line to text and markdown messages', () => {
    expect(C.cardDone({ type: 'text', text: '督办单 #1' }, '已签收')).toEqual({ type: 'text', text: '督办单 #1\n✔ 已签收' });
    expect(C.cardDone({ type: 'markdown', title: 't', markdown: 'm' }, '已签收')).toEqual({ type: 'markdown', title: 't', markdown: 'm\n\n**✔ 已签收**' });
  });

  it('does not change the card it was given', () => {
    const m = C.ticketCard({ ticket: ticket(), buttons: officerButtons() });
    const before = JSON.stringify(m);
    C.cardDone(m, '已签收');
    expect(JSON.stringify(m)).toBe(before);
  });
});
