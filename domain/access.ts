/**
 * Who may do what — the one place that decides it.
 *
 *   BUREAU_ADMIN, BUREAU_STAFF  every action on every ticket (review, assign, import, and acting for a unit),
 *                               and filing, routing, dismissing and listing problems (section 九),
 *                               deciding the plan's undecided responsible units, keeping the directory
 *   UNIT_OFFICER, UNIT_LEADER   accept / progress / submit / resume / requestExtension, and view,
 *                               only on tickets of their own unit; submitReturn (附件1/5/6) only for their own unit
 *   LEADER                      view only (any unit)
 *
 * 'view' without a ticket unit (plan overview, rankings) is open to every role; lists of tickets are
 * narrowed with `ticketScope`. A unit role acting on a ticket whose unit is not given is refused
 * (fail closed).
 */
import { DomainError } from './errors.ts';
import { TICKET_ACTION_LABELS, type TicketActionType } from './ticket/types.ts';

export const ROLES = ['BUREAU_ADMIN', 'BUREAU_STAFF', 'UNIT_OFFICER', 'UNIT_LEADER', 'LEADER'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  BUREAU_ADMIN: '省数据局管理员',
  BUREAU_STAFF: '省数据局统筹调度人员',
  UNIT_OFFICER: '单位联络员',
  UNIT_LEADER: '单位负责人',
  LEADER: '领导',
};

export interface Actor {
  personId: string | null;
  name: string;
  role: Role;
  unitCode: string | null;
}

/** The scheduler and the CLI act as this bureau administrator. */
export const SYSTEM_ACTOR: Readonly<Actor> = Object.freeze({ personId: null, name: '系统', role: 'BUREAU_ADMIN', unitCode: null });

export type AccessAction =
  | TicketActionType | 'view' | 'assign' | 'import' | 'chase' | 'disclaim' | 'decideDisclaim' | 'difficulty' | 'export'
  // Problem tickets (section 九): filing, routing and dismissing problems and listing them are the bureau's.
  | 'reportProblem' | 'routeProblem' | 'dismissProblem' | 'listProblems'
  // Returns (附件1/5/6): a unit reports its own tables; the bureau may report for any unit.
  | 'submitReturn'
  // The directory of units, people, platform accounts and chat groups is the bureau's.
  | 'manageDirectory';

export const ACCESS_ACTION_LABELS: Readonly<Record<AccessAction, string>> = {
  ...TICKET_ACTION_LABELS,
  view: '查看',
  assign: '交办',
  import: '导入计划',
  chase: '催办',
  disclaim: '退单',
  decideDisclaim: '处理退单',
  difficulty: '反馈困难',
  export: '导出',
  reportProblem: '登记问题',
  routeProblem: '分派问题',
  dismissProblem: '不予受理',
  listProblems: '查看问题清单',
  submitReturn: '报送报表',
  manageDirectory: '维护单位与人员',
};

/** Unit code → Chinese name, for messages; unknown codes are shown as they are. */
export type UnitNameLookup = (unitCode: string) => string | undefined;

const UNIT_ACTIONS: ReadonlySet<AccessAction> = new Set(['accept', 'progress', 'submit', 'resume', 'requestExtension', 'view', 'disclaim', 'difficulty', 'submitReturn']);

export function isBureauRole(role: Role): boolean {
  return role === 'BUREAU_ADMIN' || role === 'BUREAU_STAFF';
}

function isUnitRole(role: Role): boolean {
  return role === 'UNIT_OFFICER' || role === 'UNIT_LEADER';
}

function forbidden(actor: Actor, action: AccessAction, ticketUnitCode: string | null | undefined, zh: string, en: string): DomainError {
  return new DomainError('FORBIDDEN', zh, en, {
    role: actor.role,
    actorUnitCode: actor.unitCode,
    action,
    ticketUnitCode: ticketUnitCode ?? null,
  });
}

/** null when allowed, else a FORBIDDEN error saying why in Chinese. */
export function authorize(
  actor: Actor,
  action: AccessAction,
  ticketUnitCode?: string | null,
  unitName?: UnitNameLookup,
): DomainError | null {
  const label = ACCESS_ACTION_LABELS[action] ?? String(action);
  const who = `${actor.name} (${actor.role})`;
  if (isBureauRole(actor.role)) return null;
  if (actor.role === 'LEADER') {
    if (action === 'view') return null;
    return forbidden(actor, action, ticketUnitCode, `领导账号仅可查看，不能执行「${label}」。`, `${who} is read-only, refused ${action}`);
  }
  if (!isUnitRole(actor.role)) {
    return forbidden(actor, action, ticketUnitCode, `账号角色未知，不能执行「${label}」。`, `${who}: unknown role, refused ${action}`);
  }
  if (!UNIT_ACTIONS.has(action)) {
    return forbidden(actor, action, ticketUnitCode, `只有省数据局统筹调度人员可以执行「${label}」。`, `${who} may not ${action}: bureau only`);
  }
  if (action === 'view' && (ticketUnitCode === undefined || ticketUnitCode === null)) return null;
  if (!actor.unitCode) {
    return forbidden(actor, action, ticketUnitCode, `您的账号未绑定单位，不能执行「${label}」。`, `${who} has no unit, refused ${action}`);
  }
  if (!ticketUnitCode) {
    return forbidden(actor, action, ticketUnitCode, `未指明督办单的承办单位，不能执行「${label}」。`, `${who}: ${action} without a ticket unit, refused`);
  }
  if (ticketUnitCode !== actor.unitCode) {
    const name = unitName?.(ticketUnitCode) ?? ticketUnitCode;
    const verb = action === 'view' ? '查看' : '办理';
    return forbidden(
      actor,
      action,
      ticketUnitCode,
      action === 'submitReturn' ? `您不是${name}的人员，不能报送该单位的报表。` : `您不是该督办单承办单位（${name}）的人员，不能${verb}。`,
      `${who} of unit ${actor.unitCode} refused ${action} on a ticket of unit ${ticketUnitCode}`,
    );
  }
  return null;
}

/** Which tickets an actor may list: all, one unit's, or none (a unit account without a unit). */
export function ticketScope(actor: Actor): { kind: 'ALL' } | { kind: 'UNIT'; unitCode: string } | { kind: 'NONE' } {
  if (isBureauRole(actor.role) || actor.role === 'LEADER') return { kind: 'ALL' };
  if (isUnitRole(actor.role) && actor.unitCode) return { kind: 'UNIT', unitCode: actor.unitCode };
  return { kind: 'NONE' };
}
