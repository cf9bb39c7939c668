/**
 * The return templates (报表) of the 2026 plan: 附件1 关停计划表, 附件5 and 附件6 服务上线计划表
 * (printed as “高频服务清单梳理表” and “适老、适残高频服务清单梳理表”). Columns are written after the
 * annex headers as printed in prisma/seed/plan-2026-xiangyiban.txt; a test parses the seed's annex
 * tables and proves every printed header is here, in the printed order.
 *
 * `key` is what a row stores (stable, English); `header` is the printed column name; `aliases` are
 * other names units give the column in their own sheets (附件5 prints 是否遵守UI规范, 附件6 prints
 * UI规范 — both are accepted in either table).
 */

export type AnnexNo = 1 | 5 | 6;
export const ANNEXES: readonly AnnexNo[] = [1, 5, 6];

export interface ColumnDef {
  key: string;
  header: string;
  aliases: readonly string[];
  /** The cell must be filled in (序号 never: rows are numbered on storage). */
  required: boolean;
  /** A date column: Excel date cells and common spellings are read as dates. */
  date?: boolean;
  /** Allowed values: canonical value → spellings accepted for it. */
  allowed?: Readonly<Record<string, readonly string[]>>;
  /** Several allowed values may be combined (个人/企业). */
  multi?: boolean;
  /** Excel column width (characters). */
  width: number;
  /** Example shown in the empty form cell. */
  hint: string;
}

export interface ReturnTemplate {
  annex: AnnexNo;
  /** Title row of downloads and exports. */
  title: string;
  /** The annex's title as printed in the plan. */
  printedTitle: string;
  columns: readonly ColumnDef[];
  /** 附件5 rows should be services of the unit's 附件3 list, 附件6 rows of its 附件4 list. */
  catalogueAnnex: 3 | 4 | null;
  /** 填报须知 as printed (shortened where it only repeats the plan). */
  notes: readonly string[];
}

const YES_NO = { 是: ['是', '√', '✓', '✔', 'Y', 'YES', '符合', '已遵守'], 否: ['否', '×', '✗', 'N', 'NO', '不符合', '未遵守'] } as const;
const ONLINE = { 已上线: ['已上线', '上线'], 缺失: ['缺失', '未上线', '无'] } as const;

const seq: ColumnDef = { key: 'seq', header: '序号', aliases: ['编号'], required: false, width: 6, hint: '' };

export const ANNEX1: ReturnTemplate = {
  annex: 1,
  title: '附件1 关停计划表',
  printedTitle: '关停计划表',
  catalogueAnnex: null,
  columns: [
    seq,
    { key: 'appName', header: '应用名称', aliases: ['应用', 'APP名称', '应用(小程序)名称', '移动端应用名称', '小程序名称'], required: true, width: 22, hint: '如：XX市民云APP' },
    { key: 'noticeDate', header: '公告时间', aliases: ['公示公告时间', '公示时间', '迁移公告时间', '公告发布时间'], required: true, date: true, width: 14, hint: '如：2026-08-15' },
    { key: 'noticeChannel', header: '公告渠道', aliases: ['公示渠道', '公告发布渠道'], required: true, width: 20, hint: '如：XX移动端、XX网站' },
    { key: 'noticeContent', header: '公告内容', aliases: ['公示内容'], required: true, width: 30, hint: '公告主要内容' },
    { key: 'offlineMaterials', header: '线下宣传物料布置情况', aliases: ['线下宣传物料'], required: false, width: 28, hint: '如：办事大厅海报、公交车广告' },
    { key: 'offlinePlan', header: '线下物料替换/下架安排', aliases: ['线下物料替换下架安排', '线下物料替换安排'], required: false, width: 28, hint: '如：2026-9-30完成所有广告牌替换' },
    { key: 'shutdownDate', header: '关停时间', aliases: ['计划关停时间', '关停日期'], required: true, date: true, width: 26, hint: '如：2026-11-15关闭XX小程序' },
  ],
  notes: [
    '各单位须提前做好公示公告：在计划关停时间2个月前在原移动端发布迁移公告，公告不晚于2026年10月31日。',
    '12月底前关停原有移动端入口（关停时间不晚于2026年12月31日）。',
  ],
};

const serviceColumns = (nature: Readonly<Record<string, readonly string[]>>, natureHint: string): ColumnDef[] => [
  seq,
  { key: 'serviceName', header: '服务名称', aliases: ['名称', '服务事项名称', '服务事项'], required: true, width: 28, hint: '如：住房公积金账户明细查询' },
  { key: 'nature', header: '服务性质', aliases: ['性质'], required: true, allowed: nature, multi: true, width: 10, hint: natureHint },
  { key: 'status', header: '服务状态', aliases: ['状态'], required: true, allowed: ONLINE, width: 10, hint: '已上线/缺失' },
  { key: 'registered', header: '是否注册事项系统', aliases: ['是否注册事项', '注册事项系统'], required: true, allowed: { ...YES_NO, '－': ['－', '-', '—', '–', '/', '不涉及'] }, width: 12, hint: '是/否/－' },
  { key: 'capabilities', header: '能力对接', aliases: ['对接能力'], required: true, width: 32, hint: '人脸识别/消息推送/办件状态/事后评价' },
  { key: 'aiService', header: '智能客服上线状态', aliases: ['智能客服'], required: true, allowed: ONLINE, width: 12, hint: '已上线/缺失' },
  { key: 'uiSpec', header: '', aliases: [], required: true, allowed: YES_NO, width: 10, hint: '是/否' },
  { key: 'tracking', header: '数据埋点规范', aliases: ['是否遵守数据埋点规范', '埋点规范'], required: true, allowed: YES_NO, width: 10, hint: '是/否' },
  { key: 'launchDate', header: '服务升级上线时间', aliases: ['上线时间', '服务上线时间', '计划上线时间', '升级上线时间'], required: true, date: true, width: 16, hint: '2026年7月30日' },
];

function withUiHeader(cols: ColumnDef[], header: string, other: string): ColumnDef[] {
  return cols.map((c) => (c.key === 'uiSpec' ? { ...c, header, aliases: [other, 'UI规范符合情况'] } : c));
}

export const ANNEX5: ReturnTemplate = {
  annex: 5,
  title: '附件5 服务上线计划表',
  printedTitle: '2026年“湘易办”高频服务清单梳理表（模板）',
  catalogueAnnex: 3,
  columns: withUiHeader(serviceColumns({ 个人: ['个人'], 企业: ['企业', '法人'] }, '个人/企业'), '是否遵守UI规范', 'UI规范'),
  notes: [
    '比对附件3，梳理高频服务事项缺失情况，形成本单位2026高频服务事项清单。',
    '服务命名应遵循准确、清晰、易懂原则，避免内部化、模糊化简称（如应将“账户明细查询”规范为“XX账户明细查询”）。',
    '办件状态、事后评价能力是必接项。',
    '服务上线时间只能是2026年7月30日、2026年9月30日、2026年11月30日之一。',
  ],
};

export const ANNEX6: ReturnTemplate = {
  annex: 6,
  title: '附件6 服务上线计划表',
  printedTitle: '2026年“湘易办”适老、适残高频服务清单梳理表（模板）',
  catalogueAnnex: 4,
  columns: withUiHeader(serviceColumns({ 适老: ['适老', '适老化'], 适残: ['适残', '适残化', '助残'] }, '适老/适残'), 'UI规范', '是否遵守UI规范'),
  notes: [
    '比对附件4，梳理适老、适残高频服务情况，形成本单位2026年适老、适残高频服务清单。',
    '服务命名应遵循准确、清晰、易懂原则，避免内部化、模糊化简称（如应将“账户明细查询”规范为“XX账户明细查询”）。',
    '办件状态、事后评价能力是必接项。',
    '服务上线时间只能是2026年7月30日、2026年9月30日、2026年11月30日之一。',
  ],
};

export const TEMPLATES: Readonly<Record<AnnexNo, ReturnTemplate>> = { 1: ANNEX1, 5: ANNEX5, 6: ANNEX6 };

export function isAnnexNo(v: unknown): v is AnnexNo {
  return v === 1 || v === 5 || v === 6;
}

/** The 填报单位 column: not printed in the tables (the unit line is above or below them) but read when present. */
export const UNIT_COLUMN: ColumnDef = { key: 'unit', header: '填报单位', aliases: ['填报单位(盖章)', '单位', '报送单位', '责任单位'], required: false, width: 18, hint: '' };

/**
 * Capability columns some units split 能力对接 into (办件状态 | 是): read as capabilities when their
 * cell says yes; never written.
 */
export const CAPABILITIES = ['人脸识别', '消息推送', '办件状态', '事后评价'] as const;
export const REQUIRED_CAPABILITIES = ['办件状态', '事后评价'] as const;

/** Data columns (without 序号) of a template. */
export function dataColumns(t: ReturnTemplate): ColumnDef[] {
  return t.columns.filter((c) => c.key !== 'seq');
}
