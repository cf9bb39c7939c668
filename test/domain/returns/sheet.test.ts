/** A unit's sheet as a grid: header found by names under a title row, sample and note rows skipped. */
import { describe, expect, it } from 'vitest';
import { readSheet, unitLine } from '../../../domain/returns/sheet.ts';
import { TEMPLATES } from '../../../domain/returns/templates.ts';
import type { CellValue } from '../../../domain/returns/cells.ts';

describe('reading a sheet', () => {
  it('finds the header under a title row, tolerates full-width characters, spaces and line breaks', () => {
    const grid: CellValue[][] = [
      ['附件5 服务上线计划表'],
      ['填报单位（盖章）：省住房城乡建设厅', null, null, '联系人：王五', null, '联系电话：0731-1234567'],
      [],
      ['序号', '服务\n名称', ' 服务性质 ', '服务状态', '是否注册事项系统', '能力对接', '智能客服上线状态', 'ＵＩ规范', '数据埋点规范', '服务升级上线时间（2026年）', '备注'],
      ['样例', 'xx', '个人', '已上线', '是', '办件状态/事后评价', '已上线', '是', '是', '2026年7月30日'],
      [1, '住房公积金账户明细查询', '个人', '已上线', '是', '办件状态/事后评价', '已上线', '是', '是', new Date(Date.UTC(2026, 6, 30)), '无'],
      [null, null, null, null, null, null, null, null, null, null],
      [2, '住房公积金退休提取', '个人', '缺失', '－', '办件状态/事后评价', '缺失', '否', '否', '2026/11/30'],
      ['……'],
      ['填报须知：'],
      ['1.比对附件3，梳理……', '不是数据'],
    ];
    const s = readSheet(TEMPLATES[6], grid)!;
    expect(s.headerRow).toBe(4);
    expect(s.missing).toEqual([]);
    expect(s.rows.map((r) => r.rowNo)).toEqual([6, 8]);
    expect(s.rows[0]!.values).toMatchObject({ serviceName: '住房公积金账户明细查询', uiSpec: '是', unit: '填报单位（盖章）：省住房城乡建设厅'.slice(9) });
    expect(s.rows[0]!.values.launchDate).toBeInstanceOf(Date);
    expect([s.unitText, s.contact, s.phone]).toEqual(['省住房城乡建设厅', '王五', '0731-1234567']);
  });

  it('reads the unit line printed below the table (附件5) and a 填报单位 column', () => {
    const s = readSheet(TEMPLATES[5], [
      ['序号', '服务名称', '服务性质', '服务状态', '是否注册事项系统', '能力对接', '智能客服上线状态', '是否遵守UI规范', '数据埋点规范', '服务升级上线时间', '填报单位'],
      [1, '住房公积金账户明细查询', '个人', '已上线', '是', '办件状态/事后评价', '已上线', '是', '是', '2026-07-30', '长沙市'],
      [2, '住房公积金退休提取', '个人', '已上线', '是', '办件状态/事后评价', '已上线', '是', '是', '2026-07-30'],
      ['填报单位（盖章）：省住建厅        联系人：        联系电话：'],
    ])!;
    expect(s.rows.map((r) => r.values.unit)).toEqual(['长沙市', '省住建厅']);
    expect(s.contact).toBeNull();
  });

  it('names the required columns a sheet lacks, and finds no header in an unrelated sheet', () => {
    const s = readSheet(TEMPLATES[1], [['序号', '应用名称', '公告渠道', '公告内容', '线下宣传物料布置情况']])!;
    expect(s.missing).toEqual(['公告时间', '关停时间']);
    expect(readSheet(TEMPLATES[5], [['姓名', '电话'], ['张三', '1']])).toBeNull();
  });

  it('parses the 填报单位 line however it is spaced', () => {
    expect(unitLine('填报单位(盖章):长沙市 联系人:李四 联系电话:13800000000')).toEqual({ unit: '长沙市', contact: '李四', phone: '13800000000' });
    expect(unitLine('服务名称')).toBeNull();
  });
});
