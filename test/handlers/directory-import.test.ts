/**
 * Importing people and chat groups from Excel and CSV: what the preview says per row, what the
 * confirmation writes, and that the same file twice changes nothing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import type { Actor } from '../../domain/access.ts';
import { parsePlan } from '../../domain/plan/parse.ts';
import { loadPlan } from '../../handlers/services/plan-store.ts';
import { seedDemoDirectory } from '../../handlers/services/directory.ts';
import { applyImport, planImport } from '../../handlers/services/directory-import.ts';
import { csvGrid, readDirectoryFile, sheetOf } from '../../handlers/services/directory-sheets.ts';
import { lookupUnit } from '../../handlers/services/directory-fields.ts';
import { addGroup, directoryTemplate, updatePerson } from '../../handlers/services/directory-admin.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';
import { xlsx } from '../support/directory-files.ts';

const NOW = new Date('2026-06-22T02:00:00Z');
const STAFF: Actor = { personId: null, name: '李娜', role: 'BUREAU_STAFF', unitCode: 'bureau' };
const LEADER: Actor = { personId: null, name: '王建国', role: 'LEADER', unitCode: null };

describe('reading directory files', () => {
  it('reads CSV as RFC 4180: BOM, CRLF, quoted commas, doubled quotes, line breaks in quotes, values kept as written', async () => {
    const grid = await csvGrid('\uFEFF姓名,职务,钉钉账号\r\n"张,三","督办""联络""员",0731\r\n"多\n行",x,\r\n\r\n');
    expect(grid).toEqual([['姓名', '职务', '钉钉账号'], ['张,三', '督办"联络"员', '0731'], ['多\n行', 'x', '']]);
  });

  it('refuses a CSV with an unclosed quote, and says how to fix it', async () => {
    await expect(csvGrid('姓名,角色\n"张三,单位联络员\n')).rejects.toMatchObject({ code: 'IMPORT_CSV', message: expect.stringContaining('未闭合的引号') });
  });

  it('finds the table by its header, with the usual spellings, skipping empty rows and counting rows as the sheet does', () => {
    const s = sheetOf('人员', [['名单'], [' 姓名* ', '人员角色', '所属单位', '企业微信', '钉钉'], ['张三', '单位联络员', '省公安厅', 'zs', null], [null, null], ['李四', '领导', null, null, null]]);
    expect(s).toEqual({ kind: 'people', name: '人员', rows: [
      { rowNo: 3, cells: { 姓名: '张三', 角色: '单位联络员', 单位: '省公安厅', 企业微信账号: 'zs', 钉钉账号: '' } },
      { rowNo: 5, cells: { 姓名: '李四', 角色: '领导', 单位: '', 企业微信账号: '', 钉钉账号: '' } },
    ] });
    expect(sheetOf('说明', [['填写说明'], ['1. 姓名必填']])).toBeNull();
    expect(() => sheetOf('群', [['群名称', '平台']])).toThrow('「群」是群表，但缺少列：用途');
  });

  it('refuses a file with neither table', async () => {
    await expect(readDirectoryFile('x.csv', 'csv', Buffer.from('a,b\n1,2\n'))).rejects.toMatchObject({ code: 'IMPORT_NO_TABLE' });
    await expect(readDirectoryFile('x.xlsx', 'xlsx', Buffer.from('PK\u0003\u0004 not really a zip'))).rejects.toMatchObject({ code: 'IMPORT_XLSX' });
  });

  it('reads its own template: one example person and one example group', async () => {
    const sheets = await readDirectoryFile('模板.xlsx', 'xlsx', await directoryTemplate());
    expect(sheets.map((s) => [s.kind, s.rows.length])).toEqual([['people', 1], ['groups', 1]]);
    expect(sheets[0]!.rows[0]!.cells).toMatchObject({ 姓名: '张三', 角色: '单位联络员', 单位: '省公安厅' });
  });

  it('suggests the nearest unit for a name it cannot resolve, and resolves codes, names and aliases like the chat', () => {
    const units = [
      { code: 'p-gongan', name: '省公安厅', aliases: '[]' },
      { code: 'p-renshe', name: '省人力资源社会保障厅', aliases: '["省人社厅"]' },
    ];
    expect(lookupUnit(units, '湖南省公安')).toEqual({ unit: null, suggestion: units[0] });
    expect(lookupUnit(units, '省人设厅')).toEqual({ unit: null, suggestion: units[1] });
    expect(lookupUnit(units, '省民政厅')).toEqual({ unit: null, suggestion: null });
    expect(lookupUnit(units, 'p-gongan')).toEqual({ unit: units[0] });
    expect(lookupUnit(units, '省人社厅')).toEqual({ unit: units[1] });
    expect(lookupUnit(units, '公安')).toEqual({ unit: units[0] });
    expect(lookupUnit(units, '交通运输厅xx')).toEqual({ unit: null, suggestion: null });
  });
});

const PEOPLE_CSV = [
  '姓名,角色,单位,企业微信账号,钉钉账号,职务',
  '赵一,单位联络员,省公安厅,zhaoyi,,督办联络员',
  '钱二,单位负责人,湖南省公安,,,',
  '孙三,科员,省民政厅,,,',
  '李四,单位联络员,,,,',
  '周五,单位联络员,省民政厅,zhaoyi,,',
  '省公安厅联络员,单位联络员,省公安厅,gongan-officer,,',
  '李娜,省数据局统筹调度人员,,,,',
  '王五,UNIT_LEADER,p-gongan,wang wu,,',
].join('\r\n');

describe.each(dbKinds)('directory import (%s)', (kind) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    const text = readFileSync(SEED_PLAN_FILE, 'utf8');
    await loadPlan(t.db, parsePlan(text), text, NOW);
    await seedDemoDirectory(t.db);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const snapshot = async () => JSON.stringify([
    await t.db.prisma.person.findMany({ orderBy: { id: 'asc' } }),
    await t.db.prisma.chatGroup.findMany({ orderBy: { id: 'asc' } }),
  ]);

  it('previews each people row (新增/更新/无变化/错误 with the reason) without writing', async () => {
    const before = await snapshot();
    const plan = await planImport(t.db.prisma, await readDirectoryFile('people.csv', 'csv', Buffer.from(PEOPLE_CSV)));
    expect(plan.rows.map((r) => [r.rowNo, r.label, r.message])).toEqual([
      [2, '新增', '第 2 行：新增 赵一（省公安厅，单位联络员）'],
      [3, '错误', '第 3 行：未找到单位「湖南省公安」，是否指「省公安厅」？'],
      [4, '错误', '第 4 行：角色「科员」无法识别，应为 省数据局管理员、省数据局统筹调度人员、单位联络员、单位负责人、领导 之一'],
      [5, '错误', '第 5 行：单位联络员必须填写单位'],
      [6, '错误', '第 6 行：企业微信账号 zhaoyi 与第 2 行重复'],
      [7, '更新', '第 7 行：更新 省公安厅联络员：企业微信账号：（空） → gongan-officer'],
      [8, '无变化', '第 8 行：李娜（省数据局）已在目录中，无变化'],
      [9, '错误', '第 9 行：企业微信账号「wang wu」格式不对：只能包含字母、数字和 _ - . @，不能有空格或中文'],
    ]);
    expect(plan.counts).toEqual({ CREATE: 1, UPDATE: 1, UNCHANGED: 1, ERROR: 5 });
    expect(await snapshot()).toBe(before);
  });

  it('applies the good rows in one go; the same file again changes nothing', async () => {
    const sheets = await readDirectoryFile('people.csv', 'csv', Buffer.from(PEOPLE_CSV));
    const r = await applyImport(t.db, sheets, STAFF);
    expect(r.applied).toEqual({ created: 1, updated: 1 });
    expect(await t.db.prisma.person.findUniqueOrThrow({ where: { wecomUserId: 'zhaoyi' } })).toMatchObject({ name: '赵一', role: 'UNIT_OFFICER', unitCode: 'p-gongan', title: '督办联络员', active: true });
    expect(await t.db.prisma.person.findFirstOrThrow({ where: { wecomUserId: 'gongan-officer' } })).toMatchObject({ name: '省公安厅联络员', consoleId: 'officer-p-gongan' });

    const before = await snapshot();
    const again = await applyImport(t.db, sheets, STAFF);
    expect(again.applied).toEqual({ created: 0, updated: 0 });
    expect(again.plan.counts).toEqual({ CREATE: 0, UPDATE: 0, UNCHANGED: 3, ERROR: 5 });
    expect(await snapshot()).toBe(before);
    // The demo directory still seeds (matched by console id): nothing is added twice.
    expect(await seedDemoDirectory(t.db)).toEqual({ people: 0, groups: 0 });
  });

  it('matches people by account first: a renamed person is updated, contradicting accounts are refused', async () => {
    await t.db.prisma.person.create({ data: { name: '吴六', role: 'UNIT_OFFICER', unitCode: 'p-minzheng', dingtalkUserId: 'ding-wu' } });
    const preview = async (...rows: string[]) =>
      (await planImport(t.db.prisma, await readDirectoryFile('p.csv', 'csv', Buffer.from(['姓名,角色,单位,企业微信账号,钉钉账号', ...rows].join('\n'))))).rows.map((r) => r.message);
    expect(await preview('赵一一,单位联络员,省公安厅,zhaoyi,')).toEqual(['第 2 行：更新 赵一：姓名：赵一 → 赵一一']);
    expect(await preview('郑七,单位联络员,省民政厅,zhaoyi,ding-wu')).toEqual(['第 2 行：企业微信账号 zhaoyi 属于「赵一」，钉钉账号 ding-wu 属于「吴六」，不是同一人，请核对']);
    // The DingTalk account finds 吴六, who gets the WeCom account the row adds.
    expect(await preview('吴六,单位联络员,省民政厅,wuliu,ding-wu')).toEqual(['第 2 行：更新 吴六：企业微信账号：（空） → wuliu']);
    // Two people of one name in one unit cannot be told apart without an account.
    await t.db.prisma.person.create({ data: { name: '吴六', role: 'UNIT_LEADER', unitCode: 'p-minzheng' } });
    expect(await preview('吴六,单位负责人,省民政厅,,')).toEqual(['第 2 行：省民政厅中有 2 位同名人员「吴六」，请填写企业微信或钉钉账号以区分']);
  });

  it('imports chat groups from the 群 sheet of a workbook next to people, with row errors in Chinese', async () => {
    const file = await xlsx({
      说明: [['填写说明']],
      人员: [['姓名', '角色', '单位', '企业微信账号', '钉钉账号', '职务'], ['冯八', '领导', '', 'fengba', '', '分管副局长']],
      群: [
        ['群名称', '平台', '用途', '单位', '群ID', 'Webhook', '加签密钥'],
        ['省公安厅督办群', '企业微信', '单位群', '省公安厅', 'wr-gongan', '', ''],
        ['“湘易办”提升工作领导群', '钉钉', '领导群', '', '', 'https://oapi.dingtalk.com/robot/send?access_token=abc', 'SECabc123'],
        ['某群', 'QQ', '单位群', '省公安厅', 'x1', '', ''],
        ['某单位群', '企业微信', '单位群', '', 'x2', '', ''],
        ['旧机器人', '企业微信', '领导群', '', '', 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1', ''],
      ],
    });
    const sheets = await readDirectoryFile('dir.xlsx', 'xlsx', file);
    const r = await applyImport(t.db, sheets, STAFF);
    expect(r.plan.rows.map((x) => [x.table, x.label, x.message])).toEqual([
      ['people', '新增', '人员表第 2 行：新增 冯八（无单位，领导）'],
      ['groups', '新增', '群表第 2 行：新增群 省公安厅督办群（企业微信，单位群，省公安厅）'],
      ['groups', '新增', '群表第 3 行：新增群 “湘易办”提升工作领导群（钉钉，领导群，不属单位）'],
      ['groups', '错误', '群表第 4 行：平台「QQ」无法识别，应为 企业微信 或 钉钉'],
      ['groups', '错误', '群表第 5 行：单位群必须填写单位'],
      ['groups', '错误', '群表第 6 行：Webhook 须为 https:// 开头的地址'],
    ]);
    expect(r.applied).toEqual({ created: 3, updated: 0 });
    expect(await t.db.prisma.chatGroup.findFirstOrThrow({ where: { platform: 'DINGTALK' } })).toMatchObject({ purpose: 'LEADERSHIP', webhookSecret: 'SECabc123', chatId: null });
    const again = await applyImport(t.db, sheets, STAFF);
    expect(again.applied).toEqual({ created: 0, updated: 0 });

    // A changed purpose is an update; the secret is never echoed.
    const changed = await xlsx({ 群: [['群名称', '平台', '用途', '单位', '群ID', 'Webhook', '加签密钥'], ['省公安厅督办群', '企业微信', '省数据局群', '省公安厅', 'wr-gongan', '', ''], ['“湘易办”提升工作领导群', '钉钉', '领导群', '', '', 'https://oapi.dingtalk.com/robot/send?access_token=abc', 'SECnew456']] });
    const plan = await planImport(t.db.prisma, await readDirectoryFile('g.xlsx', 'xlsx', changed));
    expect(plan.rows.map((x) => x.message)).toEqual(['第 2 行：更新群 省公安厅督办群：用途：单位群 → 省数据局群', '第 3 行：更新群 “湘易办”提升工作领导群：加签密钥：已更新']);
  });

  it('lets only the bureau import or edit, and keeps platform accounts unique', async () => {
    const sheets = await readDirectoryFile('people.csv', 'csv', Buffer.from(PEOPLE_CSV));
    await expect(applyImport(t.db, sheets, LEADER)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const other = await t.db.prisma.person.findFirstOrThrow({ where: { consoleId: 'officer-p-minzheng' } });
    await expect(updatePerson(t.db, other.id, { wecomUserId: 'zhaoyi' }, STAFF)).rejects.toMatchObject({ code: 'ACCOUNT_TAKEN', message: '企业微信账号 zhaoyi 已绑定到 赵一（省公安厅），请先解除其绑定。' });
    await expect(updatePerson(t.db, other.id, { active: false }, LEADER)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const off = await updatePerson(t.db, other.id, { active: false, dingtalkUserId: 'ding-minzheng' }, STAFF);
    expect(off).toMatchObject({ active: false, dingtalkUserId: 'ding-minzheng' });
    await expect(addGroup(t.db, { name: '重复', platform: 'WECOM', purpose: 'UNIT', unitCode: 'p-gongan', chatId: 'wr-gongan' }, STAFF)).rejects.toMatchObject({ code: 'GROUP_EXISTS' });
  });
});
