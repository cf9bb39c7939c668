/**
 * Fuzz: the Excel and CSV readers of the returns (附件1/5/6, handlers/services/returns.ts and
 * domain/returns/sheet.ts) and of the directory import (directory-sheets.ts), all behind
 * safe-workbook.ts as `duban problems import` is (excel-app.test.ts): random bytes, damaged
 * workbooks (bytes flipped or cut, zips that lie about their parts, XML edited with hostile
 * snippets) and valid workbooks with cells of every type and headers in any state. Every file gets
 * rows (with violations) or a coded Chinese refusal, within a time limit and a heap limit; examples
 * found by fuzzing are kept below the properties.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbook as returnWorkbook, annex5Rows } from '../support/returns-workbook.ts';
import { check, testTimeout, watchProcess } from './support/fuzz.ts';
import { Sandbox } from './support/sandbox.ts';
import { deflatedBomb, unzip, zip } from './support/zip.ts';
import {
  attackXml, buildWorkbook, byteEditArb, csvArb, damage, DIRECTORY_NAMES, lieInZip, PROBLEM_NAMES, RETURN_NAMES, sheetArb, xmlAttackArb, zipLieArb,
} from './support/excel-inputs.ts';

watchProcess();
// The heap limit turns "exceljs ate all memory" into a failed run (the worker dies) instead of a dead test process.
const sandbox = new Sandbox(new URL('./support/excel-checks.ts', import.meta.url), { maxOldGenerationSizeMb: 768 });
afterAll(() => sandbox.close());

/** A small workbook reads in tens of milliseconds; the limit leaves room for busy shared cores. */
const BUDGET_MS = 10_000;
const ANNEXES = [1, 5, 6] as const;

async function expectClear(check: string, input: unknown): Promise<void> {
  const { problem } = await sandbox.run(check, input, BUDGET_MS);
  if (problem) throw new Error(problem);
}

let bases: Buffer[] = [];
beforeAll(async () => {
  // Valid workbooks to damage: a unit's 附件5 as the returns tests write it, and one of each importer's headers.
  bases = [
    await returnWorkbook([{ rows: annex5Rows() }]),
    await buildWorkbook([{ name: '附件1', rows: [['附件1 关停计划表'], RETURN_NAMES[1], [1, 'XX市民云APP', '2026-08-15', 'XX移动端', '迁移公告', '', '', '2026-11-15']], merges: [[1, 1, 1, 8]] }]),
    await buildWorkbook([{ name: '人员', rows: [DIRECTORY_NAMES.slice(0, 6), ['韩九', '单位联络员', '省公安厅', 'hanjiu', '', '']], merges: [] }]),
    await buildWorkbook([{ name: '问题清单', rows: [PROBLEM_NAMES, ['HX-001', '社保查询', '查不到', '13812345678', new Date(Date.UTC(2026, 5, 21, 9, 30))]], merges: [] }]),
  ];
});

const annexArb = fc.constantFrom(...ANNEXES);
const baseArb = fc.nat().map((i) => bases[i % bases.length]!);

describe('returns importer (附件1/5/6)', () => {
  it('answers random bytes, zip-looking or not, with a Chinese refusal', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.concat([Buffer.from('PK\x03\x04'), b])),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([Buffer.from('PK\x03\x04'), b, Buffer.from('PK\x05\x06'), Buffer.alloc(18)])),
    );
    await check(fc.asyncProperty(annexArb, bytes, (annex, b) => expectClear('returnsUpload', { annex, bytes: b })), { runs: 60 });
  }, testTimeout(60, BUDGET_MS));

  it('answers a workbook with bytes flipped, cut, zeroed or repeated', async () => {
    await check(fc.asyncProperty(annexArb, baseArb, fc.array(byteEditArb, { minLength: 1, maxLength: 4 }), (annex, base, edits) => expectClear('returnsUpload', { annex, bytes: damage(base, edits) })), { runs: 120 });
  }, testTimeout(120, BUDGET_MS));

  it('answers a zip whose parts lie about their size, are stored, renamed, dropped or repeated', async () => {
    await check(fc.asyncProperty(annexArb, baseArb, fc.array(zipLieArb, { minLength: 1, maxLength: 3 }), (annex, base, lies) => expectClear('returnsUpload', { annex, bytes: lieInZip(base, lies) })), { runs: 60 });
  }, testTimeout(60, BUDGET_MS));

  it('answers a workbook whose XML carries hostile or broken markup (whole-sheet ranges, bad references, entities)', async () => {
    await check(fc.asyncProperty(annexArb, baseArb, xmlAttackArb, (annex, base, attack) => expectClear('returnsUpload', { annex, bytes: attackXml(base, attack) })), { runs: 80 });
  }, testTimeout(80, BUDGET_MS));

  it('reads a valid workbook with cells of every type and headers in any state: rows with violations or a Chinese refusal', async () => {
    const input = annexArb.chain((annex) => fc.record({ annex: fc.constant(annex), sheets: fc.array(sheetArb(RETURN_NAMES[annex]), { minLength: 1, maxLength: 2 }) }));
    await check(fc.asyncProperty(input, async ({ annex, sheets }) => expectClear('returnsUpload', { annex, bytes: await buildWorkbook(sheets) })), { runs: 25 });
  }, testTimeout(25, BUDGET_MS));

  it('finds the header and reads rows of any grid (cells as exceljs gives them, holes included)', async () => {
    const grid = annexArb.chain((annex) =>
      fc.record({
        annex: fc.constant(annex),
        grid: sheetArb(RETURN_NAMES[annex]).map((s) => s.rows.map((r) => r.map((c) => (c === null || typeof c !== 'object' || c instanceof Date ? c : String(JSON.stringify(c)))))),
      }),
    );
    await check(fc.asyncProperty(grid, (g) => expectClear('returnsGrid', g)), { runs: 60 });
  }, testTimeout(60, BUDGET_MS));
});

describe('directory import (people and groups)', () => {
  it('answers CSV of every shape: BOM, quotes, CR/LF mixes, NUL, very long lines', async () => {
    const file = fc.oneof(
      { weight: 5, arbitrary: csvArb.map((t) => ({ name: 'people.csv', bytes: Buffer.from(t, 'utf8') })) },
      { weight: 1, arbitrary: fc.tuple(csvArb, fc.nat()).map(([t, cut]) => ({ name: 'cut.csv', bytes: Buffer.from(t, 'utf8').subarray(0, cut % (Buffer.byteLength(t) + 1)) })) },
      // 湖南省公安厅 in GBK, as Excel's plain CSV on Chinese Windows writes it
      { weight: 1, arbitrary: csvArb.map((t) => ({ name: 'gbk.csv', bytes: Buffer.concat([Buffer.from('bafec4cfcaa1b9abb0b2ccfc2c', 'hex'), Buffer.from(t, 'latin1')]) })) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => ({ name: 'random.csv', bytes: Buffer.from(b) })) },
    );
    await check(fc.asyncProperty(file, (f) => expectClear('directoryFile', f)), { runs: 100 });
  }, testTimeout(100, BUDGET_MS));

  it('answers directory workbooks: valid with any cells and headers, damaged, or with hostile XML', async () => {
    const file = fc.oneof(
      fc.array(sheetArb(DIRECTORY_NAMES), { minLength: 1, maxLength: 2 }).map((sheets) => ({ sheets })),
      fc.tuple(baseArb, fc.array(byteEditArb, { minLength: 1, maxLength: 3 })).map(([base, edits]) => ({ bytes: damage(base, edits) })),
      fc.tuple(baseArb, xmlAttackArb).map(([base, attack]) => ({ bytes: attackXml(base, attack) })),
    );
    await check(fc.asyncProperty(file, async (f) => expectClear('directoryFile', { name: '名单.xlsx', bytes: 'sheets' in f ? await buildWorkbook(f.sheets) : f.bytes })), { runs: 40 });
  }, testTimeout(40, BUDGET_MS));
});

/** The 附件5 workbook of the returns tests with its first sheet's XML (or workbook.xml) edited. */
function edited(edit: { sheet?: (xml: string) => string; book?: (xml: string) => string }): Buffer {
  const parts = unzip(bases[0]!);
  for (const p of parts) {
    if (edit.sheet && p.name === 'xl/worksheets/sheet1.xml') p.data = Buffer.from(edit.sheet(p.data.toString('utf8')));
    if (edit.book && p.name === 'xl/workbook.xml') p.data = Buffer.from(edit.book(p.data.toString('utf8')));
  }
  return zip(parts);
}
const afterSheetData = (xml: string) => (s: string) => s.replace('</sheetData>', `</sheetData>${xml}`);

describe('examples found by fuzzing (each took the process down or held it for minutes)', () => {
  const expectAnswer = async (input: Record<string, unknown>, budgetMs = BUDGET_MS) => {
    const { problem } = await sandbox.run('returnsExpect', { annex: 5, ...input }, budgetMs);
    if (problem) throw new Error(problem);
  };

  it('refuses a 4 MB workbook whose sheet inflates to 4 GB while its zip declares a few KB (it ran the heap out)', async () => {
    const parts = unzip(bases[0]!);
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    const xml = sheet.data.toString();
    const at = xml.indexOf('<sheetData>');
    Object.assign(sheet, { raw: deflatedBomb(xml.slice(0, at), 4096, xml.slice(at)), declaredSize: sheet.data.length });
    const bytes = zip(parts);
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024);
    await expectAnswer({ bytes, code: 'TOO_LARGE_UNZIPPED' });
  });

  it('refuses a merge over the whole sheet, and 20 000 small merges, before exceljs makes their cells', async () => {
    await expectAnswer({ bytes: edited({ sheet: afterSheetData('<mergeCells count="1"><mergeCell ref="A20:XFD1048576"/></mergeCells>') }), code: 'TOO_MANY_MERGES' });
    const many = Array.from({ length: 20_000 }, (_, i) => `<mergeCell ref="A${i * 2 + 20}:B${i * 2 + 20}"/>`).join('');
    await expectAnswer({ bytes: edited({ sheet: afterSheetData(`<mergeCells>${many}</mergeCells>`) }), code: 'TOO_MANY_MERGES' });
  });

  it('reads a workbook with a dropdown, a defined name or column widths over whole sheets (an old .xls print area)', async () => {
    const rows = 4; // the four service rows of annex5Rows()
    await expectAnswer({ bytes: edited({ sheet: afterSheetData('<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"是,否"</formula1></dataValidation></dataValidations>') }), rows });
    await expectAnswer({ bytes: edited({ book: (s) => s.replace('</sheets>', '</sheets><definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">Sheet1!$A$1:$IV$65536</definedName><definedName name="all">Sheet1!$A$1:$XFD$1048576</definedName></definedNames>') }), rows });
    await expectAnswer({ bytes: edited({ sheet: (s) => s.replace('<sheetData>', '<cols><col min="1" max="1000000000" width="9"/></cols><sheetData>') }), rows });
  });

  it('reads 2 000 rows that each have a stray cell at column XFD in about a second (it took minutes)', async () => {
    const stray = Array.from({ length: 2000 }, (_, i) => `<row r="${i + 20}"><c r="XFD${i + 20}"><v>1</v></c></row>`).join('');
    const started = performance.now();
    await expectAnswer({ bytes: edited({ sheet: (s) => s.replace('</sheetData>', `${stray}</sheetData>`) }), rows: 4 });
    expect(performance.now() - started).toBeLessThan(8_000);
  });

  it('refuses 400 000 cells within the size and row limits before loading them', async () => {
    const col = (c: number) => (c < 26 ? '' : String.fromCharCode(64 + Math.floor(c / 26))) + String.fromCharCode(65 + (c % 26));
    const row = (r: number) => `<row r="${r}">${Array.from({ length: 50 }, (_, c) => `<c r="${col(c)}${r}"><v>1</v></c>`).join('')}</row>`;
    const body = Array.from({ length: 8_000 }, (_, i) => row(i + 20)).join('');
    await expectAnswer({ bytes: edited({ sheet: (s) => s.replace('</sheetData>', `${body}</sheetData>`) }), code: 'TOO_LARGE_UNZIPPED' });
  });

  it('refuses a 10 MB CSV of 5 million short lines, or of one line of 5 million fields, at once (it took 40 s and ran the heap out)', async () => {
    const lines = Buffer.from('姓名,角色\n' + 'x\n'.repeat(5_000_000));
    const wide = Buffer.from('姓名,角色\n' + 'x,'.repeat(5_000_000));
    expect(lines.length).toBeGreaterThan(9 * 1024 * 1024);
    for (const bytes of [lines, wide]) {
      const started = performance.now();
      const { problem } = await sandbox.run('directoryExpect', { name: '名单.csv', bytes, code: 'IMPORT_TOO_MANY_ROWS' }, BUDGET_MS);
      expect(problem).toBeNull();
      expect(performance.now() - started).toBeLessThan(3_000);
    }
  });

  it('quotes a cell of 40 000 characters in a violation message cut short', async () => {
    const rows = annex5Rows();
    rows[5]![2] = '个人企业'.repeat(10_000); // 服务性质 of the first service row
    rows[6]![9] = '2026年8月1日、'.repeat(3_000); // 服务升级上线时间: thousands of wrong dates
    await expectAnswer({ bytes: await returnWorkbook([{ rows }]), rows: 4, maxMessage: 300 });
  });
});
