/**
 * 报表填报: the returns of 附件1, 附件5 and 附件6.
 *
 *   GET  /returns                                   the page (units, bureau, leaders)
 *   GET  /api/returns/templates                     column definitions and notes of the three annexes
 *   GET  /api/returns/compliance                    per unit: annexes submitted, rows, rows with violations,
 *                                                   compliance % (a unit account: its own unit only)
 *   GET  /api/returns/:annex/template.xlsx          the empty template in the plan's layout
 *   GET  /api/returns/:annex/export.xlsx            all units' current rows with a 问题 column (bureau, leaders)
 *   GET  /api/returns/:annex/units/:unit            a unit's current return (rows with violations) and history
 *   POST /api/returns/:annex/units/:unit/check      check form rows without storing
 *   POST /api/returns/:annex/units/:unit            submit form rows (JSON)
 *   POST /api/returns/:annex/units/:unit/upload     submit an Excel workbook (multipart, .xlsx)
 * Submitting for a unit is authorized by domain/access.ts (`submitReturn`): unit accounts for their
 * own unit, the bureau for any unit, leaders never. A return with violations is stored all the same.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import { authorize, ticketScope } from '../../domain/access.ts';
import type { CellValue } from '../../domain/returns/cells.ts';
import type { ReturnRowInput } from '../../domain/returns/rules.ts';
import { LAUNCH_DATES, NOTICE_BY, SHUTDOWN_BY } from '../../domain/returns/rules.ts';
import { ANNEXES, TEMPLATES, isAnnexNo, type AnnexNo } from '../../domain/returns/templates.ts';
import { checkReturn, currentReturn, MAX_RETURN_ROWS, readReturnUpload, returnHistory, returnUnit, ruleContext, storeReturn, type ReturnUnit } from '../../handlers/services/returns.ts';
import { returnsComplianceByUnit } from '../../handlers/services/returns-compliance.ts';
import { exportAnnex, templateWorkbook, XLSX_MIME } from '../../handlers/services/returns-export.ts';
import { actorOf, BUREAU_ROLES, requireRoles, UNIT_ROLES, webUser } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { fail, parseBody } from './http.ts';
import { page } from './pages.ts';
import { readUpload } from './uploads.ts';

const SUBMITTERS = [...BUREAU_ROLES, ...UNIT_ROLES];
const READERS = [...BUREAU_ROLES, ...UNIT_ROLES, 'LEADER' as const];

function annexOf(ctx: Context): AnnexNo | null {
  const n = Number(ctx.params.annex);
  if (isAnnexNo(n)) return n;
  fail(ctx, 404, 'NOT_FOUND', '没有这个报表：只有附件1（关停计划表）、附件5、附件6（服务上线计划表）。');
  return null;
}

/** The annex and unit of the path, after `authorize(action)`; answers 404/403 itself. */
async function target(ctx: Context, deps: WebDeps, action: 'view' | 'submitReturn'): Promise<{ annex: AnnexNo; unit: ReturnUnit } | null> {
  const annex = annexOf(ctx);
  if (!annex) return null;
  const unit = await returnUnit(deps.db, String(ctx.params.unit));
  if (!unit) {
    fail(ctx, 404, 'NOT_FOUND', '没有这个单位，或该单位无需报送报表。');
    return null;
  }
  const user = webUser(ctx);
  const denied = authorize(actorOf(user), action, unit.code, () => unit.name);
  if (denied) {
    deps.log.info({ user: user.username, action, unit: unit.code, annex }, 'return access refused');
    fail(ctx, 403, 'FORBIDDEN', denied.message);
    return null;
  }
  return { annex, unit };
}

function download(ctx: Context, name: string, body: Buffer): void {
  ctx.type = XLSX_MIME;
  ctx.attachment(name);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
}

const cell = z.union([z.string().max(4000), z.number(), z.null()]);
const formBody = z.object({
  rows: z.array(z.record(z.string(), cell)).max(MAX_RETURN_ROWS, `最多 ${MAX_RETURN_ROWS} 行`),
  /** 零报告: nothing to report (no app to shut down, no service to list). */
  none: z.boolean().optional(),
});

/** Form rows → rule input: known columns only, numbered 1..n in the order shown. */
function formRows(annex: AnnexNo, rows: Record<string, CellValue>[]): ReturnRowInput[] {
  const keys = new Set([...TEMPLATES[annex].columns.map((c) => c.key), 'unit']);
  return rows
    .map((r) => Object.fromEntries(Object.entries(r).filter(([k, v]) => keys.has(k) && k !== 'seq' && v !== null && String(v).trim() !== '')))
    .filter((r) => Object.keys(r).length > 0)
    .map((values, i) => ({ rowNo: i + 1, values }));
}

export function registerReturns(router: Router, deps: WebDeps): void {
  page(router, deps, '/returns', 'returns.html', READERS);

  router.get('/api/returns/templates', requireRoles(deps, 'ANY'), (ctx) => {
    ctx.body = {
      annexes: ANNEXES.map((a) => {
        const t = TEMPLATES[a];
        return { annex: a, title: t.title, printedTitle: t.printedTitle, catalogueAnnex: t.catalogueAnnex, notes: t.notes, columns: t.columns.map((c) => ({ key: c.key, header: c.header, required: c.required, date: Boolean(c.date), allowed: c.allowed ? Object.keys(c.allowed) : null, multi: Boolean(c.multi), hint: c.hint })) };
      }),
      rules: { launchDates: LAUNCH_DATES, noticeBy: NOTICE_BY, shutdownBy: SHUTDOWN_BY },
    };
  });

  router.get('/api/returns/compliance', requireRoles(deps, READERS), async (ctx) => {
    const user = webUser(ctx);
    const scope = ticketScope(actorOf(user));
    if (scope.kind === 'NONE') return fail(ctx, 403, 'FORBIDDEN', '您的账号未绑定单位，无法查看报表。');
    const units = await returnsComplianceByUnit(deps.db, scope.kind === 'UNIT' ? { unitCode: scope.unitCode } : {});
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { units, canSubmitAny: BUREAU_ROLES.includes(user.role), canSubmitOwn: UNIT_ROLES.includes(user.role) && Boolean(user.unitCode) };
  });

  router.get('/api/returns/:annex/template.xlsx', requireRoles(deps, 'ANY'), async (ctx) => {
    const annex = annexOf(ctx);
    if (!annex) return;
    download(ctx, `附件${annex}-${TEMPLATES[annex].title.split(' ')[1]}-模板.xlsx`, await templateWorkbook(annex));
  });

  router.get('/api/returns/:annex/export.xlsx', requireRoles(deps, [...BUREAU_ROLES, 'LEADER']), async (ctx) => {
    const annex = annexOf(ctx);
    if (!annex) return;
    const now = deps.now();
    const r = await exportAnnex(deps.db, annex, now);
    deps.log.info({ user: webUser(ctx).username, annex, rows: r.rows, units: r.units }, 'returns exported');
    const day = now.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    download(ctx, `附件${annex}-${TEMPLATES[annex].title.split(' ')[1]}-汇总-${day}.xlsx`, r.buffer);
  });

  router.get('/api/returns/:annex/units/:unit', requireRoles(deps, READERS), async (ctx) => {
    const t = await target(ctx, deps, 'view');
    if (!t) return;
    const [current, history, rc] = await Promise.all([currentReturn(deps.db, t.annex, t.unit), returnHistory(deps.db, t.annex, t.unit.code), ruleContext(deps.db, t.annex, t.unit)]);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { unit: { code: t.unit.code, name: t.unit.name }, annex: t.annex, current, history, catalogue: rc.catalogue };
  });

  router.post('/api/returns/:annex/units/:unit/check', requireRoles(deps, SUBMITTERS), async (ctx) => {
    const t = await target(ctx, deps, 'submitReturn');
    if (!t) return;
    const body = await parseBody(ctx, formBody);
    if (!body) return;
    ctx.body = { rows: await checkReturn(deps.db, t.annex, t.unit, formRows(t.annex, body.rows)) };
  });

  router.post('/api/returns/:annex/units/:unit', requireRoles(deps, SUBMITTERS), async (ctx) => {
    const t = await target(ctx, deps, 'submitReturn');
    if (!t) return;
    const body = await parseBody(ctx, formBody);
    if (!body) return;
    const rows = formRows(t.annex, body.rows);
    if (rows.length === 0 && !body.none) {
      return fail(ctx, 400, 'RETURN_NO_ROWS', '没有填写任何行。本单位确无需填报的，请勾选“本单位无需填报（零报告）”后提交。');
    }
    await submit(ctx, deps, t, rows, 'FORM', null);
  });

  router.post('/api/returns/:annex/units/:unit/upload', requireRoles(deps, SUBMITTERS), async (ctx) => {
    const t = await target(ctx, deps, 'submitReturn');
    if (!t) return;
    const upload = await readUpload(ctx, { maxBytes: deps.maxUploadBytes, kinds: ['xlsx'] });
    if (!upload) return;
    const read = await readReturnUpload(t.annex, upload.bytes);
    if (!read.ok) {
      deps.log.info({ user: webUser(ctx).username, annex: t.annex, unit: t.unit.code, code: read.code }, 'return upload refused');
      return fail(ctx, 422, read.code, read.message);
    }
    await submit(ctx, deps, t, read.sheet.rows, 'UPLOAD', upload.name);
  });
}

async function submit(ctx: Context, deps: WebDeps, t: { annex: AnnexNo; unit: ReturnUnit }, rows: ReturnRowInput[], source: 'UPLOAD' | 'FORM', fileName: string | null): Promise<void> {
  const user = webUser(ctx);
  const stored = await storeReturn(deps.db, { annex: t.annex, unit: t.unit, source, fileName, rows, submittedBy: `${user.displayName}（${user.username}）`, now: deps.now() });
  deps.log.info({ user: user.username, annex: t.annex, unit: t.unit.code, source, rows: stored.rowCount, errorRows: stored.errorRows, submission: stored.id }, 'return submitted');
  const [compliance] = await returnsComplianceByUnit(deps.db, { unitCode: t.unit.code });
  ctx.status = 201;
  ctx.body = { submission: stored, compliance: compliance ?? null };
}
