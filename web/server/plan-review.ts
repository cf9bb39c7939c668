/**
 * 方案审核 (`/plan`): the parsed plan next to its source text, and the bureau's decisions on the
 * responsible-unit phrases the parser leaves undecided.
 *
 *   GET  /plan                  the page (bureau staff; leaders read only)
 *   GET  /api/plan              tasks, milestones, units, undecided phrases and their decisions
 *   GET  /api/plan/source       the source text as lines, and each task's line range in it
 *   GET  /api/plan/services     附件3/附件4 service catalogue per unit
 *   POST /api/plan/decisions    {taskId, phrase, unitCodes[], note}: decide, and create the tickets (bureau staff)
 *
 * `?plan=<id>` chooses a plan; without it the latest loaded. Deciding goes through
 * handlers/services/plan-decisions.ts (authorized there by domain/access.ts, `assign`).
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import type { Role } from '../../domain/access.ts';
import { isDomainError } from '../../domain/errors.ts';
import { decidePhrase, MAX_DECISION_UNITS, type DecisionOutcome } from '../../handlers/services/plan-decisions.ts';
import { actorOf, BUREAU_ROLES, requireRoles, webUser } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { fail, parseBody, parseQuery } from './http.ts';
import { page } from './pages.ts';
import { choosePlan, planOverview, planSource, serviceCatalogue, type PlanRef } from './read/plan.ts';

const READERS: readonly Role[] = [...BUREAU_ROLES, 'LEADER'];

const planQuery = z.object({ plan: z.string().max(100).optional() });
const decisionBody = z.object({
  taskId: z.string().min(1, '缺少任务').max(100),
  phrase: z.string().trim().min(1, '缺少待确认的表述').max(500),
  unitCodes: z.array(z.string().min(1).max(64)).max(MAX_DECISION_UNITS, `一次最多选择 ${MAX_DECISION_UNITS} 个单位`),
  note: z.string().max(500, '说明不超过 500 字').nullish(),
});

const STATUS_OF_ERROR: Record<string, number> = { TASK_NOT_FOUND: 404, PHRASE_NOT_FOUND: 404, MILESTONE_NOT_FOUND: 404, FORBIDDEN: 403 };

/** The plan of `?plan=`, else the latest; answers 400/404 itself and returns null. */
async function planOf(ctx: Context, deps: WebDeps): Promise<{ plans: PlanRef[]; plan: PlanRef } | null> {
  const q = parseQuery(ctx, planQuery);
  if (!q) return null;
  const { plans, plan } = await choosePlan(deps.db, q.plan);
  if (!plan) {
    fail(ctx, 404, 'PLAN_NOT_FOUND', q.plan ? '没有这个方案。' : '尚未导入方案：请先用 duban plan load 导入方案文件。');
    return null;
  }
  return { plans, plan };
}

/** What the page shows after a decision, in one sentence or two. */
export function decisionSummary(o: DecisionOutcome, unitName: (code: string) => string): string {
  const chosen = o.unitCodes.length ? o.unitCodes.map(unitName).join('、') : '不涉及具体单位';
  const parts = [`已确认任务${o.taskSeq}「${o.phrase}」：${chosen}。`];
  if (o.unitCodes.length === 0) parts.push('未生成督办单。');
  else if (o.milestones.length === 0) parts.push('该表述不对应带时限的节点，确认仅作记录，未生成督办单。');
  else {
    parts.push(`新生成督办单 ${o.created.length} 件${o.created.length ? '，交办卡片已进入发送队列' : ''}`);
    parts[parts.length - 1] += o.alreadyAssigned ? `；${o.alreadyAssigned} 件此前已生成，未重复生成。` : '。';
  }
  if (o.kept.length) {
    parts.push(`此前为${o.kept.map((k) => `${unitName(k.unitCode)}（${k.tickets} 件）`).join('、')}生成的督办单未删除，如需撤销请在督办单上退单或改派。`);
  }
  return parts.join('');
}

export function registerPlanReview(router: Router, deps: WebDeps): void {
  page(router, deps, '/plan', 'plan.html', READERS);

  router.get('/api/plan', requireRoles(deps, READERS), async (ctx) => {
    const p = await planOf(ctx, deps);
    if (!p) return;
    const overview = await planOverview(deps.db, p.plan.id);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { plans: p.plans, plan: p.plan, ...overview, canDecide: BUREAU_ROLES.includes(webUser(ctx).role) };
  });

  router.get('/api/plan/source', requireRoles(deps, READERS), async (ctx) => {
    const p = await planOf(ctx, deps);
    if (!p) return;
    const source = await planSource(deps.db, p.plan.id);
    if (!source) return fail(ctx, 404, 'PLAN_NOT_FOUND', '没有这个方案。');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { plan: { id: p.plan.id, docNo: p.plan.docNo, title: p.plan.title }, ...source };
  });

  router.get('/api/plan/services', requireRoles(deps, READERS), async (ctx) => {
    const p = await planOf(ctx, deps);
    if (!p) return;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { plan: { id: p.plan.id, docNo: p.plan.docNo }, units: await serviceCatalogue(deps.db, p.plan.id) };
  });

  router.post('/api/plan/decisions', requireRoles(deps, BUREAU_ROLES), async (ctx) => {
    const body = await parseBody(ctx, decisionBody);
    if (!body) return;
    const user = webUser(ctx);
    const platforms = deps.handlers.notifier.platforms ?? ['CONSOLE'];
    let outcome: DecisionOutcome;
    try {
      outcome = await decidePhrase(deps.db, body, actorOf(user), `${user.displayName}（${user.username}）`, deps.now(), platforms);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      deps.log.info({ user: user.username, code: e.code, reason: e.messageEn }, 'plan decision refused');
      return fail(ctx, STATUS_OF_ERROR[e.code] ?? 400, e.code, e.message);
    }
    const names = new Map((await deps.db.prisma.unit.findMany({ where: { code: { in: [...outcome.unitCodes, ...outcome.kept.map((k) => k.unitCode)] } }, select: { code: true, name: true } })).map((u) => [u.code, u.name]));
    deps.log.info(
      { user: user.username, taskSeq: outcome.taskSeq, phrase: outcome.phrase, units: outcome.unitCodes, created: outcome.created.length, already: outcome.alreadyAssigned },
      'plan decision recorded',
    );
    ctx.body = {
      ...outcome,
      createdCount: outcome.created.length,
      message: decisionSummary(outcome, (c) => names.get(c) ?? c),
    };
  });
}
