import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../prisma/client.ts';
import { actOnTicket } from '../../handlers/services/tickets.ts';
import type { Actor } from '../../domain/access.ts';
import { addDays } from '../../domain/schedule/periods.ts';
import { runReminderSweep, type SweepResult } from '../../scheduler/reminders.ts';
import { raceReplicas } from './replica.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';
import { addTicket, at, outbox, PEOPLE, reminderLog, schedulerDeps, seedDirectory } from './support.ts';

const officer: Actor = { personId: PEOPLE.gonganOfficer, name: '公安联络员', role: 'UNIT_OFFICER', unitCode: 'p-gongan' };
const staff: Actor = { personId: 'p-staff', name: '李娜', role: 'BUREAU_STAFF', unitCode: 'bureau' };

/** Sweeps once per calendar day at `hm` (twice when `again`), returning what each day logged: 'KIND→recipient'. */
async function sweepDays(db: Database, from: string, to: string, opts: { hm?: string; again?: string; between?: (day: string) => Promise<void> } = {}) {
  const byDay: Record<string, string[]> = {};
  let seen = new Set((await reminderLog(db)).map((r) => r.key));
  for (let day = from; day <= to; day = addDays(day, 1)) {
    await opts.between?.(day);
    await runReminderSweep(schedulerDeps(db), at(day, opts.hm ?? '10:00'));
    if (opts.again) await runReminderSweep(schedulerDeps(db), at(day, opts.again));
    const log = await reminderLog(db);
    const fresh = log.filter((r) => !seen.has(r.key)).map((r) => `${r.kind}→${r.recipient}`).sort();
    if (fresh.length) byDay[day] = fresh;
    seen = new Set(log.map((r) => r.key));
  }
  return byDay;
}

describe.each(dbKinds)('reminder sweep on %s', (kind) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    await seedDirectory(t.db);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('follows working days across National Day 2026 and its 调休 Saturday, escalating on the 3rd and 7th overdue working day', async () => {
    const id = await addTicket(t.db, { due: '2026-10-12' });
    const days = await sweepDays(t.db, '2026-09-28', '2026-10-22', { again: '15:30' });
    const me = `person:${PEOPLE.gonganOfficer}`;
    expect(days).toEqual({
      '2026-09-29': [`T-5→${me}`],
      '2026-10-08': [`T-3→${me}`], // first working day after the holiday
      '2026-10-10': [`T-1→${me}`], // Saturday, an adjusted working day
      '2026-10-12': [`DUE→${me}`],
      '2026-10-13': [`OVERDUE→${me}`],
      '2026-10-14': [`OVERDUE→${me}`],
      '2026-10-15': [`ESCALATE_LEADER→person:${PEOPLE.gonganLeader}`, `OVERDUE→${me}`],
      '2026-10-16': [`OVERDUE→${me}`],
      '2026-10-19': [`OVERDUE→${me}`],
      '2026-10-20': [`OVERDUE→${me}`],
      '2026-10-21': [`ESCALATE_BUREAU→bureau`, `OVERDUE→${me}`],
      '2026-10-22': [`OVERDUE→${me}`],
    });
    const cards = await outbox(t.db);
    // one card per recipient and day, each listing the ticket; sweeping twice a day changed nothing
    expect(cards).toHaveLength(14);
    expect(cards.every((c) => c.kind === 'reminder' && c.platform === 'CONSOLE' && c.ticketIds.join() === String(id))).toBe(true);
    const leader = cards.find((c) => c.target === `person:${PEOPLE.gonganLeader}`)!;
    expect(leader.text).toContain('逾期督办单提请督促');
    expect(leader.text).toContain('已逾期 3 个工作日');
    const bureau = cards.find((c) => c.target === 'bureau')!;
    expect(bureau.text).toContain('涉及单位：省公安厅 1 件');
    expect(bureau.text).toContain('已逾期 7 个工作日');
    // the assignee's card carries signed buttons; the leader's and the bureau's do not
    const mine = cards.find((c) => c.target === `person:${PEOPLE.gonganOfficer}`)!;
    expect(JSON.stringify(mine.message)).toMatch(/"token":"progress\.\d+\./);
    expect(JSON.stringify(leader.message)).not.toContain('"token"');
    expect(JSON.stringify(bureau.message)).not.toContain('"token"');
  });

  it('sends only urgent reminders in quiet hours, and nothing at night', async () => {
    const normal = await addTicket(t.db, { due: '2026-06-22' });
    const urgent = await addTicket(t.db, { due: '2026-06-22', urgent: true, unitCode: 'p-minzheng', assigneeId: PEOPLE.minzhengOfficer });

    const night = await runReminderSweep(schedulerDeps(t.db), at('2026-06-22', '23:00'));
    expect(night).toMatchObject({ reminders: 0, cards: 0, skippedQuiet: true });
    expect(await outbox(t.db)).toHaveLength(0);

    const evening = await runReminderSweep(schedulerDeps(t.db), at('2026-06-22', '20:00'));
    expect(evening).toMatchObject({ reminders: 1, cards: 1, skippedQuiet: true, tickets: 1 });
    let cards = await outbox(t.db);
    expect(cards.map((c) => [c.target, c.ticketIds])).toEqual([[`person:${PEOPLE.minzhengOfficer}`, [urgent]]]);

    // Saturday 10:00 is no working day: the urgent ticket is chased (overdue), the normal one waits
    await runReminderSweep(schedulerDeps(t.db), at('2026-06-27', '10:00'));
    cards = await outbox(t.db);
    expect(cards.map((c) => c.ticketIds)).toEqual([[urgent], [urgent]]);

    // Monday in office hours both are chased; the missed DUE of the normal one is not sent any more
    await runReminderSweep(schedulerDeps(t.db), at('2026-06-29', '09:00'));
    const log = await reminderLog(t.db);
    expect(log.filter((r) => r.ticket_id === normal).map((r) => `${r.kind}:${r.day}`)).toEqual(['OVERDUE:2026-06-29']);
    expect(log.filter((r) => r.ticket_id === urgent).map((r) => `${r.kind}:${r.day}`).sort()).toEqual(['DUE:2026-06-22', 'OVERDUE:2026-06-27', 'OVERDUE:2026-06-29']);
  });

  it('stops reminding once the ticket is submitted, and resumes when it is returned', async () => {
    const id = await addTicket(t.db, { due: '2026-06-24' });
    const days = await sweepDays(t.db, '2026-06-18', '2026-06-30', {
      between: async (day) => {
        if (day === '2026-06-23') await actOnTicket(t.db, id, { type: 'submit', note: '已完成' }, officer, at(day, '08:00'));
        if (day === '2026-06-29') await actOnTicket(t.db, id, { type: 'return', reason: '缺少佐证' }, staff, at(day, '08:00'));
      },
    });
    const me = `person:${PEOPLE.gonganOfficer}`;
    expect(days).toEqual({
      '2026-06-18': [`T-3→${me}`], // 06-19 is 端午节 // T-1 (06-23), DUE and OVERDUE were suppressed while it waited for review
      '2026-06-29': [`ESCALATE_LEADER→person:${PEOPLE.gonganLeader}`, `OVERDUE→${me}`],
      '2026-06-30': [`OVERDUE→${me}`],
    });
  });

  it('moves every later reminder with an approved extension', async () => {
    const id = await addTicket(t.db, { due: '2026-10-12' });
    const days = await sweepDays(t.db, '2026-10-08', '2026-10-21', {
      between: async (day) => {
        if (day === '2026-10-09') {
          await actOnTicket(t.db, id, { type: 'requestExtension', newDue: '2026-10-20', reason: '需联调' }, officer, at(day, '08:00'));
          await actOnTicket(t.db, id, { type: 'decideExtension', approve: true }, staff, at(day, '08:30'));
        }
      },
    });
    const me = `person:${PEOPLE.gonganOfficer}`;
    expect(days).toEqual({
      '2026-10-08': [`T-3→${me}`],
      '2026-10-13': [`T-5→${me}`],
      '2026-10-15': [`T-3→${me}`],
      '2026-10-19': [`T-1→${me}`],
      '2026-10-20': [`DUE→${me}`],
      '2026-10-21': [`OVERDUE→${me}`],
    });
  });

  it('sends one card per person listing all of their newly due tickets', async () => {
    const a = await addTicket(t.db, { due: '2026-06-22' }); // DUE
    const b = await addTicket(t.db, { due: '2026-06-23' }); // T-1
    const c = await addTicket(t.db, { due: '2026-06-18' }); // OVERDUE
    const d = await addTicket(t.db, { due: '2026-06-25', unitCode: 'p-minzheng', assigneeId: PEOPLE.minzhengOfficer }); // T-3
    const e = await addTicket(t.db, { due: '2026-06-22', assigneeId: null }); // nobody accepted: the unit's group

    const r = await runReminderSweep(schedulerDeps(t.db, { notifyPlatforms: ['CONSOLE', 'WECOM'] }), at('2026-06-22', '09:30'));
    expect(r).toMatchObject({ reminders: 5, cards: 3, messages: 6 });
    const cards = await outbox(t.db);
    const console = cards.filter((x) => x.platform === 'CONSOLE');
    expect(console.map((x) => [x.target, x.ticketIds])).toEqual([
      [`person:${PEOPLE.gonganOfficer}`, [c, a, b]], // most pressing first
      [`person:${PEOPLE.minzhengOfficer}`, [d]],
      ['unit:p-gongan', [e]],
    ]);
    expect(console[0]!.key).toMatch(new RegExp(`^CONSOLE:reminder:person:${PEOPLE.gonganOfficer}:2026-06-22:[0-9a-f]{16}$`));
    expect(console[0]!.text).toContain('已逾期 1 件；今日到期 1 件；1 个工作日后到期 1 件');
    expect(cards.filter((x) => x.platform === 'WECOM').map((x) => x.key.replace('WECOM:', ''))).toEqual(console.map((x) => x.key.replace('CONSOLE:', '')));

    // a ticket that becomes due later the same day goes out alone; the others are not repeated
    const f = await addTicket(t.db, { due: '2026-06-22' });
    await runReminderSweep(schedulerDeps(t.db), at('2026-06-22', '14:00'));
    const later = (await outbox(t.db)).slice(cards.length);
    expect(later.map((x) => [x.target, x.ticketIds])).toEqual([[`person:${PEOPLE.gonganOfficer}`, [f]]]);
  });

  it('rebuilds a card when another replica logged one of its reminders in the meantime', async () => {
    const a = await addTicket(t.db, { due: '2026-06-22' });
    const b = await addTicket(t.db, { due: '2026-06-22' });
    const c = await addTicket(t.db, { due: '2026-06-23' });
    // the other replica commits b's reminder after this sweep read the log and before it writes
    const sql = t.db.sql;
    const racing: Database = {
      ...t.db,
      sql: {
        ...sql,
        async transaction(fn) {
          await sql.execute(`INSERT INTO reminder_log (key, ticket_id, kind, day, recipient, created_at) VALUES (?, ?, 'DUE', '2026-06-22', 'elsewhere', ?)`, [`reminder:${b}:DUE:2026-06-22`, b, new Date()]);
          return sql.transaction(fn);
        },
      },
    };
    const r = await runReminderSweep(schedulerDeps(racing), at('2026-06-22', '10:00'));
    expect(r).toMatchObject({ reminders: 2, cards: 1, messages: 1 });
    expect((await outbox(t.db)).map((m) => m.ticketIds)).toEqual([[a, c]]);
    expect((await reminderLog(t.db)).map((l) => l.ticket_id).sort()).toEqual([a, b, c].sort());
  });

  it('after downtime sends each ticket only its latest reminder, marked as a catch-up', async () => {
    const id = await addTicket(t.db, { due: '2026-10-12' });
    await runReminderSweep(schedulerDeps(t.db), at('2026-09-28'));
    // down from 09-28 evening until Monday 10-12: T-5, T-3 and T-1 were missed
    await runReminderSweep(schedulerDeps(t.db), at('2026-10-12', '11:00'));
    const log = await reminderLog(t.db);
    expect(log.map((r) => `${r.kind}:${r.day}`)).toEqual([`DUE:2026-10-12`]);
    const cards = await outbox(t.db);
    expect(cards.map((c) => c.ticketIds)).toEqual([[id]]);

    // down again from 10-12 to 10-16: the missed OVERDUE of 10-13..10-15 are replaced by today's
    await runReminderSweep(schedulerDeps(t.db), at('2026-10-16', '10:00'));
    const after = (await reminderLog(t.db)).map((r) => `${r.kind}:${r.day}`).sort();
    // the leader escalation of 10-15 was missed; it goes to another person, so it is still sent (late)
    expect(after).toEqual(['DUE:2026-10-12', 'ESCALATE_LEADER:2026-10-15', 'OVERDUE:2026-10-16']);
    const leaderCard = (await outbox(t.db)).find((c) => c.target === `person:${PEOPLE.gonganLeader}`)!;
    expect(leaderCard.text).toContain('补发');
  });

  it('sends the monthly check-in of a recurring task on the first working day of the month', async () => {
    const plan = await t.db.prisma.plan.create({ data: { docNo: 'X-1', title: '计划', year: 2026, sourceHash: 'h', sourceText: '' } });
    const task = await t.db.prisma.task.create({ data: { planId: plan.id, seq: 9, category: '持续', content: '持续推进', responsibleText: '各单位', recurring: true } });
    const ms = await t.db.prisma.milestone.create({ data: { taskId: task.id, ordinal: 1, text: '持续推进', due: '2026-12-31' } });
    const id = await addTicket(t.db, { due: '2026-12-31', milestoneId: ms.id });
    await addTicket(t.db, { due: '2026-12-30' }); // not recurring, far from due: nothing
    const days = await sweepDays(t.db, '2026-10-30', '2026-11-03');
    expect(days).toEqual({ '2026-11-02': [`CHECKIN→person:${PEOPLE.gonganOfficer}`] });
    expect((await outbox(t.db))[0]!.ticketIds).toEqual([id]);
    expect((await outbox(t.db))[0]!.text).toContain('月度进展填报 1 件');
  });

  it('sends each reminder once when two replicas sweep at the same moment', async () => {
    for (let i = 0; i < 12; i += 1) await addTicket(t.db, { due: i % 2 ? '2026-06-22' : '2026-06-18', assigneeId: i % 3 ? PEOPLE.gonganOfficer : null });
    // 06-19 is 端午节: 06-22 is the 3rd overdue working day, so the leader is told too
    await addTicket(t.db, { due: '2026-06-16', unitCode: 'p-minzheng', assigneeId: PEOPLE.minzhengOfficer });
    const now = at('2026-06-22', '10:00');
    const results = (await raceReplicas(
      [[t.url, 'replica-b', now.toISOString(), 'sweep'], [t.url, 'replica-c', now.toISOString(), 'sweep']],
      () => runReminderSweep(schedulerDeps(t.db), now),
    )) as SweepResult[];
    {
      const log = await reminderLog(t.db);
      expect(results.reduce((n, r) => n + r.reminders, 0)).toBe(log.length);
      expect(log.length).toBe(14); // 13 tickets + the leader escalation
      const cards = await outbox(t.db);
      expect(new Set(cards.map((c) => c.key)).size).toBe(cards.length);
      // every ticket appears once per recipient over all cards
      const pairs = cards.flatMap((c) => c.ticketIds.map((id) => `${c.target}#${id}`));
      expect(new Set(pairs).size).toBe(pairs.length);
      expect(cards.map((c) => c.target).sort()).toEqual([`person:${PEOPLE.gonganOfficer}`, `person:${PEOPLE.minzhengLeader}`, `person:${PEOPLE.minzhengOfficer}`, 'unit:p-gongan']);
    }
  });
});
