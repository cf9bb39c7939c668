/**
 * The ticket page (`/tickets/:id`): header, timeline, progress reports and evidence for anyone who
 * may view the ticket (authorize 'view': unit accounts only their unit's); review actions for
 * bureau staff through the chat's services (web/server/acting.ts); evidence download and preview.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Context } from 'koa';
import type Router from '@koa/router';
import { authorize, type Actor } from '../../domain/access.ts';
import { availableActions } from '../../domain/ticket/state-machine.ts';
import { shanghaiDate } from '../../domain/calendar.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';
import { blobPath } from '../../handlers/services/evidence.ts';
import { actFromWeb, reviewAction, type ReviewAction } from './acting.ts';
import { actorOf, BUREAU_ROLES, requireRoles, webUser } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { fail, parseBody } from './http.ts';
import { page } from './pages.ts';
import { previewable, ticketDetail, type TicketDetail } from './read/ticket-detail.ts';

/** Strict policy for a previewed file: no script, no plugins but the PDF viewer, its own origin. */
export const PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'";

function idParam(ctx: Context): number | null {
  const raw = String(ctx.params.id ?? '');
  const id = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    fail(ctx, 400, 'BAD_ID', '编号应为正整数。');
    return null;
  }
  return id;
}

/** The review buttons this actor gets on this ticket: the domain decides (state, role, pending extension). */
export function reviewActionsFor(actor: Actor, t: TicketDetail['ticket']): ReviewAction['action'][] {
  const snapshot = {
    id: t.id, kind: t.kind, unitCode: t.unitCode, status: t.status, progress: t.progress, due: t.due, originalDue: t.originalDue,
    pendingExtension: t.extension ? { newDue: t.extension.due, reason: t.extension.reason } : null,
  };
  const allowed = availableActions(snapshot, actor);
  const out: ReviewAction['action'][] = [];
  if (allowed.includes('approve')) out.push('approve');
  if (allowed.includes('return')) out.push('return');
  if (allowed.includes('decideExtension')) out.push('decideExtension');
  const open = t.status === 'ASSIGNED' || t.status === 'IN_PROGRESS' || t.status === 'RETURNED';
  if (open && !authorize(actor, 'chase', t.unitCode)) out.push('chase');
  return out;
}

async function sendEvidence(ctx: Context, deps: WebDeps, disposition: 'attachment' | 'inline'): Promise<void> {
  const id = idParam(ctx);
  if (id === null) return;
  const e = await deps.db.prisma.evidence.findUnique({ where: { id }, include: { ticket: { select: { unitCode: true, unit: { select: { name: true } } } } } });
  if (!e) return fail(ctx, 404, 'NOT_FOUND', `未找到佐证材料 #${id}。`);
  const user = webUser(ctx);
  const denied = authorize(actorOf(user), 'view', e.ticket.unitCode, () => e.ticket.unit.name);
  if (denied) {
    deps.log.info({ user: user.username, evidence: id }, 'evidence access refused');
    return fail(ctx, 403, 'FORBIDDEN', denied.message);
  }
  if (disposition === 'inline' && !previewable(e.mime)) {
    return fail(ctx, 415, 'NO_PREVIEW', `「${e.name}」不支持在线预览（仅图片和 PDF），请下载后查看。`);
  }
  // The path comes from the content hash, never from a stored or uploaded name.
  if (!/^[0-9a-f]{64}$/.test(e.sha256)) return fail(ctx, 404, 'NOT_FOUND', '佐证文件已不存在。');
  const path = blobPath(deps.evidenceDir, e.sha256);
  const size = await stat(path).then((s) => s.size, () => null);
  if (size === null) {
    deps.log.warn({ evidence: id, sha256: e.sha256 }, 'evidence blob missing');
    return fail(ctx, 404, 'NOT_FOUND', `佐证文件「${e.name}」已不存在，请联系管理员。`);
  }
  ctx.attachment(e.name, { type: disposition }); // before ctx.type: attachment() guesses a type from the name
  ctx.type = e.mime;
  ctx.length = size;
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', 'private, no-cache');
  if (disposition === 'inline') ctx.set('Content-Security-Policy', PREVIEW_CSP);
  ctx.body = createReadStream(path);
}

export function registerTickets(router: Router, deps: WebDeps): void {
  page(router, deps, '/tickets/:id', 'ticket.html', 'ANY');

  router.get('/api/tickets/:id', requireRoles(deps, 'ANY'), async (ctx) => {
    const id = idParam(ctx);
    if (id === null) return;
    const cal = await loadCalendar(deps.db);
    const d = await ticketDetail(deps.db, id, shanghaiDate(deps.now()), cal, deps.yellowWorkdays);
    if (!d) return fail(ctx, 404, 'TICKET_NOT_FOUND', `未找到督办单 #${id}。`);
    const actor = actorOf(webUser(ctx));
    const denied = authorize(actor, 'view', d.ticket.unitCode, () => d.ticket.unitName);
    if (denied) return fail(ctx, 403, 'FORBIDDEN', denied.message);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { ...d, actions: reviewActionsFor(actor, d.ticket) };
  });

  router.post('/api/tickets/:id/actions', requireRoles(deps, BUREAU_ROLES), async (ctx) => {
    const id = idParam(ctx);
    if (id === null) return;
    const body = await parseBody(ctx, reviewAction, 16 * 1024);
    if (!body) return;
    const user = webUser(ctx);
    const r = await actFromWeb(deps, user, id, body);
    if (!r.ok) {
      deps.log.info({ user: user.username, ticket: id, action: body.action, code: r.code }, 'web review action refused');
      return fail(ctx, r.status, r.code, r.message);
    }
    deps.log.info({ user: user.username, ticket: id, action: body.action }, 'web review action');
    ctx.body = { ok: true, message: r.message };
  });

  router.get('/api/evidence/:id/download', requireRoles(deps, 'ANY'), (ctx) => sendEvidence(ctx, deps, 'attachment'));
  router.get('/api/evidence/:id/preview', requireRoles(deps, 'ANY'), (ctx) => sendEvidence(ctx, deps, 'inline'));
}
