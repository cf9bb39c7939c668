import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../bot/cli.ts';
import { openDatabase } from '../../prisma/client.ts';
import { hashApiKey } from '../../handlers/services/problem-sources.ts';
import { dbKinds, type TestDb } from '../support/databases.ts';
import { PHONE, problemDb } from '../handlers/problems/support.ts';

const now = new Date('2026-06-22T02:00:00Z');
const scratch = mkdtempSync(join(tmpdir(), 'duban-problems-cli-'));

async function run(url: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: { DATABASE_URL: url, DUBAN_ACTION_SECRET: 'cli-test-secret-0123456789', LOG_LEVEL: 'silent' },
    now: () => now,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A list as a hotline would send it: a title row, the headings, good rows, bad rows, a blank row. */
async function workbook(name: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('问题清单');
  ws.addRow(['2026年6月 12345热线转办问题清单']);
  ws.addRow(['来源编号', '服务名称', '问题描述（必填）', '联系方式', '反映时间']);
  ws.addRow(['HX-001', '', '无犯罪记录证明开不出来', PHONE, new Date(Date.UTC(2026, 5, 21, 9, 30))]); // a date cell: 2026-06-21 09:30 wall time
  ws.addRow(['HX-002', '婚姻登记预约', '预约后无法选择时间', '', '2026-06-20 15:00']);
  ws.addRow(['HX-003', '社保查询', '', '', '']); // no description
  ws.addRow([]);
  ws.addRow(['', '公积金查询', '查询不到缴存记录', '', '']); // no reference
  ws.addRow(['HX-004', '', '湘易办登录不了', '', '2026-02-30 10:00']); // no such day
  ws.addRow(['HX-005', '', '湘易办登录不了', '', '2026-06-21']);
  const path = join(scratch, name);
  await wb.xlsx.writeFile(path);
  return path;
}

describe.each(dbKinds)('duban problem-source and duban problems import on %s', (kind) => {
  let t: TestDb;
  beforeEach(async () => { t = await problemDb(kind, now); });
  afterEach(async () => { await t.cleanup(); });

  it('prints a source key once and stores only its hash; a second add without --rotate is refused', async () => {
    const r = await run(t.url, ['problem-source', 'add', 'hotline_12345', '12345热线']);
    expect(r.code).toBe(0);
    const key = /接口密钥：(\S+)/.exec(r.out)![1]!;
    const row = await t.db.prisma.problemSource.findUniqueOrThrow({ where: { code: 'HOTLINE_12345' } });
    expect(row.apiKeyHash).toBe(hashApiKey(key));
    expect(JSON.stringify(row)).not.toContain(key);
    const again = await run(t.url, ['problem-source', 'add', 'HOTLINE_12345', '12345热线']);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/已有接口密钥.*--rotate/);
    const rotated = await run(t.url, ['problem-source', 'add', 'HOTLINE_12345', '12345热线', '--rotate']);
    expect(/接口密钥：(\S+)/.exec(rotated.out)![1]).not.toBe(key);
    const list = await run(t.url, ['problem-source', 'list']);
    expect(list.out).toMatch(/HOTLINE_12345\t12345热线\t启用\t已设密钥/);
    expect(list.out).not.toContain(key);
  });

  it('imports a workbook row by row, reporting bad rows by number, and a second import creates nothing', async () => {
    const file = await workbook(`list-${kind}.xlsx`);
    const r = await run(t.url, ['problems', 'import', file, '--source', 'HOTLINE_12345']);
    expect(r.code).toBe(1); // some rows were refused
    expect(r.out).toMatch(/第 3 行：新建｜问题 P\d+，一般，已交由省公安厅整改（问题整改单 #\d+，时限 2026-07-03）/);
    expect(r.out).toMatch(/第 4 行：新建｜问题 P\d+，一般，已交由省民政厅整改/);
    expect(r.out).toContain('第 5 行：错误｜缺少问题描述');
    expect(r.out).toContain('第 7 行：错误｜缺少来源编号');
    expect(r.out).toMatch(/第 8 行：错误｜反映时间“2026-02-30 10:00”无法识别/);
    expect(r.out).toMatch(/第 9 行：新建｜问题 P\d+，一般，待分派/);
    expect(r.out).toContain('共 6 行：新建 3，重复 0，错误 3');
    expect(r.err).toMatch(/3 行未导入/);
    const db = await openDatabase(t.url);
    try {
      const hx1 = await db.prisma.problem.findUniqueOrThrow({ where: { sourceCode_sourceRef: { sourceCode: 'HOTLINE_12345', sourceRef: 'HX-001' } } });
      expect(hx1.reportedAt.toISOString()).toBe('2026-06-21T01:30:00.000Z'); // 09:30 in Shanghai
      expect(hx1.reporterContact).toBe(PHONE);
      expect(hx1.createdBy).toBe('12345热线（批量导入）');
      const before = await db.prisma.problem.count();
      const outbox = await db.prisma.outboxMessage.count();
      const again = await run(t.url, ['problems', 'import', file, '--source', 'HOTLINE_12345']);
      expect(again.out).toContain('共 6 行：新建 0，重复 3，错误 3');
      expect(again.out).toMatch(/第 3 行：重复｜来源编号 HX-001 已是问题 P\d+，未做改动/);
      expect(await db.prisma.problem.count()).toBe(before);
      expect(await db.prisma.outboxMessage.count()).toBe(outbox);
    } finally {
      await db.close();
    }
  });

  it('refuses an unknown source, a file that is not a workbook and a sheet without the headings', async () => {
    const file = await workbook(`list2-${kind}.xlsx`);
    expect((await run(t.url, ['problems', 'import', file, '--source', 'NOPE'])).err).toMatch(/未知或已停用的问题来源 NOPE/);
    const txt = join(scratch, 'not.xlsx');
    writeFileSync(txt, 'hello');
    expect((await run(t.url, ['problems', 'import', txt, '--source', 'EVALUATION'])).err).toMatch(/无法读取该 Excel 文件/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x').addRow(['编号', '内容']);
    const bare = join(scratch, `bare-${kind}.xlsx`);
    await wb.xlsx.writeFile(bare);
    expect((await run(t.url, ['problems', 'import', bare, '--source', 'EVALUATION'])).err).toMatch(/未找到表头.*来源编号.*问题描述/);
    expect((await run(t.url, ['problems', 'import', join(scratch, 'missing.xlsx'), '--source', 'EVALUATION'])).err).toMatch(/文件不存在/);
    expect(await t.db.prisma.problem.count()).toBe(0);
  });
});
