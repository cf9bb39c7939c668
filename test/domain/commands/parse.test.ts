import { describe, expect, it } from 'vitest';
import {
  CommandError,
  type ParsedCommand,
  parseCommand,
  type TaskRef,
  type TicketRef,
  type UnitRef,
} from '../../../domain/commands/index.ts';

const today = '2026-06-15';

function parsed(text: string, role?: Parameters<typeof parseCommand>[1]['role']): ParsedCommand {
  const r = parseCommand(text, { today, role });
  if (!r?.ok) throw new Error(`expected ${text} to parse, got ${r ? r.error.message : 'null'}`);
  return r.command;
}

function failed(text: string, role?: Parameters<typeof parseCommand>[1]['role']): CommandError {
  const r = parseCommand(text, { today, role });
  if (r === null || r.ok) throw new Error(`expected ${text} to fail, got ${JSON.stringify(r)}`);
  return r.error;
}

const task = (seq: number): TaskRef => ({ kind: 'task', seq });
const ticket = (id: number): TicketRef => ({ kind: 'ticket', id });
const unit = (text: string): UnitRef => ({ kind: 'unit', text });

describe('parseCommand: each command, happy path', () => {
  it.each<[string, ParsedCommand]>([
    ['/督办 任务6', { name: '督办', target: task(6) }],
    ['/督办 6', { name: '督办', target: task(6) }],
    ['/督办 #123', { name: '督办', target: ticket(123) }],
    ['/assign 第6项', { name: '督办', target: task(6) }],
    ['/催办 #123', { name: '催办', target: ticket(123), note: null }],
    ['/催办 任务6', { name: '催办', target: task(6), note: null }],
    ['/催办 省公安厅', { name: '催办', target: unit('省公安厅'), note: null }],
    ['/chase 长沙市 请于本周五前报送进展', { name: '催办', target: unit('长沙市'), note: '请于本周五前报送进展' }],
    ['/进度', { name: '进度', sub: '查询', target: null }],
    ['/进度 全部', { name: '进度', sub: '查询', target: null }],
    ['/进度 任务6', { name: '进度', sub: '查询', target: task(6) }],
    ['/进度 省公安厅', { name: '进度', sub: '查询', target: unit('省公安厅') }],
    ['/status #123', { name: '进度', sub: '查询', target: ticket(123) }],
    ['/进度 更新 #123 80% 已完成上线计划表报送', { name: '进度', sub: '更新', target: ticket(123), percent: 80, note: '已完成上线计划表报送' }],
    ['/进度 更新 任务6 50%', { name: '进度', sub: '更新', target: task(6), percent: 50, note: null }],
    ['/进度更新 任务6 百分之八十，方案已报送', { name: '进度', sub: '更新', target: task(6), percent: 80, note: '方案已报送' }],
    ['/进度 更新 #123 100', { name: '进度', sub: '更新', target: ticket(123), percent: 100, note: null }],
    ['/审核 #123 通过', { name: '审核', sub: '通过', ticket: 123, note: null }],
    ['/审核 123 通过 材料齐全', { name: '审核', sub: '通过', ticket: 123, note: '材料齐全' }],
    ['/审核 #123 退回 佐证材料不全，请补充上线截图', { name: '审核', sub: '退回', ticket: 123, reason: '佐证材料不全，请补充上线截图' }],
    ['/review #123 退回：缺少截图', { name: '审核', sub: '退回', ticket: 123, reason: '缺少截图' }],
    ['/延期 #123 同意', { name: '延期', sub: '同意', ticket: 123, note: null }],
    ['/延期 #123 不同意 请按原时限完成', { name: '延期', sub: '不同意', ticket: 123, note: '请按原时限完成' }],
    ['/延期 申请 #123 2026-12-31 需等待接口改造', { name: '延期', sub: '申请', ticket: 123, due: '2026-12-31', reason: '需等待接口改造' }],
    ['/extend apply #123 12月31日 原因', { name: '延期', sub: '申请', ticket: 123, due: '2026-12-31', reason: '原因' }],
    ['/延期 申请 #123 12-31 原因', { name: '延期', sub: '申请', ticket: 123, due: '2026-12-31', reason: '原因' }],
    ['/延期 申请 #123 2026年9月底 原因', { name: '延期', sub: '申请', ticket: 123, due: '2026-09-30', reason: '原因' }],
    ['/延期 申请 #123 3月1日 跨年', { name: '延期', sub: '申请', ticket: 123, due: '2027-03-01', reason: '跨年' }],
    ['/通报', { name: '通报', kind: '周报' }],
    ['/通报 月报', { name: '通报', kind: '月报' }],
    ['/digest overdue', { name: '通报', kind: '逾期' }],
    ['/排名', { name: '排名', scope: '全部' }],
    ['/排名 省直', { name: '排名', scope: '省直' }],
    ['/rank 市州', { name: '排名', scope: '市州' }],
    ['/导出', { name: '导出', kind: '督办单' }],
    ['/导出 回执', { name: '导出', kind: '回执' }],
    ['/帮助', { name: '帮助', topic: null }],
    ['/帮助 审核', { name: '帮助', topic: '审核' }],
    ['/help /review', { name: '帮助', topic: '审核' }],
    ['/签收 #123', { name: '签收', ticket: 123 }],
    ['/accept 123', { name: '签收', ticket: 123 }],
    ['/提交 #123', { name: '提交', ticket: 123, note: null }],
    ['/提交 #123 已完成系统上线，截图见附件', { name: '提交', ticket: 123, note: '已完成系统上线，截图见附件' }],
    ['/退单 #123 该事项由省人社厅负责', { name: '退单', ticket: 123, reason: '该事项由省人社厅负责' }],
    ['/我的', { name: '我的' }],
    ['/mine', { name: '我的' }],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });
});

describe('parseCommand: what chat clients send', () => {
  it.each<[string, ParsedCommand]>([
    ['／进度　更新　＃１２３　８０％，已报送', { name: '进度', sub: '更新', target: ticket(123), percent: 80, note: '已报送' }],
    ['@督办助手 /签收 #123', { name: '签收', ticket: 123 }],
    ['@督办助手\u2005/签收 ＃123', { name: '签收', ticket: 123 }],
    ['  /审核 督办单123 通过  ', { name: '审核', sub: '通过', ticket: 123, note: null }],
    ['/ 督办 任务６', { name: '督办', target: task(6) }],
    ['/督办任务6', { name: '督办', target: task(6) }],
    ['/审核#123退回材料不全', { name: '审核', sub: '退回', ticket: 123, reason: '材料不全' }],
    ['/STATUS', { name: '进度', sub: '查询', target: null }],
    ['/shenhe #1 通过', { name: '审核', sub: '通过', ticket: 1, note: null }],
    ['/sh #1 通过', { name: '审核', sub: '通过', ticket: 1, note: null }],
    ['/签收 #123。', { name: '签收', ticket: 123 }],
    ['/进度 更新 任务 6 八成', { name: '进度', sub: '更新', target: task(6), percent: 80, note: null }],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  it.each(['收到', '任务6 进度80%', '', '   ', '/::)', '/:B-)', '//', '/ 123', 'http://example.com/督办', '#123'])(
    'not a command: %j',
    (text) => {
      expect(parseCommand(text, { today })).toBeNull();
    },
  );
});

describe('parseCommand: errors show what was wrong and the usage', () => {
  it.each<[string, string, string[]]>([
    ['/审核 通过', 'COMMAND_MISSING_PARAM', ['缺少督办单编号，例如：/审核 #123 通过', '/审核 #督办单编号 通过 [意见]']],
    ['/审核', 'COMMAND_MISSING_PARAM', ['缺少督办单编号，例如：/审核 #123 通过', '/审核 #督办单编号 退回 原因']],
    ['/审核 #123', 'COMMAND_MISSING_PARAM', ['请写明“通过”或“退回”']],
    ['/审核 #123 退回', 'COMMAND_MISSING_PARAM', ['缺少退回原因', '用法：/审核 #督办单编号 退回 原因']],
    ['/审核 #abc 通过', 'COMMAND_INVALID_PARAM', ['督办单编号应为数字']],
    ['/签收', 'COMMAND_MISSING_PARAM', ['缺少督办单编号，例如：/签收 #123', '用法：/签收 #督办单编号']],
    ['/签收 任务6', 'COMMAND_INVALID_PARAM', ['不是任务编号']],
    ['/签收 #123 #124', 'COMMAND_UNEXPECTED_INPUT', ['多余的内容“#124”']],
    ['/签收 #12345678901', 'COMMAND_INVALID_PARAM', ['督办单编号过大']],
    ['/退单 #123', 'COMMAND_MISSING_PARAM', ['缺少退单原因']],
    ['/督办', 'COMMAND_MISSING_PARAM', ['缺少任务编号或督办单编号，例如：/督办 任务6']],
    ['/督办 省公安厅', 'COMMAND_MISSING_PARAM', ['缺少任务编号或督办单编号']],
    ['/催办', 'COMMAND_MISSING_PARAM', ['缺少督办单编号、任务编号或单位名称']],
    ['/催办 全部', 'COMMAND_MISSING_PARAM', ['缺少督办单编号、任务编号或单位名称']],
    ['/进度 更新', 'COMMAND_MISSING_PARAM', ['缺少督办单编号或任务编号', '/进度 更新 #督办单编号|任务编号 百分比 [说明]']],
    ['/进度 更新 #123', 'COMMAND_MISSING_PARAM', ['缺少进度百分比']],
    ['/进度 更新 #123 120%', 'COMMAND_INVALID_PARAM', ['进度不能超过 100%（收到 120%）']],
    ['/进度 更新 #123 80abc', 'COMMAND_INVALID_PARAM', ['不是有效的进度']],
    ['/延期 申请 #123', 'COMMAND_MISSING_PARAM', ['缺少延期后的完成日期']],
    ['/延期 申请 #123 2026-12-31', 'COMMAND_MISSING_PARAM', ['缺少延期原因']],
    ['/延期 申请 #123 2026-02-30 原因', 'COMMAND_INVALID_PARAM', ['不是有效日期']],
    ['/延期 申请 #123 2026-01-01 原因', 'COMMAND_INVALID_PARAM', ['日期 2026-01-01 早于今天（2026-06-15）']],
    ['/延期 申请 #123 下个月 原因', 'COMMAND_MISSING_PARAM', ['缺少延期后的完成日期']],
    ['/延期 #123', 'COMMAND_MISSING_PARAM', ['请写明“同意”或“不同意”']],
    ['/通报 年报', 'COMMAND_INVALID_PARAM', ['没有“年报”这种通报类型，可选：周报、月报、逾期']],
    ['/排名 全省', 'COMMAND_INVALID_PARAM', ['可选：全部、省直、市州']],
    ['/导出 excel', 'COMMAND_INVALID_PARAM', ['可选：督办单、回执']],
    ['/我的 待办', 'COMMAND_UNEXPECTED_INPUT', ['多余的内容“待办”', '用法：/我的']],
  ])('%s → %s', (text, code, parts) => {
    const error = failed(text);
    expect(error).toBeInstanceOf(CommandError);
    expect(error.code).toBe(code);
    for (const part of parts) expect(error.message).toContain(part);
    expect(error.messageEn).toMatch(/^\/\S+: /);
  });

  it('a role sees the usage of the form it may use', () => {
    const officer = failed('/延期 #123 2026-12-31 原因', 'UNIT_OFFICER');
    expect(officer.message).toContain('请写明“申请”');
    expect(officer.message).toContain('/延期 申请 #督办单编号 日期 原因');
    expect(officer.message).not.toContain('不同意');
    const staff = failed('/延期 #123 2026-12-31 原因', 'BUREAU_STAFF');
    expect(staff.message).toContain('请写明“同意”或“不同意”');
    expect(staff.message).not.toContain('/延期 申请');
  });

  it('role does not decide whether a command parses (access is checked by the caller)', () => {
    expect(parsed('/审核 #123 通过', 'UNIT_OFFICER')).toEqual({ name: '审核', sub: '通过', ticket: 123, note: null });
  });

  it('an unknown /帮助 topic suggests the nearest command', () => {
    const error = failed('/帮助 审和');
    expect(error.code).toBe('COMMAND_INVALID_PARAM');
    expect(error.message).toContain('您是不是要输入 /审核？');
    expect(error.suggestion).toBe('审核');
  });
});

describe('parseCommand: the keyword chooses the form', () => {
  it('"/进度 更新" is an update even when its parameters are wrong, never a query for a unit named 更新', () => {
    expect(failed('/进度 更新 省公安厅').message).toContain('缺少督办单编号或任务编号');
  });

  it('says which keyword is missing when the rest fits a form', () => {
    const update = failed('/进度 任务6 80% 已报送', 'UNIT_OFFICER');
    expect(update.message).toMatch(/^请写明“更新”，例如：\/进度 更新 #123 80%/);
    expect(failed('/审核 #123 材料不全').message).toContain('请写明“通过”或“退回”');
    expect(failed('/延期 #123 2026-12-31 原因').message).toContain('请写明“申请”或“同意”或“不同意”');
  });

  it('不同意 is not read as 同意', () => {
    expect(parsed('/延期 #5 不同意')).toMatchObject({ sub: '不同意' });
  });
});
