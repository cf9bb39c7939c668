/**
 * GET /api/exports/tickets.xlsx — the ticket ledger as Excel, streamed while it is written (100,000
 * tickets never sit in memory). Which tickets: `ticketScope` of domain/access.ts (bureau and
 * leaders all, a unit account its own unit's).
 */
import { PassThrough } from 'node:stream';
import type Router from '@koa/router';
import { shanghaiDate } from '../../domain/calendar.ts';
import { ticketScope } from '../../domain/access.ts';
import { writeTicketsWorkbook } from '../../handlers/services/export.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';
import { XLSX_MIME } from '../../handlers/services/returns-export.ts';
import { actorOf, requireRoles, webUser } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { fail } from './http.ts';

export function registerExports(router: Router, deps: WebDeps): void {
  router.get('/api/exports/tickets.xlsx', requireRoles(deps, 'ANY'), async (ctx) => {
    const user = webUser(ctx);
    const scope = ticketScope(actorOf(user));
    if (scope.kind === 'NONE') return fail(ctx, 403, 'FORBIDDEN', '您的账号未绑定单位，没有可导出的督办单。');
    const unitCode = scope.kind === 'UNIT' ? scope.unitCode : null;
    const today = shanghaiDate(deps.now());
    const cal = await loadCalendar(deps.db);
    const stream = new PassThrough();
    ctx.type = XLSX_MIME;
    ctx.attachment(`督办单台账-${unitCode ? `${unitCode}-` : ''}${today}.xlsx`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = stream;
    writeTicketsWorkbook(deps.db, { stream }, { today, cal, yellow: deps.yellowWorkdays, unitCode }).then(
      (rows) => deps.log.info({ user: user.username, unit: unitCode, rows }, 'tickets exported'),
      (e: unknown) => {
        // Headers are gone already: the download breaks off rather than ending in a corrupt file.
        deps.log.error({ err: e, user: user.username }, 'ticket export failed');
        stream.destroy(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
