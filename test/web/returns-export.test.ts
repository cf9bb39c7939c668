/**
 * Downloads, opened again with exceljs: the empty template of each annex (and a filled copy of it
 * uploaded back), the export of an annex with every unit's current rows and a 问题 column, the
 * ticket ledger; and the compliance figures per unit.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { fileForm, startReturnsApp, type ReturnsApp } from '../support/returns-app.ts';
import { annex5Rows, workbook } from '../support/returns-workbook.ts';
import { overdueWorkdays } from '../../domain/calendar.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function open(res: Response): Promise<ExcelJS.Worksheet> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe(XLSX);
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename=.*filename\*=UTF-8''.+\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
  return wb.worksheets[0]!;
}

const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1);

describe.each(dbKinds)('return downloads and compliance (%s)', (kind) => {
  let s: ReturnsApp;
  let staff: WebClient;
  let zhujian: WebClient;
  let changsha: WebClient;

  beforeAll(async () => {
    s = await startReturnsApp(kind);
    staff = await signedIn(s.t.db, s.base, 'BUREAU_STAFF');
    zhujian = await signedIn(s.t.db, s.base, 'UNIT_OFFICER', { unitCode: 'p-zhujian' });
    changsha = await signedIn(s.t.db, s.base, 'UNIT_LEADER', { unitCode: 'c-changsha' });
    const up = await zhujian.fetch('/api/returns/5/units/p-zhujian/upload', { method: 'POST', body: fileForm('附件5.xlsx', await workbook([{ rows: annex5Rows() }])) });
    expect(up.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('downloads each template in the plan’s layout: title row, unit line, printed header', async () => {
    const ws = await open(await zhujian.fetch('/api/returns/5/template.xlsx'));
    expect(ws.getCell('A1').value).toBe('附件5 服务上线计划表');
    expect(String(ws.getCell('A2').value)).toMatch(/^填报单位（盖章）：\s+联系人：\s+联系电话：$/);
    expect(rowValues(ws, 3)).toEqual(['序号', '服务名称', '服务性质', '服务状态', '是否注册事项系统', '能力对接', '智能客服上线状态', '是否遵守UI规范', '数据埋点规范', '服务升级上线时间']);
    expect(ws.getCell('A4').value).toBe('样例');
    const one = await open(await zhujian.fetch('/api/returns/1/template.xlsx'));
    expect(one.getCell('A1').value).toBe('附件1 关停计划表');
    expect(rowValues(one, 3)).toEqual(['序号', '应用名称', '公告时间', '公告渠道', '公告内容', '线下宣传物料布置情况', '线下物料替换/下架安排', '关停时间']);
    const six = await open(await zhujian.fetch('/api/returns/6/template.xlsx'));
    expect(rowValues(six, 3)[7]).toBe('UI规范');
  });

  it('accepts the downloaded template once filled in', async () => {
    const res = await changsha.fetch('/api/returns/1/template.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    ws.getCell('A2').value = '填报单位（盖章）：长沙市      联系人：李四      联系电话：0731-1';
    ws.getRow(5).values = [1, '我的长沙APP', new Date(Date.UTC(2026, 7, 20)), '我的长沙APP、长沙市政府网', '我的长沙APP服务迁移至湘易办', '政务大厅海报', '2026-10-10前完成替换', '2026-11-30关闭我的长沙APP'];
    ws.getRow(6).values = [2, '长沙政务小程序', '2026-10-15', '小程序首页', '迁移公告', '', '', '2026-12-01关闭'];
    const filled = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await changsha.fetch('/api/returns/1/units/c-changsha/upload', { method: 'POST', body: fileForm('附件1.xlsx', filled) });
    expect(up.status).toBe(201);
    const body = (await up.json()) as { submission: { rows: { rowNo: number; violations: { code: string }[] }[] } };
    expect(body.submission.rows.map((r) => [r.rowNo, r.violations.map((v) => v.code)])).toEqual([[5, []], [6, ['RETURN_NOTICE_LEAD']]]);
  });

  it('exports all units’ current rows of an annex with a 问题 column (bureau and leaders only)', async () => {
    const ws = await open(await staff.fetch('/api/returns/5/export.xlsx'));
    expect(ws.getCell('A1').value).toBe('附件5 服务上线计划表');
    expect(String(ws.getCell('A2').value)).toMatch(/^1 个单位报送，共 4 行/);
    expect(rowValues(ws, 3)).toEqual(['序号', '服务名称', '服务性质', '服务状态', '是否注册事项系统', '能力对接', '智能客服上线状态', '是否遵守UI规范', '数据埋点规范', '服务升级上线时间', '填报单位', '报送时间', '问题']);
    const data = [4, 5, 6, 7].map((n) => rowValues(ws, n));
    expect(data.map((r) => [r[0], r[1], r[9], r[10]])).toEqual([
      [1, '住房公积金账户明细查询', '2026-07-30', '省住房城乡建设厅'],
      [2, '住房公积金贷款申请', '2026-08-15', '省住房城乡建设厅'],
      [3, '维修资金查询', '2026年11月30日', '省住房城乡建设厅'],
      [4, '社保查询', '2026/9/30', '省住房城乡建设厅'],
    ]);
    expect(data[1]![12]).toBe('第6行「服务升级上线时间」为2026年8月15日，服务上线时间只能是2026年7月30日、2026年9月30日或2026年11月30日。');
    expect(data[0]![12] ?? '').toBe('');
    // The cell at fault is shaded.
    expect((ws.getCell('J5').fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFE1DE');
    expect(ws.rowCount).toBe(7);

    const leader = await signedIn(s.t.db, s.base, 'LEADER');
    expect((await leader.fetch('/api/returns/5/export.xlsx')).status).toBe(200);
    expect((await zhujian.fetch('/api/returns/5/export.xlsx')).status).toBe(403);
  });

  it('exports the ticket ledger: 序号, 任务, 节点, 责任单位, 状态, 进度, 期限, 原期限, 逾期工作日…; a unit gets its own tickets', async () => {
    const ws = await open(await staff.fetch('/api/exports/tickets.xlsx'));
    expect(ws.getCell('A1').value).toBe('督办单台账（截至2026-06-22）');
    expect(rowValues(ws, 2)).toEqual(['序号', '督办单号', '任务', '工作任务', '节点', '责任单位', '状态', '进度(%)', '期限', '原期限', '逾期工作日', '红黄绿灯', '最近更新']);
    const total = await s.t.db.prisma.ticket.count();
    expect(ws.rowCount).toBe(total + 2);
    const first = await s.t.db.prisma.ticket.findFirstOrThrow({ orderBy: { id: 'asc' }, include: { unit: true } });
    expect(rowValues(ws, 3).slice(0, 2)).toEqual([1, first.id]);
    expect(rowValues(ws, 3)[5]).toBe(first.unit.name);
    // Overdue working days of an open ticket past its due date (the plan has April and May steps).
    const late = await s.t.db.prisma.ticket.findFirstOrThrow({ where: { due: { lt: '2026-06-22' }, status: { not: 'DONE' } }, orderBy: { id: 'asc' } });
    const n = (await s.t.db.prisma.ticket.count({ where: { id: { lte: late.id } } })) + 2;
    const expected = overdueWorkdays(late.due, '2026-06-22', await loadCalendar(s.t.db));
    expect(expected).toBeGreaterThan(10);
    expect(rowValues(ws, n).slice(1, 2).concat(rowValues(ws, n)[10])).toEqual([late.id, expected]);
    expect(rowValues(ws, n)[11]).toBe('红');

    const own = await open(await zhujian.fetch('/api/exports/tickets.xlsx'));
    const mine = await s.t.db.prisma.ticket.count({ where: { unitCode: 'p-zhujian' } });
    expect(mine).toBeGreaterThan(0);
    expect(own.rowCount).toBe(mine + 2);
    for (let r = 3; r <= own.rowCount; r++) expect(rowValues(own, r)[5]).toBe('省住房城乡建设厅');
  });

  it('computes compliance per unit from the current returns', async () => {
    const all = await staff.json<{ units: { unitCode: string; compliance: number; rows: number; rowsWithViolations: number; annexesSubmitted: number[]; missingAnnexes: number[] }[] }>('/api/returns/compliance');
    expect(all.status).toBe(200);
    // 省直各单位 (32) and 各市州 (14) owe the returns.
    expect(all.body.units.length).toBe(46);
    const zj = all.body.units.find((u) => u.unitCode === 'p-zhujian')!;
    // 附件5: 2 of 4 rows with errors → 0.5; 附件1 and 附件6 missing → (0 + 0.5 + 0) / 3.
    expect(zj).toMatchObject({ annexesSubmitted: [5], missingAnnexes: [1, 6], rows: 4, rowsWithViolations: 2, compliance: 16.7 });
    const cs = all.body.units.find((u) => u.unitCode === 'c-changsha')!;
    expect(cs).toMatchObject({ annexesSubmitted: [1], rows: 2, rowsWithViolations: 1, compliance: 16.7 });
    expect(all.body.units.find((u) => u.unitCode === 'p-gongan')).toMatchObject({ compliance: 0, missingAnnexes: [1, 5, 6] });

    const own = await zhujian.json<{ units: { unitCode: string }[] }>('/api/returns/compliance');
    expect(own.body.units.map((u) => u.unitCode)).toEqual(['p-zhujian']);
  });
});
