/**
 * Issue 4 figure: 2,000 outbox messages delivered to the fake WeCom over HTTP with its rate limits
 * on (100 members × 20 messages: inside 30/min per member, so the fastest schedule is "as fast as
 * the wire allows"), next to the same 2,000 sends made directly with the client in the same run.
 * The fake records every rate-limit violation; there must be none.
 */
import { hostname } from 'node:os';
import { openDatabase } from '../prisma/client.ts';
import { enqueue } from '../bot/outbox/enqueue.ts';
import { DeliveryWorker } from '../bot/outbox/worker.ts';
import { WecomClient } from '../bot/wecom/client.ts';
import { wecomSender } from '../bot/wecom/sender.ts';
import { RecipientDirectory } from '../bot/core/recipients.ts';
import { createLogger } from '../bot/logger.ts';
import { FakeWecom } from '../test/fakes/fake-wecom.ts';
import { freshSqlite, printTable, time } from './support.ts';

const MEMBERS = 100;
const PER_MEMBER = 20;

export async function benchDelivery(): Promise<void> {
  const fake = await FakeWecom.start({ corpId: 'corp', secret: 'secret', agentId: 1000002 });
  const client = new WecomClient({ corpId: 'corp', secret: 'secret', agentId: 1000002, apiBase: fake.baseUrl });
  const text = (i: number) => ({ msgtype: 'text' as const, text: { content: `督办提醒 ${i}：请于本周五前报送进展。` } });

  const direct = await time(async () => {
    for (let i = 0; i < MEMBERS * PER_MEMBER; i += 8) {
      await Promise.all(Array.from({ length: 8 }, (_, k) => client.sendMessage({ touser: `u${(i + k) % MEMBERS}`, ...text(i + k) })));
    }
  });
  fake.violations.length = 0; // the outbox phase sends to other members (v…), so the direct phase does not count against it

  const target = await freshSqlite();
  const db = await openDatabase(target.url);
  const now = new Date();
  await enqueue(db.sql, Array.from({ length: MEMBERS * PER_MEMBER }, (_, i) => ({
    idempotencyKey: `bench:${i}`, platform: 'WECOM' as const, target: `user:v${i % MEMBERS}`, kind: 'text', payload: { message: { type: 'text', text: text(i).text.content } },
  })), now);
  const log = createLogger('silent');
  const sender = wecomSender({ db, client, agentId: '1000002', materialize: async (row) => (row.payload as { message: never }).message, log, directory: new RecipientDirectory(db) });
  const worker = new DeliveryWorker({ db, senders: [sender], clock: { now: () => new Date() }, log, workerId: `${hostname()}:bench`, batchSize: 200, concurrency: 8 });
  const viaOutbox = await time(async () => {
    for (;;) {
      const r = await worker.runOnce();
      if (r.claimed === 0) break;
    }
  });
  const sent = await db.sql.query<{ n: unknown }>("SELECT COUNT(*) AS n FROM outbox_message WHERE status = 'SENT'");
  await db.close();
  target.drop();
  await fake.close();
  printTable('Delivery of 2,000 messages to the fake WeCom, rate limits on (issue 4)', [
    { name: 'direct client sends, 8 in flight (baseline)', ms: direct.ms, note: `${Math.round((MEMBERS * PER_MEMBER) / (direct.ms / 1000))} msg/s` },
    {
      name: `through the outbox (claim, render, send, record), 8 in flight: ${Number(sent[0]?.n)} sent, ${fake.violations.length} rate-limit violations`,
      ms: viaOutbox.ms,
      baselineMs: direct.ms,
      baseline: 'direct sends',
      note: `${Math.round((MEMBERS * PER_MEMBER) / (viaOutbox.ms / 1000))} msg/s`,
    },
  ]);
}
