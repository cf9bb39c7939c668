/**
 * 问题工单 in the console (section 九): the list with filters and counts (`/problems`), a problem's
 * detail with the bureau's decision on one routing was not sure about (交办 / 不予受理, through
 * problem-routing.ts so the unit's card and the TicketEvent are exactly those of the chat), and the
 * 一键反馈 form (`/problems/new`) that files through intakeProblem.
 *
 * Every role may read; unit accounts only their unit's problems (ticketScope), so never one still
 * waiting for a unit; leaders read only. Filing, routing and dismissing are the bureau's
 * (domain/access.ts: reportProblem, routeProblem, dismissProblem) — the route gate admits only
 * bureau roles and the services check `authorize` again. Everything shown is masked.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import { ticketScope } from '../../domain/access.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import { isDomainError } from '../../domain/errors.ts';
import { GRADE_LABELS, maskPersonalData, PROBLEM_SOURCES, routeProblem } from '../../domain/problems/index.ts';
import { intakeProblem, INTAKE_LIMITS } from '../../handlers/services/problems.ts';
import { storeProblemAttachments } from '../../handlers/services/problem-attachments.ts';
import { dismissProblem, routeProblemTo } from '../../handlers/services/problem-routing.ts';
import { loadRoutingData, sourceNames } from '../../handlers/services/problem-setup.ts';
import { problemStatsByUnit, problemTotals } from '../../handlers/services/problem-stats.ts';
import { listProblems, problemView, PROBLEM_STATUS_LABELS, type ProblemStatus, type ProblemSummary, type ProblemView } from '../../handlers/services/problem-views.ts';
import { actorOf, BUREAU_ROLES, requireRoles, webUser } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { fail, pageQuery, parseBody, parseQuery, zodMessage } from './http.ts';
import { page } from './pages.ts';
import { readProblemForm } from './problem-form.ts';
import { periodQuery, problemPeriod, registerPublicProblems } from './public-problems.ts';

const STATUSES = Object.keys(PROBLEM_STATUS_LABELS) as [ProblemStatus, ...ProblemStatus[]];
const listQuery = pageQuery.extend({
  status: z.enum(STATUSES, { message: '状态应为 PENDING_ROUTE、ROUTED、CLOSED 或 DISMISSED' }).optional(),
  grade: z.enum(['GENERAL', 'SERIOUS', 'SEVERE'], { message: '等级应为 GENERAL、SERIOUS 或 SEVERE' }).optional(),
  source: z.string().trim().max(64).optional().transform((s) => s || undefined),
  unit: z.string().trim().max(64).optional().transform((s) => s || undefined),
  overdue: z.enum(['true', 'false']).optional(),
  period: periodQuery.default('month'),
});

/** The unit a unit account is limited to (null: every unit); answers 403 itself and returns undefined. */
function scopeOf(ctx: Context, filterUnit?: string): string | null | undefined {
  const scope = ticketScope(actorOf(webUser(ctx)));
  if (scope.kind === 'NONE') return void fail(ctx, 403, 'FORBIDDEN', '您的账号未绑定单位，无法查看问题工单，请联系管理员。');
  if (scope.kind === 'UNIT' && filterUnit && filterUnit !== scope.unitCode) return void fail(ctx, 403, 'FORBIDDEN', '您只能查看本单位的问题工单。');
  return scope.kind === 'UNIT' ? scope.unitCode : null;
}

function idParam(ctx: Context): number | null {
  const raw = String(ctx.params.id ?? '');
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    fail(ctx, 400, 'BAD_ID', '问题编号应为正整数。');
    return null;
  }
  return Number(raw);
}

function summaryJson(p: ProblemSummary) {
  return {
    id: p.id, grade: p.grade, gradeLabel: GRADE_LABELS[p.grade], gradeReason: p.gradeReason, status: p.status,
    statusLabel: PROBLEM_STATUS_LABELS[p.status], unitCode: p.unitCode, unitName: p.unitName, ticketId: p.ticketId,
    ticketStatus: p.ticketStatus, due: p.due, serviceName: p.serviceName, reportedAt: p.reportedAt.toISOString(),
    closedAt: p.closedAt?.toISOString() ?? null,
  };
}

/** Masked already (problem-views); the source's own reference stays inside the bureau. */
function viewJson(p: ProblemView, today: string) {
  return {
    ...summaryJson(p), sourceName: p.sourceName, routeReason: p.routeReason, description: p.description, contact: p.contact,
    attachments: p.attachments, overdue: p.ticketStatus !== null && p.ticketStatus !== 'DONE' && p.due !== null && p.due < today,
  };
}

/** Counts on top: the whole loop for the bureau and leaders, the unit's own row for a unit account. */
async function countsFor(deps: WebDeps, scopeUnit: string | null, kind: z.infer<typeof periodQuery>) {
  const period = problemPeriod(kind, deps.now());
  if (scopeUnit === null) {
    const t = await problemTotals(deps.db, period);
    return { period: period.label, received: t.received, closed: t.closed, onTimeRate: t.onTimeRate, open: t.open, overdue: t.overdueOpen, pendingRoute: t.pendingRoute };
  }
  const row = (await problemStatsByUnit(deps.db, period)).find((r) => r.unitCode === scopeUnit);
  return { period: period.label, received: row?.received ?? 0, closed: row?.closed ?? 0, onTimeRate: row?.onTimeRate ?? null, open: row?.open ?? 0, overdue: row?.overdueOpen ?? 0, pendingRoute: null };
}

/** Problem figures for the dashboard's cards (open and overdue now, waiting for the bureau). */
export async function dashboardProblemCounts(deps: Pick<WebDeps, 'db' | 'now'>, scopeUnit: string | null) {
  const period = problemPeriod('week', deps.now());
  if (scopeUnit === null) {
    const t = await problemTotals(deps.db, period);
    return { open: t.open, overdue: t.overdueOpen, pendingRoute: t.pendingRoute };
  }
  const row = (await problemStatsByUnit(deps.db, period)).find((r) => r.unitCode === scopeUnit);
  return { open: row?.open ?? 0, overdue: row?.overdueOpen ?? 0, pendingRoute: null };
}

async function unitOptions(deps: WebDeps, scopeUnit: string | null) {
  return deps.db.prisma.unit.findMany({
    where: scopeUnit ? { code: scopeUnit } : { kind: { not: 'BUREAU' } },
    orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }], select: { code: true, name: true, kind: true },
  });
}

async function detail(deps: WebDeps, ctx: Context, id: number) {
  const scopeUnit = scopeOf(ctx);
  if (scopeUnit === undefined) return null;
  const p = await problemView(deps.db, id);
  // A unit account is told nothing about problems that are not its unit's (not even that they exist).
  if (!p || (scopeUnit !== null && p.unitCode !== scopeUnit)) return void fail(ctx, 404, 'PROBLEM_NOT_FOUND', `未找到问题 P${id}。`);
  const [raw, feedback] = await Promise.all([
    deps.db.prisma.problem.findUniqueOrThrow({ where: { id }, select: { routeConfidence: true, description: true } }),
    deps.db.prisma.problemFeedback.findMany({ where: { problemId: id }, orderBy: { id: 'asc' } }),
  ]);
  let candidates: { unitCode: string; unitName: string; score: number; matched: string }[] = [];
  if (p.status === 'PENDING_ROUTE') {
    // Recomputed from the report exactly as the routing card does (problem-notify.ts).
    const routing = await loadRoutingData(deps.db);
    const names = new Map(routing.units.map((u) => [u.code, u.name]));
    candidates = routeProblem({ serviceName: p.serviceName, description: raw.description }, routing.catalogue, routing.units).candidates
      .filter((c) => names.has(c.unitCode)).slice(0, 5)
      .map((c) => ({ unitCode: c.unitCode, unitName: names.get(c.unitCode)!, score: c.score, matched: maskPersonalData(c.matched) }));
  }
  const bureau = BUREAU_ROLES.includes(webUser(ctx).role);
  return {
    problem: { ...viewJson(p, shanghaiDate(deps.now())), routeConfidence: raw.routeConfidence },
    candidates,
    feedback: feedback.map((f) => ({ stage: f.stage, message: maskPersonalData(f.message), at: f.createdAt.toISOString() })),
    canDecide: bureau && p.status === 'PENDING_ROUTE',
    units: bureau && p.status === 'PENDING_ROUTE' ? await unitOptions(deps, null) : [],
  };
}

const STATUS_OF: Record<string, number> = { FORBIDDEN: 403, PROBLEM_NOT_FOUND: 404, PROBLEM_DECIDED: 409, PROBLEM_UNIT: 400, PROBLEM_REASON_REQUIRED: 400 };

/** Runs a bureau decision; a refusal from the service becomes its HTTP answer. */
async function decide(ctx: Context, deps: WebDeps, what: string, act: () => Promise<object>): Promise<void> {
  const user = webUser(ctx);
  try {
    ctx.body = { ok: true, ...(await act()) };
    deps.log.info({ user: user.username, problem: ctx.params.id, what }, 'web problem decision');
  } catch (e) {
    if (!isDomainError(e)) throw e;
    deps.log.info({ user: user.username, problem: ctx.params.id, what, code: e.code }, 'web problem decision refused');
    fail(ctx, STATUS_OF[e.code] ?? 400, e.code, e.message);
  }
}

const SOURCE_CODES = PROBLEM_SOURCES.map((s) => s.code) as [string, ...string[]];
const formFields = z.object({
  clientRef: z.string({ message: '缺少表单编号，请刷新页面后重试' }).regex(/^[A-Za-z0-9-]{8,64}$/, '表单编号无效，请刷新页面后重试'),
  sourceCode: z.enum(SOURCE_CODES, { message: '请选择问题来源' }),
  serviceName: z.string().trim().max(INTAKE_LIMITS.serviceName, `服务名称不能超过 ${INTAKE_LIMITS.serviceName} 个字符`).optional(),
  description: z.string({ message: '请填写问题描述' }).trim().min(1, '请填写问题描述').max(INTAKE_LIMITS.description, `问题描述不能超过 ${INTAKE_LIMITS.description} 个字符`),
  contact: z.string().trim().max(INTAKE_LIMITS.contact, `联系方式不能超过 ${INTAKE_LIMITS.contact} 个字符`).optional(),
});

export function registerProblems(router: Router, deps: WebDeps): void {
  page(router, deps, '/problems', 'problems.html', 'ANY');
  page(router, deps, '/problems/new', 'feedback.html', BUREAU_ROLES);
  registerPublicProblems(router, deps);

  router.get('/api/problem-list', requireRoles(deps, 'ANY'), async (ctx) => {
    const q = parseQuery(ctx, listQuery);
    if (!q) return;
    const scopeUnit = scopeOf(ctx, q.unit);
    if (scopeUnit === undefined) return;
    const today = shanghaiDate(deps.now());
    const [list, counts, units, sources] = await Promise.all([
      listProblems(deps.db, {
        ...(q.status ? { status: [q.status] } : {}), ...(q.grade ? { grade: q.grade } : {}), ...(q.source ? { sourceCode: q.source } : {}),
        ...((scopeUnit ?? q.unit) ? { unitCode: (scopeUnit ?? q.unit)! } : {}), ...(q.overdue === 'true' ? { overdueBefore: today } : {}),
        limit: q.limit, offset: q.offset,
      }),
      countsFor(deps, scopeUnit, q.period),
      unitOptions(deps, scopeUnit),
      sourceNames(deps.db),
    ]);
    const role = webUser(ctx).role;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      today, limit: q.limit, offset: q.offset, total: list.total, items: list.items.map((p) => viewJson(p, today)), counts,
      scope: scopeUnit ? { kind: 'UNIT', unitCode: scopeUnit } : { kind: 'ALL' },
      canFile: BUREAU_ROLES.includes(role),
      options: {
        units, sources: [...sources].map(([code, name]) => ({ code, name })), statuses: PROBLEM_STATUS_LABELS, grades: GRADE_LABELS,
        // What the 一键反馈 form offers (the form refuses any other source).
        fileSources: PROBLEM_SOURCES,
      },
    };
  });

  router.get('/api/problem-list/services', requireRoles(deps, BUREAU_ROLES), async (ctx) => {
    const q = parseQuery(ctx, z.object({ q: z.string().trim().max(50).default('') }));
    if (!q) return;
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await deps.db.sql.query<{ name: string }>(`SELECT DISTINCT name FROM service_item WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT 20`, [like]);
    ctx.set('Cache-Control', 'private, max-age=300');
    ctx.body = { items: rows.map((r) => r.name) };
  });

  router.get('/api/problem-list/:id', requireRoles(deps, 'ANY'), async (ctx) => {
    const id = idParam(ctx);
    if (id === null) return;
    const d = await detail(deps, ctx, id);
    if (!d) return;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = d;
  });

  router.post('/api/problem-list/:id/route', requireRoles(deps, BUREAU_ROLES), async (ctx) => {
    const id = idParam(ctx);
    if (id === null) return;
    const body = await parseBody(ctx, z.object({ unitCode: z.string({ message: '请选择承办单位' }).trim().min(1, '请选择承办单位').max(64) }), 16 * 1024);
    if (!body) return;
    await decide(ctx, deps, 'route', async () => {
      const r = await routeProblemTo(deps.handlers, id, body.unitCode, actorOf(webUser(ctx)));
      if (r.kind === 'already-routed') {
        ctx.status = 409;
        return { ok: false, error: 'PROBLEM_DECIDED', message: `问题 P${id} 已交由${r.unitName}整改（问题整改单 #${r.ticketId}），如需改派请在督办单中办理。`, ticketId: r.ticketId };
      }
      return { message: `已交由${r.unitName}办理：问题整改单 #${r.ticketId}，整改时限 ${r.due}。`, ticketId: r.ticketId, due: r.due };
    });
  });

  router.post('/api/problem-list/:id/dismiss', requireRoles(deps, BUREAU_ROLES), async (ctx) => {
    const id = idParam(ctx);
    if (id === null) return;
    const body = await parseBody(ctx, z.object({ reason: z.string({ message: '不予受理须写明原因' }).trim().min(1, '不予受理须写明原因').max(500, '原因最多 500 字') }), 16 * 1024);
    if (!body) return;
    await decide(ctx, deps, 'dismiss', async () => {
      await dismissProblem(deps.handlers, id, body.reason, actorOf(webUser(ctx)));
      return { message: `问题 P${id} 已不予受理。` };
    });
  });

  // 一键反馈: bureau staff file on behalf of a caller. Idempotent on the form's own id (clientRef),
  // generated when the form is opened: a double click or a resent request files once.
  router.post('/api/problem-list', requireRoles(deps, BUREAU_ROLES), async (ctx) => {
    const form = await readProblemForm(ctx);
    if (!form) return;
    const f = formFields.safeParse(form.fields);
    if (!f.success) return fail(ctx, 400, 'BAD_REQUEST', '提交内容有误：' + zodMessage(f.error));
    const user = webUser(ctx);
    try {
      const attachments = await storeProblemAttachments(deps.evidenceDir, form.files);
      const r = await intakeProblem(deps.handlers, {
        sourceCode: f.data.sourceCode, sourceRef: `WEB-${f.data.clientRef}`, serviceName: f.data.serviceName || null,
        description: f.data.description, contact: f.data.contact || null, attachments,
      }, actorOf(user));
      deps.log.info({ user: user.username, problem: r.problem.id, created: r.created }, 'problem filed from the console');
      ctx.status = r.created ? 201 : 200;
      ctx.body = { created: r.created, problem: summaryJson(r.problem) };
    } catch (e) {
      if (!isDomainError(e)) throw e;
      deps.log.info({ user: user.username, code: e.code }, `console problem refused: ${e.messageEn}`);
      fail(ctx, 400, e.code, e.message);
    }
  });
}
