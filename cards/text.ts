/**
 * The one zh-CN catalogue of words cards use, so that 签收 / 办理中 / 待审核 / 已办结 / 退回 / 延期
 * read the same on every card and platform. Commands quoted here follow domain/commands/catalogue.ts.
 */
import type { ActionId, Light, TicketStatusView } from './types.ts';

export const BRAND = '督办助手';

export const STATUS_LABEL: Readonly<Record<TicketStatusView, string>> = {
  ASSIGNED: '待签收',
  IN_PROGRESS: '办理中',
  SUBMITTED: '待审核',
  RETURNED: '已退回',
  DONE: '已办结',
};

export const LIGHT_EMOJI: Readonly<Record<Light, string>> = { GREEN: '🟢', YELLOW: '🟡', RED: '🔴' };
export const LIGHT_WORD: Readonly<Record<Light, string>> = { GREEN: '正常', YELLOW: '临期', RED: '逾期' };
export const lightLabel = (l: Light): string => `${LIGHT_EMOJI[l]} ${LIGHT_WORD[l]}`;

/** Button labels (≤ 10 characters: WeCom's recommended button text length). */
export const BUTTON_LABEL: Readonly<Record<ActionId, string>> = {
  accept: '签收',
  progress: '更新进度',
  evidence: '提交佐证',
  submit: '提交审核',
  extension: '申请延期',
  difficulty: '反馈困难',
  disclaim: '退单',
  approve: '通过',
  return: '退回',
  extensionApprove: '同意延期',
  extensionReject: '不同意',
  reassign: '改派',
  confirmDisclaim: '维持原单位',
  chooseTicket: '就是这件',
  routeProblem: '交由办理',
  dismissProblem: '不予受理',
};

/** Fact names (≤ 5 characters: WeCom's horizontal_content_list keyname). */
export const FACT = {
  task: '任务',
  milestone: '工作节点',
  problem: '整改问题',
  due: '完成时限',
  originalDue: '原定时限',
  unit: '责任单位',
  status: '状态',
  light: '预警',
  assignee: '经办人',
  submitter: '提交人',
  requester: '申请人',
  decidedBy: '审批人',
  newDue: '延期至',
  reason: '原因',
  note: '说明',
  fileName: '文件',
  fileSize: '大小',
  sha256: '校验码',
  total: '总数',
  completion: '办结率',
  overdue: '逾期',
} as const;

export const HEADING = {
  ticket: (id: number) => `督办单 #${id}`,
  reminder: (who: string, n: number) => `督办提醒：${who}有 ${n} 件待办`,
  progressForm: (id: number) => `更新进度｜督办单 #${id}`,
  extensionForm: (id: number) => `申请延期｜督办单 #${id}`,
  review: (id: number, unit: string, kind?: string) => (kind === 'PROBLEM' ? `待核验｜问题整改单 #${id}（${unit}）` : `待审核｜督办单 #${id}（${unit}）`),
  extensionRequest: (id: number, unit: string) => `延期申请｜督办单 #${id}（${unit}）`,
  extensionApproved: (id: number) => `延期已同意｜督办单 #${id}`,
  extensionRejected: (id: number) => `延期未同意｜督办单 #${id}`,
  disclaimRequest: (id: number, unit: string) => `退单申请｜督办单 #${id}（${unit}）`,
  evidenceStored: '佐证材料已归档',
  evidenceDuplicate: '佐证材料已存在（未重复保存）',
  status: (scope: string) => `办理进度｜${scope}`,
  overdueList: '逾期事项',
  help: `${BRAND} · 帮助`,
  chooser: '您指的是哪一件？',
} as const;

export const INPUT = {
  percent: '进度（%）',
  percentError: '请填写 0–100 的整数',
  progressNote: '进展说明',
  progressNotePlaceholder: '例如：已完成上线计划表报送',
  newDue: '申请延期至',
  newDueError: '请选择日期',
  extensionReason: '延期原因',
  extensionReasonError: '请填写延期原因',
  returnReason: '退回原因（退回时必填）',
  returnReasonError: '退回须填写原因',
  decisionNote: '审批说明（可选）',
  reassignTo: '改派至（改派时选择）',
  reassignError: '改派须选择单位',
  dismissReason: '不予受理的原因（点“不予受理”时必填）',
  dismissReasonError: '不予受理须填写原因',
  noteOptional: '说明（可选）',
  required: (label: string) => `请填写${label}`,
  submitProgress: '提交进度',
  submitExtension: '提交延期申请',
} as const;

/** What a ticket is called: 问题整改单 (a problem's rectification, section 九) or 督办单. */
export const ticketNoun = (kind?: string): string => (kind === 'PROBLEM' ? '问题整改单' : '督办单');

export function workdaysLeftText(n: number): string {
  if (n > 0) return `剩余 ${n} 个工作日`;
  if (n === 0) return '今日到期';
  return `已逾期 ${-n} 个工作日`;
}

/** "任务6（政务服务）", or null for tickets that belong to no plan task. */
export function taskLabel(seq: number | null, category: string | null): string | null {
  if (seq === null) return category;
  return category ? `任务${seq}（${category}）` : `任务${seq}`;
}

export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "回复「/签收 #123」即可签收" — how to do by text what a button does. */
export const replyHint = (command: string, verb: string): string => `回复「${command}」即可${verb}`;

export interface ActionText {
  /** A complete command that does the same as the click, '' when none exists or input is needed. */
  command: string;
  /** What a person can do instead of clicking. */
  hint: string;
}

/** The text equivalents of a button on ticket #id (chooser: the progress it will record). */
export function actionText(action: ActionId, id: number, extra: { percent?: number | null; note?: string | null } = {}): ActionText {
  const t = `#${id}`;
  const full = (command: string, verb: string): ActionText => ({ command, hint: replyHint(command, verb) });
  const typed = (template: string, verb: string): ActionText => ({ command: '', hint: replyHint(template, verb) });
  switch (action) {
    case 'accept': return full(`/签收 ${t}`, '签收');
    case 'submit': return full(`/提交 ${t}`, '提交审核');
    case 'approve': return full(`/审核 ${t} 通过`, '审核通过');
    case 'extensionApprove': return full(`/延期 ${t} 同意`, '同意延期');
    case 'extensionReject': return full(`/延期 ${t} 不同意`, '不同意延期');
    case 'progress': return typed(`/进度 更新 ${t} 80% 进展说明`, '更新进度');
    case 'extension': return typed(`/延期 申请 ${t} 2026-12-31 延期原因`, '申请延期');
    case 'return': return typed(`/审核 ${t} 退回 退回原因`, '退回');
    case 'disclaim': return typed(`/退单 ${t} 退单原因`, '退单');
    case 'evidence': return { command: '', hint: `直接在本会话发送佐证文件，并在说明中注明「${t}」` };
    case 'difficulty': return { command: '', hint: `请联系省数据局统筹调度反映困难（注明「${t}」）` };
    case 'reassign':
    case 'confirmDisclaim': return { command: '', hint: `请在督办控制台处理督办单 ${t} 的退单申请` };
    case 'routeProblem': return typed(`/问题 分派 P${id} 单位名称`, '交由该单位办理');
    case 'dismissProblem': return typed(`/问题 不予受理 P${id} 原因`, '不予受理');
    case 'chooseTicket': {
      if (extra.percent === null || extra.percent === undefined) return full(`/进度 ${t}`, '查看');
      return full(`/进度 更新 ${t} ${extra.percent}%${extra.note ? ` ${extra.note}` : ''}`, '记录进度');
    }
  }
}

export const LIST = {
  more: (total: number) => `等共${total}件，回复「/我的」查看全部`,
  note: (note: string) => `附言：${note}`,
  submitterNote: (note: string) => `办理说明：${note}`,
  recordPercent: (percent: number, note: string | null) => `将记录进度 ${percent}%${note ? `：${note}` : ''}`,
  returnedNotice: (who: string, reason: string) => `已被退回（${who}）：${reason}`,
  evidenceNext: (id: number) => `如已办结，回复「/提交 #${id}」即可提交审核。`,
  doneMark: '✔',
  buttonsHeading: '可回复以下命令办理：',
  hintsHeading: '操作方式：',
  sameForOthers: '（其余督办单同理）',
  formLink: '填写表单',
} as const;

/** Words of the problem cards (section 九: 发现—交办—整改—反馈). */
export const PROBLEM = {
  ref: (id: number) => `问题P${id}`,
  fact: {
    service: '服务事项',
    grade: '问题等级',
    gradeReason: '定级依据',
    source: '问题来源',
    reportedAt: '反映时间',
    contact: '联系方式',
    attachments: '附件',
  },
  unknownService: '未识别',
  description: (text: string) => `问题描述：${text}`,
  assignedNotice: (grade: string, due: string) => `${grade}问题，请于 ${due} 前完成整改，上传佐证后提交省数据局核验`,
  routeHeading: (id: number, grade: string) => `待分派｜问题P${id}（${grade}）`,
  routeReason: (reason: string) => `未能确定承办单位：${reason}`,
  candidatesHeading: '建议承办单位（点击即交办）：',
  candidateLine: (unit: string, matched: string, score: number) => `${unit}｜${matched}｜匹配度 ${Math.round(score * 100)}%`,
  routeButton: (unit: string) => `交由${unit}办理`,
  routeCommand: (id: number, unit: string) => `/问题 分派 P${id} ${unit}`,
  otherUnit: (id: number) => `交由其他单位：回复「/问题 分派 P${id} 单位名称」；不予受理：填写原因后点“不予受理”。`,
} as const;
