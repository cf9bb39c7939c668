/**
 * The directory's fields as people write them in a spreadsheet or a form: roles, platforms and
 * group purposes by their Chinese labels or codes, platform account ids, webhook addresses, and
 * units (same lookup as the chat, by code too, with a "did you mean" when nothing matches).
 */
import { ROLE_LABELS, ROLES, type Role } from '../../domain/access.ts';
import type { SheetKind } from './directory-sheets.ts';
import { matchUnit, type UnitNames } from './units.ts';

export type PlatformCode = 'WECOM' | 'DINGTALK' | 'CONSOLE';
export type PurposeCode = 'LEADERSHIP' | 'UNIT' | 'BUREAU';

export const PLATFORM_LABELS: Record<PlatformCode, string> = { WECOM: '企业微信', DINGTALK: '钉钉', CONSOLE: '模拟器' };
export const PURPOSE_LABELS: Record<PurposeCode, string> = { LEADERSHIP: '领导群', UNIT: '单位群', BUREAU: '省数据局群' };
export const KIND_LABELS: Record<string, string> = { PROVINCIAL: '省直单位', CITY: '市州', BUREAU: '省数据局' };

const key = (s: string) => s.replace(/[\s（）()]/g, '').toLowerCase();

const ROLE_WORDS: Record<string, Role> = {
  ...Object.fromEntries(ROLES.map((r) => [key(r), r])),
  ...Object.fromEntries(Object.entries(ROLE_LABELS).map(([r, l]) => [key(l), r as Role])),
  联络员: 'UNIT_OFFICER', 督办联络员: 'UNIT_OFFICER', 单位联络人: 'UNIT_OFFICER',
  负责人: 'UNIT_LEADER', 分管负责人: 'UNIT_LEADER', 单位分管负责人: 'UNIT_LEADER',
  统筹调度人员: 'BUREAU_STAFF', 省数据局工作人员: 'BUREAU_STAFF',
  管理员: 'BUREAU_ADMIN',
};
const PLATFORM_WORDS: Record<string, PlatformCode> = {
  wecom: 'WECOM', 企业微信: 'WECOM', 企微: 'WECOM',
  dingtalk: 'DINGTALK', 钉钉: 'DINGTALK',
  console: 'CONSOLE', 模拟器: 'CONSOLE', 控制台: 'CONSOLE',
};
const PURPOSE_WORDS: Record<string, PurposeCode> = {
  leadership: 'LEADERSHIP', 领导群: 'LEADERSHIP', 领导: 'LEADERSHIP', 领导小组群: 'LEADERSHIP',
  unit: 'UNIT', 单位群: 'UNIT', 单位: 'UNIT', 单位督办群: 'UNIT',
  bureau: 'BUREAU', 省数据局群: 'BUREAU', 省数据局: 'BUREAU', 统筹调度群: 'BUREAU', 省数据局统筹调度群: 'BUREAU',
};

export const ROLE_CHOICES = ROLES.map((r) => ROLE_LABELS[r]).join('、');

export function parseRole(text: string): Role | null {
  return ROLE_WORDS[key(text)] ?? null;
}
export function parsePlatform(text: string): PlatformCode | null {
  return PLATFORM_WORDS[key(text)] ?? null;
}
export function parsePurpose(text: string): PurposeCode | null {
  return PURPOSE_WORDS[key(text)] ?? null;
}

export function isUnitRole(role: Role): boolean {
  return role === 'UNIT_OFFICER' || role === 'UNIT_LEADER';
}

/** WeCom userid and DingTalk userId: letters, digits and _-.@ (what both platforms allow), at most 64. */
const ACCOUNT_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

/** Null when the id is acceptable, else why not (in Chinese). */
export function accountIdProblem(label: string, id: string): string | null {
  if (ACCOUNT_ID.test(id)) return null;
  if (id.length > 64) return `${label}「${id.slice(0, 20)}…」过长（最多 64 个字符）`;
  return `${label}「${id}」格式不对：只能包含字母、数字和 _ - . @，不能有空格或中文`;
}

export function webhookProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `Webhook「${url.slice(0, 40)}」不是有效的网址`;
  }
  if (u.protocol !== 'https:') return 'Webhook 须为 https:// 开头的地址';
  if (url.length > 1000) return 'Webhook 地址过长';
  return null;
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out.length ? out : [s];
}

function dice(x: string[], y: string[]): number {
  const pool = [...y];
  let common = 0;
  for (const g of x) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      common++;
      pool.splice(i, 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

/**
 * How alike two unit names are: Dice of character pairs ("省公安" ~ "省公安厅" = 0.8), or of single
 * characters less 0.2 for a mistyped character ("省人设厅" ~ "省人社厅" = 0.55), so that names
 * sharing only 省…厅 ("省民政厅" ~ "省公安厅" = 0.3) are not taken for each other.
 */
function similarity(a: string, b: string): number {
  return Math.max(dice(bigrams(a), bigrams(b)), dice([...a], [...b]) - 0.2);
}

/** "湖南省公安厅" and "省公安厅" name the same unit: the province's name is dropped before comparing. */
function withoutProvince(s: string): string {
  return s.replace(/\s/g, '').replace(/^湖南省/, '省').replace(/^湖南/, '');
}

export type UnitLookup<U extends UnitNames> = { unit: U } | { unit: null; suggestion: U | null };

/** A unit by code, name, alias or part of its name (the chat's lookup), else the nearest name. */
export function lookupUnit<U extends UnitNames>(units: readonly U[], text: string): UnitLookup<U> {
  const t = text.trim();
  const byCode = units.find((u) => u.code === t);
  if (byCode) return { unit: byCode };
  // Resolution is exactly the chat's; near names are only suggested, never taken silently.
  const hit = matchUnit(units, t);
  if (hit) return { unit: hit };
  let best: U | null = null;
  let score = 0;
  const q = withoutProvince(t);
  for (const u of units) {
    for (const n of [u.name, ...(JSON.parse(u.aliases) as string[])]) {
      const s = similarity(q, withoutProvince(n));
      if (s > score) {
        score = s;
        best = u;
      }
    }
  }
  return { unit: null, suggestion: score >= 0.5 ? best : null };
}

// Rows of an import preview ------------------------------------------------------------------

export type RowStatus = 'CREATE' | 'UPDATE' | 'UNCHANGED' | 'ERROR';
export const STATUS_LABELS: Record<RowStatus, string> = { CREATE: '新增', UPDATE: '更新', UNCHANGED: '无变化', ERROR: '错误' };

export interface PreviewRow {
  table: SheetKind;
  rowNo: number;
  status: RowStatus;
  label: string;
  /** The person's or group's name as written. */
  name: string;
  /** What happens, or why not: "第 5 行：未找到单位「湖南省公安」，是否指「省公安厅」？" */
  message: string;
  changes: string[];
}

export interface UnitRow {
  code: string;
  name: string;
  kind: string;
  aliases: string;
}

/** Builds the Chinese row messages: "第 5 行：…", or "群表第 5 行：…" when the file has both tables. */
export interface RowVoice {
  at(table: SheetKind, rowNo: number): string;
}

export function shown(v: string | null | undefined): string {
  return v ? v : '（空）';
}


/** Keeps IN lists under the databases' bound-parameter limits (SQLite's is the lower). */
const IN_CHUNK = 500;

/** Rows matching any of `lists` (field → values), fetched in chunks, each row once. */
export async function findByAny<T extends { id: string }>(lists: [string, string[]][], find: (where: Record<string, { in: string[] }>) => Promise<T[]>): Promise<T[]> {
  const out = new Map<string, T>();
  for (const [field, values] of lists) {
    const unique = [...new Set(values)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      for (const row of await find({ [field]: { in: unique.slice(i, i + IN_CHUNK) } })) out.set(row.id, row);
    }
  }
  return [...out.values()];
}
