/** Card data for the card suites: realistic tickets, and stress cases (long Chinese, many tickets, many buttons). */
import * as C from '../../cards/index.ts';
import type { Button, OutMessage, TicketView } from '../../cards/index.ts';
import { HEADING } from '../../cards/text.ts';

export const LONG_MILESTONE =
  '2026年6月底前，' + '全面梳理省直各单位和各市州政务服务事项清单，推动高频事项“一件事一次办”，完成“湘易办”移动端改版上线并接入统一身份认证、电子证照和好差评系统，'.repeat(6);

export function ticket(over: Partial<TicketView> = {}): TicketView {
  return {
    id: 123,
    taskSeq: 6,
    category: '政务服务',
    milestone: '2026年6月底前，完成“湘易办”高频事项清单梳理并报送省数据局',
    unitName: '省公安厅',
    due: '2026-06-30',
    originalDue: '2026-06-30',
    workdaysLeft: 12,
    light: 'GREEN',
    status: 'ASSIGNED',
    progress: 0,
    assignee: '李娜',
    ...over,
  };
}

/** A token shaped like handlers/action-token.ts output (opaque to cards). */
export const token = (action: string, id = 123): string => `v1.${id}.${action}.k3J9xQ2mZ8pW`;

export const officerButtons = (id = 123): Button[] =>
  (['accept', 'progress', 'evidence', 'extension', 'difficulty', 'disclaim'] as const).map((a) => ({ action: a, token: token(a, id) }));

export const tenButtons = (id = 123): Button[] =>
  (['accept', 'progress', 'evidence', 'submit', 'extension', 'difficulty', 'disclaim', 'approve', 'return', 'extensionApprove'] as const).map((a) => ({ action: a, token: token(a, id) }));

const units = [
  { code: 'p-renshe', name: '省人力资源社会保障厅' },
  { code: 'p-minzheng', name: '省民政厅' },
  { code: 'c-changsha', name: '长沙市人民政府' },
];

const manyTickets = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ticket: ticket({ id: 200 + i, taskSeq: 1 + (i % 28), milestone: i % 3 ? LONG_MILESTONE : '2026年9月底前，完成系统对接', light: (['GREEN', 'YELLOW', 'RED'] as const)[i % 3]!, workdaysLeft: 5 - i, status: i % 2 ? 'IN_PROGRESS' : 'ASSIGNED', progress: (i * 7) % 100 }),
    buttons: [{ action: 'accept' as const, token: token('accept', 200 + i) }, { action: 'progress' as const, token: token('progress', 200 + i) }],
  }));

/** One message per catalogue card, in its everyday form. */
export function everyCard(): Record<string, OutMessage> {
  const t = ticket();
  return {
    ticket: C.ticketCard({ ticket: t, buttons: officerButtons() }),
    reminder: C.reminderCard({ heading: HEADING.reminder('李娜', 3), note: '请于本周五前报送进展', tickets: manyTickets(3) }),
    progressForm: C.progressFormCard({ ticket: ticket({ status: 'IN_PROGRESS', progress: 40 }), token: token('progress') }),
    extensionForm: C.extensionFormCard({ ticket: t, token: token('extension') }),
    noteForm: C.noteFormCard({ ticket: t, token: token('difficulty'), action: 'difficulty', title: '反馈困难', label: '遇到的困难', field: 'note', submit: '提交困难反馈' }),
    evidenceReceipt: C.evidenceReceiptCard({ ticket: ticket({ status: 'IN_PROGRESS' }), evidence: { name: '关停计划表.pdf', size: 183_402, sha256: 'a3f1c29be0d4477e8c51d2b6f0e9a7c3d5b8e1f2a4c6d8e0b2f4a6c8e0d2b4f6' } }),
    review: C.reviewCard({ ticket: ticket({ status: 'SUBMITTED', progress: 100 }), submitter: '李娜', note: '计划表已报送，截图见附件', evidence: [{ name: '关停计划表.pdf', size: 183_402, sha256: 'a3f1' }], approveToken: token('approve'), returnToken: token('return') }),
    extensionRequest: C.extensionRequestCard({ ticket: ticket({ status: 'IN_PROGRESS', light: 'YELLOW', workdaysLeft: 2 }), requester: '李娜', newDue: '2026-09-30', reason: '需等待省级平台接口改造完成', approveToken: token('extensionApprove'), rejectToken: token('extensionReject') }),
    extensionDecision: C.extensionDecisionCard({ ticket: ticket({ status: 'IN_PROGRESS', due: '2026-09-30', workdaysLeft: 70 }), approved: true, decidedBy: '王强（省数据局）', note: '请按新时限完成' }),
    disclaimRequest: C.disclaimRequestCard({ ticket: t, requester: '李娜', reason: '该事项由省人社厅负责，非本单位职责', units, reassignToken: token('reassign'), confirmToken: token('confirmDisclaim') }),
    status: C.statusCard({ title: '任务6（政务服务）', total: 49, counts: [{ status: 'ASSIGNED', count: 5 }, { status: 'IN_PROGRESS', count: 30 }, { status: 'SUBMITTED', count: 4 }, { status: 'DONE', count: 10 }], overdue: 2, completion: 20, overdueList: [ticket({ id: 9, light: 'RED', workdaysLeft: -3 }), ticket({ id: 17, unitName: '长沙市人民政府', light: 'RED', workdaysLeft: -1 })] }),
    help: C.helpCard({ commands: [{ usage: '/签收 #督办单编号', description: '签收督办单，开始办理' }, { usage: '/进度 更新 #督办单编号 百分比 [说明]', description: '填报办理进度' }, { usage: '/我的', description: '查看本单位未办结的督办单' }], footer: '在群里使用时请先 @督办助手' }),
    chooser: C.chooserCard({ tickets: [{ ticket: t, token: token('chooseTicket') }, { ticket: ticket({ id: 124, milestone: '2026年12月底前，完成系统上线' }), token: token('chooseTicket', 124) }], percent: 50, note: '已梳理应用清单' }),
  };
}

/** The same cards under stress: 300-char milestones, 20 tickets in a reminder, 10 buttons, odd tokens. */
export function stressCards(): Record<string, OutMessage> {
  const long = ticket({ milestone: LONG_MILESTONE.slice(0, 300), unitName: '湖南省人力资源和社会保障厅（省医疗保障局合署办公单位）', category: '政务服务“一件事一次办”改革和“湘易办”超级移动端建设', assignee: '欧阳'.repeat(20) });
  const msgs: Record<string, OutMessage> = {};
  for (const [name, msg] of Object.entries(everyCard())) msgs[name] = msg;
  msgs.ticketLong = C.ticketCard({ ticket: long, buttons: tenButtons(), notice: '已被退回（王强）：' + '佐证材料不全，请补充上线截图和公告时间。'.repeat(10) });
  msgs.ticketDone = C.cardDone(C.ticketCard({ ticket: long, buttons: officerButtons() }), '已签收 · 李娜 · 11-29 10:02');
  msgs.reminder20 = C.reminderCard({ heading: '督办提醒：省公安厅有 20 件待办', note: '请于本周五前报送进展。'.repeat(20), tickets: manyTickets(20) });
  msgs.reminder20all = C.reminderCard({ heading: '本单位待办督办单（20 件）', tickets: manyTickets(20), maxItems: 20 });
  msgs.reviewLong = C.reviewCard({ ticket: long, submitter: '李娜', note: LONG_MILESTONE, approveToken: 'x'.repeat(2000), returnToken: token('return') });
  msgs.disclaimMany = C.disclaimRequestCard({ ticket: long, requester: '李娜', units: Array.from({ length: 14 }, (_, i) => ({ code: `c-${i}`, name: `第${i}市人民政府` })), reassignToken: token('reassign'), confirmToken: token('confirmDisclaim') });
  msgs.statusMany = C.statusCard({ title: '全部督办单', total: 1400, counts: [{ status: 'IN_PROGRESS', count: 1000 }], overdue: 40, completion: 3, overdueList: Array.from({ length: 40 }, (_, i) => ticket({ id: i + 1, milestone: LONG_MILESTONE, light: 'RED', workdaysLeft: -i - 1 })) });
  msgs.chooserLongNote = C.chooserCard({ tickets: Array.from({ length: 9 }, (_, i) => ({ ticket: ticket({ id: 300 + i }), token: token('chooseTicket', 300 + i) })), percent: 80, note: LONG_MILESTONE });
  msgs.helpLong = C.helpCard({ text: LONG_MILESTONE, commands: Array.from({ length: 30 }, (_, i) => ({ usage: `/命令${i} 参数`, description: LONG_MILESTONE.slice(0, 60) })) });
  msgs.problemTicket = C.ticketCard({ ticket: ticket({ taskSeq: null, category: null, milestone: '群众反映：社保卡申领进度无法查询 👨‍👩‍👧' }), buttons: officerButtons() });
  msgs.text = { type: 'text', text: '督办单 #123 已签收。'.repeat(400) };
  msgs.markdown = { type: 'markdown', title: '周报', markdown: '## 本周进展\n\n' + '- 省公安厅：办结 3 件 🟢\n'.repeat(400) };
  msgs.image = { type: 'image', title: '排名', alt: '各单位办结率排名', pngBase64: 'iVBORw0KGgo=' };
  msgs.imageUrl = { type: 'image', title: '排名', alt: '各单位办结率排名', url: 'https://duban.example.gov.cn/charts/rank.png' };
  return msgs;
}
