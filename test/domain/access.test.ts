import { describe, expect, it } from 'vitest';
import { authorize, SYSTEM_ACTOR, ticketScope, type AccessAction, type Actor, type Role } from '../../domain/access.ts';

const actor = (role: Role, unitCode: string | null = null): Actor => ({ personId: `p-${role}`, name: `测试${role}`, role, unitCode });
const units: Record<string, string> = { 'p-gongan': '省公安厅', 'c-changsha': '长沙市' };
const unitName = (code: string): string | undefined => units[code];

const UNIT_ACTIONS: AccessAction[] = ['accept', 'progress', 'submit', 'resume', 'requestExtension'];
const BUREAU_ACTIONS: AccessAction[] = ['approve', 'return', 'decideExtension', 'reassign', 'assign', 'import'];
const ALL: AccessAction[] = [...UNIT_ACTIONS, ...BUREAU_ACTIONS, 'view'];

describe('authorize', () => {
  it.each(['BUREAU_ADMIN', 'BUREAU_STAFF'] as const)('%s may do everything on any unit', (role) => {
    for (const action of ALL) {
      expect(authorize(actor(role, 'bureau'), action, 'p-gongan')).toBeNull();
      expect(authorize(actor(role), action, 'c-changsha')).toBeNull();
      expect(authorize(actor(role), action)).toBeNull();
    }
  });

  it('the system actor is a bureau administrator', () => {
    expect(SYSTEM_ACTOR).toEqual({ personId: null, name: '系统', role: 'BUREAU_ADMIN', unitCode: null });
    expect(authorize(SYSTEM_ACTOR, 'approve', 'p-gongan')).toBeNull();
  });

  it.each(['UNIT_OFFICER', 'UNIT_LEADER'] as const)('%s acts on its own unit only', (role) => {
    const me = actor(role, 'p-gongan');
    for (const action of [...UNIT_ACTIONS, 'view' as const]) {
      expect(authorize(me, action, 'p-gongan')).toBeNull();
      const e = authorize(me, action, 'c-changsha', unitName);
      expect(e?.code).toBe('FORBIDDEN');
      expect(e?.details).toMatchObject({ role, actorUnitCode: 'p-gongan', ticketUnitCode: 'c-changsha', action });
    }
    for (const action of BUREAU_ACTIONS) {
      const e = authorize(me, action, 'p-gongan');
      expect(e?.code).toBe('FORBIDDEN');
      expect(e?.message).toMatch(/^只有省数据局统筹调度人员可以执行「.+」。$/);
    }
  });

  it('names the unit in the refusal (by name with a lookup, by code without)', () => {
    const officer = actor('UNIT_OFFICER', 'c-changsha');
    expect(authorize(officer, 'accept', 'p-gongan', unitName)?.message).toBe('您不是该督办单承办单位（省公安厅）的人员，不能办理。');
    expect(authorize(officer, 'accept', 'p-gongan')?.message).toBe('您不是该督办单承办单位（p-gongan）的人员，不能办理。');
    expect(authorize(officer, 'view', 'p-gongan', unitName)?.message).toBe('您不是该督办单承办单位（省公安厅）的人员，不能查看。');
    expect(authorize(officer, 'accept', 'p-gongan')?.messageEn).toMatch(/c-changsha.*accept.*p-gongan/);
  });

  it('a leader is read-only', () => {
    const leader = actor('LEADER');
    expect(authorize(leader, 'view', 'p-gongan')).toBeNull();
    expect(authorize(leader, 'view')).toBeNull();
    for (const action of [...UNIT_ACTIONS, ...BUREAU_ACTIONS]) {
      const e = authorize(leader, action, 'p-gongan');
      expect(e?.code).toBe('FORBIDDEN');
      expect(e?.message).toMatch(/^领导账号仅可查看，不能执行「.+」。$/);
    }
  });

  it('fails closed for unit accounts without a unit or tickets without a unit', () => {
    expect(authorize(actor('UNIT_OFFICER', null), 'accept', 'p-gongan')?.message).toBe('您的账号未绑定单位，不能执行「签收」。');
    expect(authorize(actor('UNIT_OFFICER', 'p-gongan'), 'accept')?.code).toBe('FORBIDDEN');
    expect(authorize(actor('UNIT_OFFICER', 'p-gongan'), 'view')).toBeNull(); // overview pages
    expect(authorize({ ...actor('UNIT_OFFICER'), role: 'GUEST' as Role }, 'view')?.code).toBe('FORBIDDEN');
  });
});

describe('submitReturn (returns of 附件1/5/6)', () => {
  it('a unit reports for its own unit only, the bureau for any unit, a leader never', () => {
    for (const role of ['UNIT_OFFICER', 'UNIT_LEADER'] as const) {
      expect(authorize(actor(role, 'p-gongan'), 'submitReturn', 'p-gongan')).toBeNull();
      expect(authorize(actor(role, 'c-changsha'), 'submitReturn', 'p-gongan', unitName)?.message).toBe('您不是省公安厅的人员，不能报送该单位的报表。');
      expect(authorize(actor(role, null), 'submitReturn', 'p-gongan')?.code).toBe('FORBIDDEN');
    }
    expect(authorize(actor('BUREAU_STAFF'), 'submitReturn', 'c-changsha')).toBeNull();
    expect(authorize(actor('LEADER'), 'submitReturn', 'p-gongan')?.message).toBe('领导账号仅可查看，不能执行「报送报表」。');
  });
});

describe('ticketScope', () => {
  it('bureau and leaders list all tickets, unit accounts their own unit', () => {
    expect(ticketScope(actor('BUREAU_STAFF'))).toEqual({ kind: 'ALL' });
    expect(ticketScope(actor('LEADER'))).toEqual({ kind: 'ALL' });
    expect(ticketScope(actor('UNIT_LEADER', 'c-changsha'))).toEqual({ kind: 'UNIT', unitCode: 'c-changsha' });
    expect(ticketScope(actor('UNIT_OFFICER', null))).toEqual({ kind: 'NONE' });
  });
});
