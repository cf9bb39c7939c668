/**
 * Directory of units (单位) that plans name: a hand-maintained table of known units with stable
 * ASCII codes, plus the 14 cities and prefectures of Hunan. Codes are published (they end up in
 * the database and in chat commands): never change or reuse one.
 *
 * Code scheme: `bureau` = 省数据局 (the supervising bureau), `bureau-center` its service centre,
 * `p-<pinyin>` provincial units, `c-<pinyin>` cities, `u-<hash>` units a document names that are
 * not in this table (see {@link fallbackUnitCode}).
 */
import type { PlanUnit, UnitKind } from './types.ts';

type Row = [code: string, name: string, aliases: string[], collective?: boolean];

const bureau = (rows: Row[]): PlanUnit[] => unitsOf('BUREAU', rows);
const provincial = (rows: Row[]): PlanUnit[] => unitsOf('PROVINCIAL', rows);
function unitsOf(kind: UnitKind, rows: Row[]): PlanUnit[] {
  return rows.map(([code, name, aliases, collective]) => ({ code, name, kind, aliases, collective: collective ?? true }));
}

/**
 * Known units, in directory order (the order of every unit list the parser produces).
 *
 * `collective` — is the unit one of the addressees of 省直各单位? Decisions:
 * - 省数据局 and its 省政务服务和大数据中心: no. They issue and supervise the plan; tasks name them
 *   explicitly, and a 省直各单位 step is never theirs.
 * - 湘江新区管委会行政审批局: no. A new-area body, named only for the AI pilot (task 18).
 * - 湖南日报社: no. A media group, not an administrative unit; named only for news integration
 *   (tasks 26, 28).
 * - 长沙海关, 省税务局, 省气象局 (central units in Hunan), 省总工会, 省残联 (people's
 *   organisations), 省消防救援总队, 省直住房资金管理中心: yes. They own services in 附件3/附件4, and
 *   tasks 6 and 10 tell "省直各单位" to work through exactly those lists; excluding them would
 *   leave their services unsupervised.
 * - Party departments (省委组织部, 省委社会工作部, 省委金融办, 省委外事办): yes, same reason.
 */
export const KNOWN_UNITS: readonly PlanUnit[] = [
  ...bureau([
    ['bureau', '省数据局', [], false],
    ['bureau-center', '省政务服务和大数据中心', [], false],
  ]),
  ...provincial([
    ['p-zuzhi', '省委组织部', []],
    ['p-shegong', '省委社会工作部', ['省委社工部']],
    ['p-fagai', '省发展改革委', ['省发改委', '省发展和改革委员会', '省发展改革委员会']],
    ['p-jiaoyu', '省教育厅', []],
    ['p-keji', '省科技厅', ['省科学技术厅']],
    ['p-gongxin', '省工业和信息化厅', ['省工信厅']],
    ['p-gongan', '省公安厅', []],
    ['p-minzheng', '省民政厅', []],
    ['p-sifa', '省司法厅', []],
    ['p-caizheng', '省财政厅', []],
    ['p-renshe', '省人力资源社会保障厅', ['省人社厅', '省人力资源和社会保障厅']],
    ['p-ziran', '省自然资源厅', []],
    ['p-shengtai', '省生态环境厅', []],
    ['p-zhujian', '省住房城乡建设厅', ['省住建厅', '省住房和城乡建设厅']],
    ['p-jiaotong', '省交通运输厅', ['省交通厅']],
    ['p-shangwu', '省商务厅', []],
    ['p-wenlv', '省文化和旅游厅', ['省文旅厅']],
    ['p-weijian', '省卫生健康委', ['省卫健委', '省卫生健康委员会']],
    ['p-shichang', '省市场监管局', ['省市场监督管理局']],
    ['p-tiyu', '省体育局', []],
    ['p-yibao', '省医保局', ['省医疗保障局']],
    ['p-zhichan', '省知识产权局', []],
    ['p-yaojian', '省药品监管局', ['省药监局', '省药品监督管理局']],
    ['p-zonggonghui', '省总工会', []],
    ['p-shuiwu', '省税务局', ['国家税务总局湖南省税务局']],
    ['p-xiaofang', '省消防救援总队', []],
    ['p-qixiang', '省气象局', []],
    ['p-changsha-haiguan', '长沙海关', []],
    ['p-waishi', '省委外事办', ['省委外办', '省外办']],
    ['p-jinrong', '省委金融办', ['省委金融工作办公室']],
    ['p-canlian', '省残联', ['省残疾人联合会']],
    ['p-zhufang-zijin', '省直住房资金管理中心', ['省直单位住房资金管理中心']],
    ['p-hunan-ribao', '湖南日报社', ['湖南日报'], false],
    ['p-xiangjiang-shenpi', '湘江新区管委会行政审批局', ['湖南湘江新区管理委员会行政审批服务局'], false],
  ]),
  ...unitsOf('CITY', [
    ['c-changsha', '长沙市', []],
    ['c-zhuzhou', '株洲市', []],
    ['c-xiangtan', '湘潭市', []],
    ['c-hengyang', '衡阳市', []],
    ['c-shaoyang', '邵阳市', []],
    ['c-yueyang', '岳阳市', []],
    ['c-changde', '常德市', []],
    ['c-zhangjiajie', '张家界市', []],
    ['c-yiyang', '益阳市', []],
    ['c-chenzhou', '郴州市', []],
    ['c-yongzhou', '永州市', []],
    ['c-huaihua', '怀化市', []],
    ['c-loudi', '娄底市', []],
    ['c-xiangxi', '湘西土家族苗族自治州', ['湘西州', '湘西自治州']],
  ]).map((u) => ({ ...u, collective: false })),
];

/** Canonical form of a unit name for lookups: no spaces, 湖南省X → 省X. */
export function normalizeUnitName(name: string): string {
  const n = name.replace(/[\s\u3000]/g, '');
  return n.startsWith('湖南省') && n.length > 3 ? `省${n.slice(3)}` : n;
}

/** Deterministic code for a unit missing from {@link KNOWN_UNITS}: `u-` + FNV-1a hash of its name. */
export function fallbackUnitCode(name: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(normalizeUnitName(name))) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `u-${h.toString(36).padStart(7, '0')}`;
}

/** A set of units with lookups by name/alias and the directory order. */
export class UnitDirectory {
  readonly units: readonly PlanUnit[];
  private readonly byName = new Map<string, PlanUnit>();
  private readonly rank = new Map<string, number>();

  constructor(units: readonly PlanUnit[]) {
    this.units = units;
    units.forEach((u, i) => {
      this.rank.set(u.code, i);
      for (const n of [u.name, ...u.aliases]) this.byName.set(normalizeUnitName(n), u);
    });
  }

  /** The unit with this name or alias. */
  lookup(name: string): PlanUnit | undefined {
    return this.byName.get(normalizeUnitName(name));
  }

  /** All names and aliases as written and normalised, longest first (for prefix matching). */
  names(): string[] {
    const all = new Set<string>(this.byName.keys());
    for (const u of this.units) for (const n of [u.name, ...u.aliases]) all.add(n);
    return [...all].sort((a, b) => b.length - a.length);
  }

  /** Codes of the units 省直各单位 stands for: PROVINCIAL and collective. */
  provincialCollective(): string[] {
    return this.units.filter((u) => u.kind === 'PROVINCIAL' && u.collective).map((u) => u.code);
  }

  /** Codes of the 14 cities and prefectures (各市州). */
  cities(): string[] {
    return this.units.filter((u) => u.kind === 'CITY').map((u) => u.code);
  }

  /** Deduplicate codes and sort them in directory order. */
  order(codes: Iterable<string>): string[] {
    const rank = (c: string): number => this.rank.get(c) ?? Number.MAX_SAFE_INTEGER;
    return [...new Set(codes)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }
}

/** The full known directory (all known units). */
export const KNOWN_DIRECTORY = new UnitDirectory(KNOWN_UNITS);

/**
 * The units of one document: the known units it names, every city, and a fallback entry
 * (kind PROVINCIAL, collective) for each name the known table lacks. Directory order, unknown
 * names last in order of appearance.
 */
export function buildDocumentUnits(names: Iterable<string>): UnitDirectory {
  const named = new Set<string>();
  const unknown = new Map<string, PlanUnit>();
  for (const raw of names) {
    const name = normalizeUnitName(raw);
    if (name === '') continue;
    const known = KNOWN_DIRECTORY.lookup(name);
    if (known) named.add(known.code);
    else if (!unknown.has(name)) {
      unknown.set(name, { code: fallbackUnitCode(name), name, kind: 'PROVINCIAL', aliases: [], collective: true });
    }
  }
  const units = KNOWN_UNITS.filter((u) => u.kind === 'CITY' || named.has(u.code)).map((u) => ({
    ...u,
    aliases: [...u.aliases],
  }));
  return new UnitDirectory([...units, ...unknown.values()]);
}
