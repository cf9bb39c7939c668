import { describe, expect, it } from 'vitest';
import * as C from '../../../cards/index.ts';
import type { WecomMessage } from '../../../cards/render/wecom.ts';
import type { TicketView } from '../../../cards/types.ts';
import { signAction, verifyAction } from '../../../handlers/action-token.ts';
import { authorize, type Actor } from '../../../domain/access.ts';

const secret = 'a-secret-of-enough-length';
const now = new Date('2026-06-22T02:00:00Z');

const problem: C.ProblemCardView = {
  id: 12, gradeLabel: '较重', gradeReason: '描述含「无法办理」，定为较重问题', source: '12345热线', service: '医保缴费',
  description: '医保缴费交不上，来电人手机138****5678', contact: '138****5678', reportedAt: '2026-06-22 09:30', attachments: 1,
};
const ticket: TicketView = {
  id: 345, kind: 'PROBLEM', taskSeq: null, category: null, milestone: '问题#12 医保缴费：医保缴费交不上…', unitName: '省医保局',
  due: '2026-06-29', workdaysLeft: 5, light: 'GREEN', status: 'ASSIGNED', progress: 0,
};

function routeCard() {
  return C.problemRouteCard({
    problem,
    reason: '服务「医保查询」属省医保局（附件3）；匹配较弱，需人工确认',
    candidates: [
      { unitName: '省医保局', matched: '医保查询', score: 0.5, token: signAction(secret, 'routeProblem', 12, now, 'p-yibao') },
      { unitName: '省税务局', matched: '社保缴费', score: 0.4, token: signAction(secret, 'routeProblem', 12, now, 'p-shuiwu') },
    ],
    dismissToken: signAction(secret, 'dismissProblem', 12, now),
  });
}

describe('problem buttons and cards', () => {
  it('signs the unit into a route button: moving it to another unit or problem is a forgery', () => {
    const token = signAction(secret, 'routeProblem', 12, now, 'p-yibao');
    expect(verifyAction(secret, token, now)).toMatchObject({ action: 'routeProblem', ticketId: 12, arg: 'p-yibao' });
    for (const forged of [token.replace(':p-yibao.', ':p-gongan.'), token.replace('.12:', '.13:'), token.replace(':p-yibao', '')]) {
      expect(() => verifyAction(secret, forged, now)).toThrow(expect.objectContaining({ code: 'ACTION_FORGED' }));
    }
    expect(verifyAction(secret, signAction(secret, 'accept', 7, now), now)).not.toHaveProperty('arg');
    expect(() => signAction(secret, 'routeProblem', 12, now, '省医保局')).toThrow();
  });

  it('leaves filing, routing, dismissing and listing problems to the bureau', () => {
    const staff: Actor = { personId: 's', name: '李娜', role: 'BUREAU_STAFF', unitCode: 'bureau' };
    const officer: Actor = { personId: 'o', name: '联络员', role: 'UNIT_OFFICER', unitCode: 'p-gongan' };
    const leader: Actor = { personId: 'l', name: '领导', role: 'LEADER', unitCode: null };
    for (const a of ['reportProblem', 'routeProblem', 'dismissProblem', 'listProblems'] as const) {
      expect(authorize(staff, a)).toBeNull();
      expect(authorize(officer, a, 'p-gongan')?.code).toBe('FORBIDDEN');
      expect(authorize(leader, a)?.code).toBe('FORBIDDEN');
    }
  });

  it('gives WeCom one button per candidate, each keyed by its own token, and 不予受理 as a text hint', () => {
    const out = C.wecom.render(routeCard(), { taskId: 'outbox-1' }) as Extract<WecomMessage, { msgtype: 'template_card' }>;
    expect(C.wecom.validate(out)).toEqual([]);
    const buttons = out.template_card.button_list ?? [];
    expect(buttons.map((b) => b.text)).toEqual(['交由省医保局办理', '交由省税务局办理']);
    expect(new Set(buttons.map((b) => (b as { key: string }).key)).size).toBe(2);
    expect(JSON.stringify(out)).toContain('/问题 不予受理 P12 原因');
  });

  it('makes a DingTalk click send the routing command', () => {
    const out = C.dingtalk.render(routeCard());
    expect(C.dingtalk.validate(out)).toEqual([]);
    const urls = Object.entries(JSON.parse(out.msgParam) as Record<string, string>).filter(([k]) => k.startsWith('actionURL')).map(([, v]) => decodeURIComponent(v.split('content=')[1]!));
    expect(urls).toContain('/问题 分派 P12 省医保局');
    expect(urls).toContain('/问题 分派 P12 省税务局');
  });

  it('shows the unit what was reported and by when, as 问题整改单', () => {
    const m = C.problemAssignedCard({ ticket, problem, buttons: [{ action: 'accept', token: 't' }] });
    expect(m.type === 'card' && m.fallbackText).toMatch(/^问题整改单 #345 · 问题P12/);
    const text = m.type === 'card' ? m.fallbackText : '';
    expect(text).toContain('较重问题，请于 2026-06-29 前完成整改');
    expect(text).toContain('问题描述：医保缴费交不上');
    expect(text).not.toContain('工作节点');
    // Later cards about the same ticket (reminders, updates) name it the same way.
    const plain = C.ticketCard({ ticket, buttons: [] }) as C.CardMessage;
    expect(plain.fallbackText).toMatch(/^问题整改单 #345[\s\S]*整改问题：问题#12/);
  });
});
