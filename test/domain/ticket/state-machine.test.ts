import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/access.ts';
import { DomainError } from '../../../domain/errors.ts';
import {
  ALLOWED_FROM,
  availableActions,
  decide,
  TICKET_STATUS_LABELS,
  TICKET_STATUSES,
  type TicketAction,
  type TicketDecision,
  type TicketSnapshot,
  type TicketStatus,
} from '../../../domain/ticket/state-machine.ts';

const TODAY = '2026-06-01';
const bureau: Actor = { personId: 'b1', name: '王统筹', role: 'BUREAU_STAFF', unitCode: 'bureau' };
const officer: Actor = { personId: 'u1', name: '李联络', role: 'UNIT_OFFICER', unitCode: 'p-gongan' };
const otherOfficer: Actor = { personId: 'u2', name: '张联络', role: 'UNIT_OFFICER', unitCode: 'c-changsha' };
const unitLeader: Actor = { personId: 'u3', name: '赵处长', role: 'UNIT_LEADER', unitCode: 'p-gongan' };
const leader: Actor = { personId: 'l1', name: '刘局长', role: 'LEADER', unitCode: null };
const unitName = (code: string): string | undefined => ({ 'p-gongan': '省公安厅', 'c-changsha': '长沙市' })[code];

function ticket(over: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    id: 7,
    kind: 'PLAN',
    unitCode: 'p-gongan',
    status: 'IN_PROGRESS',
    progress: 40,
    due: '2026-06-30',
    originalDue: '2026-06-30',
    pendingExtension: null,
    ...over,
  };
}

function ok(d: TicketDecision) {
  if (!d.ok) throw new Error(`refused: ${d.error.code} ${d.error.message}`);
  return d;
}
function refused(d: TicketDecision): DomainError {
  if (d.ok) throw new Error(`expected a refusal, got ${JSON.stringify(d)}`);
  return d.error;
}
const applyTo = (t: TicketSnapshot, d: TicketDecision): TicketSnapshot => ({ ...t, ...ok(d).patch });

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** A well-formed action of each type, and the ticket it is tried on (with a pending extension where one is needed). */
const SAMPLES: Record<TicketAction['type'], { action: TicketAction; pending: boolean }> = {
  accept: { action: { type: 'accept' }, pending: false },
  progress: { action: { type: 'progress', percent: 60, note: '完成接口联调' }, pending: false },
  submit: { action: { type: 'submit', note: '已上传佐证' }, pending: false },
  approve: { action: { type: 'approve' }, pending: false },
  return: { action: { type: 'return', reason: '佐证材料不全' }, pending: false },
  resume: { action: { type: 'resume' }, pending: false },
  requestExtension: { action: { type: 'requestExtension', newDue: '2026-07-31', reason: '系统对接延后' }, pending: false },
  decideExtension: { action: { type: 'decideExtension', approve: true }, pending: true },
  reassign: { action: { type: 'reassign', unitCode: 'c-changsha' }, pending: false },
};

/** Expected status after each action in each status; null = illegal. */
const S = (a: TicketStatus | null, i: TicketStatus | null, s: TicketStatus | null, r: TicketStatus | null, d: TicketStatus | null) => ({
  ASSIGNED: a,
  IN_PROGRESS: i,
  SUBMITTED: s,
  RETURNED: r,
  DONE: d,
});
const TABLE: Record<TicketAction['type'], Record<TicketStatus, TicketStatus | null>> = {
  accept: S('IN_PROGRESS', null, null, null, null),
  progress: S('IN_PROGRESS', 'IN_PROGRESS', null, 'IN_PROGRESS', null),
  submit: S(null, 'SUBMITTED', null, null, null),
  approve: S(null, null, 'DONE', null, null),
  return: S(null, null, 'RETURNED', null, null),
  resume: S(null, null, null, 'IN_PROGRESS', null),
  requestExtension: S('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED', null),
  decideExtension: S('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'RETURNED', null),
  reassign: S('ASSIGNED', 'ASSIGNED', 'ASSIGNED', 'ASSIGNED', null),
};

const ACTION_ZH: Record<TicketAction['type'], string> = {
  accept: '签收',
  progress: '更新进度',
  submit: '提交审核',
  approve: '审核通过',
  return: '退回',
  resume: '恢复办理',
  requestExtension: '申请延期',
  decideExtension: '审批延期',
  reassign: '改派',
};

describe('every status × every action (bureau actor)', () => {
  const cases = TICKET_STATUSES.flatMap((status) =>
    (Object.keys(TABLE) as TicketAction['type'][]).map((type) => [status, type, TABLE[type][status]] as const),
  );

  it.each(cases)('%s + %s → %s', (status, type, expected) => {
    const { action, pending } = SAMPLES[type];
    const t = deepFreeze(ticket({ status, progress: status === 'ASSIGNED' ? 0 : 40, pendingExtension: pending ? { newDue: '2026-07-31', reason: '对接延后' } : null }));
    const before = structuredClone(t);
    const d = decide(t, deepFreeze(structuredClone(action)), bureau, TODAY);
    expect(t).toEqual(before);
    if (expected === null) {
      const e = refused(d);
      expect(e.code).toBe('TICKET_ILLEGAL_TRANSITION');
      expect(e.message).toBe(`该督办单当前状态为「${TICKET_STATUS_LABELS[status]}」，不能执行「${ACTION_ZH[type]}」。`);
      expect(e.messageEn).toContain(type);
      expect(e.details).toMatchObject({ ticketId: 7, status, action: type });
    } else {
      const { patch, event } = ok(d);
      expect(event.type).toBe(type);
      expect(event.from).toBe(status);
      expect(event.to).toBe(expected);
      expect(applyTo(t, d).status).toBe(expected);
      expect(patch.originalDue).toBeUndefined();
      expect(ALLOWED_FROM[type]).toContain(status);
    }
  });

  it('labels every status in Chinese', () => {
    expect(TICKET_STATUS_LABELS).toEqual({ ASSIGNED: '待签收', IN_PROGRESS: '办理中', SUBMITTED: '待审核', RETURNED: '已退回', DONE: '已办结' });
  });

  it('the message for accepting a closed ticket', () => {
    expect(refused(decide(ticket({ status: 'DONE' }), { type: 'accept' }, officer, TODAY)).message).toBe('该督办单当前状态为「已办结」，不能执行「签收」。');
  });

  it('refuses an unknown action', () => {
    const e = refused(decide(ticket(), { type: 'delete' } as unknown as TicketAction, bureau, TODAY));
    expect(e.code).toBe('TICKET_UNKNOWN_ACTION');
  });
});

describe('the normal path', () => {
  it('assigned → accepted → progress → submitted → returned → resumed → submitted → done', () => {
    let t = ticket({ status: 'ASSIGNED', progress: 0 });
    t = applyTo(t, decide(t, { type: 'accept' }, officer, TODAY));
    expect(t.status).toBe('IN_PROGRESS');
    t = applyTo(t, decide(t, { type: 'progress', percent: 50, note: '过半' }, officer, TODAY));
    expect(t.progress).toBe(50);
    const submitted = decide(t, { type: 'submit' }, unitLeader, TODAY);
    expect(ok(submitted).patch).toEqual({ status: 'SUBMITTED', progress: 100 });
    expect(ok(submitted).event).toEqual({ type: 'submit', from: 'IN_PROGRESS', to: 'SUBMITTED', note: null, data: { percent: 100, previousPercent: 50 } });
    t = applyTo(t, submitted);
    const returned = decide(t, { type: 'return', reason: '  缺少上线截图  ' }, bureau, TODAY);
    expect(ok(returned).event).toEqual({ type: 'return', from: 'SUBMITTED', to: 'RETURNED', note: '缺少上线截图', data: { reason: '缺少上线截图' } });
    t = applyTo(t, returned);
    t = applyTo(t, decide(t, { type: 'resume' }, officer, TODAY));
    expect(t.status).toBe('IN_PROGRESS');
    t = applyTo(t, decide(t, { type: 'submit', note: '已补充截图' }, officer, TODAY));
    const approved = decide(t, { type: 'approve' }, bureau, TODAY);
    expect(ok(approved).patch).toEqual({ status: 'DONE' });
    t = applyTo(t, approved);
    expect(t).toMatchObject({ status: 'DONE', progress: 100, due: '2026-06-30', originalDue: '2026-06-30' });
  });
});

describe('progress', () => {
  it('on an assigned ticket accepts and reports in one event', () => {
    const d = ok(decide(ticket({ status: 'ASSIGNED', progress: 0 }), { type: 'progress', percent: 20, note: '已启动' }, officer, TODAY));
    expect(d.patch).toEqual({ status: 'IN_PROGRESS', progress: 20 });
    expect(d.event).toEqual({ type: 'progress', from: 'ASSIGNED', to: 'IN_PROGRESS', note: '已启动', data: { percent: 20, previousPercent: 0, accepted: true } });
  });

  it('on a returned ticket moves it back to in progress', () => {
    const d = ok(decide(ticket({ status: 'RETURNED', progress: 100 }), { type: 'progress', percent: 90, note: '按意见修改中' }, officer, TODAY));
    expect(d.patch).toEqual({ status: 'IN_PROGRESS', progress: 90 });
    expect(d.event.data).toEqual({ percent: 90, previousPercent: 100, resumed: true });
  });

  it('100% without submitting stays in progress; the note is optional when not lowering', () => {
    const d = ok(decide(ticket(), { type: 'progress', percent: 100 }, officer, TODAY));
    expect(d.patch).toEqual({ status: 'IN_PROGRESS', progress: 100 });
    expect(d.event.note).toBeNull();
    expect(ok(decide(ticket(), { type: 'progress', percent: 40, note: '   ' }, officer, TODAY)).event.note).toBeNull();
  });

  it.each([101, -1, 50.5, Number.NaN, Number.POSITIVE_INFINITY, '50' as unknown as number, null as unknown as number])('refuses percent %s', (percent) => {
    const e = refused(decide(ticket(), { type: 'progress', percent, note: 'x' }, officer, TODAY));
    expect(e.code).toBe('TICKET_BAD_PERCENT');
    expect(e.message).toMatch(/0 到 100 之间的整数/);
  });

  it('may go down only with a note', () => {
    const e = refused(decide(ticket({ progress: 60 }), { type: 'progress', percent: 40 }, officer, TODAY));
    expect(e.code).toBe('TICKET_REASON_REQUIRED');
    expect(e.message).toBe('进度从 60% 下调为 40% 时须填写说明。');
    expect(refused(decide(ticket({ progress: 60 }), { type: 'progress', percent: 40, note: ' ' }, officer, TODAY)).code).toBe('TICKET_REASON_REQUIRED');
    expect(ok(decide(ticket({ progress: 60 }), { type: 'progress', percent: 40, note: '需求变更，部分返工' }, officer, TODAY)).patch.progress).toBe(40);
  });
});

describe('return', () => {
  it.each([undefined, '', '   ', '\n\t'])('needs a non-blank reason (%j)', (reason) => {
    const t = deepFreeze(ticket({ status: 'SUBMITTED', progress: 100 }));
    const e = refused(decide(t, { type: 'return', reason } as TicketAction, bureau, TODAY));
    expect(e.code).toBe('TICKET_REASON_REQUIRED');
    expect(e.message).toBe('退回督办单须填写退回原因。');
    expect(t.status).toBe('SUBMITTED');
  });
});

describe('extensions', () => {
  const request = (newDue: string, reason = '省级平台接口延期'): TicketAction => ({ type: 'requestExtension', newDue, reason });

  it('approve moves due and keeps the first due as originalDue, across two extensions', () => {
    let t = ticket();
    const asked = decide(t, request('2026-07-15'), officer, TODAY);
    expect(ok(asked).patch).toEqual({ pendingExtension: { newDue: '2026-07-15', reason: '省级平台接口延期' } });
    expect(ok(asked).event).toMatchObject({ type: 'requestExtension', from: 'IN_PROGRESS', to: 'IN_PROGRESS', note: '省级平台接口延期' });
    t = applyTo(t, asked);
    const approved = decide(t, { type: 'decideExtension', approve: true, note: '同意' }, bureau, TODAY);
    expect(ok(approved).patch).toEqual({ due: '2026-07-15', pendingExtension: null });
    expect(ok(approved).event.data).toMatchObject({ approved: true, newDue: '2026-07-15', previousDue: '2026-06-30' });
    t = applyTo(t, approved);
    t = applyTo(t, decide(t, request('2026-08-31'), officer, '2026-07-10'));
    t = applyTo(t, decide(t, { type: 'decideExtension', approve: true }, bureau, '2026-07-10'));
    expect(t).toMatchObject({ due: '2026-08-31', originalDue: '2026-06-30', pendingExtension: null, status: 'IN_PROGRESS' });
  });

  it('reject keeps due and originalDue and clears the request', () => {
    const t = ticket({ pendingExtension: { newDue: '2026-07-31', reason: '人手不足' } });
    const d = ok(decide(t, { type: 'decideExtension', approve: false, note: '时限不可调整' }, bureau, TODAY));
    expect(d.patch).toEqual({ pendingExtension: null });
    expect(d.event).toMatchObject({ note: '时限不可调整', data: { approved: false, newDue: '2026-07-31' } });
    expect(applyTo(t, d)).toMatchObject({ due: '2026-06-30', originalDue: '2026-06-30' });
  });

  it('needs a reason', () => {
    for (const reason of ['', '  ']) {
      expect(refused(decide(ticket(), request('2026-07-31', reason), officer, TODAY)).code).toBe('TICKET_REASON_REQUIRED');
    }
  });

  it.each([
    ['2026-06-30', '须晚于当前完成时限'],
    ['2026-06-15', '须晚于当前完成时限'],
    ['2026-07-32', '格式不正确'],
    ['7月31日', '格式不正确'],
  ])('refuses new due %s', (newDue, message) => {
    const e = refused(decide(ticket(), request(newDue), officer, TODAY));
    expect(e.code).toBe('TICKET_BAD_EXTENSION');
    expect(e.message).toContain(message);
  });

  it('refuses a new due date already in the past', () => {
    const e = refused(decide(ticket({ due: '2026-05-10', originalDue: '2026-05-10' }), request('2026-05-20'), officer, TODAY));
    expect(e.code).toBe('TICKET_BAD_EXTENSION');
    expect(e.message).toBe('延期后的完成时限（2026-05-20）不能早于今天（2026-06-01）。');
  });

  it('one pending request at a time', () => {
    const t = ticket({ pendingExtension: { newDue: '2026-07-31', reason: '人手不足' } });
    const e = refused(decide(t, request('2026-08-31'), officer, TODAY));
    expect(e.code).toBe('TICKET_BAD_EXTENSION');
    expect(e.message).toContain('已有待审批的延期申请（申请延至 2026-07-31）');
  });

  it('deciding without a pending request is refused', () => {
    expect(refused(decide(ticket(), { type: 'decideExtension', approve: true }, bureau, TODAY)).code).toBe('TICKET_BAD_EXTENSION');
  });

  it('only the bureau decides, and approving a ticket drops a pending request', () => {
    const t = ticket({ status: 'SUBMITTED', progress: 100, pendingExtension: { newDue: '2026-07-31', reason: '人手不足' } });
    expect(refused(decide(t, { type: 'decideExtension', approve: true }, officer, TODAY)).code).toBe('FORBIDDEN');
    const d = ok(decide(t, { type: 'approve' }, bureau, TODAY));
    expect(d.patch).toEqual({ status: 'DONE', pendingExtension: null });
    expect(d.event.data).toEqual({ droppedExtension: { newDue: '2026-07-31', reason: '人手不足' } });
  });
});

describe('reassign', () => {
  it('moves the ticket to another unit, back to ASSIGNED with progress 0', () => {
    const t = ticket({ status: 'RETURNED', progress: 80, pendingExtension: { newDue: '2026-07-31', reason: 'x' } });
    const d = ok(decide(t, { type: 'reassign', unitCode: 'c-changsha', note: '职责调整' }, bureau, TODAY));
    expect(d.patch).toEqual({ unitCode: 'c-changsha', status: 'ASSIGNED', progress: 0, pendingExtension: null });
    expect(d.event).toEqual({
      type: 'reassign',
      from: 'RETURNED',
      to: 'ASSIGNED',
      note: '职责调整',
      data: { fromUnit: 'p-gongan', toUnit: 'c-changsha', previousProgress: 80, droppedExtension: { newDue: '2026-07-31', reason: 'x' } },
    });
  });

  it('needs a different unit', () => {
    expect(refused(decide(ticket(), { type: 'reassign', unitCode: 'p-gongan' }, bureau, TODAY)).code).toBe('TICKET_BAD_REASSIGN');
    expect(refused(decide(ticket(), { type: 'reassign', unitCode: ' ' }, bureau, TODAY)).code).toBe('TICKET_BAD_REASSIGN');
  });
});

describe('who may act (decide asks access.ts first)', () => {
  it('an officer of another unit is refused, with the unit named', () => {
    const e = refused(decide(ticket({ status: 'ASSIGNED', progress: 0 }), { type: 'accept' }, otherOfficer, TODAY, { unitName }));
    expect(e.code).toBe('FORBIDDEN');
    expect(e.message).toBe('您不是该督办单承办单位（省公安厅）的人员，不能办理。');
  });

  it('a leader is refused even where the status would also forbid it', () => {
    expect(refused(decide(ticket({ status: 'DONE' }), { type: 'accept' }, leader, TODAY)).code).toBe('FORBIDDEN');
    expect(refused(decide(ticket(), { type: 'progress', percent: 50 }, leader, TODAY)).code).toBe('FORBIDDEN');
  });

  it.each(['approve', 'return', 'decideExtension', 'reassign'] as const)('a unit cannot %s its own ticket', (type) => {
    const t = ticket({ status: 'SUBMITTED', progress: 100, pendingExtension: { newDue: '2026-07-31', reason: 'x' } });
    for (const who of [officer, unitLeader]) expect(refused(decide(t, SAMPLES[type].action, who, TODAY)).code).toBe('FORBIDDEN');
  });

  it.each(['accept', 'progress', 'requestExtension'] as const)('the bureau may %s for any unit', (type) => {
    const t = ticket({ status: 'ASSIGNED', progress: 0, unitCode: 'c-changsha' });
    expect(decide(t, SAMPLES[type].action, bureau, TODAY).ok).toBe(true);
  });

  it('the unit leader acts like the officer on the own unit', () => {
    expect(decide(ticket(), { type: 'submit' }, unitLeader, TODAY).ok).toBe(true);
  });
});

describe('nothing is mutated', () => {
  it('on refusal or success, for every action and status', () => {
    for (const status of TICKET_STATUSES) {
      for (const { action } of Object.values(SAMPLES)) {
        for (const who of [bureau, officer, otherOfficer, leader]) {
          const t = deepFreeze(ticket({ status, pendingExtension: { newDue: '2026-07-31', reason: 'x' } }));
          const a = deepFreeze(structuredClone(action));
          const [tBefore, aBefore] = [structuredClone(t), structuredClone(a)];
          const d = decide(t, a, who, TODAY);
          expect(t).toEqual(tBefore);
          expect(a).toEqual(aBefore);
          if (d.ok && d.patch.pendingExtension) expect(d.patch.pendingExtension).not.toBe(t.pendingExtension);
        }
      }
    }
  });
});

describe('availableActions', () => {
  it('offers what the status, role and pending extension allow', () => {
    expect(availableActions(ticket({ status: 'ASSIGNED', progress: 0 }), officer)).toEqual(['accept', 'progress', 'requestExtension']);
    expect(availableActions(ticket(), officer)).toEqual(['progress', 'submit', 'requestExtension']);
    expect(availableActions(ticket(), otherOfficer)).toEqual([]);
    expect(availableActions(ticket({ status: 'SUBMITTED' }), leader)).toEqual([]);
    expect(availableActions(ticket({ status: 'SUBMITTED', pendingExtension: { newDue: '2026-07-31', reason: 'x' } }), bureau)).toEqual([
      'approve',
      'return',
      'decideExtension',
      'reassign',
    ]);
    expect(availableActions(ticket({ status: 'DONE' }), bureau)).toEqual([]);
  });
});
