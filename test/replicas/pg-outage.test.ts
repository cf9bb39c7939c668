/**
 * PostgreSQL "restarted" under load, as the replicas see it: a proxy between them and the shared
 * server resets every connection and refuses new ones for a few seconds, while WeCom callbacks and
 * a fan-out flow. Afterwards nothing is lost, no process exited, and each replica logged the
 * outage in one error line (and its end in one info line), not once per failed call.
 *
 * Run alone: TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/duban_ci npx vitest run test/replicas/pg-outage.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '../../bot/outbox/enqueue.ts';
import type { OutboxInput } from '../../bot/outbox/types.ts';
import { Cluster, PG_ONLY, PG_URL, sleep } from './cluster.ts';
import { TcpProxy } from './tcp-proxy.ts';
import { officer, seedDirectory } from './seed.ts';

const OUTAGE_MS = 4_000;
const FANOUT = 600;
const CONCURRENCY = 4;

describe.skipIf(!PG_URL)(`PostgreSQL restarted under load${PG_ONLY}`, () => {
  let cluster: Cluster;
  let proxy: TcpProxy;
  let units: string[];

  beforeAll(async () => {
    const pg = new URL(PG_URL!);
    proxy = await TcpProxy.start({ host: pg.hostname, port: Number(pg.port || 5432) });
    cluster = await Cluster.create({ replicaDatabaseUrl: (url) => proxy.via(url), env: { DUBAN_OUTBOX_LEASE_S: '10' } });
    units = await seedDirectory(cluster.db, 12);
    await cluster.start(3);
  }, 150_000);

  afterAll(async () => {
    await cluster?.stop();
    await proxy?.close();
  });

  it('loses nothing, keeps every process up and logs the outage once per replica', { timeout: 150_000 }, async () => {
    const { db, fake, replicas } = cluster;
    const fanout: OutboxInput[] = Array.from({ length: FANOUT }, (_, n) => ({
      idempotencyKey: `outage-fanout:${n}`, platform: 'WECOM', target: `user:m${n % 200}`, kind: 'notice', payload: { message: { type: 'text', text: `停机演练通知 第${n}条` } },
    }));
    await enqueue(db.sql, fanout, new Date());
    const linesBefore = replicas.map((r) => r.logs.length);

    // WeCom keeps calling back: one message every 100 ms for 10 s, re-sent (up to 3 times, 2 s apart) when not answered 200.
    const sent: { msgId: string; result: Promise<{ status: number; tries: number }> }[] = [];
    const load = (async () => {
      for (let i = 0; i < 100; i++) {
        const msgId = String(9_200_000 + i);
        const xml = cluster.textXml(officer(units[i % units.length]!), '/进度', msgId);
        sent.push({ msgId, result: cluster.deliver(xml, i % 3, 4, 2_000) });
        await sleep(100);
      }
    })();
    await sleep(2_000);
    await proxy.cut();
    const cutAt = Date.now();
    await sleep(OUTAGE_MS);
    await proxy.restore();
    await load;
    const results = await Promise.all(sent.map((s) => s.result));

    const unanswered = sent.filter((_, i) => results[i]!.status !== 200).map((s) => s.msgId);
    expect(unanswered, 'callbacks WeCom would have given up on').toEqual([]);
    await cluster.until('callbacks processed and the outbox drained', async () => {
      const [r] = await db.sql.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM inbound_event WHERE processed_at IS NULL`);
      return Number(r!.n) === 0 && (await cluster.pending()) === 0;
    }, 45_000, 250);
    const recoveredS = (Date.now() - cutAt - OUTAGE_MS) / 1000;

    for (const r of replicas) expect(r.alive, `${r.name} exited: ${r.rawOutput.slice(-5).join('\n')}`).toBe(true);
    // Every callback answered 200 was processed once and answered once.
    const events = await db.prisma.inboundEvent.findMany({ where: { key: { startsWith: 'WECOM:92' } } });
    expect(events.map((e) => e.key).sort()).toEqual(sent.map((s) => `WECOM:${s.msgId}`).sort());
    expect(events.filter((e) => e.error !== null)).toEqual([]);
    const replies = await db.sql.query<{ idempotency_key: string; status: string }>(`SELECT idempotency_key, status FROM outbox_message WHERE idempotency_key LIKE 'WECOM:%:WECOM:92%'`);
    for (const s of sent) expect(replies.filter((r) => r.idempotency_key.includes(`:WECOM:${s.msgId}:`)), `replies to ${s.msgId}`).toHaveLength(1);
    expect(replies.every((r) => r.status === 'SENT')).toBe(true);

    // The fan-out: all delivered; resent only what was in flight when the connections dropped.
    const counts = new Map<number, number>();
    for (const m of fake.messages) {
      const n = /停机演练通知 第(\d+)条/.exec(JSON.stringify(m.body))?.[1];
      if (n !== undefined) counts.set(Number(n), (counts.get(Number(n)) ?? 0) + 1);
    }
    expect(counts.size).toBe(FANOUT);
    const duplicates = [...counts.values()].reduce((s, c) => s + c - 1, 0);
    expect(duplicates).toBeLessThanOrEqual(replicas.length * CONCURRENCY);
    expect(fake.violations).toEqual([]);

    // One error line per replica for the outage, one info line when it ended; nothing else at error.
    const during = replicas.map((r, i) => r.logs.slice(linesBefore[i]));
    for (const [i, lines] of during.entries()) {
      const errors = lines.filter((l) => l.level >= 50);
      expect(errors.map((l) => l.msg), `${replicas[i]!.name} error lines`).toEqual([expect.stringMatching(/^database unreachable/)]);
      expect(lines.filter((l) => l.msg === 'database reachable again')).toHaveLength(1);
    }
    const warnings = during.flat().filter((l) => l.level === 40);
    const retries = results.reduce((n, r) => n + r.tries - 1, 0);
    console.log(`PostgreSQL cut for ${OUTAGE_MS / 1000} s under load: ${sent.length} callbacks (${retries} re-sent by "WeCom"), ${sent.length} processed, ${FANOUT} fan-out messages delivered with ${duplicates} duplicates; all replicas up; back to an empty queue ${recoveredS.toFixed(1)} s after the database returned; log: ${replicas.length} error lines (one per replica), ${warnings.length} warnings`);
    if (warnings.length) console.log('warnings:', JSON.stringify([...new Set(warnings.map((w) => w.msg))]));
  });
});
