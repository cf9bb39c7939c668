import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../../domain/plan/parse.ts';
import { collectUnitNames, resolveUnitList, scanSubject } from '../../../domain/plan/responsible.ts';
import {
  buildDocumentUnits,
  fallbackUnitCode,
  KNOWN_DIRECTORY,
  KNOWN_UNITS,
  normalizeUnitName,
} from '../../../domain/plan/units.ts';
import { B, CITIES, PROV, seedText } from './fixtures.ts';

const seedDir = buildDocumentUnits(KNOWN_UNITS.map((u) => u.name));

describe('known units directory', () => {
  it('has unique ASCII codes and unique names/aliases', () => {
    const codes = KNOWN_UNITS.map((u) => u.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^(bureau(-[a-z]+)?|[pc]-[a-z0-9-]+)$/);
    const names = KNOWN_UNITS.flatMap((u) => [u.name, ...u.aliases].map(normalizeUnitName));
    expect(new Set(names).size).toBe(names.length);
  });

  it('has the 14 cities and prefectures of Hunan with c- codes', () => {
    const cities = KNOWN_UNITS.filter((u) => u.kind === 'CITY');
    expect(cities.map((u) => u.code)).toEqual(CITIES);
    expect(cities.map((u) => u.name)).toEqual([
      '长沙市', '株洲市', '湘潭市', '衡阳市', '邵阳市', '岳阳市', '常德市',
      '张家界市', '益阳市', '郴州市', '永州市', '怀化市', '娄底市', '湘西土家族苗族自治州',
    ]);
  });

  it.each([
    ['省数据局', 'bureau', 'BUREAU'],
    ['湖南省数据局', 'bureau', 'BUREAU'],
    ['省政务服务和大数据中心', 'bureau-center', 'BUREAU'],
    ['省公安厅', 'p-gongan', 'PROVINCIAL'],
    ['省工信厅', 'p-gongxin', 'PROVINCIAL'],
    ['省工业和信息化厅', 'p-gongxin', 'PROVINCIAL'],
    ['省人社厅', 'p-renshe', 'PROVINCIAL'],
    ['省发改委', 'p-fagai', 'PROVINCIAL'],
    ['省发展改革委', 'p-fagai', 'PROVINCIAL'],
    ['省住建厅', 'p-zhujian', 'PROVINCIAL'],
    ['省卫健委', 'p-weijian', 'PROVINCIAL'],
    ['湖南日报', 'p-hunan-ribao', 'PROVINCIAL'],
    ['湖南日报社', 'p-hunan-ribao', 'PROVINCIAL'],
    ['长沙海关', 'p-changsha-haiguan', 'PROVINCIAL'],
    ['湘江新区管委会行政审批局', 'p-xiangjiang-shenpi', 'PROVINCIAL'],
    ['长沙市', 'c-changsha', 'CITY'],
    ['湘西州', 'c-xiangxi', 'CITY'],
  ])('%s → %s', (name, code, kind) => {
    expect(KNOWN_DIRECTORY.lookup(name)).toMatchObject({ code, kind });
  });

  it('marks units outside 省直各单位 as not collective', () => {
    const notCollective = KNOWN_UNITS.filter((u) => !u.collective).map((u) => u.code);
    expect(notCollective).toEqual(['bureau', 'bureau-center', 'p-hunan-ribao', 'p-xiangjiang-shenpi', ...CITIES]);
  });
});

describe('fallback codes', () => {
  it('are deterministic, ASCII and distinct', () => {
    const a = fallbackUnitCode('省林业局');
    expect(a).toMatch(/^u-[0-9a-z]{7}$/);
    expect(fallbackUnitCode('省林业局')).toBe(a);
    expect(fallbackUnitCode('湖南省林业局')).toBe(a);
    expect(fallbackUnitCode('省水利厅')).not.toBe(a);
  });

  it('a document unit missing from the table is kept, PROVINCIAL, collective', () => {
    const text = seedText().replace('\t省委社会工作部\n\n\t28', '\t省委社会工作部、省林业局\n\n\t28');
    const plan = parsePlan(text);
    const unit = plan.units.find((u) => u.name === '省林业局');
    expect(unit).toEqual({ code: fallbackUnitCode('省林业局'), name: '省林业局', kind: 'PROVINCIAL', aliases: [], collective: true });
    expect(plan.tasks.find((t) => t.seq === 27)?.responsible.units).toEqual(['p-shegong', unit?.code]);
    // …and 省直各单位 now includes it.
    expect(plan.tasks.find((t) => t.seq === 1)?.responsible.units).toContain(unit?.code);
  });
});

describe('resolveUnitList', () => {
  it('expands collective phrases', () => {
    expect(resolveUnitList('省直各单位、各市州', seedDir)).toEqual({ units: [...PROV, ...CITIES], unresolved: [] });
    expect(resolveUnitList('各省直单位', seedDir).units).toEqual(PROV);
    expect(resolveUnitList('各市州', seedDir).units).toEqual(CITIES);
  });

  it('keeps order by directory and deduplicates', () => {
    expect(resolveUnitList('各市州、省数据局、省直各单位、省数据局', seedDir).units).toEqual([...B, ...PROV, ...CITIES]);
  });

  it('sends collective phrases needing a decision to unresolved, verbatim', () => {
    expect(resolveUnitList('省直相关单位', seedDir)).toEqual({ units: [], unresolved: ['省直相关单位'] });
    expect(resolveUnitList('省数据局、各市州、省直有关单位', seedDir)).toEqual({
      units: [...B, ...CITIES],
      unresolved: ['省直有关单位'],
    });
    expect(resolveUnitList('省财政厅、省商务厅等政策制定单位，各市州', seedDir)).toEqual({
      units: ['p-caizheng', 'p-shangwu', ...CITIES],
      unresolved: ['省财政厅、省商务厅等政策制定单位'],
    });
  });

  it('ignores annotations in brackets', () => {
    expect(resolveUnitList('省数据局（牵头）、省公安厅', seedDir).units).toEqual(['bureau', 'p-gongan']);
  });

  it('collectUnitNames lists named units only', () => {
    expect(collectUnitNames('省工信厅、省税务局等政策制定单位，各市州、省直相关单位、省林业局', KNOWN_DIRECTORY)).toEqual([
      '省工信厅',
      '省税务局',
      '省林业局',
    ]);
  });
});

describe('scanSubject — the actor of a clause', () => {
  it.each([
    ['省数据局下发不少于100项高频政务服务事项清单', B, []],
    ['省直各单位、各市州将原有服务事项…', [...PROV, ...CITIES], []],
    ['，各市州对标浙江…并及时反馈至省数据局', CITIES, []],
    ['省直各单位综合省数据局反馈的优化方案，商省数据局形成最优方案', PROV, []],
    ['省直相关单位参照企业服务清单', [], ['省直相关单位']],
    ['省数据局和省公安厅联合开展', ['bureau', 'p-gongan'], []],
    ['由省数据局牵头', B, []],
  ])('%s', (text, units, unresolved) => {
    expect(scanSubject(text, seedDir)).toEqual({ units, unresolved });
  });

  it.each(['完成移动端应用清单全面查漏补缺，报省数据局备案', '根据上线计划表，优化、完成服务上线', ''])('no actor: %s', (text) => {
    expect(scanSubject(text, seedDir)).toBeNull();
  });
});
