import { describe, expect, it } from 'vitest';
import { parseMeta, parsePlan } from '../../../domain/plan/parse.ts';
import type { PlanTask } from '../../../domain/plan/types.ts';
import { B, CITIES, PROV, seedBytes } from './fixtures.ts';

const plan = parsePlan(seedBytes());
const task = (seq: number): PlanTask => {
  const t = plan.tasks.find((x) => x.seq === seq);
  if (!t) throw new Error(`task ${seq} missing`);
  return t;
};

const PC = [...PROV, ...CITIES];
const NINE = ['bureau', 'p-fagai', 'p-keji', 'p-gongxin', 'p-caizheng', 'p-shangwu', 'p-shuiwu', ...CITIES];
const TWENTY_SIX = ['bureau', 'p-jiaoyu', 'p-tiyu', 'p-yibao', 'p-jinrong', 'p-hunan-ribao'];
const ETC_9 = '省工信厅、省数据局、省发展改革委、省科技厅、省财政厅、省商务厅、省税务局等政策制定单位';

type M = [due: string, units: string[], unresolved?: string[]];
interface Expected {
  category: string;
  due: string | null;
  units: string[];
  unresolved?: string[];
  milestones: M[];
  sla?: number;
}

const EXPECTED: Record<number, Expected> = {
  1: { category: '统一服务入口', due: '2026-12-31', units: PC, milestones: [['2026-06-30', PC], ['2026-10-31', PC], ['2026-12-31', PC]] },
  2: { category: '夯实基础能力', due: '2026-09-30', units: PC, milestones: [['2026-07-31', B], ['2026-09-30', PROV]] },
  3: { category: '夯实基础能力', due: '2026-12-31', units: PC, milestones: [['2026-09-30', B], ['2026-12-31', PC]] },
  4: { category: '夯实基础能力', due: '2026-12-31', units: PC, milestones: [['2026-07-31', B], ['2026-12-31', PC]] },
  5: { category: '夯实基础能力', due: '2026-12-31', units: PC, milestones: [['2026-10-31', B], ['2026-12-31', PC]] },
  6: { category: '优化高频服务', due: null, units: PC, milestones: [['2026-06-30', PC], ['2026-11-30', PC]] },
  7: {
    category: '优化高频服务',
    due: '2026-12-31',
    units: PC,
    milestones: [['2026-04-30', B], ['2026-05-31', CITIES], ['2026-10-31', PROV], ['2026-11-30', CITIES]],
  },
  8: {
    category: '打造特色专区',
    due: '2026-11-30',
    units: [],
    unresolved: ['省直相关单位'],
    milestones: [['2026-07-31', B], ['2026-08-31', [], ['省直相关单位']], ['2026-11-30', B]],
  },
  9: { category: '打造特色专区', due: '2026-12-31', units: NINE, unresolved: [ETC_9], milestones: [['2026-11-30', B], ['2026-12-31', PC]] },
  10: { category: '打造特色专区', due: '2026-11-30', units: PC, milestones: [['2026-06-30', PC], ['2026-11-30', PC]] },
  11: {
    category: '打造特色专区',
    due: '2026-11-30',
    units: [],
    unresolved: ['省直有关单位'],
    milestones: [['2026-07-31', [], ['省直有关单位']], ['2026-09-30', [], ['省直有关单位']], ['2026-11-30', B]],
  },
  12: { category: '强化数据治理', due: '2026-07-31', units: B, milestones: [['2026-07-31', B]] },
  13: { category: '强化数据治理', due: null, units: PC, milestones: [], sla: 10 },
  14: { category: '提升AI服务能力', due: '2026-10-31', units: B, milestones: [['2026-10-31', B]] },
  15: { category: '提升AI服务能力', due: null, units: ['bureau', ...PROV], milestones: [] },
  16: { category: '提升AI服务能力', due: '2026-11-30', units: B, milestones: [['2026-11-30', B]] },
  17: { category: '提升AI服务能力', due: '2026-11-30', units: ['bureau', ...PROV], milestones: [['2026-11-30', ['bureau', ...PROV]]] },
  18: {
    category: '提升AI服务能力',
    due: '2026-11-30',
    units: ['bureau', 'p-xiangjiang-shenpi'],
    milestones: [['2026-11-30', ['bureau', 'p-xiangjiang-shenpi']]],
  },
  19: { category: '提升AI服务能力', due: '2026-12-31', units: CITIES, milestones: [['2026-12-31', CITIES]] },
  20: { category: '攻坚网办率提升', due: '2026-12-31', units: PC, milestones: [['2026-12-31', PC]] },
  21: { category: '攻坚网办率提升', due: '2026-12-31', units: ['bureau', ...PC], milestones: [['2026-05-31', B], ['2026-06-10', PC]] },
  23: { category: '攻坚网办率提升', due: '2026-12-31', units: B, milestones: [['2026-12-31', B]] },
  24: { category: '攻坚网办率提升', due: '2026-12-31', units: PC, milestones: [['2026-12-31', PC]] },
  25: {
    category: '攻坚网办率提升',
    due: '2026-12-31',
    units: ['bureau', 'bureau-center', ...PC],
    milestones: [['2026-07-31', B], ['2026-12-31', PC]],
  },
  26: { category: '提升互动能力', due: '2026-12-31', units: TWENTY_SIX, milestones: [['2026-12-31', TWENTY_SIX]] },
  27: { category: '提升互动能力', due: '2026-09-30', units: ['p-shegong'], milestones: [['2026-09-30', ['p-shegong']]] },
  28: { category: '提升互动能力', due: '2026-09-30', units: ['p-hunan-ribao'], milestones: [['2026-09-30', ['p-hunan-ribao']]] },
  29: {
    category: '加强统筹调度',
    due: null,
    units: ['bureau', ...CITIES],
    unresolved: ['省直有关单位'],
    milestones: [['2026-05-31', B], ['2026-06-30', B]],
  },
};

describe('parsePlan — seed document 湘数据〔2026〕57号', () => {
  it('reads the plan header', () => {
    expect(plan.plan).toEqual({
      title: '2026年“湘易办”规范化、标准化、便利化、智能化提升工作方案',
      docNo: '湘数据〔2026〕57号',
      year: 2026,
    });
  });

  it('has the 28 tasks numbered 1–29 without 22, in order', () => {
    expect(plan.tasks.map((t) => t.seq)).toEqual([...Array.from({ length: 29 }, (_, i) => i + 1)].filter((n) => n !== 22));
  });

  it.each(Object.entries(EXPECTED).map(([seq, e]) => [Number(seq), e] as const))('task %i', (seq, e) => {
    const t = task(seq);
    expect(t.category).toBe(e.category);
    expect(t.due).toBe(e.due);
    expect(t.recurring).toBe([6, 13, 15, 29].includes(seq));
    expect(t.sla).toEqual(e.sla === undefined ? null : { workdays: e.sla });
    expect(t.responsible.units).toEqual(e.units);
    expect(t.responsible.unresolved).toEqual(e.unresolved ?? []);
    expect(t.milestones.map((m) => [m.due, m.units, m.unresolved])).toEqual(e.milestones.map(([d, u, x]) => [d, u, x ?? []]));
    expect(t.content.length).toBeGreaterThan(10);
    for (const m of t.milestones) expect(m.text).toBe(m.text.trim());
  });

  it('keeps each milestone clause as written (task 7, 25, 29)', () => {
    expect(task(7).milestones.map((m) => m.text)).toEqual([
      '2026年4月底前，省数据局下发不少于100项高频政务服务事项清单',
      '2026年5月底前,各市州对标浙江、广东、上海同类事项办理情况，分别提出每个事项的优化办理方案并及时反馈至省数据局',
      '2026年10月底前省直各单位综合省数据局反馈的优化方案，商省数据局形成最优方案，并全面落实到日常办理，同步上线“湘易办”',
      '2026年11月底前各市州在“湘易办”端完成走流程体验测试，测试结果统一反馈至省数据局',
    ]);
    expect(task(25).milestones.map((m) => m.text)).toEqual([
      '2026年7月底前，省数据局制定走流程标准规范',
      '省直各单位、各市州常态化开展“走流程、优服务、促提升”体验活动，做好问题销号式整改',
    ]);
    expect(task(1).milestones[2]?.text).toBe('12月底前关停原有移动端入口');
    expect(task(12).milestones[0]?.text).toBe(task(12).content.replace(/。$/, ''));
  });

  it('never gives a city the bureau’s own step', () => {
    for (const t of plan.tasks) {
      for (const m of t.milestones) {
        if (/^(\d{4}年)?\d+月[^，]*前，?省数据局/.test(m.text)) expect(m.units, `task ${t.seq}: ${m.text}`).toEqual(B);
      }
    }
  });

  it('keeps responsible text as written; resolves 湖南日报 to 湖南日报社', () => {
    expect(task(26).responsible.text).toBe('省体育局、省医保局、省教育厅、省委金融办、湖南日报、省数据局');
    expect(task(26).responsible.units).toContain('p-hunan-ribao');
    expect(task(28).responsible.units).toEqual(['p-hunan-ribao']);
    expect(task(6).responsible.text).toBe('省直各单位、各市州');
    expect(task(7).responsible.text).toBe('省直各单位、各市州');
    expect(task(11).responsible.text).toBe('省直有关单位');
  });

  it('builds the units list from the document', () => {
    const kinds = (k: string): string[] => plan.units.filter((u) => u.kind === k).map((u) => u.code);
    expect(kinds('BUREAU')).toEqual(['bureau', 'bureau-center']);
    expect(kinds('CITY')).toEqual(CITIES);
    expect(kinds('PROVINCIAL')).toHaveLength(34);
    expect(plan.units.filter((u) => u.kind === 'PROVINCIAL' && u.collective).map((u) => u.code)).toEqual(PROV);
    expect(plan.units.filter((u) => u.kind === 'PROVINCIAL' && !u.collective).map((u) => u.name)).toEqual([
      '湖南日报社',
      '湘江新区管委会行政审批局',
    ]);
    expect(plan.units.find((u) => u.name === '长沙海关')).toMatchObject({ code: 'p-changsha-haiguan', kind: 'PROVINCIAL' });
    expect(plan.units.find((u) => u.code === 'c-xiangxi')?.name).toBe('湘西土家族苗族自治州');
    expect(new Set(plan.units.map((u) => u.code)).size).toBe(plan.units.length);
    // Every code a task or service uses is in the list.
    const codes = new Set(plan.units.map((u) => u.code));
    const used = [
      ...plan.tasks.flatMap((t) => [...t.responsible.units, ...t.milestones.flatMap((m) => m.units)]),
      ...plan.services.map((s) => s.unit),
    ];
    for (const c of used) expect(codes.has(c), c).toBe(true);
  });

  it('reads 附件3 高频服务清单 (30 rows, 各市州 expanded)', () => {
    const a3 = plan.services.filter((s) => s.annex === 3);
    expect(a3).toHaveLength(29 + 14);
    const of = (unit: string): string[] | undefined => a3.find((s) => s.unit === unit)?.services;
    expect(of('p-zuzhi')).toEqual(['党费缴纳', '党课学习', '党组织关系转移']);
    expect(of('p-changsha-haiguan')).toEqual(['进出境人员监测体检/预防接种预约与查询']);
    expect(of('p-shuiwu')).toEqual([
      '社保缴费（含城乡居民、灵活就业人员社保缴费及缴费记录查询）',
      '税务票证（含税务信息确认、发票票种核定、电子发票等）',
      '税收优惠',
      '抵税退税',
    ]);
    expect(of('p-gongan')).toHaveLength(8);
    expect(of('p-weijian')).toHaveLength(13);
    expect(of('p-zhujian')?.slice(0, 6)).toEqual(['公积金查询', '提取', '证明', '贷款', '转移', '变更']);
    expect(of('p-waishi')).toEqual(['领事认证及附加证明书服务']);
    for (const c of CITIES) expect(of(c)).toEqual(['政务预约', '线上取号']);
    for (const s of a3) for (const name of s.services) expect(name).not.toMatch(/^集成|[。、；，]$/);
  });

  it('reads 附件4 适老、适残高频服务清单 (merged unit cells carried down)', () => {
    const a4 = plan.services.filter((s) => s.annex === 4);
    expect(a4.map((s) => [s.unit, s.services.length])).toEqual([
      ['p-minzheng', 4],
      ['p-caizheng', 6],
      ['p-renshe', 7],
      ['p-canlian', 3],
      ['p-shuiwu', 3],
      ['p-yibao', 4],
      ['p-zhufang-zijin', 1],
      ...CITIES.map((c) => [c, 1]),
    ]);
    expect(a4.find((s) => s.unit === 'p-renshe')?.services[1]).toBe('社会保险参保登记（城乡居民、灵活就业）');
    expect(a4.find((s) => s.unit === 'c-loudi')?.services).toEqual(['公积金退休提取']);
  });

  it('accepts a string as well as bytes', () => {
    expect(parsePlan(new TextDecoder().decode(seedBytes()))).toEqual(plan);
  });
});

describe('parseMeta', () => {
  it('joins a title split over lines, falls back to the 《》 name', () => {
    expect(parseMeta(['', '湘数据〔2026〕57号', '', '2026年“湘易办”规范化、', '智能化提升工作方案', '正文。'])).toEqual({
      title: '2026年“湘易办”规范化、智能化提升工作方案',
      docNo: '湘数据〔2026〕57号',
      year: 2026,
    });
    expect(parseMeta(['（此件主动公开）', '2025年某某工作方案'])).toMatchObject({ title: '2025年某某工作方案', year: 2025 });
    expect(parseMeta(['关于印发《2027年某某提升方案》的通知', '某办〔2027〕3号'])).toEqual({
      title: '2027年某某提升方案',
      docNo: '某办〔2027〕3号',
      year: 2027,
    });
  });
});
