/**
 * Small request/response helpers shared by every web route: one error shape
 * `{ error: CODE, message: 中文 }`, bodies read with a size cap and validated with zod.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import { readRawBody } from '../../bot/core/raw-body.ts';

// Messages of every schema without its own say it in Chinese (people read them), not in English.
z.config(z.locales.zhCN());

export const JSON_BODY_MAX = 1024 * 1024;

export function fail(ctx: Context, status: number, error: string, message: string): void {
  ctx.status = status;
  ctx.body = { error, message };
}

export function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');
}

/** Reads a JSON or urlencoded body (forms) into an object; answers 413/415/400 itself and returns null. */
export async function readBody(ctx: Context, max = JSON_BODY_MAX): Promise<Record<string, unknown> | null> {
  const type = String(ctx.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    fail(ctx, 415, 'UNSUPPORTED_MEDIA_TYPE', '请求格式不支持：请以 JSON 或表单提交。');
    return null;
  }
  const raw = await readRawBody(ctx.req, max);
  if (raw === 'too-large') {
    fail(ctx, 413, 'TOO_LARGE', `请求内容过大（上限 ${Math.round(max / 1024)} KB）。`);
    return null;
  }
  const text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  try {
    const v = JSON.parse(text || '{}') as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  fail(ctx, 400, 'BAD_JSON', '请求内容不是有效的 JSON 对象。');
  return null;
}

/** Body → validated value, or null after answering 400 with the reasons in Chinese. */
export async function parseBody<T extends z.ZodType>(ctx: Context, schema: T, max?: number): Promise<z.infer<T> | null> {
  const body = ctx.state.body !== undefined ? (ctx.state.body as Record<string, unknown>) : await readBody(ctx, max);
  if (!body) return null;
  const r = schema.safeParse(body);
  if (!r.success) {
    fail(ctx, 400, 'BAD_REQUEST', '提交内容有误：' + zodMessage(r.error));
    return null;
  }
  return r.data;
}

/** Query → validated value, or null after answering 400. */
export function parseQuery<T extends z.ZodType>(ctx: Context, schema: T): z.infer<T> | null {
  const r = schema.safeParse(ctx.query);
  if (!r.success) {
    fail(ctx, 400, 'BAD_QUERY', '查询参数有误：' + zodMessage(r.error));
    return null;
  }
  return r.data;
}

/** Server-side pagination parameters shared by every list API. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});
