/**
 * Returns over real HTTP: a unit uploads its 附件5 workbook or fills the form, gets each row's
 * violations in Chinese, and may only report for its own unit; leaders never submit; bad uploads
 * and requests without the CSRF token change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/databases.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { fileForm, startReturnsApp, type ReturnsApp } from '../support/returns-app.ts';
import { annex5Rows, workbook } from '../support/returns-workbook.ts';

interface Violation { code: string; column: string | null; severity: string; message: string }
interface Row { rowNo: number; data: Record<string, string>; violations: Violation[] }
interface Submitted { submission: { id: number; rowCount: number; errorRows: number; source: string; rows: Row[] }; compliance: { compliance: number; missingAnnexes: number[] } }

describe.each(dbKinds)('returns (%s)', (kind) => {
  let s: ReturnsApp;
  let officer: WebClient;
  let leader: WebClient;
  const submissions = () => s.t.db.prisma.returnSubmission.count();

  beforeAll(async () => {
    s = await startReturnsApp(kind);
    officer = await signedIn(s.t.db, s.base, 'UNIT_OFFICER', { unitCode: 'p-zhujian', displayName: '王五' });
    leader = await signedIn(s.t.db, s.base, 'LEADER');
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
  });

  const upload = (c: WebClient, path: string, name: string, bytes: Buffer, init: { csrf?: boolean } = {}) =>
    c.fetch(path, { method: 'POST', body: fileForm(name, bytes), ...init });

  it('reads an uploaded 附件5 workbook (title row, unit line, date cells) and returns each row’s violations', async () => {
    const res = await upload(officer, '/api/returns/5/units/p-zhujian/upload', '附件5-省住建厅.xlsx', await workbook([{ rows: annex5Rows() }]));
    expect(res.status).toBe(201);
    const body = (await res.json()) as Submitted;
    const rows = body.submission.rows;
    // Sheet rows 5–8: the 样例 row and the “……” row are not data.
    expect(rows.map((r) => r.rowNo)).toEqual([5, 6, 7, 8]);
    expect(rows[0]!.data.launchDate).toBe('2026-07-30');
    expect(rows.map((r) => r.violations.filter((v) => v.severity === 'error').map((v) => v.code))).toEqual([[], ['RETURN_LAUNCH_DATE'], [], ['RETURN_VAGUE_NAME']]);
    expect(rows[1]!.violations[0]).toMatchObject({ column: 'launchDate', message: '第6行「服务升级上线时间」为2026年8月15日，服务上线时间只能是2026年7月30日、2026年9月30日或2026年11月30日。' });
    expect(rows[3]!.violations[0]!.message).toMatch(/^第8行「服务名称」“社保查询”使用了内部简称“社保”/);
    expect(body.submission).toMatchObject({ rowCount: 4, errorRows: 2, source: 'UPLOAD' });

    // Stored although it has violations: the unit sees what to fix.
    const current = await officer.json<{ current: { id: number; rows: Row[] }; history: unknown[] }>('/api/returns/5/units/p-zhujian');
    expect(current.status).toBe(200);
    expect(current.body.current.id).toBe(body.submission.id);
    expect(current.body.current.rows[1]!.violations[0]!.code).toBe('RETURN_LAUNCH_DATE');
  });

  it('the latest submission is the current one; the form checks without storing and submits', async () => {
    const rows = [
      { serviceName: '住房公积金账户明细查询', nature: '个人', status: '已上线', registered: '是', capabilities: '办件状态/事后评价', aiService: '已上线', uiSpec: '是', tracking: '是', launchDate: '2026-09-30' },
      { serviceName: '住房公积金退休提取', nature: '个人', status: '缺失', registered: '－', capabilities: '办件状态', aiService: '缺失', uiSpec: '否', tracking: '否', launchDate: '2026-10-30' },
    ];
    const before = await submissions();
    const check = await officer.json<{ rows: Row[] }>('/api/returns/5/units/p-zhujian/check', { rows });
    expect(check.status).toBe(200);
    expect(check.body.rows[1]!.violations.map((v) => v.code)).toEqual(['RETURN_LAUNCH_DATE', 'RETURN_CAPABILITY_MISSING']);
    expect(await submissions()).toBe(before);

    const sub = await officer.json<Submitted>('/api/returns/5/units/p-zhujian', { rows });
    expect(sub.status).toBe(201);
    expect(sub.body.submission).toMatchObject({ rowCount: 2, errorRows: 1, source: 'FORM' });
    expect(sub.body.submission.rows[1]!.violations[1]!.message).toBe('第2行「能力对接」未具备“事后评价”：办件状态、事后评价能力是必接项。');
    const current = await officer.json<{ current: { id: number }; history: { id: number }[] }>('/api/returns/5/units/p-zhujian');
    expect(current.body.current.id).toBe(sub.body.submission.id);
    expect(current.body.history.length).toBe(2);
  });

  it('refuses an empty form unless it is a 零报告, which counts as a complete return', async () => {
    const empty = await officer.json<{ message: string }>('/api/returns/1/units/p-zhujian', { rows: [{ appName: '  ' }] });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toContain('零报告');
    const none = await officer.json<Submitted>('/api/returns/1/units/p-zhujian', { rows: [], none: true });
    expect(none.status).toBe(201);
    expect(none.body.submission.rowCount).toBe(0);
    expect(none.body.compliance.missingAnnexes).toEqual([6]);
  });

  it('a unit officer cannot submit or read for another unit; a leader cannot submit', async () => {
    const before = await submissions();
    const wb = await workbook([{ rows: annex5Rows('省公安厅') }]);
    const other = await upload(officer, '/api/returns/5/units/p-gongan/upload', 'a.xlsx', wb);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { message: string }).message).toBe('您不是省公安厅的人员，不能报送该单位的报表。');
    expect((await officer.json('/api/returns/5/units/p-gongan', { rows: [] })).status).toBe(403);
    expect((await officer.json('/api/returns/5/units/p-gongan')).status).toBe(403);
    expect((await upload(leader, '/api/returns/5/units/p-zhujian/upload', 'a.xlsx', wb)).status).toBe(403);
    expect((await leader.json('/api/returns/5/units/p-zhujian', { rows: [] })).status).toBe(403);
    expect(await submissions()).toBe(before);
    // Leaders read.
    expect((await leader.json('/api/returns/5/units/p-zhujian')).status).toBe(200);
  });

  it('flags rows whose 填报单位 is another unit', async () => {
    const res = await upload(officer, '/api/returns/5/units/p-zhujian/upload', 'b.xlsx', await workbook([{ rows: annex5Rows('长沙市') }]));
    const body = (await res.json()) as Submitted;
    expect(body.submission.rows[0]!.violations.map((v) => v.message)).toContain('第5行的填报单位为“长沙市”，与报送单位“省住房城乡建设厅”不一致：只能报送本单位的报表。');
  });

  it('refuses a request without the CSRF token', async () => {
    const before = await submissions();
    const res = await upload(officer, '/api/returns/5/units/p-zhujian/upload', 'a.xlsx', await workbook([{ rows: annex5Rows() }]), { csrf: false });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('CSRF');
    expect(await submissions()).toBe(before);
  });

  it('refuses a file that is not an xlsx, an oversized file, and a sheet without the template’s columns', async () => {
    const before = await submissions();
    const renamed = await upload(officer, '/api/returns/5/units/p-zhujian/upload', '计划表.xlsx', Buffer.from('序号,服务名称\n1,住房公积金账户明细查询\n'));
    expect(renamed.status).toBe(415);
    expect(((await renamed.json()) as { message: string }).message).toContain('不是有效的Excel（.xlsx）文件');
    const csv = await upload(officer, '/api/returns/5/units/p-zhujian/upload', '计划表.csv', Buffer.from('序号,服务名称\n'), {});
    expect(csv.status).toBe(415);
    const big = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(1024 * 1024 + 10)]);
    const tooBig = await upload(officer, '/api/returns/5/units/p-zhujian/upload', 'big.xlsx', big);
    expect(tooBig.status).toBe(413);
    const noDates = await workbook([{ rows: [['序号', '服务名称', '服务性质', '服务状态', '能力对接'], [1, '住房公积金账户明细查询', '个人', '已上线', '办件状态/事后评价']] }]);
    const missing = await upload(officer, '/api/returns/5/units/p-zhujian/upload', 'c.xlsx', noDates);
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { message: string }).message).toBe('附件5 服务上线计划表的表头（第1行）缺少以下列：是否注册事项系统、智能客服上线状态、是否遵守UI规范、数据埋点规范、服务升级上线时间。请使用本页下载的模板填写。');
    const unrelated = await upload(officer, '/api/returns/5/units/p-zhujian/upload', 'd.xlsx', await workbook([{ rows: [['姓名', '电话'], ['张三', '1']] }]));
    expect(unrelated.status).toBe(422);
    expect(await submissions()).toBe(before);
  });

  it('answers 404 for an annex that is not a return and a unit that owes none', async () => {
    expect((await officer.json('/api/returns/3/units/p-zhujian')).status).toBe(404);
    const bureau = await signedIn(s.t.db, s.base, 'BUREAU_STAFF');
    expect((await bureau.json('/api/returns/5/units/bureau')).status).toBe(404);
  });
});
