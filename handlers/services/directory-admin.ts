/**
 * Single edits of the directory from the web console — link a person to a WeCom/DingTalk account,
 * activate or deactivate them, register a chat group — and the import template. Each is authorized
 * by domain/access.ts (`manageDirectory`); platform ids stay unique (the database says so too).
 */
import ExcelJS from 'exceljs';
import type { Database } from '../../prisma/client.ts';
import { authorize, ROLE_LABELS, ROLES, type Actor } from '../../domain/access.ts';
import { DomainError } from '../../domain/errors.ts';
import { accountIdProblem, PLATFORM_LABELS, PURPOSE_LABELS, webhookProblem, type PlatformCode, type PurposeCode } from './directory-fields.ts';
import { GROUP_COLUMNS, PEOPLE_COLUMNS } from './directory-sheets.ts';

export interface PersonPatch {
  wecomUserId?: string | null;
  dingtalkUserId?: string | null;
  title?: string | null;
  active?: boolean;
}

function allowed(actor: Actor): void {
  const denied = authorize(actor, 'manageDirectory');
  if (denied) throw denied;
}

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v?.trim() ? v.trim() : null);

export async function updatePerson(db: Database, id: string, patch: PersonPatch, actor: Actor) {
  allowed(actor);
  const person = await db.prisma.person.findUnique({ where: { id } });
  if (!person) throw new DomainError('PERSON_NOT_FOUND', '未找到该人员，可能已被删除，请刷新页面。', `person ${id} not found`);
  const data: PersonPatch = {};
  const wecom = blankToNull(patch.wecomUserId);
  const ding = blankToNull(patch.dingtalkUserId);
  for (const [label, value, field] of [['企业微信账号', wecom, 'wecomUserId'], ['钉钉账号', ding, 'dingtalkUserId']] as const) {
    if (value === undefined) continue;
    if (value !== null) {
      const problem = accountIdProblem(label, value);
      if (problem) throw new DomainError('ACCOUNT_ID', `${problem}。`, `bad ${field} ${value}`);
      const holder = await db.prisma.person.findFirst({ where: { [field]: value, id: { not: id } }, include: { unit: { select: { name: true } } } });
      if (holder) {
        throw new DomainError('ACCOUNT_TAKEN', `${label} ${value} 已绑定到 ${holder.name}（${holder.unit?.name ?? '无单位'}），请先解除其绑定。`, `${field} ${value} belongs to person ${holder.id}`);
      }
    }
    data[field] = value;
  }
  const title = blankToNull(patch.title);
  if (title !== undefined) data.title = title === null ? null : title.slice(0, 100);
  if (patch.active !== undefined) data.active = patch.active;
  try {
    return await db.prisma.person.update({ where: { id }, data, include: { unit: { select: { name: true } } } });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') throw new DomainError('ACCOUNT_TAKEN', '该账号刚被绑定到其他人员，请刷新页面后重试。', `unique conflict updating person ${id}`);
    throw e;
  }
}

export interface NewGroup {
  name: string;
  platform: PlatformCode;
  purpose: PurposeCode;
  unitCode?: string | null;
  chatId?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
}

export async function addGroup(db: Database, g: NewGroup, actor: Actor) {
  allowed(actor);
  const name = g.name.trim();
  const chatId = blankToNull(g.chatId) ?? null;
  const webhookUrl = blankToNull(g.webhookUrl) ?? null;
  const webhookSecret = blankToNull(g.webhookSecret) ?? null;
  const unitCode = blankToNull(g.unitCode) ?? null;
  if (!name) throw new DomainError('GROUP_NAME', '请填写群名称。', 'group without name');
  if (!chatId && !webhookUrl) throw new DomainError('GROUP_TARGET', '群ID 和 Webhook 至少填写一项。', 'group without chat id or webhook');
  if (chatId && /\s/.test(chatId)) throw new DomainError('GROUP_CHAT_ID', '群ID不能含空格。', 'chat id with spaces');
  const hookProblem = webhookUrl ? webhookProblem(webhookUrl) : null;
  if (hookProblem) throw new DomainError('GROUP_WEBHOOK', `${hookProblem}。`, 'bad webhook');
  if (webhookSecret && !webhookUrl) throw new DomainError('GROUP_SECRET', '填写了加签密钥但没有 Webhook。', 'secret without webhook');
  if (g.purpose === 'UNIT' && !unitCode) throw new DomainError('GROUP_UNIT', '单位群必须选择单位。', 'unit group without unit');
  if (unitCode && !(await db.prisma.unit.findUnique({ where: { code: unitCode } }))) throw new DomainError('UNIT_NOT_FOUND', `未找到单位编码 ${unitCode}。`, `unknown unit ${unitCode}`);
  if (chatId) {
    const same = await db.prisma.chatGroup.findFirst({ where: { platform: g.platform, chatId } });
    if (same) throw new DomainError('GROUP_EXISTS', `${PLATFORM_LABELS[g.platform]}群ID ${chatId} 已登记为「${same.name}」。`, `group ${g.platform}/${chatId} exists`);
  }
  try {
    return await db.prisma.chatGroup.create({ data: { name: name.slice(0, 100), platform: g.platform, purpose: g.purpose, unitCode, chatId, webhookUrl, webhookSecret } });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') throw new DomainError('GROUP_EXISTS', `该群ID刚被登记，请刷新页面查看。`, 'unique conflict adding group');
    throw e;
  }
}

/** Rows of the template that offer the role/platform/purpose drop-downs. */
const TEMPLATE_ROWS = 300;

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The import template: 人员 and 群 sheets with the header and one example row each, and notes. */
export async function directoryTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  const header = (ws: ExcelJS.Worksheet, columns: readonly string[], widths: number[]) => {
    ws.addRow([...columns]).font = { bold: true };
    columns.forEach((_c, i) => (ws.getColumn(i + 1).width = widths[i] ?? 16));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  };
  const people = wb.addWorksheet('人员');
  header(people, PEOPLE_COLUMNS, [12, 20, 18, 18, 18, 20]);
  people.addRow(['张三', '单位联络员', '省公安厅', 'zhangsan', 'ding-zhangsan', '督办联络员']);
  const roles = `"${ROLES.map((r) => ROLE_LABELS[r]).join(',')}"`;
  for (let r = 2; r <= TEMPLATE_ROWS; r++) people.getCell(r, 2).dataValidation = { type: 'list', allowBlank: true, formulae: [roles] };
  const groups = wb.addWorksheet('群');
  header(groups, GROUP_COLUMNS, [26, 10, 12, 16, 28, 40, 20]);
  groups.addRow(['省公安厅督办群', '企业微信', '单位群', '省公安厅', 'wrOgQhDgAAexample', '', '']);
  const platforms = `"${[PLATFORM_LABELS.WECOM, PLATFORM_LABELS.DINGTALK].join(',')}"`;
  const purposes = `"${Object.values(PURPOSE_LABELS).join(',')}"`;
  for (let r = 2; r <= TEMPLATE_ROWS; r++) {
    groups.getCell(r, 2).dataValidation = { type: 'list', allowBlank: true, formulae: [platforms] };
    groups.getCell(r, 3).dataValidation = { type: 'list', allowBlank: true, formulae: [purposes] };
  }
  const notes = wb.addWorksheet('说明');
  notes.getColumn(1).width = 110;
  for (const line of [
    '填写说明（本工作表不会被导入）',
    '1. 「人员」表：姓名、角色必填；角色填 单位联络员、单位负责人、领导、省数据局统筹调度人员、省数据局管理员 之一。',
    '2. 单位填全称、简称或单位编码（如 省公安厅、p-gongan）；单位联络员和单位负责人必须填写单位，省数据局人员可不填。',
    '3. 企业微信账号填成员的 userid，钉钉账号填 userId；已有人员按账号匹配，没有账号时按“姓名 + 单位”匹配；留空不会清除已有账号。',
    '4. 「群」表：群名称、平台（企业微信/钉钉）、用途（领导群/单位群/省数据局群）必填；单位群须填单位；群ID 与 Webhook 至少填一项，Webhook 须为 https 地址，钉钉机器人加签时填写加签密钥。',
    '5. 示例行请替换或删除。上传后先预览每行的结果（新增/更新/无变化/错误），确认后才写入；同一文件重复导入不会产生变化。',
    '6. 也可上传 CSV（UTF-8 编码，首行为表头）：人员表与群表各存一个文件。',
  ]) notes.addRow([line]);
  notes.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
