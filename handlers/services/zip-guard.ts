/**
 * Proves an uploaded .xlsx (a zip) is safe to hand to exceljs. exceljs inflates every part with
 * JSZip, which trusts the sizes the zip declares and only compares them once a part is fully
 * inflated: a 4 MB workbook whose sheet inflates to 4 GB took the whole process down (heap out of
 * memory) although its central directory declared a few KB. So every part is inflated here first,
 * never beyond its declared size, and the declared sizes must add up to less than the limit.
 *
 * The zip is read the way JSZip reads it (last end-of-central-directory record, central records
 * from its offset for as long as their signature follows, local data after the local header), and
 * anything JSZip would read differently or that needs zip64 is refused: what passes here is exactly
 * what exceljs will inflate. Workbooks from Excel, WPS, LibreOffice and exceljs are plain zips.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Sum of the uncompressed sizes of all parts. */
  maxBytes: number;
  maxEntries: number;
}

export type ZipVerdict =
  | { ok: true; bytes: number; entries: number }
  | { ok: false; reason: 'NOT_ZIP' | 'TOO_LARGE'; detail: string };

interface Entry {
  method: number;
  compressed: number;
  size: number;
  local: number;
}

const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const no = (detail: string): ZipVerdict => ({ ok: false, reason: 'NOT_ZIP', detail });

/** The central directory as JSZip reads it, or why it is refused. */
function entries(buf: Buffer): Entry[] | string {
  const end = buf.lastIndexOf(EOCD);
  if (end < 0 || end + 22 > buf.length) return 'no end of central directory';
  if (end + 22 + buf.readUInt16LE(end + 20) > buf.length) return 'truncated zip comment';
  const records = buf.readUInt16LE(end + 10);
  const cdSize = buf.readUInt32LE(end + 12);
  const cdOffset = buf.readUInt32LE(end + 16);
  if ([4, 6, 8, 10].some((o) => buf.readUInt16LE(end + o) === 0xffff) || cdSize === 0xffffffff || cdOffset === 0xffffffff) return 'zip64';
  // JSZip shifts every offset when the directory is not right before its end record: refuse that.
  if (cdOffset + cdSize !== end) return 'central directory not before its end record';
  const out: Entry[] = [];
  let p = cdOffset;
  while (p + 46 <= buf.length && buf.readUInt32LE(p) === CENTRAL) {
    if (buf.readUInt16LE(p + 8) & 1) return 'encrypted part';
    const e = { method: buf.readUInt16LE(p + 10), compressed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24), local: buf.readUInt32LE(p + 42) };
    if (e.compressed === 0xffffffff || e.size === 0xffffffff || e.local === 0xffffffff) return 'zip64 part';
    out.push(e);
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  if (out.length !== records) return `${out.length} central records, ${records} declared`;
  return out;
}

/** Total declared uncompressed size and part count, or null when it is not a plain zip. */
export function zipDeclared(buf: Buffer): { bytes: number; entries: number } | null {
  const list = entries(buf);
  return typeof list === 'string' ? null : { bytes: list.reduce((n, e) => n + e.size, 0), entries: list.length };
}

/**
 * Checks a zip against `limits`, inflating each part at most to its declared size; `onPart` sees
 * each part's content (and may throw to refuse the file). Not its name: JSZip may take the name
 * from an extra field, so a part cannot be trusted to be what its stored name says.
 */
export function inspectZip(buf: Buffer, limits: ZipLimits, onPart?: (content: Buffer) => void): ZipVerdict {
  const list = entries(buf);
  if (typeof list === 'string') return no(list);
  if (list.length > limits.maxEntries) return { ok: false, reason: 'TOO_LARGE', detail: `${list.length} parts` };
  const declared = list.reduce((n, e) => n + e.size, 0);
  if (declared > limits.maxBytes) return { ok: false, reason: 'TOO_LARGE', detail: `declares ${declared} bytes` };
  for (const e of list) {
    if (e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== LOCAL) return no('no local header');
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    if (start + e.compressed > buf.length) return no('part beyond the end of the file');
    const data = buf.subarray(start, start + e.compressed);
    if (e.method === 0) {
      if (e.compressed !== e.size) return no('stored part of the wrong size');
      onPart?.(data);
      continue;
    }
    if (e.method !== 8) return no(`compression method ${e.method}`);
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(data, { maxOutputLength: Math.max(1, e.size) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return { ok: false, reason: 'TOO_LARGE', detail: `a part inflates beyond its declared ${e.size} bytes` };
      return no(`bad deflate data: ${(err as Error).message}`);
    }
    if (inflated.length !== e.size) return no(`a part inflates to ${inflated.length} bytes, ${e.size} declared`);
    onPart?.(inflated);
  }
  return { ok: true, bytes: declared, entries: list.length };
}
