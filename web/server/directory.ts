/**
 * 单位与人员 (`/directory`, bureau staff): units, people and their WeCom/DingTalk accounts, chat
 * groups; import from Excel or CSV in two steps (preview, then confirm); single edits.
 *
 *   GET   /directory                          the page
 *   GET   /api/directory/units                ?q&kind&limit&offset
 *   GET   /api/directory/people               ?q&unit&role&active&limit&offset
 *   GET   /api/directory/groups               ?q&unit&platform&limit&offset
 *   PATCH /api/directory/people/:id           {wecomUserId?, dingtalkUserId?, title?, active?}
 *   POST  /api/directory/groups               {name, platform, purpose, unitCode?, chatId?, webhookUrl?, webhookSecret?}
 *   GET   /api/directory/template.xlsx        the import template
 *   POST  /api/directory/import/preview       multipart: file (.xlsx or UTF-8 .csv) → what each row would do
 *   POST  /api/directory/import/confirm       multipart: the same file and `sha256` of the preview → applied
 * Writes are authorized in the services by domain/access.ts (`manageDirectory`).
 */
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import type Router from '@koa/router';
import { z } from 'zod';
import { ROLES } from '../../domain/access.ts';
import { isDomainError } from '../../domain/errors.ts';
import { addGroup, directoryTemplate, updatePerson, XLSX_MIME } from '../../handlers/services/directory-admin.ts';
import { applyImport, planImport, type ImportPlan } from '../../handlers/services/directory-import.ts';
import { readDirectoryFile, type DirectorySheet } from '../../handlers/services/directory-sheets.ts';
import { actorOf, BUREAU_ROLES, requireRoles, webUser } from './auth.ts';
import type { WebDeps } from './deps.ts';
import { fail, pageQuery, parseBody, parseQuery } from './http.ts';
import { page } from './pages.ts';
import { listGroups, listPeople, listUnits } from './read/directory.ts';
import { readUpload } from './uploads.ts';

const q = z.string().trim().max(100).optional().transform((v) => v || undefined);
const unitsQuery = pageQuery.extend({ q, kind: z.enum(['PROVINCIAL', 'CITY', 'BUREAU'], { message: '单位类型应为 PROVINCIAL、CITY 或 BUREAU' }).optional() });
const peopleQuery = pageQuery.extend({
  q,
  unit: z.string().max(64).optional(),
  role: z.enum(ROLES, { message: `角色应为 ${ROLES.join('、')} 之一` }).optional(),
  active: z.enum(['true', 'false'], { message: 'active 应为 true 或 false' }).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
});
const groupsQuery = pageQuery.extend({ q, unit: z.string().max(64).optional(), platform: z.enum(['WECOM', 'DINGTALK', 'CONSOLE'], { message: '平台应为 WECOM、DINGTALK 或 CONSOLE' }).optional() });
const account = z.string().max(200).nullable().optional();
const personPatch = z.object({ wecomUserId: account, dingtalkUserId: account, title: z.string().max(100, '职务不超过 100 字').nullable().optional(), active: z.boolean().optional() }).strict();
const groupBody = z.object({
  name: z.string().trim().min(1, '请填写群名称').max(100, '群名称不超过 100 字'),
  platform: z.enum(['WECOM', 'DINGTALK'], { message: '平台应为企业微信（WECOM）或钉钉（DINGTALK）' }),
  purpose: z.enum(['LEADERSHIP', 'UNIT', 'BUREAU'], { message: '用途应为领导群、单位群或省数据局群' }),
  unitCode: z.string().max(64).nullish(),
  chatId: z.string().max(200).nullish(),
  webhookUrl: z.string().max(1000).nullish(),
  webhookSecret: z.string().max(200).nullish(),
});

const STATUS_OF_ERROR: Record<string, number> = { FORBIDDEN: 403, PERSON_NOT_FOUND: 404, ACCOUNT_TAKEN: 409, GROUP_EXISTS: 409, IMPORT_CONFLICT: 409 };

function answerError(ctx: Context, deps: WebDeps, e: unknown, what: string): void {
  if (!isDomainError(e)) throw e;
  deps.log.info({ user: webUser(ctx).username, code: e.code, reason: e.messageEn }, `${what} refused`);
  fail(ctx, STATUS_OF_ERROR[e.code] ?? 400, e.code, e.message);
}

/** The uploaded directory file, read into tables; answers itself and returns null when refused. */
async function uploadedSheets(ctx: Context, deps: WebDeps): Promise<{ name: string; kind: 'xlsx' | 'csv'; sha256: string; sheets: DirectorySheet[]; fields: Record<string, string> } | null> {
  const up = await readUpload(ctx, { maxBytes: deps.maxUploadBytes, kinds: ['xlsx', 'csv'] });
  if (!up) return null;
  try {
    const sheets = await readDirectoryFile(up.name, up.kind, up.bytes);
    return { name: up.name, kind: up.kind, sha256: createHash('sha256').update(up.bytes).digest('hex'), sheets, fields: up.fields };
  } catch (e) {
    answerError(ctx, deps, e, 'directory import');
    return null;
  }
}

function previewBody(plan: ImportPlan, sheets: DirectorySheet[]) {
  return { tables: sheets.map((s) => ({ kind: s.kind, rows: s.rows.length })), counts: plan.counts, rows: plan.rows };
}

export function registerDirectory(router: Router, deps: WebDeps): void {
  page(router, deps, '/directory', 'directory.html', BUREAU_ROLES);
  const gate = requireRoles(deps, BUREAU_ROLES);

  router.get('/api/directory/units', gate, async (ctx) => {
    const f = parseQuery(ctx, unitsQuery);
    if (!f) return;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listUnits(deps.db, f, f);
  });

  router.get('/api/directory/people', gate, async (ctx) => {
    const f = parseQuery(ctx, peopleQuery);
    if (!f) return;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listPeople(deps.db, f, f);
  });

  router.get('/api/directory/groups', gate, async (ctx) => {
    const f = parseQuery(ctx, groupsQuery);
    if (!f) return;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await listGroups(deps.db, f, f);
  });

  router.patch('/api/directory/people/:id', gate, async (ctx) => {
    const body = await parseBody(ctx, personPatch);
    if (!body) return;
    const user = webUser(ctx);
    try {
      const p = await updatePerson(deps.db, String(ctx.params.id), body, actorOf(user));
      deps.log.info({ user: user.username, person: p.id, changed: Object.keys(body) }, 'directory person updated');
      ctx.body = { person: { id: p.id, name: p.name, unitName: p.unit?.name ?? null, wecomUserId: p.wecomUserId, dingtalkUserId: p.dingtalkUserId, title: p.title, active: p.active } };
    } catch (e) {
      answerError(ctx, deps, e, 'directory person update');
    }
  });

  router.post('/api/directory/groups', gate, async (ctx) => {
    const body = await parseBody(ctx, groupBody);
    if (!body) return;
    const user = webUser(ctx);
    try {
      const g = await addGroup(deps.db, body, actorOf(user));
      deps.log.info({ user: user.username, group: g.id, platform: g.platform, purpose: g.purpose }, 'directory group added');
      ctx.status = 201;
      ctx.body = { group: { id: g.id, name: g.name, platform: g.platform, purpose: g.purpose, unitCode: g.unitCode, chatId: g.chatId } };
    } catch (e) {
      answerError(ctx, deps, e, 'directory group add');
    }
  });

  router.get('/api/directory/template.xlsx', gate, async (ctx) => {
    ctx.type = XLSX_MIME;
    ctx.attachment('单位人员与群导入模板.xlsx');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await directoryTemplate();
  });

  router.post('/api/directory/import/preview', gate, async (ctx) => {
    const up = await uploadedSheets(ctx, deps);
    if (!up) return;
    const plan = await planImport(deps.db.prisma, up.sheets);
    ctx.body = { file: { name: up.name, kind: up.kind, sha256: up.sha256 }, ...previewBody(plan, up.sheets) };
  });

  router.post('/api/directory/import/confirm', gate, async (ctx) => {
    const up = await uploadedSheets(ctx, deps);
    if (!up) return;
    if (up.fields.sha256 !== up.sha256) {
      return fail(ctx, 409, 'IMPORT_CHANGED', '上传的文件与预览时的文件不一致，请重新预览后再确认导入。');
    }
    const user = webUser(ctx);
    try {
      const r = await applyImport(deps.db, up.sheets, actorOf(user));
      deps.log.info({ user: user.username, file: up.name, sha256: up.sha256.slice(0, 12), ...r.applied, errors: r.plan.counts.ERROR }, 'directory imported');
      const { created, updated } = r.applied;
      const skipped = r.plan.counts.ERROR;
      ctx.body = {
        file: { name: up.name, kind: up.kind, sha256: up.sha256 },
        ...previewBody(r.plan, up.sheets),
        applied: r.applied,
        message: created + updated === 0
          ? `导入完成：没有需要写入的变化${skipped ? `，${skipped} 行有错误已跳过` : ''}。`
          : `导入完成：新增 ${created} 条，更新 ${updated} 条${skipped ? `，${skipped} 行有错误已跳过` : ''}。`,
      };
    } catch (e) {
      answerError(ctx, deps, e, 'directory import');
    }
  });
}
