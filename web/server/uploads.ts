/**
 * multipart/form-data uploads (busboy): one file, size-capped while streaming, type-checked by
 * extension AND by content (an .xlsx is a zip, a .csv is UTF-8 text), so a renamed executable is
 * refused. Answers 400/413/415 itself and returns null.
 */
import type { Context } from 'koa';
import busboy from 'busboy';
import { fail } from './http.ts';

export type UploadKind = 'xlsx' | 'csv';

export interface Upload {
  name: string;
  kind: UploadKind;
  bytes: Buffer;
  fields: Record<string, string>;
}

const KIND_BY_EXT: Record<string, UploadKind> = { xlsx: 'xlsx', csv: 'csv' };

export function detectKind(name: string, bytes: Buffer): UploadKind | null {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const kind = KIND_BY_EXT[ext];
  if (!kind) return null;
  if (kind === 'xlsx') return bytes.length > 4 && bytes.readUInt32BE(0) === 0x504b0304 ? 'xlsx' : null;
  // CSV: valid UTF-8 (optionally with BOM) without NUL bytes.
  if (bytes.includes(0)) return null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'csv';
  } catch {
    return null;
  }
}

export async function readUpload(ctx: Context, opts: { maxBytes: number; kinds: UploadKind[] }): Promise<Upload | null> {
  const type = String(ctx.get('content-type') ?? '');
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    fail(ctx, 415, 'UNSUPPORTED_MEDIA_TYPE', '请以文件上传（multipart/form-data）方式提交。');
    return null;
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > opts.maxBytes + 64 * 1024) {
    fail(ctx, 413, 'TOO_LARGE', `文件过大（上限 ${Math.round(opts.maxBytes / 1024 / 1024)} MB）。`);
    ctx.req.resume();
    return null;
  }
  const result = await new Promise<{ file?: { name: string; bytes: Buffer }; fields: Record<string, string>; error?: 'too-large' | 'many' | 'bad' }>((resolve) => {
    const fields: Record<string, string> = {};
    let file: { name: string; bytes: Buffer } | undefined;
    let error: 'too-large' | 'many' | 'bad' | undefined;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, limits: { fileSize: opts.maxBytes, files: 1, fields: 50, fieldSize: 64 * 1024 }, defParamCharset: 'utf8' });
    } catch {
      resolve({ fields, error: 'bad' });
      return;
    }
    bb.on('field', (k, v) => {
      fields[k] = v;
    });
    bb.on('file', (_field, stream, info) => {
      if (file) {
        error = 'many';
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        error = 'too-large';
      });
      stream.on('end', () => {
        file = { name: info.filename || 'upload', bytes: Buffer.concat(chunks) };
      });
    });
    bb.on('filesLimit', () => {
      error = 'many';
    });
    bb.on('error', () => resolve({ fields, error: 'bad' }));
    bb.on('close', () => resolve({ file, fields, ...(error ? { error } : {}) }));
    ctx.req.pipe(bb);
  });
  if (result.error === 'too-large') {
    fail(ctx, 413, 'TOO_LARGE', `文件过大（上限 ${Math.round(opts.maxBytes / 1024 / 1024)} MB）。`);
    return null;
  }
  if (result.error === 'many') {
    fail(ctx, 400, 'ONE_FILE', '一次只能上传一个文件。');
    return null;
  }
  if (result.error === 'bad' || !result.file) {
    fail(ctx, 400, 'NO_FILE', '没有收到文件，请选择要上传的文件。');
    return null;
  }
  const kind = detectKind(result.file.name, result.file.bytes);
  if (!kind && opts.kinds.includes('csv') && /\.csv$/i.test(result.file.name)) {
    // Excel's plain "CSV" is GBK on Chinese Windows: say how to save it, rather than import mojibake.
    fail(ctx, 415, 'CSV_NOT_UTF8', `文件「${result.file.name}」不是 UTF-8 编码的 CSV：请在 Excel 中“另存为”并选择“CSV UTF-8（逗号分隔）”，或在 WPS 中选择 UTF-8 编码后重新上传；也可以直接上传 .xlsx 文件。`);
    return null;
  }
  if (!kind || !opts.kinds.includes(kind)) {
    const allowed = opts.kinds.map((k) => (k === 'xlsx' ? 'Excel（.xlsx）' : 'CSV（UTF-8）')).join('或');
    fail(ctx, 415, 'BAD_FILE_TYPE', `文件「${result.file.name}」不是有效的${allowed}文件。`);
    return null;
  }
  return { name: result.file.name, kind, bytes: result.file.bytes, fields: result.fields };
}
