import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../domain/errors.ts';
import { parsePlan } from '../../../domain/plan/parse.ts';
import { seedText } from './fixtures.ts';

function errorOf(input: Uint8Array | string): DomainError {
  try {
    parsePlan(input);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('parsePlan did not throw');
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const concat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const out: number[] = [];
  for (const p of parts) out.push(...p);
  return new Uint8Array(out);
};
/** "中文" in GBK. */
const GBK_ZHONGWEN = [0xd6, 0xd0, 0xce, 0xc4];

describe('parsePlan — bad input', () => {
  it.each([
    ['empty string', ''],
    ['empty bytes', new Uint8Array(0)],
    ['whitespace only', ' \n\n\t\n'],
    ['BOM only', concat([0xef, 0xbb, 0xbf])],
  ])('PLAN_EMPTY: %s', (_n, input) => {
    const e = errorOf(input);
    expect(e.code).toBe('PLAN_EMPTY');
    expect(e.message).toMatch(/为空/);
    expect(e.messageEn).toMatch(/empty/);
  });

  it.each([
    ['NUL bytes (PNG header)', concat([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 'NUL'],
    ['NUL character in a string', `${seedText()}\u0000`, 'NUL'],
    ['mostly control bytes', concat(Array.from({ length: 200 }, (_, i) => (i % 8) + 1)), 'control'],
  ])('PLAN_BINARY: %s', (_n, input, reason) => {
    const e = errorOf(input);
    expect(e.code).toBe('PLAN_BINARY');
    expect(e.message).toMatch(/二进制/);
    expect(e.messageEn).toContain(reason);
  });

  it('PLAN_ENCODING: GBK bytes, naming the first bad line', () => {
    const e = errorOf(concat(utf8('湖南省数据局\n关于印发的通知\n'), GBK_ZHONGWEN, utf8('\n后续\n')));
    expect(e.code).toBe('PLAN_ENCODING');
    expect(e.message).toContain('UTF-8');
    expect(e.message).toContain('第 3 行');
    expect(e.details).toEqual({ line: 3 });
  });

  it('PLAN_ENCODING: whole document in GBK-like bytes fails on line 1', () => {
    expect(errorOf(concat(GBK_ZHONGWEN, utf8('\n'))).details).toEqual({ line: 1 });
  });

  it('PLAN_ENCODING: a GBK line inside the seed document', () => {
    const [head = '', ...tail] = seedText().split('\n2026年6月18日\n');
    const bytes = concat(utf8(`${head}\n`), GBK_ZHONGWEN, utf8(`\n${tail.join('')}`));
    const line = head.split('\n').length + 1;
    const e = errorOf(bytes);
    expect(e.code).toBe('PLAN_ENCODING');
    expect(e.details).toEqual({ line });
  });

  it('PLAN_ENCODING: a string that was decoded lossily (U+FFFD)', () => {
    const e = errorOf('第一行\n第二行\n\uFFFD\uFFFD\n');
    expect(e.code).toBe('PLAN_ENCODING');
    expect(e.details).toEqual({ line: 3 });
  });

  it.each([
    ['plain prose', '这是一封普通的信。\n祝好！\n'],
    ['a table that is not a task table', '附件1\n关停计划表\n\t序号\n\t应用名称\n\n\t1\n\tXX应用\n'],
    [
      'the seed without 附件2',
      seedText().replace(/附件2\n[\s\S]*?(?=附件3\n)/, ''),
    ],
    ['a task table header without rows', '附件2\n重点任务分解表\n\t序号\n\t工作任务\n\t具体内容\n\t完成时间\n\t责任单位\n\n'],
  ])('PLAN_NO_TASK_TABLE: %s', (_n, input) => {
    const e = errorOf(input);
    expect(e.code).toBe('PLAN_NO_TASK_TABLE');
    expect(e.message).toContain('重点任务分解表');
  });

  it('PLAN_BAD_ROW: a task without a parsable completion date, naming line and row', () => {
    const text = seedText().replace('\t2026年10月\n\t省数据局', '\t尽快\n\t省数据局');
    const line = text.split('\n').indexOf('\t14') + 1;
    const e = errorOf(text);
    expect(e.code).toBe('PLAN_BAD_ROW');
    expect(e.details?.['line']).toBe(line);
    expect(e.message).toContain(`第 ${line} 行`);
    expect(e.message).toContain('完成时间');
    expect(e.message).toContain('14 | 提升AI服务能力 | 完成全省统一政务大模型');
    expect(e.messageEn).toContain('尽快');
  });

  it('PLAN_BAD_ROW: an empty completion cell', () => {
    const text = seedText().replace('\t2026年9月\n\t湖南日报社', '\t\n\t湖南日报社');
    const e = errorOf(text);
    expect(e.code).toBe('PLAN_BAD_ROW');
    expect(e.details?.['line']).toBe(text.split('\n').indexOf('\t28') + 1);
  });

  it('PLAN_BAD_ROW: a duplicate sequence number', () => {
    const e = errorOf(seedText().replace('\t24\n', '\t23\n'));
    expect(e.code).toBe('PLAN_BAD_ROW');
    expect(e.message).toMatch(/重复/);
  });
});
