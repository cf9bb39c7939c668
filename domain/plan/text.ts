/**
 * Input checks and normalisation for plan documents: bytes or string in, clean `\n`-separated text
 * out. Rejects empty, binary and non-UTF-8 input with coded {@link DomainError}s.
 */
import { DomainError } from '../errors.ts';

/** Share of control bytes (other than tab/newline/CR/FF/VT) above which input counts as binary. */
const MAX_CONTROL_RATIO = 0.05;

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c && code !== 0x0b) || code === 0x7f;
}

function binaryError(reason: string): DomainError {
  return new DomainError(
    'PLAN_BINARY',
    '文件不是文本文件（疑似二进制文件），请上传从 Word 导出的 UTF-8 纯文本（.txt）。',
    `plan input looks binary (${reason}); expected UTF-8 text`,
    { reason },
  );
}

function emptyError(): DomainError {
  return new DomainError('PLAN_EMPTY', '文件内容为空，请上传工作方案的文本。', 'plan input is empty');
}

function encodingError(line: number): DomainError {
  return new DomainError(
    'PLAN_ENCODING',
    `文件不是 UTF-8 编码（第 ${line} 行起无法识别，可能是 GBK 编码），请另存为 UTF-8 编码的文本后重新上传。`,
    `plan input is not valid UTF-8 (first bad line: ${line}); save it as UTF-8`,
    { line },
  );
}

/** 1-based number of the first line of `bytes` that is not valid UTF-8, or null when all are. */
function firstBadUtf8Line(bytes: Uint8Array): number | null {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return null;
}

function checkBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) throw emptyError();
  let controls = 0;
  for (const b of bytes) {
    if (b === 0) throw binaryError('NUL byte');
    if (isControl(b)) controls++;
  }
  if (controls / bytes.length > MAX_CONTROL_RATIO) throw binaryError('control bytes');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw encodingError(firstBadUtf8Line(bytes) ?? 1);
  }
}

function checkString(text: string): string {
  if (text.includes('\u0000')) throw binaryError('NUL character');
  let controls = 0;
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) controls++;
  if (text.length > 0 && controls / text.length > MAX_CONTROL_RATIO) throw binaryError('control characters');
  // U+FFFD means someone already decoded non-UTF-8 bytes lossily (e.g. GBK read as UTF-8).
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) throw encodingError(text.slice(0, bad).split('\n').length);
  return text;
}

/**
 * Decode and normalise a plan document: checks it is non-empty UTF-8 text, strips a BOM and turns
 * CRLF / CR line endings into `\n`. Line numbers are preserved.
 */
export function decodePlanInput(input: Uint8Array | string): string {
  let text = typeof input === 'string' ? checkString(input) : checkBytes(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw emptyError();
  return text;
}

/** Word-export marks such as `[bookmark: OLE_LINK5]` and `[image: ]`. */
const MARK_RE = /\[(?:bookmark|image|picture|footnote|comment)\s*:[^\]\n]*\]/gi;

/** Remove Word-export marks from one line. */
export function stripMarks(line: string): string {
  return line.replace(MARK_RE, '');
}

/** Trim, including full-width spaces and NBSP. */
export function clean(s: string): string {
  return s.replace(/^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$/g, '');
}
