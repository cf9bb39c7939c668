/**
 * The returns services on real databases: the latest submission per (annex, unit) is current and
 * alone counts in compliance; the 附件3 list of the unit decides the catalogue warning; workbooks
 * that are not zips, or declare a huge content, are refused before they are inflated.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import { parsePlan } from '../../domain/plan/parse.ts';
import { loadPlan } from '../../handlers/services/plan-store.ts';
import { currentReturn, readReturnUpload, returnUnit, storeReturn, type ReturnUnit } from '../../handlers/services/returns.ts';
import { returnsComplianceByUnit } from '../../handlers/services/returns-compliance.ts';
import { readWorkbook, zipContentSize } from '../../handlers/services/returns-excel.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';
import { annex5Rows, workbook } from '../support/returns-workbook.ts';

const text = readFileSync(SEED_PLAN_FILE, 'utf8');
const now = new Date('2026-06-22T02:00:00Z');
const service = (serviceName: string, launchDate = '2026-07-30') => ({ serviceName, nature: '个人', status: '已上线', registered: '是', capabilities: '办件状态/事后评价', aiService: '已上线', uiSpec: '是', tracking: '是', launchDate });

describe.each(dbKinds)('returns services (%s)', (kind) => {
  let t: TestDb;
  let zhujian: ReturnUnit;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    await loadPlan(t.db, parsePlan(text), text, now);
    zhujian = (await returnUnit(t.db, 'p-zhujian'))!;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const store = (annex: 1 | 5 | 6, unit: ReturnUnit, rows: Record<string, string>[], at = now) =>
    storeReturn(t.db, { annex, unit, source: 'FORM', fileName: null, rows: rows.map((values, i) => ({ rowNo: i + 1, values })), submittedBy: 'test', now: at });

  it('counts only the latest submission of each (annex, unit)', async () => {
    await store(5, zhujian, [service('社保查询'), service('住房公积金账户明细查询', '2026-08-01')]);
    expect((await returnsComplianceByUnit(t.db, { unitCode: 'p-zhujian' }))[0]).toMatchObject({ rows: 2, rowsWithViolations: 2, compliance: 0 });
    const fixed = await store(5, zhujian, [service('住房公积金账户明细查询'), service('住房公积金退休提取')], new Date(now.getTime() + 60_000));
    await store(1, zhujian, []);
    const [c] = await returnsComplianceByUnit(t.db, { unitCode: 'p-zhujian' });
    expect(c).toMatchObject({ annexesSubmitted: [1, 5], missingAnnexes: [6], rows: 2, rowsWithViolations: 0, compliance: 66.7 });
    expect(c!.annexes[1]).toMatchObject({ annex: 5, submitted: true, submissionId: fixed.id, submittedAt: '2026-06-22T02:01:00.000Z' });
    expect((await currentReturn(t.db, 5, zhujian))!.id).toBe(fixed.id);
  });

  it('warns about services outside the unit’s 附件3 list, and the warning costs no compliance', async () => {
    const r = await store(5, zhujian, [service('住房公积金贷款申请'), service('城市体检报告在线查看')]);
    expect(r.rows.map((x) => x.violations.map((v) => v.code))).toEqual([[], ['RETURN_NOT_IN_CATALOGUE']]);
    expect(r).toMatchObject({ errorRows: 0, warnings: 1 });
    const changsha = (await returnUnit(t.db, 'c-changsha'))!;
    // Cities' 附件4 list is 公积金退休提取 only.
    const six = await store(6, changsha, [{ ...service('长沙市住房公积金退休提取'), nature: '适老' }, { ...service('长沙市老年人福利补贴申请'), nature: '适老' }]);
    expect(six.rows.map((x) => x.violations.map((v) => v.code))).toEqual([[], ['RETURN_NOT_IN_CATALOGUE']]);
  });

  it('lists every owing unit in directory order, and others only when they submitted', async () => {
    const all = await returnsComplianceByUnit(t.db);
    expect(all.length).toBe(46);
    expect(all[0]!.unitCode).toBe('p-zuzhi');
    expect(all.at(-1)!.unitCode).toBe('c-xiangxi');
    // 湖南日报社 is not one of 省直各单位 (domain/plan/units.ts), so it owes no return.
    const ribao = (await returnUnit(t.db, (await t.db.prisma.unit.findFirstOrThrow({ where: { name: '湖南日报社' } })).code))!;
    await store(1, ribao, []);
    const again = await returnsComplianceByUnit(t.db);
    expect(again.length).toBe(47);
    expect(again.find((u) => u.unitCode === ribao.code)).toMatchObject({ compliance: 100, missingAnnexes: [] });
    expect(await returnUnit(t.db, 'bureau')).toBeNull();
  });
});

describe('workbook guard', () => {
  it('refuses a zip that declares more than 100 MB of content, and bytes that are no zip', async () => {
    const ok = await workbook([{ rows: annex5Rows() }]);
    expect(zipContentSize(ok)!.bytes).toBeGreaterThan(1000);
    const bomb = Buffer.from(ok);
    // Declare 200 MB for the first entry of the central directory.
    const eocd = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cd = bomb.readUInt32LE(eocd + 16);
    bomb.writeUInt32LE(200 * 1024 * 1024, cd + 24);
    await expect(readWorkbook(bomb)).rejects.toMatchObject({ code: 'TOO_LARGE_UNZIPPED' });
    await expect(readWorkbook(Buffer.from('PK\x03\x04 not really a zip'))).rejects.toMatchObject({ code: 'NOT_XLSX' });
    expect(await readReturnUpload(5, Buffer.from('PK\x03\x04 not really'))).toMatchObject({ ok: false, code: 'NOT_XLSX' });
  });
});
