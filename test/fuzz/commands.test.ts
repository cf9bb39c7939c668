/**
 * Fuzz: the command grammar (domain/commands) and the free-text reply parser (domain/reply) on
 * arbitrary Unicode, full-width forms, command words with junk and very long messages. Every input
 * gets a parse result or a CommandError with a Chinese message, within a time limit.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { COMMANDS, ROLES } from '../../domain/commands/index.ts';
import { check, testTimeout, watchProcess } from './support/fuzz.ts';
import { Sandbox } from './support/sandbox.ts';
import type { CommandInput, ReplyInput } from './support/checks.ts';

watchProcess();
const sandbox = new Sandbox(new URL('./support/checks.ts', import.meta.url));
afterAll(() => sandbox.close());

/** Per input: parsing a chat message takes milliseconds; a second means something is wrong. */
const BUDGET_MS = 2_000;

const WORDS = [...new Set(COMMANDS.flatMap((c) => [c.name, ...c.aliases]))];
const TOKENS = [
  ...WORDS, '#', '＃', '%', '％', '/', '／', '@督办助手', '@', ' ', '　', '\u200b', '\ufeff', '\n', '\t', ',', '，', '、', '。', ':', '：', ';', '；', '-', '—', '~', '～',
  '0', '１', '6', '８', '123', '999999999', '1234567890123', '-5', '1e9', '0.5', '80%', '百分之', '八成', '一百零五', '九十九', '十', '百', '零', '两', '〇',
  '任务', '第', '项', '号', '督办单', '工单', '单号', '更新', '申请', '同意', '不同意', '通过', '退回', '周报', '月报', '逾期', '省直', '市州', '省公安厅', '长沙市',
  '2026-12-31', '12月31日', '12-31', '2026-02-30', '0000-00-00', '9999-99-99', '昨天', '（', '）', '(', ')', '《', '》', '"', '“', '”', '\\', '$', '{', '}',
];

const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const messageArb = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((t) => t.join('')) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('/', '／', ' /', '@督办助手 /', '@督办助手　／', '/ ', '//'), fc.constantFrom(...WORDS), fc.array(fc.constantFrom(...TOKENS), { maxLength: 16 }), fc.boolean())
      .map(([slash, word, rest, wide]) => {
        const text = `${slash}${word}${rest.join(' ')}`;
        return wide ? fullWidth(text) : text;
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('/进度 ', '/催办 ', '/审核 #1 退回 ', '/延期 申请 #1 ', '@x ', '任务6 进度', '/帮助 ', '#', '/'), fc.constantFrom(...TOKENS), fc.integer({ min: 1, max: 4000 }))
      .map(([head, unit, n]) => head + unit.repeat(n)),
  },
);

const todayArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

describe('command grammar', () => {
  it('answers any message with a command, "not a command", or a Chinese usage error — never an exception or a hang', async () => {
    const input = fc.record({ text: messageArb, role: fc.option(fc.constantFrom(...ROLES), { nil: undefined }), today: todayArb }, { requiredKeys: ['text', 'today'] });
    await check(
      fc.asyncProperty(input, async (i: CommandInput) => {
        const { problem } = await sandbox.run('command', i, BUDGET_MS);
        if (problem) throw new Error(problem);
      }),
      { runs: 2000 },
    );
  }, testTimeout(2000, BUDGET_MS));

  it('normalizes any text without making it longer', async () => {
    await check(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), messageArb), async (text) => {
        const { problem } = await sandbox.run('normalize', text, BUDGET_MS);
        if (problem) throw new Error(problem);
      }),
      { runs: 1000 },
    );
  }, testTimeout(1000, BUDGET_MS));
});

describe('free-text reply parser', () => {
  const candidate = fc.record({
    ticketId: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 999_999_999 })),
    taskSeq: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
    status: fc.constantFrom('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED', 'DONE' as const),
  });
  it('answers any reply with one of its declared outcomes (a Chinese message when invalid), within a time limit', async () => {
    const input = fc.record({ text: messageArb, today: todayArb, candidates: fc.array(candidate, { maxLength: 8 }) });
    await check(
      fc.asyncProperty(input, async (i: ReplyInput) => {
        const { problem } = await sandbox.run('reply', i, BUDGET_MS);
        if (problem) throw new Error(problem);
      }),
      { runs: 2000 },
    );
  }, testTimeout(2000, BUDGET_MS));
});
