/**
 * The 一键反馈 form's body: multipart/form-data (busboy) with text fields and up to
 * PROBLEM_ATTACHMENT_LIMITS.count files, each capped while streaming. Only images and PDF are taken
 * here (by extension); their content is checked by storeProblemAttachments like every attachment.
 * Answers 400/413/415 itself and returns null.
 */
import type { Context } from 'koa';
import busboy from 'busboy';
import { PROBLEM_ATTACHMENT_LIMITS, type IncomingAttachment } from '../../handlers/services/problem-attachments.ts';
import { fail } from './http.ts';

export const FORM_FILE_EXT = /\.(png|jpe?g|pdf)$/i;

export interface ProblemForm {
  fields: Record<string, string>;
  files: IncomingAttachment[];
}

export async function readProblemForm(ctx: Context, limits = PROBLEM_ATTACHMENT_LIMITS): Promise<ProblemForm | null> {
  if (!String(ctx.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    fail(ctx, 415, 'UNSUPPORTED_MEDIA_TYPE', '请以表单（multipart/form-data）提交。');
    return null;
  }
  const mb = Math.round(limits.bytes / 1024 / 1024);
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limits.count * limits.bytes + 64 * 1024) {
    ctx.req.resume();
    fail(ctx, 413, 'TOO_LARGE', `附件过大（每个不超过 ${mb} MB，最多 ${limits.count} 个）。`);
    return null;
  }
  const r = await new Promise<{ form: ProblemForm; error?: { status: number; code: string; message: string } }>((resolve) => {
    const form: ProblemForm = { fields: {}, files: [] };
    let error: { status: number; code: string; message: string } | undefined;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, limits: { fileSize: limits.bytes, files: limits.count, fields: 20, fieldSize: 64 * 1024 }, defParamCharset: 'utf8' });
    } catch {
      resolve({ form, error: { status: 400, code: 'BAD_FORM', message: '表单格式有误，请刷新页面后重试。' } });
      return;
    }
    bb.on('field', (k, v) => {
      form.fields[k] = v;
    });
    bb.on('file', (_field, stream, info) => {
      const name = info.filename || '';
      if (!name) return void stream.resume(); // an empty file input
      if (!FORM_FILE_EXT.test(name)) {
        error ??= { status: 415, code: 'BAD_FILE_TYPE', message: `附件「${name}」的类型不支持：仅可上传图片（PNG、JPG）或 PDF。` };
        return void stream.resume();
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        error ??= { status: 413, code: 'ATTACHMENT_TOO_LARGE', message: `附件「${name}」超过 ${mb} MB 上限。` };
      });
      stream.on('end', () => form.files.push({ name, bytes: new Uint8Array(Buffer.concat(chunks)) }));
    });
    bb.on('filesLimit', () => {
      error ??= { status: 400, code: 'PROBLEM_ATTACHMENTS', message: `附件最多 ${limits.count} 个。` };
    });
    bb.on('error', () => resolve({ form, error: { status: 400, code: 'BAD_FORM', message: '表单格式有误，请刷新页面后重试。' } }));
    bb.on('close', () => resolve({ form, ...(error ? { error } : {}) }));
    ctx.req.pipe(bb);
  });
  if (r.error) {
    fail(ctx, r.error.status, r.error.code, r.error.message);
    return null;
  }
  return r.form;
}
