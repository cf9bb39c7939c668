/**
 * Service names must be “准确、清晰、易懂 … 避免产生歧义或使用内部化、模糊化简称（如应将“账户明细查询”
 * 规范为“XX账户明细查询”）” (附件5 填报须知 2, 附件6 填报须知 1). The rule, so that a unit can
 * predict it:
 *
 * 1. PLACEHOLDER — the template's stand-ins are not names: “xx”, “XX应用”, “测试”, “待定”, “无”, “……”.
 * 2. TOO_SHORT — fewer than 4 characters (letters, digits and Han characters; brackets, spaces and
 *    punctuation not counted): “社保卡”, “提取”.
 * 3. The name is cut into known words, longest first (bracketed text counts as part of the name):
 *      GENERIC   服务 系统 平台 办事 业务 事项 在线 网上 掌上 便民 综合 …
 *      ACTION    查询 办理 申请 缴费 登记 变更 预约 打印 认证 提取 …
 *      OWNERLESS 账户 账号 明细 余额 记录 信息 证明 资格 待遇 补贴 进度 … (objects that need an owner)
 *      ABBREV    社保 医保 公积金 (internal abbreviations of 社会保险, 医疗保障, 住房公积金)
 *    When nothing else is left, the name says no specific object:
 *      ABBREVIATION  an abbreviation with only generic words and actions: “社保查询”, “医保缴费”;
 *                    with an object it is clear enough: “社保缴费记录查询”, “医保个账余额”
 *      NO_OWNER      objects without whose/which: “账户明细查询”, “缴费记录查询”, “证明打印”
 *      GENERIC_ONLY  generic words and actions only: “办事服务”, “网上办理”, “便民服务系统”
 *    Any other text left (“住房公积金”, “不动产”, “城乡居民”, “残疾人”) makes the name specific.
 *
 * Every service of the plan's 附件4 passes; the 附件3 category labels “社保查询”, “医保查询”,
 * “公积金查询” do not (they name a category, not a service) — both proven in the tests.
 */
import { compactText } from './cells.ts';

export type VagueReason = 'PLACEHOLDER' | 'TOO_SHORT' | 'ABBREVIATION' | 'NO_OWNER' | 'GENERIC_ONLY';

const GENERIC = ['服务', '系统', '平台', '办事', '业务', '事项', '在线', '网上', '掌上', '便民', '综合', '大厅', '专区', '应用', '中心', '功能', '入口', '模块', '页面', '一件事', '自助', '智能', '相关', '其他', '其它', '通用', '等', '类', '和', '及', '与'];
const ACTION = ['查询', '办理', '申请', '申报', '缴费', '缴纳', '登记', '变更', '注销', '预约', '打印', '下载', '认证', '提取', '转移', '补办', '换领', '申领', '核发', '备案', '审批', '报名', '公示', '领取', '修改', '上传', '开具', '出具', '验证', '核验', '查看', '办'];
const OWNERLESS = ['账户', '账号', '帐户', '帐号', '明细', '余额', '记录', '信息', '资格', '待遇', '补贴', '证明', '证书', '证件', '材料', '档案', '进度', '结果', '费用', '缴费记录'];
const ABBREV = ['社保', '医保', '公积金'];
const PLACEHOLDERS = new Set(['测试', '待定', '暂无', '无', '略', '空', '同上', '示例', '样例', '名称', '服务名称', '应用名称']);

type Kind = 'G' | 'A' | 'O' | 'B';
const LEXICON: [string, Kind][] = [
  ...GENERIC.map((w) => [w, 'G'] as [string, Kind]),
  ...ACTION.map((w) => [w, 'A'] as [string, Kind]),
  ...OWNERLESS.map((w) => [w, 'O'] as [string, Kind]),
  ...ABBREV.map((w) => [w, 'B'] as [string, Kind]),
].sort((a, b) => b[0].length - a[0].length);
/** Lexicon words by their first character, longest first (segmentation looks up one position at a time). */
const BY_FIRST = new Map<string, [string, Kind][]>();
for (const e of LEXICON) BY_FIRST.set(e[0][0]!, [...(BY_FIRST.get(e[0][0]!) ?? []), e]);

/** Letters, digits and Han characters of a name (what is counted and segmented). */
function core(name: string): string {
  return compactText(name).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Why a service name is vague, or null when it is specific enough. */
export function vagueNameReason(name: string): VagueReason | null {
  const c = core(name);
  if (c === '' || /x{2,}/i.test(c) || PLACEHOLDERS.has(c) || /^[.…。·\-—_]+$/.test(compactText(name))) return 'PLACEHOLDER';
  if ([...c].length < 4) return 'TOO_SHORT';
  const seen = new Set<Kind>();
  let rest = '';
  for (let i = 0; i < c.length; ) {
    const hit = BY_FIRST.get(c[i]!)?.find(([w]) => c.startsWith(w, i));
    if (hit) {
      seen.add(hit[1]);
      i += hit[0].length;
    } else {
      rest += c[i];
      i++;
    }
  }
  if (rest !== '') return null;
  if (seen.has('B')) return seen.has('O') ? null : 'ABBREVIATION';
  if (seen.has('O')) return 'NO_OWNER';
  return 'GENERIC_ONLY';
}

/** The abbreviation a vague name uses (for the message), if any. */
export function abbreviationIn(name: string): string | null {
  const c = core(name);
  return ABBREV.find((a) => c.includes(a)) ?? null;
}

/** An app name (附件1) only has to be a real name: not a template placeholder, not empty. */
export function isPlaceholderName(name: string): boolean {
  return vagueNameReason(name) === 'PLACEHOLDER';
}

/** Chinese explanation of a vague name. */
export function vagueNameMessage(name: string, reason: VagueReason): string {
  switch (reason) {
    case 'PLACEHOLDER':
      return `“${name}”是模板占位内容，请填写服务的完整名称`;
    case 'TOO_SHORT':
      return `“${name}”过短（不足4个字），请写明服务对象和办理事项，如“住房公积金账户明细查询”`;
    case 'ABBREVIATION':
      return `“${name}”使用了内部简称“${abbreviationIn(name) ?? ''}”且未写明具体对象，请使用公众普遍认知的全称并写明对象，如“城乡居民养老保险缴费记录查询”`;
    case 'NO_OWNER':
      return `“${name}”未写明所属对象，属于模糊化简称（如应将“账户明细查询”规范为“XX账户明细查询”）`;
    case 'GENERIC_ONLY':
      return `“${name}”只有“服务”“办理”“查询”等通用词，请写明具体的服务事项`;
  }
}

/**
 * Is a service one of the unit's catalogue items (附件3/附件4)? The lists name categories
 * (“不动产登记”, “社保查询”), so a service matches an item when either name contains the other,
 * or it contains the item's distinctive part (the item without generic words and actions, at least
 * 2 characters: “不动产” of “不动产登记” in “不动产登记资料查询”), or the two share at least half
 * of their character pairs.
 */
export function inCatalogue(name: string, items: readonly string[]): boolean {
  const n = core(name);
  if (n === '') return false;
  for (const item of items) {
    const i = core(item);
    if (i === '') continue;
    if (n.includes(i) || i.includes(n)) return true;
    const key = distinctive(i);
    if (key.length >= 2 && n.includes(key)) return true;
    if (dice(n, i) >= 0.5) return true;
  }
  return false;
}

const distinctiveCache = new Map<string, string>();
function distinctive(c: string): string {
  let out = distinctiveCache.get(c);
  if (out === undefined) {
    out = c;
    for (const [w, kind] of LEXICON) if (kind === 'G' || kind === 'A') out = out.split(w).join('');
    if (distinctiveCache.size > 5000) distinctiveCache.clear();
    distinctiveCache.set(c, out);
  }
  return out;
}

function pairs(s: string): string[] {
  const chars = [...s];
  return chars.slice(1).map((ch, i) => chars[i] + ch);
}

function dice(a: string, b: string): number {
  const pa = pairs(a);
  const pb = pairs(b);
  if (!pa.length || !pb.length) return 0;
  const pool = [...pb];
  let common = 0;
  for (const p of pa) {
    const k = pool.indexOf(p);
    if (k >= 0) {
      common++;
      pool.splice(k, 1);
    }
  }
  return (2 * common) / (pa.length + pb.length);
}
