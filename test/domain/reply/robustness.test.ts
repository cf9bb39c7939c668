import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, parseCommand } from '../../../domain/commands/index.ts';
import { type ReplyCandidate, parseProgressReply } from '../../../domain/reply/index.ts';

const today = '2026-06-15';
const candidates: ReplyCandidate[] = [
  { ticketId: 101, taskSeq: 6, status: 'IN_PROGRESS' },
  { ticketId: 102, taskSeq: 7, status: 'ASSIGNED' },
  { ticketId: 103, taskSeq: 7, status: 'RETURNED' },
];

/** Pieces of real commands and replies, so that random text reaches deep into the parsers. */
const piece = fc.constantFrom(
  '/', '／', '@督办助手 ', ' ', '　', '，', '：', '#', '＃', '任务', '第', '项', '号任务', '督办单', '进度', '更新', '审核',
  '通过', '退回', '延期', '申请', '同意', '不同意', '签收', '%', '％', '百分之', '成', '一半', '已完成', '完成了', '办结',
  '未', '基本', '八十', '一百', '十五', '零', '6', '７', '80', '123', '2026-12-31', '12月31日', '12-31', '.', '-', '\n',
  'status', 'stauts', '督ban',
);
const chatLike = fc.array(fc.oneof(piece, fc.string({ maxLength: 3 })), { maxLength: 30 }).map((parts) => parts.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }), chatLike);

function timed<T>(f: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = f();
  return { value, ms: performance.now() - start };
}

describe('robustness on arbitrary text', () => {
  it('parseCommand never throws, answers fast, and returns a known command or a Chinese error', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom(undefined, 'UNIT_OFFICER' as const, 'BUREAU_STAFF' as const), (text, role) => {
        const { value: r, ms } = timed(() => parseCommand(text, { today, role }));
        expect(ms).toBeLessThan(50);
        if (r === null) return;
        if (r.ok) expect(COMMAND_NAMES).toContain(r.command.name);
        else expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
      }),
      { numRuns: 2000 },
    );
  });

  it('parseProgressReply never throws, answers fast, and never invents a ticket or a percent', () => {
    fc.assert(
      fc.property(anyText, fc.subarray(candidates), (text, open) => {
        const { value: r, ms } = timed(() => parseProgressReply(text, { today, candidates: open }));
        expect(ms).toBeLessThan(50);
        if (r.kind === 'progress') expect(open.map((c) => c.ticketId)).toContain(r.ticketId);
        if (r.kind === 'ambiguous') for (const id of r.candidates) expect(open.map((c) => c.ticketId)).toContain(id);
        if (r.kind === 'progress' || r.kind === 'ambiguous' || r.kind === 'unknown-ref' || r.kind === 'no-open-tickets') {
          expect(r.percent).toBeGreaterThanOrEqual(0);
          expect(r.percent).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['repeated keywords', '进度'.repeat(20_000)],
    ['repeated references', '任务6'.repeat(10_000)],
    ['repeated hashes', '#'.repeat(50_000)],
    ['digits without end', '9'.repeat(50_000)],
    ['percent soup', '百分之'.repeat(10_000) + '%'],
    ['completion soup', '已'.repeat(20_000) + '完成'],
    ['a long command', `/审核 #123 退回 ${'材料不全，'.repeat(20_000)}`],
    ['a long unknown command', `/${'督'.repeat(50_000)}`],
    ['a long date-like tail', `/延期 申请 #1 ${'1-'.repeat(20_000)}`],
  ])('%s: both parsers finish fast', (_name, text) => {
    const { ms: commandMs } = timed(() => parseCommand(text, { today }));
    const { ms: replyMs } = timed(() => parseProgressReply(text, { today, candidates }));
    expect(commandMs).toBeLessThan(250);
    expect(replyMs).toBeLessThan(250);
  });
});
