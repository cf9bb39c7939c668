import { describe, expect, it } from 'vitest';
import { nearestCommand, parseCommand } from '../../../domain/commands/index.ts';
import { editDistance } from '../../../domain/commands/lexicon.ts';

const today = '2026-06-15';

function unknown(text: string, role?: 'UNIT_OFFICER' | 'BUREAU_STAFF') {
  const r = parseCommand(text, { today, role });
  if (r === null || r.ok) throw new Error(`expected ${text} to be an unknown command`);
  expect(r.error.code).toBe('COMMAND_UNKNOWN');
  return r.error;
}

describe('did you mean', () => {
  it.each([
    ['/督ban 任务6', '督办', '/督办 任务编号|#督办单编号'],
    ['/du办', '督办', '/督办'],
    ['/督半 任务6', '督办', '/督办'],
    ['/stauts', '进度', '/进度 [任务编号|单位名称|#督办单编号]'],
    ['/sttaus 任务6', '进度', '/进度'],
    ['/reveiw #123 通过', '审核', '/审核 #督办单编号 通过 [意见]'],
    ['/审和 #123 通过', '审核', '/审核'],
    ['/asign 任务6', '督办', '/督办'],
    ['/hlep', '帮助', '/帮助 [命令]'],
    ['/exprot', '导出', '/导出'],
    ['/签shou #1', '签收', '/签收 #督办单编号'],
    ['/yanq', '延期', '/延期'],
    ['/通抱', '通报', '/通报'],
  ])('%s → /%s', (text, suggestion, usage) => {
    const error = unknown(text);
    expect(error.suggestion).toBe(suggestion);
    expect(error.message).toContain(`您是不是要输入 /${suggestion}？`);
    expect(error.message).toContain(usage);
    expect(error.messageEn).toContain(`did you mean /${suggestion}`);
  });

  it.each(['/xyz', '/天气', '/hello world', '/abcdefghijklmnopqrstuvwxyz'])('%s → no suggestion, points to /帮助', (text) => {
    const error = unknown(text);
    expect(error.suggestion).toBeUndefined();
    expect(error.message).toContain('发送 /帮助 查看可用命令');
  });

  it('quotes what the user typed', () => {
    expect(unknown('/督ban 任务6').message).toMatch(/^没有“\/督ban”这个命令/);
  });

  it('shows only the usage lines the role may use', () => {
    const officer = unknown('/stauts', 'UNIT_OFFICER');
    expect(officer.message).toContain('/进度 更新');
    const staff = unknown('/stauts', 'BUREAU_STAFF');
    expect(staff.message).not.toContain('/进度 更新');
  });

  it('does not suggest a command the role may not use', () => {
    expect(nearestCommand('审和', (c) => c.name !== '审核')).toBeNull();
    expect(unknown('/审和 #1 通过', 'UNIT_OFFICER').suggestion).toBeUndefined();
  });
});

describe('editDistance', () => {
  it.each([
    ['status', 'status', 0],
    ['stauts', 'status', 1],
    ['statu', 'status', 1],
    ['督ban', '督办', 3],
    ['', 'abc', 3],
    ['审和', '审核', 1],
    ['ca', 'abc', 3],
  ])('%s ↔ %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});
