/**
 * How citizens name services versus how 附件3/附件4 name them. Pure data plus two normalisers used
 * on both sides of a match (catalogue names and problem text), so "社会保障卡补换" meets "社保卡" and
 * "预约结婚登记" meets "婚姻登记预约".
 */

/** Variant → canonical wording, replaced in catalogue names and problem text alike (longest first). */
const CANON: [RegExp, string][] = [
  [/社会保障卡/g, '社保卡'],
  [/社会保险/g, '社保'],
  [/住房公积金/g, '公积金'],
  [/医疗保险/g, '医保'],
  [/医疗保障/g, '医保'],
  [/机动车驾驶证|驾驶执照|驾照/g, '驾驶证'],
  [/(?:结婚|离婚)登记/g, '婚姻登记'],
  [/出入境/g, '进出境'],
  [/个人账户/g, '个账'],
  [/排污许可许可证/g, '排污许可证'],
  [/(?:门诊)?(?:慢特病|门特病|门特(?!殊))/g, '门诊慢特病'],
  [/门诊慢特待遇/g, '门诊慢特病待遇'],
]

/**
 * Phrases citizens use → the catalogue words they mean, appended to the text (never replacing it,
 * so the citizen's own words still match). Grouped by the unit whose services they point at.
 */
const HINTS: [RegExp, string][] = [
  // 省人力资源社会保障厅
  [/养老保险/, '社保'],
  [/养老金|退休金/, '养老待遇'],
  [/资格认证|生存认证|待遇认证|年审认证/, '养老待遇资格认证'],
  [/失业金|失业保险|失业登记|就业登记|失业补助/, '就业失业'],
  [/公益岗|公益性岗位/, '就业 公益性岗位'],
  // 省税务局
  [/交社保|交医保|交养老|交费|扣款|扣费|缴纳.{0,4}(?:社保|医保|养老)|(?:社保|医保|养老).{0,6}(?:缴纳|交了|交的)/, '缴费'],
  [/退税|多缴税|个税汇算/, '抵税退税'],
  [/发票|开票/, '税务票证'],
  // 省医保局
  [/医保码/, '医保电子凭证'],
  [/医保报销|报销比例|异地就医报销/, '医保补贴报销'],
  [/生育保险|产假津贴/, '生育津贴申领'],
  [/医保.{0,4}余额|余额.{0,4}医保/, '医保个账余额'],
  // 省公安厅
  [/户口迁|落户|迁户|(?:办|补|换|领|到期|丢失|挂失).{0,3}身份证|身份证.{0,3}(?:办理|补办|换领|到期|丢失|挂失|过期)/, '身份户籍'],
  [/违章|罚款|罚单|交通违法/, '交通缴罚'],
  [/交管|交警|机动车|车牌/, '交通管理'],
  [/电子公章|电子印章/, '企业电子印章申领管理'],
  [/刻章|印章备案/, '公章刻制备案'],
  [/无犯罪/, '无犯罪记录证明'],
  // 省自然资源厅
  [/房产证|房本|不动产权|产权证|过户|抵押登记|房屋登记/, '不动产'],
  // 省卫生健康委
  [/疫苗|预防接种|接种证|接种本/, '疫苗接种'],
  [/体检报告|检查报告|检验报告|化验单|化验报告/, '检查 报告查询'],
  [/出生证/, '出生医学证明'],
  [/健康证/, '从业健康证明'],
  [/看病挂号|挂号/, '预约挂号'],
  [/家庭医生|家医签约/, '家庭医生'],
  [/网上问诊|在线问诊|复诊/, '互联网医院'],
  // 省市场监管局
  [/营业执照|个体户|公司注册|企业开办|工商注册|工商变更/, '企业注册变更'],
  [/信用修复|经营异常|异常名录/, '企业信用公示与修复'],
  [/食品经营许可|经营许可证/, '经营许可'],
  // 省知识产权局 / 省市场监管局
  [/专利/, '专利申请'],
  [/商标/, '知识产权'],
  // 省民政厅
  [/低保|最低生活保障|特困/, '困难群众基本生活救助'],
  [/高龄补贴|高龄津贴|尊老金|老年人补贴|老人补贴/, '老年人福利补贴申请'],
  [/养老院|敬老院/, '养老机构查询'],
  [/火化|丧葬|骨灰|殡仪/, '殡葬'],
  [/结婚|离婚/, '婚姻登记'],
  // 省教育厅
  [/入学|新生报名|小学报名|初中报名|学位申请/, '入学报名'],
  [/学区|划片/, '学区查询'],
  [/中考|高考|学考|期末/, '成绩查询'],
  [/学籍|转学/, '学籍变更'],
  // 省司法厅
  [/公证|司法鉴定/, '公证鉴定'],
  [/失信被执行|失信名单/, '失信查询'],
  // 省交通运输厅
  [/道路运输证|运输证|营运证|道路运输许可/, '道路运输经营许可证'],
  // 省委组织部
  [/组织关系/, '党组织关系转移'],
  // 省委社会工作部
  [/(?<![\da-z])12345(?!\d)/, '12345热线'],
  [/民意反映|信访/, '民意反馈渠道'],
  // 长沙海关
  [/黄热病|国际旅行|出国体检|入境体检|出境体检|口岸体检/, '进出境人员监测体检'],
  [/(?<!进)出境|入境|海关|口岸/, '进出境人员'],
  // 省委外事办
  [/海牙认证|附加证明书|领事认证/, '领事认证及附加证明书服务'],
  // 省财政厅 / 省残联
  [/护理补贴|重残补贴/, '重度残疾人护理补贴'],
  [/轮椅车/, '残疾人机动轮椅车燃油补贴'],
  [/残疾人就业|残疾人培训|残疾人职业培训/, '助残就业'],
  [/残疾评定|残评/, '残评公示'],
  // 省体育局
  [/球馆|游泳馆|体育馆|羽毛球馆|场地预约/, '体育场馆预约'],
  // 各市州
  [/取号|排号|叫号/, '线上取号'],
  [/预约办事|窗口预约|办事预约|大厅预约/, '政务预约'],
  // actions
  [/查不到|查不了|查不出|查询不到|查看|查一下/, '查询'],
  [/补办|补换|补领|换领|换证|补证/, '补换'],
];

/** Verbs that end service names; what is left are the subjects (社保卡, 公积金, 婚姻). */
export const ACTIONS: readonly string[] = [
  '查询', '查看', '登记', '预约', '申请', '申领', '申报', '缴费', '缴纳', '缴罚', '提取', '办理', '核发',
  '备案', '发放', '报名', '认证', '打印', '签发', '变更', '转移', '报销', '修复', '公示', '下载', '审批',
  '认定', '补换', '签注', '确认', '核定', '刻制', '贴息', '扶持', '救助', '管理',
  // modifiers that say how, not what
  '在线', '网上', '线上', '首次',
].sort((a, b) => b.length - a.length);

/** Qualifiers inside a catalogue name's brackets that name a group of people, not a service. */
export const QUALIFIERS: ReadonlySet<string> = new Set([
  '城乡居民', '灵活就业', '灵活就业人员', '职工', '城镇职工', '个人', '企业', '残疾人', '老年人',
]);

/**
 * Qualifiers split off a subject so "灵活就业医保" is found in "灵活就业人员的医保" and "公积金退休" in
 * "退休提取公积金". Before a list of alternatives the qualifier applies to all of them
 * (进出境人员监测体检/预防接种 → [进出境人员], [监测体检 | 预防接种]).
 */
export const SUBJECT_QUALIFIERS: readonly string[] = ['灵活就业人员', '灵活就业', '城乡居民', '城镇职工', '进出境人员', '退休'];

/** Subjects that say too little alone: a name made only of them needs one of its verbs present. */
export const WEAK_SUBJECTS: ReadonlySet<string> = new Set([
  '政务', '信息', '记录', '证明', '报告', '档案', '账户', '余额', '政策', '考试', '教育', '临时', '补贴',
  '企业', '个人', '服务', '管理', '线上', '在线', '老年', '老人', '老年人',
]);

/**
 * How citizens name the units themselves (税务局, 派出所, 海关), by the unit's canonical name. A
 * mention supports that unit's matches and, when no service is recognised, routes to the unit.
 * City offices count for their line (长沙市人社局 → 省人力资源社会保障厅, who owns the service).
 */
export const UNIT_MENTIONS: readonly [RegExp, string][] = [
  [/海关/, '长沙海关'],
  [/税务局|税务部门|税务大厅|办税/, '省税务局'],
  [/人社局|人社厅|人社部门|社保局|社保中心|社保经办/, '省人力资源社会保障厅'],
  [/医保局|医保中心|医保经办|医保部门/, '省医保局'],
  [/民政局|民政厅|民政部门/, '省民政厅'],
  [/公安局|公安厅|派出所|交警大队|车管所|户籍窗口/, '省公安厅'],
  [/市场监管局|市场监督管理局|工商局/, '省市场监管局'],
  [/卫健委|卫生健康委|卫健局/, '省卫生健康委'],
  [/住建局|住建厅|住房城乡建设/, '省住房城乡建设厅'],
  [/不动产登记中心|自然资源局|自然资源厅/, '省自然资源厅'],
  [/教育局|教育厅/, '省教育厅'],
  [/残联/, '省残联'],
  [/总工会|工会/, '省总工会'],
  [/气象局|气象台/, '省气象局'],
  [/消防救援|消防大队|消防支队/, '省消防救援总队'],
  [/司法局|司法厅|公证处/, '省司法厅'],
  [/财政局|财政厅/, '省财政厅'],
  [/交通运输局|交通运输厅|运管/, '省交通运输厅'],
  [/生态环境局|生态环境厅|环保局/, '省生态环境厅'],
  [/药监局|药品监管/, '省药品监管局'],
];

/**
 * Catalogue names too generic to match alone ("提取" is what is left of "公积金查询、提取、证明…"
 * after the plan's list is split). They match only next to one of these context words.
 * A short name missing here takes its context from the subjects of its unit's other services.
 */
export const GENERIC_CONTEXT: Readonly<Record<string, readonly string[]>> = {
  提取: ['公积金'],
  证明: ['公积金'],
  贷款: ['公积金'],
  转移: ['公积金'],
  变更: ['公积金'],
  年审: ['道路运输', '运输证', '营运证', '货运', '客运'],
  信息变更: ['社保', '养老', '参保'],
  补贴申领: ['社保', '就业', '人社', '失业', '人才'],
  福利补贴申领: ['工会', '职工'],
  报告查询: ['检查', '检验', '体检', '化验', '医院'],
  档案查询: ['学生', '学籍', '毕业', '教育'],
  政策申报: ['专精特新', '中小企业', '工信'],
  企业培育: ['专精特新', '中小企业', '工信'],
  安全生产: ['市场监管', '特种设备'],
  质量监督: ['市场监管', '产品质量', '计量'],
  年度执行报告: ['排污'],
  老年服务: ['老年', '老人'],
  交通管理: ['交管', '交警', '机动车', '车牌'],
  就业: ['公益性岗位', '就业服务', '找工作', '招聘'],
  账户查询: ['养老'],
  余额查询: ['养老'],
  缴费记录查询: ['社保', '养老', '医保'],
  验收备案: ['竣工', '工程'],
  知识产权: ['专利', '商标', '知识产权'],
  人才人事: ['人才', '职称', '人事'],
  教育缴费: ['学费', '教育缴费', '学校'],
  考试报名: ['考试'],
  证明打印: ['医保', '结算单', '门诊慢特病'],
};

/** Canonical text for matching: NFKC (full-width → ASCII), lower case, no spaces or 湘易办. */
export function normalizeText(s: string): string {
  let t = s.normalize('NFKC').toLowerCase().replace(/[\s\u3000]+/g, '').replace(/湘易办(?:app)?/g, '');
  for (const [re, to] of CANON) t = t.replace(re, to);
  return t;
}

/**
 * The normalised text followed by the catalogue words its phrases point at, and which phrase
 * (trigger) brought which words: a match that needed 预防接种 → 疫苗接种 is explained by 预防接种.
 */
export function expandText(s: string): { text: string; hints: { trigger: string; words: string[] }[] } {
  const t = normalizeText(s);
  const hints: { trigger: string; words: string[] }[] = [];
  for (const [re, words] of HINTS) {
    const m = re.exec(t);
    if (m) hints.push({ trigger: m[0], words: words.split(/\s+/) });
  }
  return { text: hints.length === 0 ? t : `${t}|${hints.flatMap((h) => h.words).join('|')}`, hints };
}
