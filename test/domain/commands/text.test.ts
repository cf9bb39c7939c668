import { describe, expect, it } from 'vitest';
import { normalizeText, parseNumeral, stripLeadingMentions, stripMentions } from '../../../domain/commands/text.ts';

describe('normalizeText', () => {
  it('turns full-width digits, letters and signs into ASCII but keeps Chinese punctuation', () => {
    expect(normalizeText('／进度　更新　＃１２３　８０％，已报送（见附件）')).toBe('/进度 更新 #123 80%，已报送（见附件）');
    expect(normalizeText('ＳＴＡＴＵＳ ２０２６－１２－３１')).toBe('STATUS 2026-12-31');
  });

  it('turns odd spaces into spaces and drops invisible characters', () => {
    expect(normalizeText('@督办助手\u2005任务6\u00a0进度\u200b80%')).toBe('@督办助手 任务6 进度80%');
  });

  it('keeps the length of visible text (one character for one)', () => {
    const text = '任务６　进度８０％，已报送';
    expect(normalizeText(text)).toHaveLength(text.length);
  });
});

describe('mentions', () => {
  it('strips leading mentions before a command', () => {
    expect(stripLeadingMentions('@督办助手 @张三 /签收 #1')).toBe('/签收 #1');
    expect(stripLeadingMentions('@督办助手/签收 #1')).toBe('/签收 #1');
  });

  it('strips mentions anywhere in a reply', () => {
    expect(stripMentions('任务6 进度80% @督办助手')).toBe('任务6 进度80% ');
    expect(stripMentions('@督办助手 任务6')).toBe(' 任务6');
    expect(stripMentions('邮箱 a@b.com 已发')).toBe('邮箱 a@b.com 已发');
  });
});

describe('parseNumeral', () => {
  it.each([
    ['80', 80],
    ['一', 1],
    ['十', 10],
    ['十五', 15],
    ['二十', 20],
    ['二十五', 25],
    ['九十九', 99],
    ['一百', 100],
    ['百', 100],
    ['一百零五', 105],
    ['一百二十', 120],
    ['两百', 200],
    ['零', 0],
    ['〇', 0],
  ])('%s → %i', (text, n) => {
    expect(parseNumeral(text)).toBe(n);
  });

  it.each(['', 'abc', '一二三', '十十', '百百', '八十八八', '-1', '1.5'])('%j → null', (text) => {
    expect(parseNumeral(text)).toBeNull();
  });
});
