/**
 * The first start of a cluster: three replicas started at once on an empty (migrated) database,
 * each configured to load the seed plan and the demo directory. One seeds, the others wait for it
 * and find the plan there; none exits, and everything exists once.
 *
 * Run alone: TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/duban_ci npx vitest run test/replicas/first-start.test.ts
 */
import { afterAll, describe, expect, it } from 'vitest';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import { Cluster, PG_ONLY, PG_URL } from './cluster.ts';

describe.skipIf(!PG_URL)(`three replicas starting on an empty database${PG_ONLY}`, () => {
  let cluster: Cluster | undefined;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('seed the plan and the directory once, and all three run', { timeout: 150_000 }, async () => {
    cluster = await Cluster.create({ env: { DUBAN_SEED_PLAN: SEED_PLAN_FILE, DUBAN_SEED_DEMO: 'true' } });
    const replicas = await cluster.start(3);
    for (const r of replicas) expect(r.alive, `${r.name}: ${r.problems().map((l) => l.msg).join('; ')}`).toBe(true);
    const seeded = replicas.filter((r) => r.count('seed plan loaded and assigned') === 1);
    expect(seeded).toHaveLength(1);
    const { db } = cluster;
    expect(await db.prisma.plan.count()).toBe(1);
    const tickets = await db.prisma.ticket.count();
    expect(tickets).toBeGreaterThan(0);
    expect(await db.prisma.outboxMessage.count()).toBe(tickets); // one assignment card each
    const people = await db.prisma.person.findMany({ select: { consoleId: true } });
    expect(new Set(people.map((p) => p.consoleId)).size).toBe(people.length);
    console.log(`first start: 3 replicas at once on an empty database → 1 seeded (${tickets} tickets, ${people.length} people), 2 waited and found it; 0 exited`);
  });
});
