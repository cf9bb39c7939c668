import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../../domain/calendar.ts';
import { addDays } from '../../../domain/schedule/periods.ts';
import {
  DEFAULT_REMINDER_POLICY,
  dueReminders,
  groupByRecipient,
  monthlyCheckins,
  parseReminderPolicy,
  slaChecks,
  type Reminder,
  type ReminderTicket,
} from '../../../domain/schedule/reminders.ts';

const cal = createCalendar();
const policy = DEFAULT_REMINDER_POLICY;

function ticket(over: Partial<ReminderTicket> = {}): ReminderTicket {
  return { id: 1, unitCode: 'p-gongan', assigneeId: 'u1', status: 'IN_PROGRESS', due: '2026-10-12', urgent: false, ...over };
}

/** Runs the daily sweep on every calendar day (each sweep covers the day since the previous one). */
function sweepDays(tickets: ReminderTicket[], from: string, to: string, p = policy): Reminder[] {
  const out: Reminder[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(...dueReminders(tickets, d, cal, p));
  return out;
}

const brief = (rs: Reminder[]): string[] => rs.map((r) => `${r.day} ${r.kind} ${r.audience} ${r.overdueWorkdays}${r.late ? ' late' : ''}`);

describe('the calendar around National Day 2026 (as the package has it)', () => {
  it('has the Mid-autumn and National Day holidays and the make-up days', () => {
    expect(cal.isWorkday('2026-09-27')).toBe(false); // Sunday, 中秋 holiday
    expect(cal.isWorkday('2026-09-28')).toBe(true); // Monday
    expect(cal.isWorkday('2026-10-01')).toBe(false);
    expect(cal.isWorkday('2026-10-07')).toBe(false);
    expect(cal.isWorkday('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkday('2026-10-11')).toBe(false);
  });
});

describe('dueReminders: the schedule of one ticket', () => {
  it('due 2026-10-12: T-5 before the holiday, T-3 right after it, T-1 on the make-up Saturday, then the ladder', () => {
    const all = sweepDays([ticket()], '2026-09-01', '2026-10-25');
    expect(brief(all)).toEqual([
      '2026-09-29 T-5 ASSIGNEE 0',
      '2026-10-08 T-3 ASSIGNEE 0', // 10-09 is T-2, 09-30 is T-4: the holiday does not count
      '2026-10-10 T-1 ASSIGNEE 0',
      '2026-10-12 DUE ASSIGNEE 0',
      '2026-10-13 OVERDUE ASSIGNEE 1',
      '2026-10-14 OVERDUE ASSIGNEE 2',
      '2026-10-15 ESCALATE_LEADER UNIT_LEADER 3',
      '2026-10-15 OVERDUE ASSIGNEE 3',
      '2026-10-16 OVERDUE ASSIGNEE 4',
      '2026-10-19 OVERDUE ASSIGNEE 5',
      '2026-10-20 OVERDUE ASSIGNEE 6',
      '2026-10-21 ESCALATE_BUREAU BUREAU 7',
      '2026-10-21 OVERDUE ASSIGNEE 7',
      '2026-10-22 OVERDUE ASSIGNEE 8',
      '2026-10-23 OVERDUE ASSIGNEE 9',
    ]);
    expect(all[0]?.idempotencyKey).toBe('reminder:1:T-5:2026-09-29');
    expect(new Set(all.map((r) => r.idempotencyKey)).size).toBe(all.length);
    for (const r of all) expect(cal.isWorkday(r.day)).toBe(true);
  });

  it('sends nothing on a holiday, a weekend or the day the sweep already covered', () => {
    const t = ticket({ due: '2026-10-09' });
    for (const d of ['2026-09-26', '2026-09-27', '2026-10-01', '2026-10-05', '2026-10-11']) {
      expect(dueReminders([t], d, cal, policy)).toEqual([]);
    }
    expect(dueReminders([t], '2026-10-08', cal, policy, { since: '2026-10-08' })).toEqual([]);
  });

  it('follows the configured ladder (N = 2, M = 4, T-2 only)', () => {
    const p = parseReminderPolicy({ beforeDue: [2], escalateLeaderAfter: 2, escalateBureauAfter: 4 });
    const kinds = sweepDays([ticket()], '2026-10-01', '2026-10-20', p).map((r) => `${r.day} ${r.kind}`);
    expect(kinds).toEqual([
      '2026-10-09 T-2',
      '2026-10-12 DUE',
      '2026-10-13 OVERDUE',
      '2026-10-14 ESCALATE_LEADER',
      '2026-10-14 OVERDUE',
      '2026-10-15 OVERDUE',
      '2026-10-16 ESCALATE_BUREAU',
      '2026-10-16 OVERDUE',
      '2026-10-19 OVERDUE',
      '2026-10-20 OVERDUE',
    ]);
  });

  it('reminds a due date on a day off as DUE on the last working day before it', () => {
    const rs = sweepDays([ticket({ due: '2026-10-11' })], '2026-09-20', '2026-10-13'); // Sunday
    expect(brief(rs)).toEqual([
      '2026-09-28 T-5 ASSIGNEE 0',
      '2026-09-30 T-3 ASSIGNEE 0',
      '2026-10-09 T-1 ASSIGNEE 0',
      '2026-10-10 DUE ASSIGNEE 0',
      '2026-10-12 OVERDUE ASSIGNEE 1',
      '2026-10-13 OVERDUE ASSIGNEE 2',
    ]);
  });
});

describe('dueReminders: status, audience, extensions', () => {
  it('gives SUBMITTED and DONE tickets nothing, and ASSIGNED / RETURNED ones their reminders', () => {
    const day = '2026-10-15'; // 3rd overdue working day of a ticket due 10-12
    expect(dueReminders([ticket({ status: 'SUBMITTED' }), ticket({ id: 2, status: 'DONE' })], day, cal, policy)).toEqual([]);
    expect(dueReminders([ticket({ status: 'RETURNED' })], day, cal, policy).map((r) => r.kind)).toEqual(['ESCALATE_LEADER', 'OVERDUE']);
    const unaccepted = dueReminders([ticket({ status: 'ASSIGNED', assigneeId: null })], '2026-10-12', cal, policy);
    expect(unaccepted.map((r) => [r.kind, r.audience])).toEqual([['DUE', 'UNIT_OFFICERS']]);
  });

  it('reschedules after an extension: the old T-1 is gone, the new due date gets new keys', () => {
    const before = ticket({ due: '2026-06-30' });
    expect(dueReminders([before], '2026-06-29', cal, policy).map((r) => r.idempotencyKey)).toEqual(['reminder:1:T-1:2026-06-29']);
    const extended = { ...before, due: '2026-07-15' };
    expect(dueReminders([extended], '2026-06-29', cal, policy)).toEqual([]);
    expect(dueReminders([extended], '2026-06-30', cal, policy)).toEqual([]); // no longer due, not overdue
    const keys = sweepDays([extended], '2026-07-01', '2026-07-16').map((r) => r.idempotencyKey);
    expect(keys).toEqual([
      'reminder:1:T-5:2026-07-08',
      'reminder:1:T-3:2026-07-10',
      'reminder:1:T-1:2026-07-14',
      'reminder:1:DUE:2026-07-15',
      'reminder:1:OVERDUE:2026-07-16',
    ]);
  });

  it('lists several tickets most pressing first', () => {
    const rs = dueReminders(
      [ticket({ id: 3, due: '2026-10-13' }), ticket({ id: 4, due: '2026-10-12' }), ticket({ id: 5, due: '2026-10-09' })],
      '2026-10-12',
      cal,
      policy,
    );
    expect(rs.map((r) => `${r.ticketId} ${r.kind}`)).toEqual(['5 OVERDUE', '4 DUE', '3 T-1']);
  });
});

describe('dueReminders: urgent tickets', () => {
  it('keep reminding an overdue urgent ticket on days off, once per calendar day', () => {
    const urgent = ticket({ urgent: true });
    const sat = dueReminders([urgent], '2026-10-17', cal, policy);
    expect(brief(sat)).toEqual(['2026-10-17 OVERDUE ASSIGNEE 4']);
    expect(sat[0]?.urgent).toBe(true);
    expect(dueReminders([urgent], '2026-10-18', cal, policy)[0]?.idempotencyKey).toBe('reminder:1:OVERDUE:2026-10-18');
    expect(dueReminders([ticket()], '2026-10-17', cal, policy)).toEqual([]);
  });

  it('get no T-n on a holiday (those days are working days)', () => {
    expect(dueReminders([ticket({ urgent: true })], '2026-10-03', cal, policy)).toEqual([]);
  });
});

describe('dueReminders: catch-up after downtime', () => {
  it('sends only the most relevant missed reminder per audience, marked late', () => {
    // down from 09-29 through the holiday: T-1 (09-29) and DUE (09-30) were missed
    const rs = dueReminders([ticket({ due: '2026-09-30' })], '2026-10-08', cal, policy, { since: '2026-09-28' });
    expect(brief(rs)).toEqual(['2026-10-08 OVERDUE ASSIGNEE 1']);

    const t3 = dueReminders([ticket({ due: '2026-10-14' })], '2026-10-12', cal, policy, { since: '2026-10-08' });
    expect(brief(t3)).toEqual(['2026-10-10 T-3 ASSIGNEE 0 late']);
    expect(t3[0]?.idempotencyKey).toBe('reminder:1:T-3:2026-10-10'); // the slot's key: a rerun is a duplicate

    const both = dueReminders([ticket({ due: '2026-10-12' })], '2026-10-12', cal, policy, { since: '2026-10-08' });
    expect(brief(both)).toEqual(['2026-10-12 DUE ASSIGNEE 0']); // T-1 on 10-10 dropped
  });

  it('still sends a missed escalation, to its own audience', () => {
    // due 09-30: leader on the 3rd overdue working day (10-10), bureau on the 7th (10-15)
    const rs = dueReminders([ticket({ due: '2026-09-30' })], '2026-10-12', cal, policy, { since: '2026-10-09' });
    expect(brief(rs)).toEqual(['2026-10-10 ESCALATE_LEADER UNIT_LEADER 4 late', '2026-10-12 OVERDUE ASSIGNEE 4']);
  });
});

describe('monthly check-ins of recurring (持续) tickets', () => {
  const recurring = ticket({ id: 9, due: '2026-12-31', recurring: true });

  it('comes on the first working day of the month', () => {
    expect(dueReminders([recurring], '2026-10-08', cal, policy).map((r) => r.idempotencyKey)).toEqual(['checkin:9:2026-10']);
    expect(dueReminders([recurring], '2026-10-09', cal, policy)).toEqual([]);
    expect(monthlyCheckins([recurring], '2026-01-04', cal).map((r) => r.day)).toEqual(['2026-01-04']); // Sunday, 调休上班
    expect(monthlyCheckins([recurring], '2026-01-05', cal)).toEqual([]);
    expect(monthlyCheckins([ticket({ recurring: false })], '2026-10-08', cal)).toHaveLength(1); // called directly: every ticket given
  });

  it('is caught up late after downtime, and not for submitted tickets', () => {
    const late = monthlyCheckins([recurring], '2026-10-09', cal, { since: '2026-09-30' });
    expect(late.map((r) => [r.idempotencyKey, r.late])).toEqual([['checkin:9:2026-10', true]]);
    expect(monthlyCheckins([{ ...recurring, status: 'SUBMITTED' }], '2026-10-08', cal)).toEqual([]);
  });
});

describe('slaChecks (task 13: answer a data-correction request within 10 working days)', () => {
  const request = { id: 13, unitCode: 'p-tongji', assigneeId: 'u7', status: 'IN_PROGRESS' as const, requestDate: '2026-09-24', slaWorkdays: 10 };

  it('counts the deadline across the holiday and reminds at SLA-3, SLA-1, due and overdue, without escalation', () => {
    const out: Reminder[] = [];
    for (let d = '2026-09-24'; d <= '2026-10-26'; d = addDays(d, 1)) out.push(...slaChecks([request], d, cal));
    expect(out.every((r) => r.due === '2026-10-15')).toBe(true);
    expect(out.slice(0, 4).map((r) => r.idempotencyKey)).toEqual([
      'reminder:13:SLA-3:2026-10-12',
      'reminder:13:SLA-1:2026-10-14',
      'reminder:13:DUE:2026-10-15',
      'reminder:13:OVERDUE:2026-10-16',
    ]);
    expect(out.map((r) => r.kind).filter((k) => k.startsWith('ESCALATE'))).toEqual([]);
    expect(out.at(-1)).toMatchObject({ day: '2026-10-26', kind: 'OVERDUE', overdueWorkdays: 7 });
  });

  it('stops once the request is answered', () => {
    expect(slaChecks([{ ...request, status: 'DONE' }], '2026-10-16', cal)).toEqual([]);
  });
});

describe('groupByRecipient', () => {
  const officers: Record<string, string[]> = { 'p-gongan': ['o1', 'o2'], 'c-changsha': ['o3'] };
  const resolve = (r: Reminder): string[] | string | null => {
    if (r.audience === 'ASSIGNEE') return `person:${r.assigneeId}`;
    if (r.audience === 'UNIT_OFFICERS') return (officers[r.unitCode] ?? []).map((o) => `person:${o}`);
    if (r.audience === 'UNIT_LEADER') return r.unitCode === 'p-gongan' ? ['person:lead', 'person:lead'] : null;
    return 'group:bureau';
  };

  it('gives one card per person listing all their reminders', () => {
    const rs = dueReminders(
      [
        ticket({ id: 1, due: '2026-10-12' }), // 3rd overdue working day on 10-15: escalated
        ticket({ id: 2, due: '2026-10-16' }),
        ticket({ id: 3, due: '2026-10-15', assigneeId: null }),
        ticket({ id: 4, due: '2026-10-16', unitCode: 'c-changsha', assigneeId: null }),
        ticket({ id: 5, due: '2026-10-06', unitCode: 'c-changsha', assigneeId: 'u9' }), // 7th overdue working day
      ],
      '2026-10-15',
      cal,
      policy,
    );
    const groups = groupByRecipient(rs, resolve).map((g) => [g.recipientKey, g.reminders.map((r) => `${r.ticketId} ${r.kind}`)]);
    expect(groups).toEqual([
      ['group:bureau', ['5 ESCALATE_BUREAU']],
      ['person:lead', ['1 ESCALATE_LEADER']], // resolved twice, listed once
      ['person:o1', ['3 DUE']],
      ['person:o2', ['3 DUE']],
      ['person:o3', ['4 T-1']],
      ['person:u1', ['1 OVERDUE', '2 T-1']],
      ['person:u9', ['5 OVERDUE']],
    ]);
  });
});
