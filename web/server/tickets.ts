import type Router from '@koa/router';
import type { WebDeps } from './deps.ts';

export function registerTickets(_router: Router, _deps: WebDeps): void {}
