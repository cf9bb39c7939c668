/** The documented rule for vague service names, and the catalogue match. */
import { describe, expect, it } from 'vitest';
import { inCatalogue, vagueNameReason } from '../../../domain/returns/names.ts';
import { parsePlan } from '../../../domain/plan/parse.ts';
import { seedText } from '../plan/fixtures.ts';

describe('vague service names', () => {
  it.each([
    ['xx', 'PLACEHOLDER'],
    ['XX应用', 'PLACEHOLDER'],
    ['……', 'PLACEHOLDER'],
    ['待定', 'PLACEHOLDER'],
    ['社保卡', 'TOO_SHORT'],
    ['提取', 'TOO_SHORT'],
    ['社保查询', 'ABBREVIATION'],
    ['医保缴费', 'ABBREVIATION'],
    ['公积金查询', 'ABBREVIATION'],
    ['账户明细查询', 'NO_OWNER'],
    ['缴费记录查询', 'NO_OWNER'],
    ['信息变更', 'NO_OWNER'],
    ['办事服务', 'GENERIC_ONLY'],
    ['网上办理', 'GENERIC_ONLY'],
    ['便民服务系统', 'GENERIC_ONLY'],
  ])('“%s” is vague (%s)', (name, reason) => {
    expect(vagueNameReason(name)).toBe(reason);
  });

  it.each(['住房公积金账户明细查询', '社保缴费记录查询', '城乡居民养老保险缴费', '不动产登记资料查询', '预约挂号', '临时救助', '社保 卡 申 领'])('“%s” is specific', (name) => {
    expect(vagueNameReason(name)).toBeNull();
  });

  it('passes every service of the plan’s 附件4 (the published names)', () => {
    const plan = parsePlan(seedText());
    const names = plan.services.filter((s) => s.annex === 4).flatMap((s) => s.services);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n) => vagueNameReason(n) !== null)).toEqual([]);
  });
});

describe('catalogue match (a warning when a 附件5/6 service is not in the unit’s list)', () => {
  const list = ['不动产登记', '不动产查询', '社保查询', '预约挂号'];
  it.each([
    ['不动产登记', true],
    ['不动产登记资料查询', true],
    ['社保缴费记录查询', true],
    ['医院预约挂号', true],
    ['城市体检报告查看', false],
    ['婚姻登记预约', false],
  ])('%s → %s', (name, expected) => {
    expect(inCatalogue(name, list)).toBe(expected);
  });
});
