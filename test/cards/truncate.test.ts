import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { charCount, fitWithTail, truncateBytes, truncateChars, utf8Bytes } from '../../cards/render/truncate.ts';

const wellFormed = (s: string) => new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(s)) === s;
const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('utf8Bytes', () => {
  it('counts like the UTF-8 encoder', () => {
    for (const s of ['', 'abc', '督办', '🟢🟡🔴', 'é', '👨‍👩‍👧', '混合 text 🟢']) expect(utf8Bytes(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });

  it('agrees with the encoder on any string, lone surrogates included', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => utf8Bytes(s) === new TextEncoder().encode(s).length));
  });
});

describe('truncateBytes', () => {
  it('leaves a string that fits untouched', () => {
    expect(truncateBytes('督办单', 9)).toBe('督办单');
  });

  it('cuts between characters and marks the cut', () => {
    expect(truncateBytes('督办单已签收', 10)).toBe('督办…'); // 3+3 + 3 (…) = 9 ≤ 10; a third 3-byte char would not fit
    expect(truncateBytes('🟢🟢🟢', 9)).toBe('🟢…');
  });

  it('never splits a surrogate pair, a multi-byte character or an emoji sequence', () => {
    expect(truncateBytes('a👨‍👩‍👧b', 12)).toBe('a…');
    expect(truncateBytes('👍🏽👍🏽', 12)).toBe('👍🏽…');
  });

  it('drops the ellipsis when it alone does not fit', () => {
    expect(truncateBytes('督办', 2)).toBe('');
    expect(truncateBytes('ab督', 2)).toBe('ab');
  });

  it('always fits, stays well-formed and keeps a prefix (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.integer({ min: 0, max: 400 }), (s, max) => {
        const t = truncateBytes(s, max);
        const kept = t.endsWith('…') && !s.startsWith(t) ? t.slice(0, -1) : t;
        return utf8Bytes(t) <= max && wellFormed(t) && s.startsWith(kept);
      }),
    );
  });
});

describe('truncateChars', () => {
  it('counts code points, so an emoji is one character', () => {
    expect(charCount('🟢 正常')).toBe(4);
    expect(truncateChars('🟢 正常 · 剩余 12 个工作日', 6)).toBe('🟢 正常 …');
  });

  it('never leaves a lone surrogate (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), fc.integer({ min: 0, max: 120 }), (s, max) => {
        const t = truncateChars(s, max);
        return charCount(t) <= max && !hasLoneSurrogate(t);
      }),
    );
  });
});

describe('fitWithTail', () => {
  it('shortens the body and keeps the tail whole', () => {
    const out = fitWithTail('节点'.repeat(100), '回复「/签收 #1」即可签收', 40);
    expect(charCount(out)).toBeLessThanOrEqual(40);
    expect(out.endsWith('\n回复「/签收 #1」即可签收')).toBe(true);
    expect(out).toContain('…');
  });

  it('joins both when they fit', () => {
    expect(fitWithTail('a', 'b', 10)).toBe('a\nb');
    expect(fitWithTail('', 'b', 10)).toBe('b');
    expect(fitWithTail('a', '', 10)).toBe('a');
  });

  it('cuts the whole text when the tail alone is too long', () => {
    const out = fitWithTail('正文', '提示'.repeat(50), 20);
    expect(charCount(out)).toBeLessThanOrEqual(20);
    expect(out.startsWith('正文')).toBe(true);
  });
});
