/**
 * A small zip reader and writer for the Excel fuzz suites: take a workbook exceljs wrote apart into
 * its parts, change parts (XML edited, sizes declared falsely, a part inflating to gigabytes) and
 * put it back together. The writer always produces a structurally valid zip, so that what is tested
 * is the content, unless a test breaks the structure on purpose.
 */
import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  data: Buffer;
  /** Deflate (8, default) or store (0). */
  method?: 0 | 8;
  /** Overrides: the compressed bytes as stored, and the uncompressed size declared for them. */
  raw?: Buffer;
  declaredSize?: number;
}

/** The parts of a well-formed zip (as exceljs writes them); throws on anything else. */
export function unzip(buf: Buffer): ZipPart[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const parts: ZipPart[] = [];
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const n = buf.readUInt16LE(p + 28);
    const name = buf.subarray(p + 46, p + 46 + n).toString('utf8');
    const local = buf.readUInt32LE(p + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    parts.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw), method: method === 8 ? 8 : 0 });
    p += 46 + n + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return parts;
}

/** A zip of `parts`, sizes and CRCs as declared by each part (true ones unless overridden). */
export function zip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const method = part.method ?? 8;
    const raw = part.raw ?? (method === 8 ? deflateRawSync(part.data) : part.data);
    const name = Buffer.from(part.name, 'utf8');
    const size = part.declaredSize ?? part.data.length;
    const crc = crc32(part.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(0x0800, 6); // UTF-8 names
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(raw.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(0x0800, 8);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(raw.length, 20);
    ch.writeUInt32LE(size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, raw);
    central.push(ch, name);
    offset += 30 + name.length + raw.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length, 8);
  eocd.writeUInt16LE(parts.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/**
 * Raw deflate of `head`, then `fill` MB of spaces, then `tail`, made in milliseconds: one fully
 * flushed block of 1 MB of spaces (about 1 KB) repeated, as a zip bomb does — a part of `fill` KB
 * that inflates to `fill` MB.
 */
export function deflatedBomb(head: string, fillMb: number, tail: string): Buffer {
  const flushed = { finishFlush: constants.Z_FULL_FLUSH };
  const block = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), flushed);
  return Buffer.concat([deflateRawSync(head, flushed), ...Array.from({ length: fillMb }, () => block), deflateRawSync(tail)]);
}
