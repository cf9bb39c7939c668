/**
 * WeCom limits text by UTF-8 bytes (a Chinese character is 3). Over-long text is cut here, on a
 * character boundary and with an ellipsis, instead of being truncated mid-character or refused by
 * the platform.
 */

/** message/send: text and markdown content (https://developer.work.weixin.qq.com/document/path/90236). */
export const APP_TEXT_MAX_BYTES = 2048;
/** Group robot: text content 2048, markdown content 4096 (https://developer.work.weixin.qq.com/document/path/91770). */
export const WEBHOOK_TEXT_MAX_BYTES = 2048;
export const WEBHOOK_MARKDOWN_MAX_BYTES = 4096;

const ELLIPSIS = '…';
const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, ending with an ellipsis when anything was cut. */
export function truncateUtf8(text: string, maxBytes: number, ellipsis = ELLIPSIS): string {
  if (utf8Length(text) <= maxBytes) return text;
  const budget = maxBytes - utf8Length(ellipsis);
  if (budget <= 0) return '';
  let out = '';
  let used = 0;
  // Whole graphemes only, so an emoji sequence or a combining mark is never split.
  for (const { segment } of segmenter.segment(text)) {
    const size = utf8Length(segment);
    if (used + size > budget) break;
    out += segment;
    used += size;
  }
  return out + ellipsis;
}
