import { describe, expect, it } from 'vitest';
import { splitServices } from '../../../domain/plan/services.ts';
import { splitSections } from '../../../domain/plan/table.ts';

describe('splitServices', () => {
  it.each([
    ['集成14个市州党费缴纳、党课学习、党组织关系转移。', ['党费缴纳', '党课学习', '党组织关系转移']],
    ['企业公共信用评价查询。', ['企业公共信用评价查询']],
    [
      '社保缴费（含城乡居民、灵活就业人员社保缴费及缴费记录查询）、税务票证（含税务信息确认、发票票种核定、电子发票等）、税收优惠、抵税退税。',
      ['社保缴费（含城乡居民、灵活就业人员社保缴费及缴费记录查询）', '税务票证（含税务信息确认、发票票种核定、电子发票等）', '税收优惠', '抵税退税'],
    ],
    ['城乡居民社保(医保)缴费', ['城乡居民社保(医保)缴费']],
    [
      '公积金查询、提取、变更等6大类个人服务；维修资金查询、建筑企业资质证书等企业服务。',
      ['公积金查询', '提取', '变更', '维修资金查询', '建筑企业资质证书'],
    ],
    ['进出境人员监测体检/预防接种预约与查询。', ['进出境人员监测体检/预防接种预约与查询']],
    ['政务预约、线上取号、政务预约。', ['政务预约', '线上取号']],
    ['', []],
  ])('%s', (text, expected) => {
    expect(splitServices(text)).toEqual(expected);
  });
});

describe('splitSections / tables', () => {
  const doc = [
    '正文',
    '[bookmark: a]附件3',
    '高频服务清单',
    '\t序号',
    '\t单位',
    '\t服务类别',
    '',
    '\t1',
    '\t\t\t长沙海关',
    '\t服务甲。',
    '',
    '\t',
    '\t',
    '\t',
    '',
    '\t2',
    '\t',
    '',
    '省委组织部',
    '\t服务乙',
    '',
    '',
    '附件4',
    '标题',
  ].join('\n');

  it('finds sections by heading and cuts rows by the header width', () => {
    const sections = splitSections(doc);
    expect(sections.map((s) => [s.annex, s.title])).toEqual([
      [null, '正文'],
      [3, '高频服务清单'],
      [4, '标题'],
    ]);
    const table = sections[1]?.table;
    expect(table?.header).toEqual(['序号', '单位', '服务类别']);
    expect(table?.rows.map((r) => [r.line, r.cells.map((c) => c.lines.join('/'))])).toEqual([
      [8, ['1', '长沙海关', '服务甲。']],
      [12, ['', '', '']],
      [16, ['2', '省委组织部', '服务乙']],
    ]);
  });
});
