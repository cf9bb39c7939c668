/**
 * Three real `duban serve` processes on one PostgreSQL database behind a (simulated) load balancer:
 * the DESIGN.md invariants hold with several replicas — every inbound message is processed once
 * even when WeCom retries it to another replica, every reply, reminder card and digest is
 * delivered exactly once, and the scheduler's jobs run from every replica at once send nothing
 * twice.
 *
 * Run alone: TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/duban_ci npx vitest run test/replicas/replicas.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordRun } from '../../scheduler/lease.ts';
import { DIGEST_LEASE } from '../../scheduler/index.ts';
import { Cluster, PG_ONLY, PG_URL, cardAttempts, cardsByRow } from './cluster.ts';
import { dueTickets, officer, seedDirectory, workingToday } from './seed.ts';

const ALL_DAY = JSON.stringify({ sendWindow: { start: '00:00', end: '23:59' }, urgentWindow: null });

describe.skipIf(!PG_URL)(`three replicas on PostgreSQL${PG_ONLY}`, () => {
  let cluster: Cluster;
  let units: string[];
  let today: string;

  beforeAll(async () => {
    cluster = await Cluster.create({ env: { DUBAN_REMINDER_POLICY: ALL_DAY, DUBAN_REPLICAS: process.env.REPLICAS_SHARE ?? '3' } });
    const { db } = cluster;
    units = await seedDirectory(db, 12);
    today = await workingToday(db);
    await dueTickets(db, units.slice(0, 6), today, '首批');
    // The digest pass last ran just now: nothing is due when the replicas start.
    await recordRun(db.sql, DIGEST_LEASE, 'seeded', new Date());
    // Started together: their schedulers race for the start-up sweep and digest pass.
    await cluster.start(3);
  }, 150_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it('processes a burst of callbacks spread over three replicas once, retries to a second replica included, and answers each once', { timeout: 60_000 }, async () => {
    const { db, fake, replicas } = cluster;
    const msgIds: string[] = [];
    const sends: Promise<{ status: number; tries: number }>[] = [];
    let retried = 0;
    for (let round = 0; round < 6; round++) {
      for (const [u, unit] of units.entries()) {
        const i = round * units.length + u;
        const xml = cluster.textXml(officer(unit), round % 2 ? '/我的' : '/进度', String(8_100_000 + i));
        msgIds.push(String(8_100_000 + i));
        sends.push(cluster.deliver(xml, i % 3));
        // WeCom sends a callback again when it thinks it went unanswered; the load balancer picks another replica.
        if (i % 3 === 0) {
          retried++;
          sends.push(cluster.deliver(xml, (i + 1) % 3));
        }
      }
    }
    const results = await Promise.all(sends);
    expect(results.filter((r) => r.status !== 200), cluster.callbackErrors.join('\n')).toEqual([]);
    const timeouts = results.reduce((n, r) => n + r.tries - 1, 0);
    const ms = [...cluster.callbackMs].sort((a, b) => a - b);

    const keyOf = (id: string) => `WECOM:${id}`;
    await cluster.until('every callback processed and answered', async () => {
      const [r] = await db.sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM inbound_event WHERE processed_at IS NULL`);
      return Number(r!.n) === 0 && (await cluster.pending()) === 0;
    });

    const events = await db.prisma.inboundEvent.findMany({ where: { key: { in: msgIds.map(keyOf) } } });
    expect(events).toHaveLength(msgIds.length);
    expect(events.filter((e) => e.error !== null)).toEqual([]);
    // The second delivery of each retried callback was dropped before any work, on whichever replica got it.
    // (at least: a callback WeCom gave up on after 5 s may still have been recorded, and its re-send dropped too)
    expect(replicas.reduce((n, r) => n + r.count('duplicate inbound event dropped'), 0)).toBeGreaterThanOrEqual(retried);

    // One reply per message, sent once: rows in the outbox, and what reached WeCom.
    const replies = await db.sql.query<{ id: number; idempotency_key: string; status: string; target: string }>(
      `SELECT id, idempotency_key, status, target FROM outbox_message WHERE platform = 'WECOM' AND idempotency_key LIKE 'WECOM:%:WECOM:81%'`,
    );
    for (const id of msgIds) expect(replies.filter((r) => r.idempotency_key.includes(`:WECOM:${id}:`)), `replies to ${id}`).toHaveLength(1);
    expect(replies.every((r) => r.status === 'SENT')).toBe(true);
    const perUser = new Map<string, number>();
    for (const m of fake.messages) for (const u of m.delivered) perUser.set(u, (perUser.get(u) ?? 0) + 1);
    const attempts = cardAttempts(fake);
    for (const r of replies.filter((x) => attempts.has(x.id))) expect(attempts.get(r.id), `card of row ${r.id}`).toBe(1);
    const sentRows = await db.sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM outbox_message WHERE platform = 'WECOM' AND status = 'SENT' AND target NOT IN ('leadership', 'bureau')`);
    expect([...perUser.values()].reduce((a, b) => a + b, 0)).toBe(Number(sentRows[0]!.n));
    expect(fake.violations).toEqual([]);
    for (const r of replicas) expect(r.alive).toBe(true);
    console.log(`replicas: ${msgIds.length} callbacks + ${retried} platform retries to another replica (+${timeouts} re-sends after a 5 s timeout) over 3 replicas → ${msgIds.length} processed, ${replies.length} replies, each delivered once; answer time p50 ${Math.round(ms[ms.length >> 1] ?? 0)} ms, max ${Math.round(ms.at(-1) ?? 0)} ms`);
  });

  it('lets a day of reminders fall due and publishes the digests from every replica at once: each card and digest delivered exactly once', { timeout: 60_000 }, async () => {
    const { db, fake, replicas } = cluster;
    // The start-up sweeps (three replicas racing) covered the first tickets; now more fall due today,
    // and the digest pass last ran five weeks ago (the cluster was down): weekly, monthly and daily are owed.
    await dueTickets(db, units.slice(6), today, '次批');
    await recordRun(db.sql, DIGEST_LEASE, 'five weeks ago', new Date(Date.now() - 35 * 86_400_000));
    const runs = await Promise.all(replicas.map(() => cluster.cli(['jobs', 'run', 'reminder-sweep', 'digests@09:00', '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const outcomes = runs.flatMap((r) => r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { job: string; status: string; result?: unknown }));
    // Whoever ran a job first did the work; the rest were skipped by the lease or found nothing new.
    for (const job of ['reminder-sweep', 'digests@09:00']) {
      const mine = outcomes.filter((o) => o.job === job);
      expect(mine).toHaveLength(3);
      expect(mine.filter((o) => o.status === 'ran').length).toBeGreaterThanOrEqual(1);
      expect(mine.every((o) => o.status === 'ran' || o.status === 'busy')).toBe(true);
    }

    await cluster.until('reminders and digests delivered', async () => (await cluster.pending()) === 0, 40_000);

    // Every ticket due today, tomorrow or overdue has its reminders logged once.
    const logged = await db.sql.query<{ ticket_id: number; kind: string }>(`SELECT ticket_id, kind FROM reminder_log`);
    const tickets = await db.prisma.ticket.findMany({ select: { id: true } });
    for (const t of tickets) expect(logged.some((l) => Number(l.ticket_id) === t.id), `ticket ${t.id} reminded`).toBe(true);

    // Each reminder card row reached WeCom once, and no recipient got the same card twice.
    const reminderRows = await db.sql.query<{ id: number; status: string }>(`SELECT id, status FROM outbox_message WHERE idempotency_key LIKE 'WECOM:reminder:%'`);
    expect(reminderRows.length).toBeGreaterThan(0);
    expect(reminderRows.filter((r) => r.status !== 'SENT')).toEqual([]);
    const delivered = cardsByRow(fake);
    const attempts = cardAttempts(fake);
    for (const r of reminderRows) {
      const n = delivered.get(Number(r.id)) ?? 0;
      const bureau = n === 0; // the bureau escalation goes to the bureau group's robot, not as a card
      if (!bureau) expect(attempts.get(Number(r.id)), `reminder row ${r.id}`).toBe(1);
    }
    const seen = new Set<string>();
    const reminderIds = new Set(reminderRows.map((r) => `duban-${r.id}`));
    for (const m of fake.messages) {
      const card = (m.body as { template_card?: Record<string, unknown> }).template_card;
      if (!card || !reminderIds.has(String(card.task_id))) continue;
      const { task_id: _t, ...content } = card;
      const key = `${m.delivered.join('|')}:${JSON.stringify(content)}`;
      expect(seen.has(key), `a card sent twice to ${m.delivered.join('|')}`).toBe(false);
      seen.add(key);
    }

    // Digests: one row per (kind, period, group), each message of it posted once by the group robot.
    const digests = await db.sql.query<{ kind: string; period: string; group_id: string }>(`SELECT kind, period, group_id FROM digest`);
    expect(digests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(digests.map((d) => `${d.kind}:${d.period}:${d.group_id}`)).size).toBe(digests.length);
    const digestRows = await db.sql.query<{ id: number; target: string; status: string }>(`SELECT id, target, status FROM outbox_message WHERE kind IN ('digest', 'digest-chart')`);
    expect(digestRows.filter((r) => r.status !== 'SENT')).toEqual([]);
    const robotPosts = fake.webhooks.length;
    const robotRows = await db.sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM outbox_message WHERE target IN ('leadership', 'bureau') AND status = 'SENT'`);
    expect(robotPosts).toBe(Number(robotRows[0]!.n));
    const bodies = fake.webhooks.map((w) => `${w.key}:${JSON.stringify(w.body)}`);
    expect(new Set(bodies).size).toBe(bodies.length);
    expect(fake.violations).toEqual([]);
    for (const r of replicas) expect(r.alive).toBe(true);
    const ran = outcomes.filter((o) => o.status === 'ran').length;
    console.log(`replicas: reminders for ${tickets.length} tickets in ${reminderRows.length} cards and ${digests.length} digests (${digestRows.length} robot posts) — jobs run from 3 replicas at once (${ran} ran, ${outcomes.length - ran} skipped by the lease) plus 3 schedulers: 0 sent twice`);
  });

  it('keeps WeCom\'s per-member limit across replicas: a burst of replies to one officer never passes 30 a minute', { timeout: 60_000 }, async () => {
    const { db, fake, replicas } = cluster;
    const who = officer(units[0]!);
    const BURST = 45;
    const results = await Promise.all(Array.from({ length: BURST }, (_, i) => cluster.deliver(cluster.textXml(who, '/进度', String(8_300_000 + i)), i % 3)));
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    await cluster.until('the burst processed', async () => {
      const [r] = await db.sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM inbound_event WHERE processed_at IS NULL`);
      return Number(r!.n) === 0;
    });
    // Each replica sends what its share of the window allows and schedules the rest.
    await cluster.until('the first minute\'s share sent', async () => {
      const [r] = await db.sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM outbox_message WHERE idempotency_key LIKE 'WECOM:%:WECOM:83%' AND status = 'PENDING' AND next_attempt_at <= ?`, [new Date()]);
      return Number(r!.n) === 0;
    }, 30_000, 500);
    const rows = await db.sql.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM outbox_message WHERE idempotency_key LIKE 'WECOM:%:WECOM:83%'`);
    expect(rows).toHaveLength(BURST);
    const minuteAgo = fake.clock.now - 60_000;
    const lastMinute = fake.messages.filter((m) => m.at > minuteAgo && (m.delivered.includes(who) || m.dropped.includes(who))).length;
    expect(fake.violations, 'messages WeCom would have dropped silently').toEqual([]);
    expect(lastMinute).toBeLessThanOrEqual(30);
    const waiting = rows.filter((r) => r.status === 'PENDING');
    expect(waiting.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.status !== 'DEAD' && Number(r.attempts) === 0)).toBe(true);
    for (const r of replicas) expect(r.alive).toBe(true);
    console.log(`replicas: ${BURST} replies to one member over 3 replicas → ${BURST - waiting.length} sent in the first minute (WeCom's limit 30; 10 per replica with DUBAN_REPLICAS=3), ${waiting.length} waiting for the next window, 0 over the limit`);
  });
});
