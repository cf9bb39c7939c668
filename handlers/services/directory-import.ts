/**
 * Importing people and chat groups from a spreadsheet, in two steps: `planImport` says per row what
 * would happen (新增 / 更新 / 无变化 / 错误, with the reason in Chinese) without writing; `applyImport`
 * plans again inside one transaction and applies the rows without errors. Importing the same file
 * twice changes nothing.
 *
 * People are matched by WeCom userid, else DingTalk userId, else name + unit (only among people
 * whose ids do not contradict the row). Groups are matched by (platform, chat id), else (platform,
 * webhook), else (platform, name). Empty cells never clear what is stored; deactivated people stay
 * deactivated (that is a single edit on the page).
 */
import type { Database, Models } from '../../prisma/client.ts';
import { authorize, ROLE_LABELS, type Actor, type Role } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DirectorySheet, SheetKind } from './directory-sheets.ts';
import { planGroupRows, type GroupOp } from './directory-import-groups.ts';
import { accountIdProblem, findByAny, isUnitRole, lookupUnit, parseRole, ROLE_CHOICES, shown, STATUS_LABELS, type PreviewRow, type RowStatus, type RowVoice, type UnitRow } from './directory-fields.ts';

export { STATUS_LABELS, type PreviewRow, type RowStatus } from './directory-fields.ts';

type Reader = Models.Prisma.TransactionClient;

interface PersonData {
  name: string;
  role: Role;
  unitCode: string | null;
  wecomUserId: string | null;
  dingtalkUserId: string | null;
  title: string | null;
}

type PersonOp = { kind: 'person-create'; data: PersonData } | { kind: 'person-update'; id: string; data: Partial<PersonData> };
export type ImportOp = PersonOp | GroupOp;

export interface ImportPlan {
  rows: PreviewRow[];
  counts: Record<RowStatus, number>;
  ops: ImportOp[];
}

export async function planImport(db: Reader, sheets: DirectorySheet[]): Promise<ImportPlan> {
  const units = (await db.unit.findMany({ select: { code: true, name: true, kind: true, aliases: true }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] })) as UnitRow[];
  const both = new Set(sheets.map((s) => s.kind)).size > 1;
  const voice: RowVoice = { at: (table, rowNo) => `${both ? (table === 'people' ? '人员表' : '群表') : ''}第 ${rowNo} 行：` };
  const rows: PreviewRow[] = [];
  const ops: ImportOp[] = [];
  for (const sheet of sheets) {
    const r = sheet.kind === 'people' ? await planPeopleRows(db, sheet, units, voice) : await planGroupRows(db, sheet, units, voice);
    rows.push(...r.rows);
    ops.push(...r.ops);
  }
  const counts: Record<RowStatus, number> = { CREATE: 0, UPDATE: 0, UNCHANGED: 0, ERROR: 0 };
  for (const r of rows) counts[r.status]++;
  return { rows, counts, ops };
}

const FIELD_LABELS: Record<keyof PersonData, string> = { name: '姓名', role: '角色', unitCode: '单位', wecomUserId: '企业微信账号', dingtalkUserId: '钉钉账号', title: '职务' };

async function planPeopleRows(db: Reader, sheet: DirectorySheet, units: UnitRow[], voice: RowVoice): Promise<{ rows: PreviewRow[]; ops: PersonOp[] }> {
  const cell = (r: (typeof sheet.rows)[number], c: string) => r.cells[c] ?? '';
  const column = (c: string) => sheet.rows.map((r) => cell(r, c)).filter(Boolean);
  const known = (await findByAny([['wecomUserId', column('企业微信账号')], ['dingtalkUserId', column('钉钉账号')], ['name', column('姓名')]], (where) => db.person.findMany({ where })))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const byWecom = new Map(known.filter((p) => p.wecomUserId).map((p) => [p.wecomUserId!, p]));
  const byDing = new Map(known.filter((p) => p.dingtalkUserId).map((p) => [p.dingtalkUserId!, p]));
  const byName = new Map<string, typeof known>();
  for (const p of known) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const unitName = new Map(units.map((u) => [u.code, u.name]));
  const bureau = units.find((u) => u.kind === 'BUREAU')?.code ?? null;
  const seen = { wecom: new Map<string, number>(), ding: new Map<string, number>(), person: new Map<string, number>(), nameUnit: new Map<string, number>() };
  const rows: PreviewRow[] = [];
  const ops: PersonOp[] = [];

  for (const r of sheet.rows) {
    const name = cell(r, '姓名');
    const at = voice.at('people', r.rowNo);
    const fail = (why: string) => rows.push({ table: 'people', rowNo: r.rowNo, status: 'ERROR', label: STATUS_LABELS.ERROR, name, message: at + why, changes: [] });
    if (!name) { fail('缺少姓名'); continue; }
    if (name.length > 50) { fail(`姓名「${name.slice(0, 20)}…」过长`); continue; }
    const roleText = cell(r, '角色');
    const role = roleText ? parseRole(roleText) : null;
    if (!role) { fail(roleText ? `角色「${roleText}」无法识别，应为 ${ROLE_CHOICES} 之一` : `缺少角色，应为 ${ROLE_CHOICES} 之一`); continue; }
    const unitText = cell(r, '单位');
    let unitCode: string | null = null;
    if (unitText) {
      const found = lookupUnit(units, unitText);
      if (!found.unit) { fail(`未找到单位「${unitText}」${found.suggestion ? `，是否指「${found.suggestion.name}」？` : '，请填写单位全称、简称或编码'}`); continue; }
      unitCode = found.unit.code;
    } else if (isUnitRole(role)) {
      fail(`${ROLE_LABELS[role]}必须填写单位`); continue;
    } else if (role !== 'LEADER') {
      unitCode = bureau;
    }
    const wecom = cell(r, '企业微信账号') || null;
    const ding = cell(r, '钉钉账号') || null;
    const idProblem = (wecom && accountIdProblem('企业微信账号', wecom)) || (ding && accountIdProblem('钉钉账号', ding));
    if (idProblem) { fail(idProblem); continue; }
    if (wecom && seen.wecom.has(wecom)) { fail(`企业微信账号 ${wecom} 与第 ${seen.wecom.get(wecom)} 行重复`); continue; }
    if (ding && seen.ding.has(ding)) { fail(`钉钉账号 ${ding} 与第 ${seen.ding.get(ding)} 行重复`); continue; }
    const byW = wecom ? byWecom.get(wecom) : undefined;
    const byD = ding ? byDing.get(ding) : undefined;
    if (byW && byD && byW.id !== byD.id) {
      fail(`企业微信账号 ${wecom} 属于「${byW.name}」，钉钉账号 ${ding} 属于「${byD.name}」，不是同一人，请核对`); continue;
    }
    let match = byW ?? byD;
    if (!match) {
      const same = (byName.get(name) ?? []).filter((p) => p.unitCode === unitCode && (!wecom || !p.wecomUserId || p.wecomUserId === wecom) && (!ding || !p.dingtalkUserId || p.dingtalkUserId === ding));
      if (same.length > 1) {
        fail(`${unitCode ? unitName.get(unitCode) : '目录'}中有 ${same.length} 位同名人员「${name}」，请填写企业微信或钉钉账号以区分`); continue;
      }
      match = same[0];
    }
    if (!match && !wecom && !ding) {
      const k = `${name}|${unitCode}`;
      if (seen.nameUnit.has(k)) { fail(`与第 ${seen.nameUnit.get(k)} 行是同一单位的同名人员，且都未填写账号`); continue; }
      seen.nameUnit.set(k, r.rowNo);
    }
    if (match && seen.person.has(match.id)) { fail(`与第 ${seen.person.get(match.id)} 行是同一人「${match.name}」`); continue; }
    if (wecom) seen.wecom.set(wecom, r.rowNo);
    if (ding) seen.ding.set(ding, r.rowNo);
    const title = cell(r, '职务') || null;
    const unitShown = unitCode ? unitName.get(unitCode) ?? unitCode : '无单位';
    if (!match) {
      ops.push({ kind: 'person-create', data: { name, role, unitCode, wecomUserId: wecom, dingtalkUserId: ding, title } });
      rows.push({ table: 'people', rowNo: r.rowNo, status: 'CREATE', label: STATUS_LABELS.CREATE, name, message: `${at}新增 ${name}（${unitShown}，${ROLE_LABELS[role]}）`, changes: [] });
      continue;
    }
    seen.person.set(match.id, r.rowNo);
    const want: Partial<PersonData> = { name, role, unitCode, ...(wecom ? { wecomUserId: wecom } : {}), ...(ding ? { dingtalkUserId: ding } : {}), ...(title ? { title } : {}) };
    const data: Partial<PersonData> = {};
    const changes: string[] = [];
    for (const [k, v] of Object.entries(want) as [keyof PersonData, string | null][]) {
      const old = match[k] as string | null;
      if (old === v) continue;
      (data as Record<string, unknown>)[k] = v;
      const show = (x: string | null) => (k === 'role' && x ? ROLE_LABELS[x as Role] : k === 'unitCode' && x ? unitName.get(x) ?? x : shown(x));
      changes.push(`${FIELD_LABELS[k]}：${show(old)} → ${show(v)}`);
    }
    const inactive = match.active ? '' : '（该人员已停用，导入不会启用，请在人员列表中启用）';
    if (changes.length === 0) {
      rows.push({ table: 'people', rowNo: r.rowNo, status: 'UNCHANGED', label: STATUS_LABELS.UNCHANGED, name, message: `${at}${name}（${unitShown}）已在目录中，无变化${inactive}`, changes });
      continue;
    }
    ops.push({ kind: 'person-update', id: match.id, data });
    rows.push({ table: 'people', rowNo: r.rowNo, status: 'UPDATE', label: STATUS_LABELS.UPDATE, name, message: `${at}更新 ${match.name}：${changes.join('；')}${inactive}`, changes });
  }
  return { rows, ops };
}

const CREATE_BATCH = 200;

export interface ApplyResult {
  plan: ImportPlan;
  applied: { created: number; updated: number };
}

/** Plans again and applies, in one transaction; rows with errors are skipped (the preview said so). */
export async function applyImport(db: Database, sheets: DirectorySheet[], actor: Actor): Promise<ApplyResult> {
  const denied = authorize(actor, 'manageDirectory');
  if (denied) throw denied;
  try {
    return await db.prisma.$transaction(async (tx) => {
      const plan = await planImport(tx, sheets);
      let created = 0;
      let updated = 0;
      const newPeople = plan.ops.flatMap((o) => (o.kind === 'person-create' ? [o.data] : []));
      // Prisma's createMany is markedly faster in batches of this size than in one call.
      for (let i = 0; i < newPeople.length; i += CREATE_BATCH) created += (await tx.person.createMany({ data: newPeople.slice(i, i + CREATE_BATCH) })).count;
      for (const op of plan.ops) {
        if (op.kind === 'person-update') await tx.person.update({ where: { id: op.id }, data: op.data });
        else if (op.kind === 'group-create') await tx.chatGroup.create({ data: op.data });
        else if (op.kind === 'group-update') await tx.chatGroup.update({ where: { id: op.id }, data: op.data });
        if (op.kind === 'group-create') created++;
        else if (op.kind !== 'person-create') updated++;
      }
      return { plan, applied: { created, updated } };
    }, { maxWait: 10_000, timeout: 120_000 });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') {
      throw new DomainError('IMPORT_CONFLICT', '导入期间目录被他人修改（账号或群ID已被占用），未导入任何内容，请重新预览后再确认。', `directory import hit a unique key: ${(e as Error).message.slice(0, 200)}`);
    }
    throw e;
  }
}
