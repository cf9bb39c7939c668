import { describe, expect, it } from 'vitest';
import { truncateUtf8, utf8Length } from '../../../bot/wecom/text.ts';

describe('UTF-8 byte truncation', () => {
  it('leaves text within the limit untouched', () => {
    expect(truncateUtf8('已签收', 9)).toBe('已签收');
  });

  it('cuts Chinese on a character boundary and adds an ellipsis within the limit', () => {
    const out = truncateUtf8('督办事项进度', 10); // 18 bytes; ellipsis is 3
    expect(out).toBe('督办…');
    expect(utf8Length(out)).toBeLessThanOrEqual(10);
  });

  it('never splits an emoji sequence or a surrogate pair', () => {
    const family = '👨‍👩‍👧';
    const out = truncateUtf8(`ab${family}${family}`, 2 + utf8Length(family) + 3 + 1);
    expect(out).toBe(`ab${family}…`);
    expect(out).not.toContain('\uFFFD');
  });

  it('returns an empty string when not even the ellipsis fits', () => {
    expect(truncateUtf8('督办', 2)).toBe('');
  });
});
