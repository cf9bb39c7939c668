/**
 * The problem intake API for source systems (服务评价, 12345热线, 省长信箱…), section 九 of the plan.
 * A source authenticates with its own key (`Authorization: Bearer dbk_…`, stored as sha256 in
 * problem_source), not with a console session.
 *
 *   POST /api/problems                     → 201 created, or 200 with the same answer on a repeat
 *   GET  /api/problems/feedback?sourceRef= → the problem's state and its feedback records (masked)
 *
 * Answers: 400 bad JSON or fields, 401 no or wrong key, 403 source disabled, 404 unknown sourceRef,
 * 413 body or attachment too large, 415 not JSON; always `{ error: CODE, message: 中文 }`.
 */
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { isDomainError } from '../../domain/errors.ts';
import { GRADE_LABELS } from '../../domain/problems/index.ts';
import { fail, parseBody, zodMessage } from './http.ts';
import type { WebDeps } from './deps.ts';
import { INTAKE_LIMITS, intakeProblem, sourceActor } from '../../handlers/services/problems.ts';
import { PROBLEM_ATTACHMENT_LIMITS, storeProblemAttachments } from '../../handlers/services/problem-attachments.ts';
import { sourceByKey } from '../../handlers/services/problem-sources.ts';
import { PROBLEM_STATUS_LABELS, sourceFeedback, type ProblemSummary } from '../../handlers/services/problem-views.ts';

export type ProblemApiDeps = Pick<WebDeps, 'db' | 'log' | 'now' | 'handlers' | 'evidenceDir'>;

/** Base64 grows by 4/3; room for the JSON around the files. */
export const PROBLEM_API_BODY_MAX = Math.ceil((PROBLEM_ATTACHMENT_LIMITS.count * PROBLEM_ATTACHMENT_LIMITS.bytes * 4) / 3) + 64 * 1024;

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
/** ISO 8601 with a zone (2026-06-22T10:15:00+08:00, …Z), or a Shanghai wall time 2026-06-22 10:15[:00]. */
const ZONED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;
const LOCAL_RE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

export function parseReportedAt(text: string): Date | null {
  if (ZONED_RE.test(text)) return new Date(text);
  const m = LOCAL_RE.exec(text);
  if (!m) return null;
  const d = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}+08:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

const text = (label: string, max: number) => z.string({ error: `${label}应为文本` }).trim().max(max, `${label}不能超过 ${max} 个字符`);

const intakeBody = z.object({
  sourceRef: text('来源编号', INTAKE_LIMITS.sourceRef).min(1, '来源编号不能为空'),
  serviceName: text('服务名称', INTAKE_LIMITS.serviceName).nullish(),
  description: text('问题描述', INTAKE_LIMITS.description).min(1, '问题描述不能为空'),
  contact: text('联系方式', INTAKE_LIMITS.contact).nullish(),
  reportedAt: z.string().refine((s) => parseReportedAt(s) !== null, '反映时间格式应为 2026-06-22T10:15:00+08:00 或 2026-06-22 10:15').nullish(),
  attachments: z
    .array(z.object({
      name: text('附件名', 200).min(1, '附件名不能为空'),
      mime: text('附件类型', 100).optional(),
      content: z.string({ error: '附件内容应为 base64 文本' }).regex(BASE64_RE, '附件内容不是有效的 base64'),
    }))
    .max(PROBLEM_ATTACHMENT_LIMITS.count, `附件最多 ${PROBLEM_ATTACHMENT_LIMITS.count} 个`)
    .optional(),
});

/** The calling source, or null after answering 401/403. */
async function source(ctx: Context, deps: ProblemApiDeps): Promise<{ code: string; name: string } | null> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization') ?? '');
  if (!m) {
    ctx.set('WWW-Authenticate', 'Bearer');
    fail(ctx, 401, 'UNAUTHENTICATED', '缺少接口密钥：请在请求头 Authorization 中提供“Bearer 密钥”。');
    return null;
  }
  const s = await sourceByKey(deps.db, m[1]!);
  if (!s) {
    deps.log.warn({ path: ctx.path }, 'problem API: unknown key');
    ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    fail(ctx, 401, 'BAD_KEY', '接口密钥无效，请核对密钥或联系省数据局重新签发。');
    return null;
  }
  if (!s.active) {
    fail(ctx, 403, 'SOURCE_DISABLED', `问题来源「${s.name}」已停用，请联系省数据局。`);
    return null;
  }
  return s;
}

function answer(p: ProblemSummary) {
  return {
    id: p.id,
    sourceRef: p.sourceRef,
    grade: p.grade,
    gradeLabel: GRADE_LABELS[p.grade],
    status: p.status,
    statusLabel: PROBLEM_STATUS_LABELS[p.status],
    unit: p.unitCode ? { code: p.unitCode, name: p.unitName } : null,
    ticketId: p.ticketId,
    due: p.due,
  };
}

export function registerProblemApi(router: Router, deps: ProblemApiDeps): void {
  router.post('/api/problems', async (ctx) => {
    const s = await source(ctx, deps);
    if (!s) return;
    if (!String(ctx.get('content-type')).toLowerCase().startsWith('application/json')) {
      return fail(ctx, 415, 'UNSUPPORTED_MEDIA_TYPE', '请以 JSON（Content-Type: application/json）提交。');
    }
    const body = await parseBody(ctx, intakeBody, PROBLEM_API_BODY_MAX);
    if (!body) return;
    try {
      const files = (body.attachments ?? []).map((a) => ({ name: a.name, bytes: new Uint8Array(Buffer.from(a.content, 'base64')) }));
      const tooLarge = files.find((f) => f.bytes.byteLength > PROBLEM_ATTACHMENT_LIMITS.bytes);
      if (tooLarge) return fail(ctx, 413, 'ATTACHMENT_TOO_LARGE', `附件「${tooLarge.name}」超过 ${PROBLEM_ATTACHMENT_LIMITS.bytes / 1024 / 1024} MB 上限。`);
      const attachments = await storeProblemAttachments(deps.evidenceDir, files);
      const r = await intakeProblem(
        deps.handlers,
        { sourceCode: s.code, sourceRef: body.sourceRef, serviceName: body.serviceName ?? null, description: body.description, contact: body.contact ?? null, reportedAt: body.reportedAt ? parseReportedAt(body.reportedAt) : null, attachments },
        sourceActor(`${s.name}（接口）`),
      );
      ctx.status = r.created ? 201 : 200;
      ctx.body = { ...answer(r.problem), created: r.created };
    } catch (e) {
      if (!isDomainError(e)) throw e;
      deps.log.info({ source: s.code, code: e.code }, `problem API refused: ${e.messageEn}`);
      fail(ctx, 400, e.code, e.message);
    }
  });

  router.get('/api/problems/feedback', async (ctx) => {
    const s = await source(ctx, deps);
    if (!s) return;
    const q = z.object({ sourceRef: z.string().transform((v) => v.replace(/\u0000/g, '').trim()).pipe(z.string().min(1, '缺少 sourceRef').max(INTAKE_LIMITS.sourceRef)) }).safeParse(ctx.query);
    if (!q.success) return fail(ctx, 400, 'BAD_QUERY', '查询参数有误：' + zodMessage(q.error));
    const r = await sourceFeedback(deps.db, s.code, q.data.sourceRef);
    if (!r) return fail(ctx, 404, 'NOT_FOUND', `未找到来源编号为「${q.data.sourceRef}」的问题。`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      ...answer(r.problem),
      closedAt: r.problem.closedAt?.toISOString() ?? null,
      feedback: r.feedback.map((f) => ({ stage: f.stage, message: f.message, at: f.at.toISOString() })),
    };
  });
}
