/**
 * The command grammar, declared once. Parsing (`parse.ts`), help (`help.ts`) and "did you mean"
 * (`suggest.ts`) are generated from this table, and so is the `ParsedCommand` type (`types.ts`).
 * All user-facing text of a command (description, usage, examples) lives here, in Chinese.
 *
 * Order matters in two places: commands are listed in help in this order, and among the forms of a
 * command the first that fits wins (forms selected by a keyword come first).
 */
import type { CommandSpec, Role } from './types.ts';

const BUREAU = ['BUREAU_ADMIN', 'BUREAU_STAFF'] as const satisfies readonly Role[];
const UNIT = ['UNIT_OFFICER', 'UNIT_LEADER'] as const satisfies readonly Role[];
const BUREAU_AND_LEADERS = [...BUREAU, 'LEADER'] as const satisfies readonly Role[];
const EVERYONE = [...BUREAU, ...UNIT, 'LEADER'] as const satisfies readonly Role[];

const TICKET = { kind: 'ticket', key: 'ticket', label: '督办单编号' } as const;

export const COMMANDS = [
  {
    name: '督办',
    aliases: ['assign', 'db'],
    pinyin: ['du', 'ban'],
    description: '交办任务（向责任单位发送督办单），或重发督办单',
    forms: [
      {
        roles: BUREAU,
        description: '交办任务，或重发督办单',
        usage: '/督办 任务编号|#督办单编号',
        examples: ['/督办 任务6', '/督办 #123'],
        params: [{ kind: 'taskOrTicket', key: 'target', label: '任务编号或督办单编号' }],
      },
    ],
  },
  {
    name: '催办',
    aliases: ['chase', 'cb'],
    pinyin: ['cui', 'ban'],
    description: '催促责任单位办理，可附一句话',
    forms: [
      {
        roles: BUREAU,
        description: '催办一张督办单、一项任务的全部未办结督办单，或一个单位的全部未办结督办单',
        usage: '/催办 #督办单编号|任务编号|单位名称 [附言]',
        examples: ['/催办 #123', '/催办 任务6', '/催办 省公安厅 请于本周五前报送进展'],
        params: [
          { kind: 'target', key: 'target', label: '督办单编号、任务编号或单位名称' },
          { kind: 'text', key: 'note', label: '附言', optional: true },
        ],
      },
    ],
  },
  {
    name: '进度',
    aliases: ['status', 'progress', 'jd'],
    pinyin: ['jin', 'du'],
    description: '查看办理进度；责任单位用“/进度 更新”填报进度',
    forms: [
      {
        sub: '更新',
        roles: UNIT,
        description: '填报督办单的办理进度',
        usage: '/进度 更新 #督办单编号|任务编号 百分比 [说明]',
        examples: ['/进度 更新 #123 80% 已完成上线计划表报送', '/进度 更新 任务6 50%'],
        params: [
          { kind: 'literal', words: ['更新', '填报', '上报', 'update'], label: '“更新”' },
          { kind: 'taskOrTicket', key: 'target', label: '督办单编号或任务编号' },
          { kind: 'percent', key: 'percent', label: '进度百分比' },
          { kind: 'text', key: 'note', label: '进展说明', optional: true },
        ],
      },
      {
        sub: '查询',
        roles: EVERYONE,
        description: '查看全部、一项任务、一个单位或一张督办单的进度',
        usage: '/进度 [任务编号|单位名称|#督办单编号]',
        examples: ['/进度', '/进度 任务6', '/进度 省公安厅', '/进度 #123'],
        params: [{ kind: 'target', key: 'target', label: '任务编号、单位名称或督办单编号', optional: true }],
      },
    ],
  },
  {
    name: '审核',
    aliases: ['review', 'sh'],
    pinyin: ['shen', 'he'],
    description: '审核责任单位提交的办理结果：通过或退回',
    forms: [
      {
        sub: '通过',
        roles: BUREAU,
        description: '审核通过，督办单办结',
        usage: '/审核 #督办单编号 通过 [意见]',
        examples: ['/审核 #123 通过'],
        params: [
          TICKET,
          { kind: 'literal', words: ['通过', '同意', 'pass', 'approve', 'ok'], label: '审核结论' },
          { kind: 'text', key: 'note', label: '审核意见', optional: true },
        ],
      },
      {
        sub: '退回',
        roles: BUREAU,
        description: '退回重办，须写明原因',
        usage: '/审核 #督办单编号 退回 原因',
        examples: ['/审核 #123 退回 佐证材料不全，请补充上线截图'],
        params: [
          TICKET,
          { kind: 'literal', words: ['退回', '不通过', '驳回', 'return', 'reject'], label: '审核结论' },
          { kind: 'text', key: 'reason', label: '退回原因' },
        ],
      },
    ],
  },
  {
    name: '延期',
    aliases: ['extend', 'yq'],
    pinyin: ['yan', 'qi'],
    description: '责任单位申请延期；统筹调度同意或不同意',
    forms: [
      {
        sub: '申请',
        roles: UNIT,
        description: '申请延期，写明新的完成日期和原因',
        usage: '/延期 申请 #督办单编号 日期 原因',
        examples: ['/延期 申请 #123 2026-12-31 需等待省级平台接口改造完成', '/延期 申请 #123 12月31日 原因…'],
        params: [
          { kind: 'literal', words: ['申请', 'apply', 'request'], label: '“申请”' },
          TICKET,
          { kind: 'date', key: 'due', label: '延期后的完成日期' },
          { kind: 'text', key: 'reason', label: '延期原因' },
        ],
      },
      {
        sub: '同意',
        roles: BUREAU,
        description: '同意延期申请',
        usage: '/延期 #督办单编号 同意 [说明]',
        examples: ['/延期 #123 同意'],
        params: [
          TICKET,
          { kind: 'literal', words: ['同意', '批准', 'approve', 'yes'], label: '审批结论' },
          { kind: 'text', key: 'note', label: '说明', optional: true },
        ],
      },
      {
        sub: '不同意',
        roles: BUREAU,
        description: '不同意延期申请',
        usage: '/延期 #督办单编号 不同意 [说明]',
        examples: ['/延期 #123 不同意 请按原时限完成'],
        params: [
          TICKET,
          { kind: 'literal', words: ['不同意', '驳回', '拒绝', 'deny', 'reject', 'no'], label: '审批结论' },
          { kind: 'text', key: 'note', label: '说明', optional: true },
        ],
      },
    ],
  },
  {
    name: '通报',
    aliases: ['digest', 'tb'],
    pinyin: ['tong', 'bao'],
    description: '生成进展通报（周报、月报或逾期通报）',
    forms: [
      {
        roles: BUREAU_AND_LEADERS,
        description: '生成进展通报，默认周报',
        usage: '/通报 [周报|月报|逾期]',
        examples: ['/通报', '/通报 月报', '/通报 逾期'],
        params: [
          {
            kind: 'choice', key: 'kind', label: '通报类型', optional: true, default: '周报',
            options: [
              { value: '周报', aliases: ['周', '本周', 'weekly', 'week'] },
              { value: '月报', aliases: ['月', '本月', 'monthly', 'month'] },
              { value: '逾期', aliases: ['超期', '逾期通报', 'overdue'] },
            ],
          },
        ],
      },
    ],
  },
  {
    name: '排名',
    aliases: ['rank', 'pm'],
    pinyin: ['pai', 'ming'],
    description: '查看各单位办理情况排名（晾晒）',
    forms: [
      {
        roles: BUREAU_AND_LEADERS,
        description: '查看排名，默认省直单位和市州全部',
        usage: '/排名 [省直|市州]',
        examples: ['/排名', '/排名 省直', '/排名 市州'],
        params: [
          {
            kind: 'choice', key: 'scope', label: '排名范围', optional: true, default: '全部',
            options: [
              { value: '全部', aliases: ['所有', 'all'] },
              { value: '省直', aliases: ['省直单位', '省直部门', 'provincial'] },
              { value: '市州', aliases: ['市州政府', '各市州', 'city', 'cities'] },
            ],
          },
        ],
      },
    ],
  },
  {
    name: '导出',
    aliases: ['export', 'dc'],
    pinyin: ['dao', 'chu'],
    description: '导出督办单台账或回执汇总表（Excel）',
    forms: [
      {
        roles: BUREAU,
        description: '导出 Excel，默认督办单台账',
        usage: '/导出 [督办单|回执]',
        examples: ['/导出', '/导出 回执'],
        params: [
          {
            kind: 'choice', key: 'kind', label: '导出内容', optional: true, default: '督办单',
            options: [
              { value: '督办单', aliases: ['台账', '督办台账', 'tickets'] },
              { value: '回执', aliases: ['回执单', '回执表', 'receipts'] },
            ],
          },
        ],
      },
    ],
  },
  {
    name: '问题',
    aliases: ['problem', 'wt'],
    pinyin: ['wen', 'ti'],
    description: '问题工单（发现—交办—整改—反馈）：登记问题、分派承办单位、不予受理、查看未销号问题',
    forms: [
      // Listed first so that a bare "/问题" is answered with how to file one; a message that names a
      // keyword (分派, 列表…) still goes to that form, because a form whose keyword is present wins.
      {
        sub: '登记',
        roles: BUREAU,
        description: '登记发现的问题：按规则分级、分派承办单位并生成问题整改单',
        usage: '/问题 服务名称 问题描述',
        examples: ['/问题 住房公积金提取 线上提取多次提交失败，群众反映无法办理', '/问题 社保查询 株洲市查询结果与实际缴费不一致'],
        params: [
          { kind: 'word', key: 'service', label: '服务名称' },
          { kind: 'text', key: 'description', label: '问题描述' },
        ],
      },
      {
        sub: '分派',
        roles: BUREAU,
        description: '把待分派的问题交由一个单位整改（已交办的问题则改派）',
        usage: '/问题 分派 P问题编号 单位名称',
        examples: ['/问题 分派 P12 省人力资源社会保障厅', '/问题 分派 P12 长沙市'],
        params: [
          { kind: 'literal', words: ['分派', '交办', '指派', 'assign'], label: '“分派”' },
          { kind: 'problem', key: 'problem', label: '问题编号' },
          { kind: 'text', key: 'unit', label: '承办单位名称' },
        ],
      },
      {
        sub: '不予受理',
        roles: BUREAU,
        description: '待分派的问题不予受理（重复反映、非政务服务问题等），须写明原因，来源可查看',
        usage: '/问题 不予受理 P问题编号 原因',
        examples: ['/问题 不予受理 P12 重复反映，已并入 P8 办理'],
        params: [
          { kind: 'literal', words: ['不予受理', 'dismiss'], label: '“不予受理”' },
          { kind: 'problem', key: 'problem', label: '问题编号' },
          { kind: 'text', key: 'reason', label: '不予受理的原因' },
        ],
      },
      {
        sub: '列表',
        roles: BUREAU,
        description: '查看未销号的问题（个人信息已脱敏）',
        usage: '/问题 列表',
        examples: ['/问题 列表'],
        params: [{ kind: 'literal', words: ['列表', 'list'], label: '“列表”' }],
      },
    ],
  },
  {
    name: '帮助',
    aliases: ['help', 'bz'],
    pinyin: ['bang', 'zhu'],
    description: '查看可用命令，或一个命令的用法',
    forms: [
      {
        roles: EVERYONE,
        usage: '/帮助 [命令]',
        examples: ['/帮助', '/帮助 审核'],
        params: [{ kind: 'command', key: 'topic', label: '命令名', optional: true }],
      },
    ],
  },
  {
    name: '签收',
    aliases: ['accept', 'qs'],
    pinyin: ['qian', 'shou'],
    description: '签收督办单，开始办理',
    forms: [
      {
        roles: UNIT,
        usage: '/签收 #督办单编号',
        examples: ['/签收 #123'],
        params: [TICKET],
      },
    ],
  },
  {
    name: '提交',
    aliases: ['submit', 'tj'],
    pinyin: ['ti', 'jiao'],
    description: '办理完成，提交审核',
    forms: [
      {
        roles: UNIT,
        description: '办理完成，提交统筹调度审核（佐证材料请直接发送文件）',
        usage: '/提交 #督办单编号 [说明]',
        examples: ['/提交 #123', '/提交 #123 已完成系统上线，截图见附件'],
        params: [TICKET, { kind: 'text', key: 'note', label: '办理说明', optional: true }],
      },
    ],
  },
  {
    name: '退单',
    aliases: ['disclaim', 'td'],
    pinyin: ['tui', 'dan'],
    description: '不属于本单位职责，申请退回督办单',
    forms: [
      {
        roles: UNIT,
        description: '不属于本单位职责，申请退回督办单，须写明原因',
        usage: '/退单 #督办单编号 原因',
        examples: ['/退单 #123 该事项由省人社厅负责，非本单位职责'],
        params: [TICKET, { kind: 'text', key: 'reason', label: '退单原因' }],
      },
    ],
  },
  {
    name: '我的',
    aliases: ['mine', 'wd'],
    pinyin: ['wo', 'de'],
    description: '查看本单位未办结的督办单',
    forms: [
      {
        roles: UNIT,
        usage: '/我的',
        examples: ['/我的'],
        params: [],
      },
    ],
  },
] as const satisfies readonly CommandSpec[];
