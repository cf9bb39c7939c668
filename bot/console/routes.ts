/**
 * The console adapter's pages. For now: what the bot has done and would send (the outbox), so a
 * newcomer sees the seeded plan at work; the chat simulator builds on this.
 */
import type Router from '@koa/router';
import { z } from 'zod';
import type { ServerDeps } from '../server.ts';
import { outboxPage, summary, ticketPage } from './read-model.ts';
import { renderHome } from './page.ts';
import { shanghaiDate, trafficLight } from '../../domain/calendar.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function consoleRoutes(router: Router, deps: ServerDeps): void {
  router.get('/overview', async (ctx) => {
    const today = shanghaiDate(deps.now());
    const [s, outbox, tickets, cal] = await Promise.all([
      summary(deps.db, today),
      outboxPage(deps.db, { status: 'PENDING', limit: 20, offset: 0 }),
      ticketPage(deps.db, { limit: 20, offset: 0 }),
      loadCalendar(deps.db),
    ]);
    const lights = tickets.rows.map((t) => trafficLight(t, today, cal, deps.config.DUBAN_YELLOW_WORKDAYS));
    ctx.type = 'html';
    ctx.body = renderHome({ summary: s, outbox, tickets: { total: tickets.total, rows: tickets.rows.map((t, i) => ({ ...t, light: lights[i]! })) }, today });
  });

  router.get('/api/summary', async (ctx) => {
    ctx.body = await summary(deps.db, shanghaiDate(deps.now()));
  });

  router.get('/api/outbox', async (ctx) => {
    const q = pageQuery.extend({ status: z.enum(['PENDING', 'SENT', 'DEAD']).optional() }).safeParse(ctx.query);
    if (!q.success) return badQuery(ctx, q.error);
    const { total, rows } = await outboxPage(deps.db, q.data);
    ctx.body = { total, items: rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown })) };
  });

  router.get('/api/tickets', async (ctx) => {
    const q = pageQuery
      .extend({ unit: z.string().max(64).optional(), status: z.enum(['ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED', 'DONE']).optional() })
      .safeParse(ctx.query);
    if (!q.success) return badQuery(ctx, q.error);
    const [{ total, rows }, cal] = await Promise.all([ticketPage(deps.db, q.data), loadCalendar(deps.db)]);
    const today = shanghaiDate(deps.now());
    ctx.body = { total, items: rows.map((t) => ({ ...t, light: trafficLight(t, today, cal, deps.config.DUBAN_YELLOW_WORKDAYS) })) };
  });
}

function badQuery(ctx: { status: number; body: unknown }, error: z.ZodError): void {
  ctx.status = 400;
  ctx.body = {
    error: 'BAD_QUERY',
    message: '查询参数有误：' + error.issues.map((i) => `${i.path.join('.')}（${i.message}）`).join('；'),
  };
}
