/**
 * Fuzz: the plan importer (domain/plan/parse.ts `parsePlan`) on mutated copies of the seed plan
 * (lines deleted, duplicated, swapped, inserted, cut short), other encodings and random text or
 * bytes. Every input gives a plan or a coded error with a Chinese message, within a time limit.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { check, testTimeout, watchProcess } from './support/fuzz.ts';
import { mutationArb, mutate, type Mutation } from './support/mutate.ts';
import { Sandbox } from './support/sandbox.ts';

watchProcess();
const sandbox = new Sandbox(new URL('./support/checks.ts', import.meta.url));
afterAll(() => sandbox.close());

/** The seed (10 KB) parses in tens of milliseconds; the limit leaves room for busy shared cores. */
const BUDGET_MS = 5_000;

const SEED_TEXT = readFileSync(new URL('../../prisma/seed/plan-2026-xiangyiban.txt', import.meta.url), 'utf8');
const SEED_LINES = SEED_TEXT.split('\n');

/** Lines a plan document is made of, to insert where they do not belong. */
const PLAN_LINES = [
  '附件2', '附件3', '附件4', '附件', '2026年“湘易办”重点任务分解表', '高频服务清单', '适老、适残高频服务清单', '梳理表', '\t序号', '\t具体内容', '\t完成时间', '\t责任单位',
  '\t工作任务', '\t事项名称', '\t1', '\t22', '\t999999999999', '\t-1', '\t', '', '\t2026年6月底前', '\t10月底前', '\t6月10日前', '\t2026年12月', '\t持续', '\t10个工作日',
  '\t省直各单位、各市州', '\t省直相关单位', '\t……等政策制定单位', '\t省公安厅', '\t各市州', '[image: ]', '[bookmark: OLE_LINK5]', '湘数据〔2026〕57号', '\t2026年2月30日前',
  '\t13月底前', '\t0月底前', '\t9999年12月', '\t（2026年6月底前；', '\t）。', '\r', '\f', '\v', '\u00a0', '\ufeff', '\u2028',
];

type LineEdit =
  | { op: 'delete'; at: number; count: number }
  | { op: 'duplicate'; at: number; count: number; to: number }
  | { op: 'insert'; at: number; line: string }
  | { op: 'swap'; at: number; to: number }
  | { op: 'truncate'; at: number }
  | { op: 'edit'; at: number; edit: Mutation };

const lineEdit: fc.Arbitrary<LineEdit> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 60 }), to: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), line: fc.oneof(fc.constantFrom(...PLAN_LINES), fc.string({ unit: 'grapheme', maxLength: 60 })) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('edit' as const), at: fc.nat(), edit: mutationArb(PLAN_LINES, 20) }),
);

function applyLineEdits(edits: readonly LineEdit[]): string {
  let lines = [...SEED_LINES];
  for (const e of edits) {
    const at = e.at % (lines.length + 1);
    if (e.op === 'delete') lines.splice(at, e.count);
    else if (e.op === 'duplicate') lines.splice(e.to % (lines.length + 1), 0, ...lines.slice(at, at + e.count));
    else if (e.op === 'insert') lines.splice(at, 0, e.line);
    else if (e.op === 'truncate') lines = lines.slice(0, at);
    else if (lines.length > 0) {
      const i = at % lines.length;
      if (e.op === 'swap') {
        const j = e.to % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      } else lines[i] = mutate(lines[i]!, [e.edit]);
    }
  }
  return lines.join('\n');
}

async function expectClearAnswer(input: string | Uint8Array): Promise<void> {
  const { problem } = await sandbox.run('plan', input, BUDGET_MS);
  if (problem) throw new Error(problem);
}

describe('plan importer', () => {
  it('answers a mutated seed plan with a plan or a Chinese error, never an exception or a hang', async () => {
    await check(fc.asyncProperty(fc.array(lineEdit, { minLength: 1, maxLength: 10 }), (edits) => expectClearAnswer(applyLineEdits(edits))), { runs: 300 });
  }, testTimeout(300, BUDGET_MS));

  it('answers the seed in other encodings and line endings, as text or bytes', async () => {
    const encodings = fc.constantFrom('utf8-bom', 'utf16le', 'utf16le-bom', 'latin1', 'crlf', 'cr', 'gbk-bytes', 'nul', 'string');
    const input = fc.tuple(encodings, fc.array(lineEdit, { maxLength: 3 }), fc.nat()).map(([enc, edits, cut]): string | Uint8Array => {
      const text = applyLineEdits(edits);
      const bytes = Buffer.from(text, 'utf8');
      switch (enc) {
        case 'utf8-bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
        case 'utf16le': return Buffer.from(text, 'utf16le');
        case 'utf16le-bom': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
        case 'latin1': return Buffer.from(text, 'latin1');
        case 'crlf': return text.replace(/\n/g, '\r\n');
        case 'cr': return text.replace(/\n/g, '\r');
        // 湖南省数据局 in GBK, then the rest cut at an arbitrary byte (possibly inside a character).
        case 'gbk-bytes': return Buffer.concat([Buffer.from('bafec4cfcaa1cafdbedde6d6', 'hex'), bytes.subarray(0, cut % (bytes.length + 1))]);
        case 'nul': return Buffer.concat([bytes.subarray(0, cut % (bytes.length + 1)), Buffer.from([0]), bytes.subarray(cut % (bytes.length + 1))]);
        default: return bytes.subarray(0, cut % (bytes.length + 1));
      }
    });
    await check(fc.asyncProperty(input, expectClearAnswer), { runs: 150 });
  }, testTimeout(150, BUDGET_MS));

  it('answers random text and random bytes with a Chinese error', async () => {
    const input = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 2000 }),
      fc.string({ unit: 'binary', maxLength: 2000 }),
      fc.uint8Array({ maxLength: 4000 }),
      fc.array(fc.constantFrom(...PLAN_LINES), { maxLength: 200 }).map((l) => l.join('\n')),
    );
    await check(fc.asyncProperty(input, expectClearAnswer), { runs: 400 });
  }, testTimeout(400, BUDGET_MS));

  it('parses a cell of thousands of dated clauses in linear time', async () => {
    // Regression (fuzzing): one cell of 20 000 dated clauses took 5 s — a filter over all deadlines
    // per sentence, quadratic in the clauses of a cell. 12 000 clauses in one cell must cost about
    // what 4 cells of 3 000 cost (it cost four times as much). Comparing the same amount of text,
    // the fastest of three runs each, keeps a busy machine from deciding.
    const head = '2026年工作方案\n附件2\n2026年重点任务分解表\n\t序号\n\t工作任务\n\t具体内容\n\t完成时间\n\t责任单位\n\n';
    const row = (seq: number, clauses: number) => `\t${seq}\n\t任务\n\t${'2026年6月底前，省公安厅完成；'.repeat(clauses)}\n\t2026年12月\n\t省公安厅\n\n`;
    const oneCell = head + row(1, 12_000);
    const fourCells = head + [1, 2, 3, 4].map((seq) => row(seq, 3_000)).join('');
    const times = { one: [] as number[], four: [] as number[] };
    for (let i = 0; i < 3; i++) {
      for (const [key, text] of [['four', fourCells], ['one', oneCell]] as const) {
        const { problem, ms } = await sandbox.run('plan', text, BUDGET_MS);
        if (problem) throw new Error(problem);
        times[key].push(ms);
      }
    }
    const [one, four] = [Math.min(...times.one), Math.min(...times.four)];
    expect(one / four, `one cell: ${Math.round(one)} ms, four cells: ${Math.round(four)} ms`).toBeLessThan(2);
  }, 60_000);
});
