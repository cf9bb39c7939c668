/**
 * Inputs for the Excel/CSV importers (returns 附件1/5/6, the directory import, the problem list
 * import): workbooks written by exceljs with cells of every type a spreadsheet can hold, headers
 * permuted, dropped, repeated or garbled; workbooks broken at the byte level, at the zip level and
 * inside their XML; CSV text of every shape. All seeded by fast-check, so a seed replays the bytes.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { TEMPLATES, type AnnexNo } from '../../../domain/returns/templates.ts';
import { GROUP_COLUMNS, PEOPLE_COLUMNS } from '../../../handlers/services/directory-sheets.ts';
import { IMPORT_COLUMNS } from '../../../handlers/services/problem-import.ts';
import { mutate, mutationArb } from './mutate.ts';
import { unzip, zip, type ZipPart } from './zip.ts';

export type Cell = ExcelJS.CellValue;

/** Words the importers look for, to put where they do not belong (or where they do). */
export const SHEET_WORDS = [
  ...Object.values(TEMPLATES).flatMap((t) => t.columns.flatMap((c) => [c.header, ...c.aliases])),
  ...PEOPLE_COLUMNS, ...GROUP_COLUMNS, ...Object.values(IMPORT_COLUMNS),
  '填报单位（盖章）：省住房城乡建设厅 联系人：王五 联系电话：0731-88888888', '填报单位：', '联系人：', '填报须知', '注意事项', '样例', '……', '序号',
  '是', '否', '√', '×', '－', '已上线', '缺失', '个人', '企业', '个人/企业', '适老', '适残', '人脸识别/消息推送/办件状态/事后评价', '办件状态', '事后评价',
  '2026-07-30', '2026年9月30日', '2026/11/30', '7月30日', '20261130', '2026-02-30', '2026年13月1日', '2026-11-15关闭XX小程序；2026-12-20关闭APP',
  '省公安厅', '湖南省公安', '长沙市', '单位联络员', '单位负责人', '省数据局', 'WECOM', 'DINGTALK', '企业微信', '钉钉', '领导群', '单位群',
  'HX-001', '2026-06-22 10:15', '2026-06-20 15:00', '13812345678', '430102199001011234',
  '*服务名称', '服务\n名称', '服务名称（必填）', '公告时间（YYYY-MM-DD）', 'ＵＩ规范', '　序号　', '=SUM(A1:A9)', '#N/A', '\u0000', '\ufeff', '\u202e',
  // OOXML escapes: exceljs reads _x0000_ as a real NUL, which PostgreSQL refuses in text.
  '_x0000_', '张_x0000_三', 'HX_x0000_-9', '_x001F_', '_xD800_', '_x005F_x0000_',
];

const ERRORS = ['#N/A', '#DIV/0!', '#REF!', '#VALUE!', '#NAME?', '#NUM!', '#NULL!'] as const;
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SHEET_WORDS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('长', '名', 'x', '2026-07-30；'), fc.integer({ min: 1000, max: 40_000 })).map(([s, n]) => s.repeat(n)) },
);
const number = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 46233, 46295, 46356, 1e308, -1e-308, 2 ** 53, 0.1));
const date = fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true });

/** One cell, of any type exceljs writes: values, formulas, rich text, errors, hyperlinks. */
export const cellArb: fc.Arbitrary<Cell> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: number },
  { weight: 2, arbitrary: date },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.record({ formula: fc.constantFrom('A1+1', 'SUM(A1:XFD1048576)', 'NOW()', '1/0', 'B2&"x"'), result: fc.option(fc.oneof(text, number, date, fc.constantFrom(...ERRORS).map((error) => ({ error })))) }).map((f) => ({ formula: f.formula, ...(f.result === null ? {} : { result: f.result }) }) as Cell) },
  { weight: 1, arbitrary: fc.array(fc.record({ text, font: fc.constant({ bold: true }) }), { minLength: 1, maxLength: 3 }).map((richText) => ({ richText }) as Cell) },
  { weight: 1, arbitrary: fc.constantFrom(...ERRORS).map((error) => ({ error }) as Cell) },
  { weight: 1, arbitrary: fc.record({ text, hyperlink: fc.constantFrom('https://example.com/a', 'mailto:x@y', '#Sheet1!A1', 'javascript:alert(1)') }).map((h) => h as Cell) },
);

/** A header as units type it: the printed names and aliases, in any order, some garbled, repeated or missing. */
export function headerArb(names: readonly string[]): fc.Arbitrary<Cell[]> {
  const one = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...names) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...names), fc.array(mutationArb(['*', '（必填）', '\n', ' ', '　', '(', ')', '：', 'Ａ', '＊'], 4), { maxLength: 2 })).map(([n, ms]) => mutate(n, ms)) },
    { weight: 1, arbitrary: cellArb },
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.shuffledSubarray([...names], { minLength: names.length }) as fc.Arbitrary<Cell[]> },
    { weight: 2, arbitrary: fc.shuffledSubarray([...names], { minLength: Math.max(1, names.length - 2) }) as fc.Arbitrary<Cell[]> },
    { weight: 2, arbitrary: fc.array(one, { maxLength: names.length + 3 }) },
  );
}

export interface SheetSpec {
  name: string;
  rows: Cell[][];
  merges: [number, number, number, number][];
}

/** A sheet like a unit's: some lines above, a header, rows of cells (plausible words mostly), merges. */
export function sheetArb(names: readonly string[]): fc.Arbitrary<SheetSpec> {
  const row = fc.array(cellArb, { maxLength: names.length + 2 });
  return fc.record({
    name: fc.oneof(fc.constantFrom('Sheet1', '附件5', '人员', '群', '问题清单', '说明'), fc.string({ maxLength: 40 })),
    above: fc.array(row, { maxLength: 3 }),
    header: headerArb(names),
    body: fc.array(row, { maxLength: 12 }),
    merges: fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 })).map(([r, c, h, w]): [number, number, number, number] => [r, c, r + h, c + w]), { maxLength: 3 }),
  }).map((s) => ({ name: s.name, rows: [...s.above, s.header, ...s.body], merges: s.merges }));
}

const SHEET_NAME_BAD = /[\\/*?:[\]]/g;

/** The workbook of `sheets`, written by exceljs (names exceljs refuses are replaced). */
export async function buildWorkbook(sheets: readonly SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const used = new Set<string>();
  sheets.forEach((s, i) => {
    let name = s.name.replace(SHEET_NAME_BAD, '').replace(/^'|'$/g, '').slice(0, 31).trim();
    if (!name || used.has(name.toLowerCase()) || name.toLowerCase() === 'history') name = `S${i + 1}`;
    used.add(name.toLowerCase());
    const ws = wb.addWorksheet(name);
    s.rows.forEach((r, i) => {
      const row = ws.getRow(i + 1);
      r.forEach((v, c) => {
        const cell = row.getCell(c + 1);
        cell.value = v;
        if (v instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      });
    });
    const taken: [number, number, number, number][] = [];
    for (const m of s.merges) {
      // exceljs refuses overlapping merges while writing: keep the first of overlapping ones.
      if (taken.some((t) => m[0] <= t[2] && t[0] <= m[2] && m[1] <= t[3] && t[1] <= m[3])) continue;
      taken.push(m);
      ws.mergeCells(...m);
    }
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Column names of each importer, to build headers from. */
export const RETURN_NAMES: Record<AnnexNo, string[]> = Object.fromEntries(
  Object.values(TEMPLATES).map((t) => [t.annex, t.columns.flatMap((c) => (c.header ? [c.header] : []))]),
) as Record<AnnexNo, string[]>;
export const DIRECTORY_NAMES = [...PEOPLE_COLUMNS, ...GROUP_COLUMNS];
export const PROBLEM_NAMES = Object.values(IMPORT_COLUMNS);

/** `book` with every «NUL» in its XML turned into the OOXML escape _x0000_ (exceljs reads it as a NUL character). */
export function escapedNul(book: Buffer): Buffer {
  const parts = unzip(book);
  for (const p of parts) p.data = Buffer.from(p.data.toString('utf8').replaceAll('«NUL»', '_x0000_'), 'utf8');
  return zip(parts);
}

export type ByteEdit =
  | { op: 'flip'; at: number; mask: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'zero'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number; to: number };

export const byteEditArb: fc.Arbitrary<ByteEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('zero' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }), to: fc.nat() }) },
);

/** `base` with byte-level damage; positions wrap around its current length. */
export function damage(base: Buffer, edits: readonly ByteEdit[]): Buffer {
  let b = Buffer.from(base);
  for (const e of edits) {
    const at = e.at % (b.length + 1);
    if (e.op === 'flip') {
      if (b.length) b[at % b.length]! ^= e.mask;
    } else if (e.op === 'truncate') b = b.subarray(0, at);
    else if (e.op === 'insert') b = Buffer.concat([b.subarray(0, at), e.bytes, b.subarray(at)]);
    else if (e.op === 'zero') b.fill(0, at, Math.min(b.length, at + e.length));
    else b = Buffer.concat([b.subarray(0, e.to % (b.length + 1)), b.subarray(at, at + e.length), b.subarray(e.to % (b.length + 1))]);
  }
  return b;
}

/**
 * XML a hostile or careless file may carry: ranges over whole sheets (merges, validations, names,
 * columns), cell references out of Excel's range, bad types and indexes, entities, deep nesting.
 */
export const XML_SNIPPETS = [
  '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', '<mergeCells><mergeCell ref="A20:B20"/><mergeCell ref="A20:C21"/></mergeCells>',
  '<mergeCell ref="A1&#58;XFD1048576"/>', '<mergeCell ref="ZZZZ1:A1"/>', '<mergeCell ref=\'B2:C3\'/>',
  '<dataValidations count="1"><dataValidation type="list" sqref="A1:XFD1048576"><formula1>"a,b"</formula1></dataValidation></dataValidations>',
  '<cols><col min="1" max="1000000000" width="9"/></cols>', '<cols><col min="5" max="2" width="9"/></cols>',
  '<definedNames><definedName name="x">Sheet1!$A$1:$XFD$1048576</definedName></definedNames>', '<definedName name="_xlnm.Print_Area" localSheetId="0">Sheet1!$A$1:$IV$65536</definedName>',
  '<conditionalFormatting sqref="A1:XFD1048576"><cfRule type="expression" priority="1"><formula>1</formula></cfRule></conditionalFormatting>',
  '<hyperlinks><hyperlink ref="A1:XFD1048576" display="x"/></hyperlinks>', '<autoFilter ref="A1:XFD1048576"/>', '<dimension ref="A1:XFD1048576"/>',
  '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', '<row r="0"><c r="A0"><v>1</v></c></row>', '<row r="-5"/>', '<row r="3" spans="1:999999999"/>',
  '<c r="XFD3"><v>1</v></c>', '<c r="AAAAAAA3"><v>1</v></c>', '<c r=""><v>1</v></c>', '<c><v>1</v></c>', '<c r="B3" t="s"><v>999999</v></c>', '<c r="B3" t="s"><v>-1</v></c>',
  '<c r="B3" t="e"><v>#GARBAGE</v></c>', '<c r="B3" t="d"><v>not a date</v></c>', '<c r="B3" t="b"><v>7</v></c>', '<c r="B3" t="n"><v>1e99999</v></c>', '<c r="B3" s="99999"><v>1</v></c>',
  '<c r="B3" t="inlineStr"><is><t>服务名称</t></is></c>', '<c r="B3"><f t="shared" ref="B3:XFD1048576" si="0">1+1</f><v>2</v></c>', '<c r="B3"><f t="shared" si="77"/></c>',
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaaaaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', '&b;', '&#0;', '&#xD800;', '<![CDATA[<c r="A1"/>]]>',
  '<x:c r="A1"/>', '<sheetData>', '</sheetData>', '<row>', '</row>', '<', '>', '"', '&', '\u0000', '\uffff',
  '<a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a><a>', '<sheetView tabSelected="1" workbookViewId="999"><selection sqref="A1:XFD1048576"/></sheetView>',
];

export interface XmlAttack {
  /** Which part (index into the parts, wrapping). */
  part: number;
  /** Insert at tag boundaries (right after a '>'), so that more edits leave the XML well-formed and reach exceljs' model. */
  aligned: boolean;
  edits: ReturnType<typeof mutationArb> extends fc.Arbitrary<infer M> ? M[] : never;
}

export const xmlAttackArb: fc.Arbitrary<XmlAttack> = fc.record({ part: fc.nat(), aligned: fc.boolean(), edits: fc.array(mutationArb(XML_SNIPPETS, 200), { minLength: 1, maxLength: 5 }) });

function alignToTags(text: string, edits: XmlAttack['edits']): XmlAttack['edits'] {
  const ends: number[] = [];
  for (let i = text.indexOf('>'); i >= 0; i = text.indexOf('>', i + 1)) ends.push(i + 1);
  return ends.length === 0 ? edits : edits.map((e) => (e.op === 'insert' ? { ...e, at: ends[e.at % ends.length]! } : e));
}

/** The workbook with one XML part edited (sheet parts and workbook.xml most often), re-zipped correctly. */
export function attackXml(base: Buffer, attack: XmlAttack): Buffer {
  const parts = unzip(base);
  const likely = parts.map((p, i) => ({ p, i })).filter(({ p }) => /worksheets\/sheet\d+\.xml$|workbook\.xml$|sharedStrings\.xml$|styles\.xml$/.test(p.name));
  const pool = attack.part % 3 === 0 ? parts.map((_, i) => i) : likely.map((l) => l.i);
  const target = parts[pool[attack.part % pool.length]!]!;
  const text = target.data.toString('utf8');
  target.data = Buffer.from(mutate(text, attack.aligned ? alignToTags(text, attack.edits) : attack.edits), 'utf8');
  return zip(parts);
}

export type ZipLie =
  | { op: 'declare'; part: number; size: number }
  | { op: 'store'; part: number }
  | { op: 'rename'; part: number; name: string }
  | { op: 'drop'; part: number }
  | { op: 'twice'; part: number };

export const zipLieArb: fc.Arbitrary<ZipLie> = fc.oneof(
  fc.record({ op: fc.constant('declare' as const), part: fc.nat(), size: fc.oneof(fc.nat({ max: 4000 }), fc.constantFrom(0, 1, 0xfffffffe, 0xffffffff, 200 * 1024 * 1024)) }),
  fc.record({ op: fc.constant('store' as const), part: fc.nat() }),
  fc.record({ op: fc.constant('rename' as const), part: fc.nat(), name: fc.oneof(fc.constantFrom('xl/worksheets/sheet2.xml', '/xl/workbook.xml', 'xl/media/image1.png', 'xl/worksheets/sheet1.xml', '../../etc/passwd', ''), fc.string({ maxLength: 40 })) }),
  fc.record({ op: fc.constant('drop' as const), part: fc.nat() }),
  fc.record({ op: fc.constant('twice' as const), part: fc.nat() }),
);

/** The workbook re-zipped with parts lying about their size, stored, renamed, dropped or repeated. */
export function lieInZip(base: Buffer, lies: readonly ZipLie[]): Buffer {
  let parts: ZipPart[] = unzip(base);
  for (const l of lies) {
    if (parts.length === 0) break;
    const i = l.part % parts.length;
    const p = parts[i]!;
    if (l.op === 'declare') parts[i] = { ...p, declaredSize: l.size };
    else if (l.op === 'store') parts[i] = { ...p, method: 0 };
    else if (l.op === 'rename') parts[i] = { ...p, name: l.name };
    else if (l.op === 'drop') parts = parts.filter((_, j) => j !== i);
    else parts = [...parts, { ...p }];
  }
  return zip(parts);
}

/** CSV text of every shape: quotes, separators, CR/LF mixes, BOM, NUL, long lines. */
export const csvArb: fc.Arbitrary<string> = (() => {
  const field = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...SHEET_WORDS, ...DIRECTORY_NAMES) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('"', '""', '"a""b"', '"unclosed', 'a"b', ',', ';', '\t', '\r', '\n', '\r\n', '\u0000', '\ufeff', '\u2028', '=cmd|"/c calc"!A1') },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)) },
  );
  const quoted = fc.tuple(field, fc.boolean()).map(([f, q]) => (q ? `"${f.replace(/"/g, '""')}"` : f));
  const line = fc.array(quoted, { maxLength: 9 }).map((fs) => fs.join(','));
  const header = fc.oneof(
    fc.shuffledSubarray([...PEOPLE_COLUMNS], { minLength: 1 }).map((h) => h.join(',')),
    fc.shuffledSubarray([...GROUP_COLUMNS], { minLength: 1 }).map((h) => h.join(',')),
    line,
  );
  return fc.record({
    bom: fc.boolean(),
    header,
    lines: fc.array(line, { maxLength: 12 }),
    eol: fc.constantFrom('\r\n', '\n', '\r', '\n\r'),
    mixed: fc.boolean(),
  }).map((c) => (c.bom ? '\ufeff' : '') + [c.header, ...c.lines].map((l, i) => l + (c.mixed && i % 2 ? '\n' : c.eol)).join(''));
})();
