/**
 * The web console: sign-in, pages and the JSON API under /api. One `register` per feature, each
 * gating its routes with `requireRoles` (who may do what on a ticket is still domain/access.ts).
 */
import type Router from '@koa/router';
import type { WebDeps } from './deps.ts';
import { authRoutes } from './auth.ts';
import { assets } from './pages.ts';
import { registerDashboard } from './dashboard.ts';
import { registerRanking } from './ranking.ts';
import { registerTickets } from './tickets.ts';
import { registerPlanReview } from './plan-review.ts';
import { registerDirectory } from './directory.ts';
import { registerReturns } from './returns.ts';
import { registerExports } from './exports.ts';
import { registerProblems } from './problems.ts';

export type { WebDeps } from './deps.ts';

export function registerWeb(router: Router, deps: WebDeps): void {
  assets(router);
  authRoutes(router, deps);
  registerDashboard(router, deps);
  registerRanking(router, deps);
  registerTickets(router, deps);
  registerPlanReview(router, deps);
  registerDirectory(router, deps);
  registerReturns(router, deps);
  registerExports(router, deps);
  registerProblems(router, deps);
}
