import { describe, expect, it } from 'vitest';
import { helpText, parseCommand, type ParsedCommand } from '../../../domain/commands/index.ts';

const today = '2026-06-15';
const parse = (text: string) => parseCommand(text, { today, role: 'BUREAU_STAFF' });

describe('/问题', () => {
  it.each<[string, ParsedCommand]>([
    ['/问题 住房公积金提取 线上提取多次提交失败', { name: '问题', sub: '登记', service: '住房公积金提取', description: '线上提取多次提交失败' }],
    ['/wt 社保查询，株洲市查询结果不对', { name: '问题', sub: '登记', service: '社保查询', description: '株洲市查询结果不对' }],
    ['/问题 分派 P12 省公安厅', { name: '问题', sub: '分派', problem: 12, unit: '省公安厅' }],
    ['/问题 分派 p12 长沙市', { name: '问题', sub: '分派', problem: 12, unit: '长沙市' }],
    ['/问题 交办 问题12 省公安厅', { name: '问题', sub: '分派', problem: 12, unit: '省公安厅' }],
    ['/problem assign #P7 省民政厅', { name: '问题', sub: '分派', problem: 7, unit: '省民政厅' }],
    ['/问题 分派 ７ 省民政厅', { name: '问题', sub: '分派', problem: 7, unit: '省民政厅' }],
    ['/问题 不予受理 P3 重复反映，已并入 P1', { name: '问题', sub: '不予受理', problem: 3, reason: '重复反映，已并入 P1' }],
    ['/问题 列表', { name: '问题', sub: '列表' }],
    ['/wenti list', { name: '问题', sub: '列表' }],
  ])('%s', (text, expected) => {
    const r = parse(text);
    expect(r?.ok ? r.command : r?.error.message).toEqual(expected);
  });

  it.each([
    ['/问题', /缺少服务名称.*\n用法：\n\/问题 服务名称 问题描述/s],
    ['/问题 住房公积金提取', /缺少问题描述/],
    ['/问题 分派 P12', /缺少承办单位名称/],
    ['/问题 分派 Px 省公安厅', /问题编号应为 P 加数字（如 P12）/],
    ['/问题 不予受理 P12', /缺少不予受理的原因/],
    ['/问题 列表 省公安厅', /多余的内容“省公安厅”/],
  ])('%s → says what is missing and how to write it', (text, message) => {
    const r = parse(text);
    expect(r?.ok).toBe(false);
    if (r && !r.ok) expect(r.error.message).toMatch(message);
  });

  it('is in the help of bureau staff only, with its forms and examples', () => {
    const detail = helpText('问题', 'BUREAU_STAFF');
    for (const usage of ['/问题 服务名称 问题描述', '/问题 分派 P问题编号 单位名称', '/问题 不予受理 P问题编号 原因', '/问题 列表']) expect(detail).toContain(usage);
    expect(detail).toContain('/问题 住房公积金提取 线上提取多次提交失败，群众反映无法办理');
    expect(helpText(undefined, 'BUREAU_ADMIN')).toMatch(/\/问题（\/problem）/);
    expect(helpText(undefined, 'UNIT_OFFICER')).not.toContain('/问题');
    expect(helpText(undefined, 'LEADER')).not.toContain('/问题');
    expect(helpText('问题', 'UNIT_OFFICER')).toMatch(/\/问题 不在您可用的命令中/);
  });
});
