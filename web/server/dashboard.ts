import type Router from '@koa/router';
import type { WebDeps } from './deps.ts';

export function registerDashboard(_router: Router, _deps: WebDeps): void {}
