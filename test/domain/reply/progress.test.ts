import { describe, expect, it } from 'vitest';
import { type ReplyCandidate, type ReplyParse, parseProgressReply } from '../../../domain/reply/index.ts';

const today = '2026-06-15';
const T6: ReplyCandidate = { ticketId: 101, taskSeq: 6, status: 'IN_PROGRESS' };
const T7: ReplyCandidate = { ticketId: 102, taskSeq: 7, status: 'ASSIGNED' };
const T9: ReplyCandidate = { ticketId: 123, taskSeq: 9, status: 'RETURNED' };
/** Task 12 has two tickets for this unit (two milestones). */
const T12A: ReplyCandidate = { ticketId: 201, taskSeq: 12, status: 'IN_PROGRESS' };
const T12B: ReplyCandidate = { ticketId: 202, taskSeq: 12, status: 'ASSIGNED' };
const PROBLEM: ReplyCandidate = { ticketId: 301, taskSeq: null, status: 'IN_PROGRESS' };

const several = [T6, T7, T9, T12A, T12B, PROBLEM];
const parse = (text: string, candidates: readonly ReplyCandidate[] = several) => parseProgressReply(text, { today, candidates });
const progress = (ticketId: number, percent: number, note = ''): ReplyParse => ({ kind: 'progress', ticketId, percent, note });

describe('parseProgressReply: an officer reports progress', () => {
  it.each<[string, ReplyParse]>([
    ['任务6 进度80% 已完成上线计划表报送', progress(101, 80, '已完成上线计划表报送')],
    ['@督办助手 任务６　进度８０％，已报送', progress(101, 80, '已报送')],
    ['@督办助手\u2005任务6 进度80%', progress(101, 80)],
    ['第7项完成了百分之六十，方案已上报', progress(102, 60, '方案已上报')],
    ['6号任务已完成', progress(101, 100)],
    ['#123 进度 45%', progress(123, 45)],
    ['＃１２３ 进度４５％', progress(123, 45)],
    ['督办单123 进度90%，等待验收', progress(123, 90, '等待验收')],
    ['123号督办单已办结', progress(123, 100)],
    ['任务6完成了一半', progress(101, 50)],
    ['任务6 八成', progress(101, 80)],
    ['任务6 百分之八十', progress(101, 80)],
    ['任务六已完成，材料已报送', progress(101, 100, '材料已报送')],
    ['第六项 九成，剩余接口联调', progress(101, 90, '剩余接口联调')],
    ['任务6的进度是80%，已报送省数据局', progress(101, 80, '已报送省数据局')],
    ['任务6：目前进度为75%。已完成系统改造，正在测试', progress(101, 75, '已完成系统改造，正在测试')],
    ['任务6 进度八十', progress(101, 80)],
    ['任务6 进度：百分之二十五', progress(101, 25)],
    ['任务6 进度 45.5%', progress(101, 46)],
    ['任务6 已达到95%', progress(101, 95)],
    ['任务6 百分之百', progress(101, 100)],
    ['任务6 已按时完成上线', progress(101, 100, '已按时完成上线')],
    ['任务6 完成', progress(101, 100)],
    ['任务6 尚未完成，进度30%', progress(101, 30, '尚未完成')],
    ['任务6进度由60%提升到80%', progress(101, 80, '进度由60%提升到')],
    ['任务6 已完成80%，剩余部分本月底前完成', progress(101, 80, '剩余部分本月底前完成')],
    ['任务6 完成百分之十五', progress(101, 15)],
    ['任务6 进度0%，尚未启动', progress(101, 0, '尚未启动')],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('parseProgressReply: which ticket — never a guess', () => {
  it('takes the only open ticket when no reference is given', () => {
    expect(parse('进度50%', [T6])).toEqual(progress(101, 50));
    expect(parse('已完成，佐证材料稍后上传', [T6])).toEqual(progress(101, 100, '佐证材料稍后上传'));
  });

  it('asks when no reference is given and there are several open tickets', () => {
    expect(parse('进度50%', [T6, T7])).toEqual({ kind: 'ambiguous', candidates: [101, 102], percent: 50, note: '' });
  });

  it('asks when the task has several open tickets', () => {
    expect(parse('任务12 进度60%')).toEqual({ kind: 'ambiguous', candidates: [201, 202], percent: 60, note: '' });
  });

  it('asks when the reply names several tasks', () => {
    expect(parse('任务6、任务7 进度80%')).toEqual({ kind: 'ambiguous', candidates: [101, 102], percent: 80, note: '' });
  });

  it('reports a task the sender has no open ticket for', () => {
    expect(parse('任务30 进度10%')).toEqual({ kind: 'unknown-ref', ref: { kind: 'task', seq: 30 }, percent: 10, note: '' });
  });

  it('reports a ticket that is not the sender’s', () => {
    expect(parse('#999 进度10%', [T6])).toEqual({ kind: 'unknown-ref', ref: { kind: 'ticket', id: 999 }, percent: 10, note: '' });
  });

  it('does not use a DONE ticket', () => {
    const done: ReplyCandidate = { ticketId: 400, taskSeq: 8, status: 'DONE' };
    expect(parse('任务8 进度10%', [T6, done])).toMatchObject({ kind: 'unknown-ref' });
    expect(parse('进度10%', [T6, done])).toEqual(progress(101, 10));
  });

  it('says so when the sender has no open ticket', () => {
    expect(parse('进度50%', [])).toEqual({ kind: 'no-open-tickets', percent: 50, note: '' });
  });
});

describe('parseProgressReply: not a progress report', () => {
  it.each([
    '收到，谢谢',
    '好的',
    '收到，尽快完成',
    '好的，下午完成',
    '任务6 还没完成',
    '任务6 尚未完成',
    '任务一定完成',
    '任务6 进度一般',
    '请问任务6的完成时限是哪天？',
    '任务6 材料已报送',
    '6月30日前完成',
    '任务6 已基本完成',
    '',
  ])('%j', (text) => {
    expect(parse(text)).toEqual({ kind: 'not-progress' });
  });
});

describe('parseProgressReply: a percent that cannot be right', () => {
  it.each(['进度120%', '任务6 百分之一百二十', '任务6 进度 150'])('%s', (text) => {
    const r = parse(text);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.message).toMatch(/^进度不能超过 100%（收到 1[25]0%）/);
  });
});
