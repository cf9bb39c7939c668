/** Each rule of the returns with good and bad rows; messages name the row and the column in Chinese. */
import { describe, expect, it } from 'vitest';
import { checkRow, checkRows, hasErrors, type RuleContext } from '../../../domain/returns/rules.ts';
import { TEMPLATES } from '../../../domain/returns/templates.ts';
import type { CellValue } from '../../../domain/returns/cells.ts';

const ctx: RuleContext = {
  unit: { code: 'p-zhujian', name: '省住房城乡建设厅', aliases: ['省住建厅'] },
  catalogue: ['公积金查询', '提取', '证明', '贷款', '转移', '变更', '维修资金查询', '施工许可证申领核发'],
};

const service = (over: Record<string, CellValue> = {}): Record<string, CellValue> => ({
  serviceName: '住房公积金账户明细查询', nature: '个人', status: '已上线', registered: '是',
  capabilities: '人脸识别/消息推送/办件状态/事后评价', aiService: '已上线', uiSpec: '是', tracking: '是',
  launchDate: '2026年7月30日', ...over,
});

const shutdown = (over: Record<string, CellValue> = {}): Record<string, CellValue> => ({
  appName: '湘住建移动端APP', noticeDate: '2026-08-15', noticeChannel: '湘住建APP、门户网站', noticeContent: '迁移至湘易办',
  offlineMaterials: '办事大厅海报', offlinePlan: '2026-9-30完成替换', shutdownDate: '2026-11-15关闭湘住建APP', ...over,
});

const codes = (annex: 1 | 5 | 6, values: Record<string, CellValue>) =>
  checkRow(TEMPLATES[annex], { rowNo: 3, values }, ctx).violations.map((v) => v.code);

describe('service launch date (附件5/6 服务升级上线时间)', () => {
  it.each<[string, CellValue]>([
    ['2026年7月30日', '2026年7月30日'],
    ['ISO', '2026-09-30'],
    ['slashes', '2026/11/30'],
    ['dots', '2026.7.30'],
    ['full-width digits', '２０２６年９月３０日'],
    ['no year (the plan year)', '11月30日'],
    ['an Excel date cell', new Date(Date.UTC(2026, 6, 30))],
    ['an Excel serial number', 46233],
  ])('accepts %s', (_label, launchDate) => {
    expect(codes(5, service({ launchDate }))).toEqual([]);
  });

  it.each<[string, CellValue]>([
    ['a date between the nodes', '2026-08-15'],
    ['the month end instead of the 30th', '2026-07-31'],
    ['a month only', '2026年7月底'],
    ['text', '尽快'],
    ['an Excel date cell on the wrong day', new Date(Date.UTC(2026, 9, 30))],
  ])('refuses %s', (_label, launchDate) => {
    expect(codes(6, service({ launchDate, nature: '适老' }))).toEqual(['RETURN_LAUNCH_DATE']);
  });

  it('says which row and column, and the three allowed dates', () => {
    const v = checkRow(TEMPLATES[5], { rowNo: 7, values: service({ launchDate: '2026-08-15' }) }, ctx).violations[0]!;
    expect(v).toMatchObject({ column: 'launchDate', severity: 'error' });
    expect(v.message).toBe('第7行「服务升级上线时间」为2026年8月15日，服务上线时间只能是2026年7月30日、2026年9月30日或2026年11月30日。');
  });
});

describe('办件状态 and 事后评价 are required capabilities', () => {
  it.each<[string, Record<string, CellValue>]>([
    ['all four', { capabilities: '人脸识别/消息推送/办件状态/事后评价' }],
    ['the two required ones, other separators', { capabilities: '办件状态、事后评价' }],
    ['split into columns saying 是/具备', { capabilities: null, 'cap:办件状态': '是', 'cap:事后评价': '具备' }],
  ])('accepts %s', (_l, over) => {
    expect(codes(5, service(over))).toEqual([]);
  });

  it.each<[string, Record<string, CellValue>, string]>([
    ['without 事后评价', { capabilities: '人脸识别/消息推送/办件状态' }, '“事后评价”'],
    ['without either', { capabilities: '人脸识别' }, '“办件状态”“事后评价”'],
    ['a column saying 否', { capabilities: null, 'cap:办件状态': '是', 'cap:事后评价': '否' }, '“事后评价”'],
  ])('refuses %s', (_l, over, missing) => {
    const v = checkRow(TEMPLATES[5], { rowNo: 4, values: service(over) }, ctx).violations;
    expect(v.map((x) => x.code)).toEqual(['RETURN_CAPABILITY_MISSING']);
    expect(v[0]!.message).toContain(`第4行「能力对接」未具备${missing}`);
  });
});

describe('shutdown plan (附件1): notice two months ahead, by 10-31; shutdown by 12-31', () => {
  it.each<[string, Record<string, CellValue>]>([
    ['the plan sample with real names', {}],
    ['exactly two months ahead', { noticeDate: '2026-09-15', shutdownDate: '2026-11-15' }],
    ['notice on 10-31, shutdown on 12-31', { noticeDate: '2026年10月31日', shutdownDate: '2026年12月31日' }],
    ['Excel date cells', { noticeDate: new Date(Date.UTC(2026, 7, 1)), shutdownDate: new Date(Date.UTC(2026, 10, 1)) }],
  ])('accepts %s', (_l, over) => {
    expect(codes(1, shutdown(over))).toEqual([]);
  });

  it.each<[string, Record<string, CellValue>, string[]]>([
    ['a notice one day short of two months', { noticeDate: '2026-09-16', shutdownDate: '2026-11-15' }, ['RETURN_NOTICE_LEAD']],
    // With shutdowns due by 12-31, a notice after 10-31 is also less than two months ahead.
    ['a notice after 10-31', { noticeDate: '2026-11-01', shutdownDate: '2026-12-31' }, ['RETURN_NOTICE_LATE', 'RETURN_NOTICE_LEAD']],
    ['a notice after 10-31 for a late shutdown', { noticeDate: '2026-11-01', shutdownDate: '2027-02-01' }, ['RETURN_NOTICE_LATE', 'RETURN_SHUTDOWN_LATE']],
    ['a shutdown in 2027', { noticeDate: '2026-10-01', shutdownDate: '2027-01-15关闭' }, ['RETURN_SHUTDOWN_LATE']],
    ['the earliest of several shutdowns decides the lead', { noticeDate: '2026-09-01', shutdownDate: '2026-10-20关闭小程序；2026-12-20关闭APP' }, ['RETURN_NOTICE_LEAD']],
    ['a notice that is not a date', { noticeDate: '下月' }, ['RETURN_DATE_INVALID']],
    ['the template placeholder name', { appName: 'XX应用' }, ['RETURN_PLACEHOLDER_NAME']],
    ['a missing channel', { noticeChannel: '' }, ['RETURN_REQUIRED']],
  ])('refuses %s', (_l, over, expected) => {
    expect(codes(1, shutdown(over))).toEqual(expected);
  });

  it('names the latest allowed notice date', () => {
    const v = checkRow(TEMPLATES[1], { rowNo: 5, values: shutdown({ noticeDate: '2026-10-01', shutdownDate: '2026-11-15' }) }, ctx).violations[0]!;
    expect(v.message).toBe('第5行「公告时间」2026年10月1日距关停时间2026年11月15日不足2个月：须在关停前至少2个月发布公告（不晚于2026年9月15日）。');
  });
});

describe('service names', () => {
  it.each(['住房公积金账户明细查询', '住房公积金退休提取', '维修资金查询', '施工许可证申领核发'])('accepts “%s”', (serviceName) => {
    expect(codes(5, service({ serviceName }))).toEqual([]);
  });
  it.each([
    ['社保查询', '内部简称“社保”'],
    ['账户明细查询', '“XX账户明细查询”'],
    ['办事服务', '通用词'],
    ['提取', '过短'],
    ['xx', '占位'],
  ])('refuses “%s”', (serviceName, fragment) => {
    const v = checkRow(TEMPLATES[5], { rowNo: 2, values: service({ serviceName }) }, ctx).violations;
    expect(v.map((x) => x.code)).toEqual(['RETURN_VAGUE_NAME']);
    expect(v[0]!.message).toMatch(/^第2行「服务名称」/);
    expect(v[0]!.message).toContain(fragment);
  });
});

describe('the obvious checks', () => {
  it('requires each required cell', () => {
    const v = checkRow(TEMPLATES[5], { rowNo: 9, values: service({ status: '', launchDate: null }) }, ctx).violations;
    expect(v.map((x) => x.message)).toEqual(['第9行「服务状态」未填写。', '第9行「服务升级上线时间」未填写。']);
  });

  it.each<[string, Record<string, CellValue>, boolean]>([
    ['个人/企业', { nature: '个人/企业' }, true],
    ['法人 for 企业', { nature: '法人' }, true],
    ['√ for 是', { uiSpec: '√' }, true],
    ['－ for not registered', { registered: '－', status: '缺失' }, true],
    ['未上线 for 缺失', { aiService: '未上线' }, true],
    ['适老 in 附件5', { nature: '适老' }, false],
    ['a status outside the list', { status: '建设中' }, false],
    ['maybe', { tracking: '部分' }, false],
  ])('enumerated values: %s', (_l, over, ok) => {
    expect(codes(5, service(over))).toEqual(ok ? [] : ['RETURN_VALUE_NOT_ALLOWED']);
  });

  it.each<[string, string, boolean]>([
    ['the unit name', '省住房城乡建设厅', true],
    ['an alias', '省住建厅', true],
    ['with 湖南 and 盖章', '湖南省住房城乡建设厅（盖章）', true],
    ['another unit', '长沙市', false],
  ])('the unit on the row: %s', (_l, unit, ok) => {
    expect(codes(5, service({ unit }))).toEqual(ok ? [] : ['RETURN_UNIT_MISMATCH']);
  });

  it('warns (not errs) when a service is not in the unit’s 附件3 list', () => {
    const [row] = checkRows(TEMPLATES[5], [{ rowNo: 1, values: service({ serviceName: '城市体检报告在线查看' }) }], ctx);
    expect(row!.violations.map((v) => [v.code, v.severity])).toEqual([['RETURN_NOT_IN_CATALOGUE', 'warning']]);
    expect(hasErrors(row!)).toBe(false);
    const none = checkRow(TEMPLATES[5], { rowNo: 1, values: service() }, { ...ctx, catalogue: [] }).violations;
    expect(none[0]!.message).toContain('本单位在附件3中没有服务清单');
  });

  it('warns about the same service listed twice', () => {
    const rows = checkRows(TEMPLATES[5], [{ rowNo: 4, values: service() }, { rowNo: 5, values: service() }], ctx);
    expect(rows[1]!.violations.map((v) => v.message)).toEqual(['第5行「服务名称」“住房公积金账户明细查询”与第4行重复（提示，不计入问题）。']);
    expect(rows.map(hasErrors)).toEqual([false, false]);
  });
});
