/**
 * A small directory on WeCom for the replica suites: N units, each with an officer and a leader
 * linked to WeCom userids, bureau staff and a leader, and the leadership and bureau groups as WeCom
 * group robots. Tickets are added with due dates relative to today (Asia/Shanghai, the real clock:
 * the replicas run on it), so that reminders fall due today whatever day the suite runs.
 */
import type { Database } from '../../prisma/client.ts';
import { loadCalendar, setCalendarOverride } from '../../handlers/services/calendar.ts';
import { shanghaiDate } from '../../domain/calendar.ts';

export const officer = (unit: string) => `off-${unit}`;
export const leaderOf = (unit: string) => `lead-${unit}`;

export async function seedDirectory(db: Database, unitCount: number): Promise<string[]> {
  const units = Array.from({ length: unitCount }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);
  await db.prisma.unit.createMany({ data: units.map((code, i) => ({ code, name: `测试单位${code}`, kind: i % 2 ? 'CITY' : 'PROVINCIAL', sortOrder: i })) });
  await db.prisma.person.createMany({
    data: [
      ...units.flatMap((u) => [
        { name: `${u}联络员`, role: 'UNIT_OFFICER' as const, unitCode: u, wecomUserId: officer(u) },
        { name: `${u}分管领导`, role: 'UNIT_LEADER' as const, unitCode: u, wecomUserId: leaderOf(u) },
      ]),
      { name: '李娜', role: 'BUREAU_STAFF' as const, unitCode: null, wecomUserId: 'staff-1' },
      { name: '王厅长', role: 'LEADER' as const, unitCode: null, wecomUserId: 'leader-1' },
    ],
  });
  await db.prisma.chatGroup.createMany({
    data: [
      { name: '领导群', platform: 'WECOM', purpose: 'LEADERSHIP', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=leaders' },
      { name: '统筹调度群', platform: 'WECOM', purpose: 'BUREAU', webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=bureau' },
    ],
  });
  return units;
}

/** Today in Asia/Shanghai, made a working day with the bureau's own calendar entry if it is not one. */
export async function workingToday(db: Database, now = new Date()): Promise<string> {
  const today = shanghaiDate(now);
  if (!(await loadCalendar(db)).isWorkday(today)) await setCalendarOverride(db, today, true, '副本测试：今天按工作日提醒', 'test');
  return today;
}

/**
 * Per unit: a ticket due today, one due in one working day (T-1) and one four working days overdue
 * (the unit leader is told too). Returns the ticket ids.
 */
export async function dueTickets(db: Database, units: string[], today: string, tag: string): Promise<number[]> {
  const cal = await loadCalendar(db);
  const dues = [today, cal.addWorkdays(today, 1), cal.addWorkdays(today, -4)];
  const ids: number[] = [];
  for (const unitCode of units) {
    for (const [i, due] of dues.entries()) {
      const t = await db.prisma.ticket.create({ data: { unitCode, title: `${tag} 督办事项 ${i + 1}`, due, originalDue: due, status: 'IN_PROGRESS' } });
      ids.push(t.id);
    }
  }
  return ids;
}
