/**
 * The chat-group rows of a directory import (see directory-import.ts): 群名称, 平台, 用途, 单位,
 * 群ID, Webhook, 加签密钥. A group needs a chat id (to receive cards as a group) or a robot
 * webhook (leadership groups); secrets are never shown back, only that they change.
 */
import type { Models } from '../../prisma/client.ts';
import type { DirectorySheet } from './directory-sheets.ts';
import { accountIdProblem, findByAny, lookupUnit, parsePlatform, parsePurpose, PLATFORM_LABELS, PURPOSE_LABELS, shown, STATUS_LABELS, webhookProblem, type PlatformCode, type PreviewRow, type PurposeCode, type RowVoice, type UnitRow } from './directory-fields.ts';

type Reader = Models.Prisma.TransactionClient;

export interface GroupData {
  name: string;
  platform: PlatformCode;
  purpose: PurposeCode;
  unitCode: string | null;
  chatId: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

export type GroupOp = { kind: 'group-create'; data: GroupData } | { kind: 'group-update'; id: string; data: Partial<GroupData> };

const FIELD_LABELS: Record<keyof GroupData, string> = { name: '群名称', platform: '平台', purpose: '用途', unitCode: '单位', chatId: '群ID', webhookUrl: 'Webhook', webhookSecret: '加签密钥' };

export async function planGroupRows(db: Reader, sheet: DirectorySheet, units: UnitRow[], voice: RowVoice): Promise<{ rows: PreviewRow[]; ops: GroupOp[] }> {
  const cell = (r: (typeof sheet.rows)[number], c: string) => r.cells[c] ?? '';
  const column = (c: string) => sheet.rows.map((r) => cell(r, c)).filter(Boolean);
  const known = (await findByAny([['chatId', column('群ID')], ['webhookUrl', column('Webhook')], ['name', column('群名称')]], (where) => db.chatGroup.findMany({ where })))
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const unitName = new Map(units.map((u) => [u.code, u.name]));
  const seen = { chat: new Map<string, number>(), hook: new Map<string, number>(), group: new Map<string, number>() };
  const rows: PreviewRow[] = [];
  const ops: GroupOp[] = [];

  for (const r of sheet.rows) {
    const name = cell(r, '群名称');
    const at = voice.at('groups', r.rowNo);
    const fail = (why: string) => rows.push({ table: 'groups', rowNo: r.rowNo, status: 'ERROR', label: STATUS_LABELS.ERROR, name, message: at + why, changes: [] });
    if (!name) { fail('缺少群名称'); continue; }
    if (name.length > 100) { fail('群名称过长（最多 100 字）'); continue; }
    const platform = parsePlatform(cell(r, '平台'));
    if (!platform) { fail(cell(r, '平台') ? `平台「${cell(r, '平台')}」无法识别，应为 企业微信 或 钉钉` : '缺少平台（企业微信 或 钉钉）'); continue; }
    const purpose = parsePurpose(cell(r, '用途'));
    if (!purpose) { fail(cell(r, '用途') ? `用途「${cell(r, '用途')}」无法识别，应为 领导群、单位群 或 省数据局群` : '缺少用途（领导群、单位群 或 省数据局群）'); continue; }
    const unitText = cell(r, '单位');
    let unitCode: string | null = null;
    if (unitText) {
      const found = lookupUnit(units, unitText);
      if (!found.unit) { fail(`未找到单位「${unitText}」${found.suggestion ? `，是否指「${found.suggestion.name}」？` : '，请填写单位全称、简称或编码'}`); continue; }
      unitCode = found.unit.code;
    } else if (purpose === 'UNIT') {
      fail('单位群必须填写单位'); continue;
    }
    const chatId = cell(r, '群ID') || null;
    const webhookUrl = cell(r, 'Webhook') || null;
    const webhookSecret = cell(r, '加签密钥') || null;
    if (!chatId && !webhookUrl) { fail('群ID 和 Webhook 至少填写一项'); continue; }
    const problem = (chatId && (chatId.length > 200 ? '群ID过长' : /\s/.test(chatId) ? `群ID「${chatId}」不能含空格` : null)) || (webhookUrl && webhookProblem(webhookUrl));
    if (problem) { fail(problem); continue; }
    if (webhookSecret && !webhookUrl) { fail('填写了加签密钥但没有 Webhook'); continue; }
    if (webhookSecret && accountIdProblem('加签密钥', webhookSecret)) { fail('加签密钥格式不对：只能包含字母、数字和 _ - . @'); continue; }
    const chatKey = chatId ? `${platform}|${chatId}` : null;
    const hookKey = webhookUrl ? `${platform}|${webhookUrl}` : null;
    if (chatKey && seen.chat.has(chatKey)) { fail(`群ID ${chatId} 与第 ${seen.chat.get(chatKey)} 行重复`); continue; }
    if (hookKey && seen.hook.has(hookKey)) { fail(`Webhook 与第 ${seen.hook.get(hookKey)} 行重复`); continue; }
    const byChat = chatId ? known.find((g) => g.platform === platform && g.chatId === chatId) : undefined;
    const byHook = webhookUrl ? known.find((g) => g.platform === platform && g.webhookUrl === webhookUrl) : undefined;
    if (byChat && byHook && byChat.id !== byHook.id) { fail(`群ID 属于「${byChat.name}」，Webhook 属于「${byHook.name}」，不是同一个群，请核对`); continue; }
    let match = byChat ?? byHook;
    if (!match) {
      const same = known.filter((g) => g.platform === platform && g.name === name && (!chatId || !g.chatId) && (!webhookUrl || !g.webhookUrl || g.webhookUrl === webhookUrl));
      if (same.length > 1) { fail(`${PLATFORM_LABELS[platform]}上有 ${same.length} 个同名群「${name}」，请填写群ID以区分`); continue; }
      match = same[0];
    }
    if (match && seen.group.has(match.id)) { fail(`与第 ${seen.group.get(match.id)} 行是同一个群「${match.name}」`); continue; }
    if (chatKey) seen.chat.set(chatKey, r.rowNo);
    if (hookKey) seen.hook.set(hookKey, r.rowNo);
    const where = unitCode ? unitName.get(unitCode) ?? unitCode : '不属单位';
    if (!match) {
      ops.push({ kind: 'group-create', data: { name, platform, purpose, unitCode, chatId, webhookUrl, webhookSecret } });
      rows.push({ table: 'groups', rowNo: r.rowNo, status: 'CREATE', label: STATUS_LABELS.CREATE, name, message: `${at}新增群 ${name}（${PLATFORM_LABELS[platform]}，${PURPOSE_LABELS[purpose]}，${where}）`, changes: [] });
      continue;
    }
    seen.group.set(match.id, r.rowNo);
    const want: Partial<GroupData> = { name, purpose, unitCode, ...(chatId ? { chatId } : {}), ...(webhookUrl ? { webhookUrl } : {}), ...(webhookSecret ? { webhookSecret } : {}) };
    const data: Partial<GroupData> = {};
    const changes: string[] = [];
    for (const [k, v] of Object.entries(want) as [keyof GroupData, string | null][]) {
      const old = match[k] as string | null;
      if (old === v) continue;
      (data as Record<string, unknown>)[k] = v;
      if (k === 'webhookSecret') changes.push('加签密钥：已更新');
      else if (k === 'webhookUrl') changes.push(old ? 'Webhook：已更换' : 'Webhook：已设置');
      else {
        const show = (x: string | null) => (k === 'purpose' && x ? PURPOSE_LABELS[x as PurposeCode] : k === 'unitCode' && x ? unitName.get(x) ?? x : shown(x));
        changes.push(`${FIELD_LABELS[k]}：${show(old)} → ${show(v)}`);
      }
    }
    if (changes.length === 0) {
      rows.push({ table: 'groups', rowNo: r.rowNo, status: 'UNCHANGED', label: STATUS_LABELS.UNCHANGED, name, message: `${at}群 ${name} 已在目录中，无变化`, changes });
      continue;
    }
    ops.push({ kind: 'group-update', id: match.id, data });
    rows.push({ table: 'groups', rowNo: r.rowNo, status: 'UPDATE', label: STATUS_LABELS.UPDATE, name, message: `${at}更新群 ${match.name}：${changes.join('；')}`, changes });
  }
  return { rows, ops };
}
