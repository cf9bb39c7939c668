/**
 * The dashboard (督办总览, `/`) and its API: counts by state and light, the plan's tasks with their
 * milestones, the ticket list with filters, and the delivery queue for bureau staff. Every role may
 * open it; unit accounts see only their unit's tickets (domain/access.ts `ticketScope`).
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import { ticketScope } from '../../domain/access.ts';
import { shanghaiDate, type WorkCalendar } from '../../domain/calendar.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';
import { actorOf, BUREAU_ROLES, requireRoles, webUser } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { fail, pageQuery, parseQuery } from './http.ts';
import { page } from './pages.ts';
import { clockOf, ticketFilterQuery, whereOf, type Clock, type TicketFilter } from './read/filters.ts';
import { counts, filterOptions, overdueByUnit, plans, taskPage } from './read/dashboard.ts';
import { outboxCounts, outboxPage } from './read/outbox.ts';
import { ticketPage, TICKET_SORTS } from './read/ticket-list.ts';
import { dashboardProblemCounts } from './problems.ts';

export interface ReadContext {
  /** The unit a unit account is limited to; null sees every unit. */
  scopeUnit: string | null;
  clock: Clock;
  cal: WorkCalendar;
}

/** Scope and dates of a read request; answers 403 itself (and returns null) when out of scope. */
export async function readContext(ctx: Context, deps: WebDeps, filterUnit?: string): Promise<ReadContext | null> {
  const user = webUser(ctx);
  const scope = ticketScope(actorOf(user));
  if (scope.kind === 'NONE') {
    fail(ctx, 403, 'FORBIDDEN', '您的账号未绑定单位，无法查看督办单，请联系管理员。');
    return null;
  }
  if (scope.kind === 'UNIT' && filterUnit && filterUnit !== scope.unitCode) {
    fail(ctx, 403, 'FORBIDDEN', '您只能查看本单位的督办单。');
    return null;
  }
  const cal = await loadCalendar(deps.db);
  return { scopeUnit: scope.kind === 'UNIT' ? scope.unitCode : null, clock: clockOf(shanghaiDate(deps.now()), cal, deps.yellowWorkdays), cal };
}

const tasksQuery = ticketFilterQuery.extend({ limit: z.coerce.number().int().min(1).max(100).default(20), offset: pageQuery.shape.offset });
const ticketsQuery = ticketFilterQuery.extend(pageQuery.shape).extend({
  sort: z.enum(Object.keys(TICKET_SORTS) as [keyof typeof TICKET_SORTS], { message: `排序应为 ${Object.keys(TICKET_SORTS).join('、')} 之一` }).default('due'),
});
const outboxQuery = pageQuery.extend({ status: z.enum(['PENDING', 'SENT', 'DEAD'], { message: '状态应为 PENDING、SENT 或 DEAD' }).optional() });

/** Filters that narrow tickets themselves (not only which tasks are listed). */
function narrowsTickets(f: TicketFilter, scopeUnit: string | null): boolean {
  return Boolean(scopeUnit || f.unit || f.unitKind || f.status || f.light || f.overdue !== undefined || f.kind || f.milestone || f.dueFrom || f.dueTo || f.q);
}

export function registerDashboard(router: Router, deps: WebDeps): void {
  page(router, deps, '/', 'index.html', 'ANY');
  // The old overview page lives on as the dashboard.
  router.get('/overview', requireRoles(deps, 'ANY', { page: true }), (ctx) => ctx.redirect('/'));

  router.get('/api/dashboard/summary', requireRoles(deps, 'ANY'), async (ctx) => {
    const f = parseQuery(ctx, ticketFilterQuery);
    if (!f) return;
    const rc = await readContext(ctx, deps, f.unit);
    if (!rc) return;
    const w = whereOf(f, rc.clock, rc.scopeUnit);
    const bureau = BUREAU_ROLES.includes(webUser(ctx).role);
    const [c, byUnit, planList, options, outbox, problems] = await Promise.all([
      counts(deps.db, w, rc.clock),
      rc.scopeUnit ? Promise.resolve(null) : overdueByUnit(deps.db, w, rc.clock, 10),
      plans(deps.db),
      filterOptions(deps.db, f.plan ?? null, rc.scopeUnit),
      bureau ? outboxCounts(deps.db) : Promise.resolve(null),
      dashboardProblemCounts(deps, rc.scopeUnit),
    ]);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      today: rc.clock.today,
      week: { start: rc.clock.weekStart, end: rc.clock.weekEnd },
      yellowWorkdays: deps.yellowWorkdays,
      scope: rc.scopeUnit ? { kind: 'UNIT', unitCode: rc.scopeUnit } : { kind: 'ALL' },
      plans: planList,
      ...c,
      overdueByUnit: byUnit,
      outbox,
      options,
      // 问题工单 now (open / overdue, waiting for the bureau), shown as cards linking to /problems.
      problems,
    };
  });

  router.get('/api/dashboard/tasks', requireRoles(deps, 'ANY'), async (ctx) => {
    const q = parseQuery(ctx, tasksQuery);
    if (!q) return;
    const rc = await readContext(ctx, deps, q.unit);
    if (!rc) return;
    const planList = await plans(deps.db);
    const plan = q.plan ? planList.find((p) => p.id === q.plan) : planList[0];
    if (!plan) {
      if (q.plan) return fail(ctx, 404, 'PLAN_NOT_FOUND', '未找到该工作方案。');
      ctx.body = { plan: null, total: 0, limit: q.limit, offset: q.offset, items: [] };
      return;
    }
    const w = whereOf(q, rc.clock, rc.scopeUnit);
    const r = await taskPage(deps.db, plan.id, w, rc.clock, {
      onlyWithTickets: narrowsTickets(q, rc.scopeUnit),
      ...(q.category ? { category: q.category } : {}),
      ...(q.task !== undefined ? { task: q.task } : {}),
      limit: q.limit,
      offset: q.offset,
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { plan, today: rc.clock.today, limit: q.limit, offset: q.offset, ...r };
  });

  router.get('/api/tickets', requireRoles(deps, 'ANY'), async (ctx) => {
    const q = parseQuery(ctx, ticketsQuery);
    if (!q) return;
    const rc = await readContext(ctx, deps, q.unit);
    if (!rc) return;
    const r = await ticketPage(deps.db, whereOf(q, rc.clock, rc.scopeUnit), rc.clock, rc.cal, { sort: q.sort, limit: q.limit, offset: q.offset });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { today: rc.clock.today, limit: q.limit, offset: q.offset, ...r };
  });

  router.get('/api/dashboard/outbox', requireRoles(deps, BUREAU_ROLES), async (ctx) => {
    const q = parseQuery(ctx, outboxQuery);
    if (!q) return;
    const [byStatus, r] = await Promise.all([outboxCounts(deps.db), outboxPage(deps.db, q)]);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { byStatus, limit: q.limit, offset: q.offset, ...r };
  });
}
