/**
 * The ranking board (晾晒, `/ranking`): 省直单位 and 市州 side by side with the score's parts, rank and
 * change, and the published rules. Open to every role, unit accounts included: the ranking is
 * published to all units. The numbers are the digest's (web/server/read/ranking.ts).
 */
import type Router from '@koa/router';
import { z } from 'zod';
import { requireRoles } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { parseQuery } from './http.ts';
import { page } from './pages.ts';
import { rankingBoard, RANKING_PERIODS } from './read/ranking.ts';

const rankingQuery = z.object({
  period: z.enum(RANKING_PERIODS, { message: '期间应为 week（本周）、month（本月）或 plan（方案实施以来）' }).default('week'),
});

export function registerRanking(router: Router, deps: WebDeps): void {
  page(router, deps, '/ranking', 'ranking.html', 'ANY');

  router.get('/api/ranking', requireRoles(deps, 'ANY'), async (ctx) => {
    const q = parseQuery(ctx, rankingQuery);
    if (!q) return;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await rankingBoard(deps.db, deps.log, q.period, deps.now());
  });
}
