import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream/constants';
import { createLogger } from '../../../bot/logger.ts';
import { DingtalkStream, type DingtalkStreamOptions, type StreamStatus, type Timers } from '../../../bot/dingtalk/stream.ts';
import { backoffDelay } from '../../../bot/dingtalk/gateway.ts';
import type { DingtalkInboundMessage } from '../../../bot/dingtalk/decode.ts';
import { WebSocket } from '../../../bot/dingtalk/ws.ts';
import { FakeDingtalk, waitUntil } from '../../fakes/fake-dingtalk.ts';
import { fixture } from './fixtures.ts';

let fake: FakeDingtalk;
let stream: DingtalkStream | undefined;
let statuses: StreamStatus[];
let handled: DingtalkInboundMessage[];

beforeEach(async () => {
  fake = await FakeDingtalk.start({ redeliveryMs: 250, disconnectCloseMs: 300 });
  statuses = [];
  handled = [];
});
afterEach(async () => {
  await stream?.stop();
  stream = undefined;
  await fake.close();
});

function startStream(extra: Partial<DingtalkStreamOptions> = {}): DingtalkStream {
  const { clientId, clientSecret, gatewayUrl } = fake.config;
  stream = new DingtalkStream({
    clientId,
    clientSecret,
    gatewayUrl,
    log: createLogger('silent'),
    keepAliveMs: 0,
    onMessage: async (m) => void handled.push(m),
    onStatus: (s) => void statuses.push(s),
    ...extra,
  });
  stream.start();
  return stream;
}

const connectedCount = () => statuses.filter((s) => s.state === 'connected').length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Stream mode against the fake gateway', () => {
  it('connects with a ticket and answers ping by echoing its data', async () => {
    startStream();
    await waitUntil(() => connectedCount() === 1, 3000, 'connected');
    expect(fake.connections).toHaveLength(1);
    expect(fake.requests.find((r) => r.path === '/v1.0/gateway/connections/open')!.body.subscriptions).toEqual([
      { type: 'CALLBACK', topic: TOPIC_ROBOT },
      { type: 'CALLBACK', topic: TOPIC_CARD },
    ]);
    const opaque = fake.ping();
    await waitUntil(() => fake.upstream.some((u) => u.frame.data?.includes(opaque)));
    expect(fake.upstream[0]!.frame).toMatchObject({ code: 200, message: 'OK', data: JSON.stringify({ opaque }) });
  });

  it('ACKs a robot message before the handler has finished, so DingTalk does not redeliver it', async () => {
    let release!: () => void;
    let finished = false;
    startStream({
      onMessage: async (m) => {
        handled.push(m);
        await new Promise<void>((r) => (release = r));
        finished = true;
      },
    });
    await waitUntil(() => connectedCount() === 1);
    const id = fake.push(TOPIC_ROBOT, fixture('robot-text-group'));
    await waitUntil(() => fake.acksFor(id).length === 1 && handled.length === 1, 3000, 'ack and dispatch');
    expect(finished).toBe(false);
    expect(fake.acksFor(id)[0]!.frame).toEqual({ code: 200, headers: { contentType: 'application/json', messageId: id }, message: 'OK', data: '{"response":null}' });
    expect(handled[0]).toMatchObject({ kind: 'text', text: '进度 6 80% 已完成系统联调' });
    await sleep(400); // past the fake's redelivery delay
    expect(fake.deliveriesOf(id)).toBe(1);
    release();
    await stream!.drain();
    expect(finished).toBe(true);
  });

  it('processes a redelivered messageId once, and a msgId seen under another messageId once', async () => {
    startStream();
    await waitUntil(() => connectedCount() === 1);
    const id = fake.push(TOPIC_ROBOT, fixture('robot-text-direct'));
    fake.push(TOPIC_ROBOT, fixture('robot-text-direct'), { messageId: id });
    const other = fake.push(TOPIC_ROBOT, fixture('robot-text-direct'));
    await waitUntil(() => fake.acksFor(id).length === 2 && fake.acksFor(other).length === 1, 3000, 'acks');
    await stream!.drain();
    expect(handled).toHaveLength(1);
  });

  it('turns a card callback into a card-action keyed by its messageId', async () => {
    startStream();
    await waitUntil(() => connectedCount() === 1);
    const id = fake.push(TOPIC_CARD, fixture('card-callback'));
    await waitUntil(() => handled.length === 1);
    expect(handled[0]).toMatchObject({ kind: 'card-action', eventKey: `card:${id}`, cardRef: 'duban-ticket-42-v3', values: { progress: '80' } });
  });

  it('survives malformed frames and data, still ACKing the callback', async () => {
    startStream();
    await waitUntil(() => connectedCount() === 1);
    fake.sendRaw('this is not json');
    fake.sendRaw(JSON.stringify({ type: 42 }));
    const bad = fake.push(TOPIC_ROBOT, '{not json');
    const invalid = fake.push(TOPIC_ROBOT, { msgtype: 'text' });
    const good = fake.push(TOPIC_ROBOT, fixture('robot-picture'));
    await waitUntil(() => handled.length === 1 && fake.acksFor(good).length === 1, 3000, 'the good message');
    expect(fake.acksFor(bad)).toHaveLength(1);
    expect(fake.acksFor(invalid)).toHaveLength(1);
    expect(fake.acksFor(good)).toHaveLength(1);
    expect(handled[0]!.kind).toBe('attachment');
  });

  it('reconnects at once after `disconnect`, with a NEW ticket, exactly once', async () => {
    startStream();
    await waitUntil(() => connectedCount() === 1);
    fake.disconnect();
    await waitUntil(() => connectedCount() === 2, 3000, 'second connection');
    const [first, second] = fake.connections;
    expect(second!.ticket).not.toBe(first!.ticket);
    await waitUntil(() => first!.closed, 1000, 'old socket closed by the client');
    const id = fake.push(TOPIC_ROBOT, fixture('robot-text-group'));
    await waitUntil(() => handled.length === 1 && fake.acksFor(id).length === 1);
    expect(fake.acksFor(id)[0]!.connectionId).toBe(second!.id);
    await sleep(400); // past the fake's own close of the old socket
    expect(fake.connections).toHaveLength(2);
    expect(statuses.filter((s) => s.state === 'waiting').map((s) => (s as { delayMs: number }).delayMs)).toEqual([0]);
    // Tickets are single use: the first one no longer opens anything.
    const reuse = new WebSocket(`${fake.base.replace('http', 'ws')}/connect?ticket=${first!.ticket}`);
    await new Promise((r) => reuse.on('error', r));
    expect(fake.rejectedUpgrades).toContain(first!.ticket);
  });

  it('the fake redelivers what is not ACKed (so the test above means something)', async () => {
    const { endpoint, ticket } = await (
      await fetch(fake.config.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ ...fake.config, subscriptions: [{ type: 'CALLBACK', topic: TOPIC_ROBOT }] }) })
    ).json();
    const silent = new WebSocket(`${endpoint}?ticket=${ticket}`);
    const frames: string[] = [];
    silent.on('message', (d) => void frames.push(String(d)));
    await new Promise<void>((r) => silent.once('open', () => r()));
    const id = fake.push(TOPIC_ROBOT, fixture('robot-text-direct'));
    await waitUntil(() => frames.length === 2, 2000, 'redelivery');
    expect(frames.every((f) => JSON.parse(f).headers.messageId === id)).toBe(true);
    silent.terminate();
  });

  it('keeps a healthy connection through keep-alive pings', async () => {
    startStream({ keepAliveMs: 30 });
    await waitUntil(() => connectedCount() === 1);
    await sleep(200);
    expect(fake.connections).toHaveLength(1);
    expect(stream!.connected).toBe(true);
  });

  it('stops for good on stop()', async () => {
    startStream();
    await waitUntil(() => connectedCount() === 1);
    await stream!.stop();
    await waitUntil(() => fake.connections[0]!.closed);
    await sleep(100);
    expect(fake.connections).toHaveLength(1);
  });
});

describe('reconnect backoff', () => {
  it('grows from 1 s with full jitter, single-flight, and is not reset by a connection that dies at once', async () => {
    const scheduled: Array<{ fn: () => void; ms: number }> = [];
    const timers: Timers = { setTimeout: (fn, ms) => scheduled.push({ fn, ms }), clearTimeout: () => undefined };
    const randoms = [0.5, 0.25, 0.75, 0.5, 0.999, 0.5];
    fake.failNext({ status: 503 }, '/v1.0/gateway/connections/open', 5);
    startStream({ timers, random: () => randoms.shift() ?? 0.5 });
    for (let i = 1; i <= 5; i++) {
      await waitUntil(() => scheduled.length === i, 3000, `timer ${i}`);
      scheduled[i - 1]!.fn();
    }
    await waitUntil(() => connectedCount() === 1, 3000, 'connected after 5 failures');
    // ceilings 1 s, 2 s, 4 s, 8 s, 16 s, each scaled by the random draw
    expect(scheduled.map((s) => s.ms)).toEqual([500, 500, 3000, 4000, 15984]);
    expect(new Set(fake.connections.map((c) => c.ticket)).size).toBe(1);

    fake.connections[0]!.ws.terminate(); // abrupt: close (and maybe error) on our side
    await waitUntil(() => scheduled.length === 6, 3000, 'one reconnect timer');
    await sleep(50);
    expect(scheduled).toHaveLength(6);
    expect(scheduled[5]!.ms).toBe(16_000); // 0.5 × 32 s: the short-lived connection did not reset the attempt count
  });

  it('stays within [0, min(60 s, 1 s·2^n)) and spreads its draws', () => {
    for (const n of [0, 3, 6, 10, 40]) {
      const ceiling = Math.min(60_000, 1_000 * 2 ** n);
      const draws = Array.from({ length: 200 }, () => backoffDelay(n, Math.random));
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThan(ceiling);
      expect(new Set(draws).size).toBeGreaterThan(50);
    }
    expect(backoffDelay(40, () => 0.999_999)).toBe(59_999);
  });
});
