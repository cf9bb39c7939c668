/**
 * Fuzz: DingTalk (bot/dingtalk: decode, sign, stream). The decoder and the signature check alone in
 * the sandbox, and the Stream client against the fake gateway: any frame is survived, the
 * connection stays up and the next good message still arrives. The HTTP-mode route is fuzzed in
 * http.test.ts.
 */
import fc from 'fast-check';
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../bot/logger.ts';
import { decodeCardCallback } from '../../bot/dingtalk/decode.ts';
import { hmacSign } from '../../bot/dingtalk/sign.ts';
import { DingtalkStream } from '../../bot/dingtalk/stream.ts';
import { FakeDingtalk, waitUntil } from '../fakes/fake-dingtalk.ts';
import { check, testTimeout, watchProcess } from './support/fuzz.ts';
import { Sandbox } from './support/sandbox.ts';
import { anyBodyArb, cardParamsArb, DINGTALK_SECRET, damagedPayloadArb, FIXTURES } from './support/dingtalk-inputs.ts';
import type { DingtalkInput } from './support/checks.ts';

watchProcess();
const sandbox = new Sandbox(new URL('./support/checks.ts', import.meta.url));
afterAll(() => sandbox.close());

const BUDGET_MS = 3_000;
const NOW = new Date('2026-06-22T02:00:00Z');

async function expectDecoded(input: DingtalkInput): Promise<void> {
  const { problem } = await sandbox.run('dingtalk', input, BUDGET_MS);
  if (problem) throw new Error(problem);
}

describe('DingTalk decoder (no I/O)', () => {
  it('recorded payloads with fields deleted, retyped, huge or deeply nested: messages or a rejection, never an exception', async () => {
    const as = fc.constantFrom('callback', 'robot', 'card' as const);
    await check(fc.asyncProperty(damagedPayloadArb, as, (json, a) => expectDecoded({ json, as: a })), { runs: 800 });
  }, testTimeout(800, BUDGET_MS));

  it('card callbacks with arbitrary form params (hostile keys, nesting, wrong types)', async () => {
    await check(fc.asyncProperty(cardParamsArb, fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (json, messageId) => expectDecoded({ json, as: 'callback', ...(messageId ? { messageId } : {}) })), { runs: 500 });
  }, testTimeout(500, BUDGET_MS));

  it('any JSON value or text', async () => {
    await check(fc.asyncProperty(anyBodyArb, fc.constantFrom('callback', 'robot', 'card' as const), (json, as) => expectDecoded({ json, as })), { runs: 800 });
  }, testTimeout(800, BUDGET_MS));

  it('callback signature headers of any shape: accepted only when right, a reason otherwise', async () => {
    const header = fc.oneof(fc.string({ maxLength: 50 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), fc.constant(undefined), fc.constant(String(NOW.getTime())), fc.constant(hmacSign(DINGTALK_SECRET, NOW.getTime())));
    await check(
      fc.asyncProperty(fc.record({ timestamp: header, sign: header }, { requiredKeys: [] }), async (headers) => {
        const { problem } = await sandbox.run('dingtalkSign', { headers, secret: DINGTALK_SECRET, now: NOW.getTime() }, BUDGET_MS);
        if (problem) throw new Error(problem);
      }),
      { runs: 500 },
    );
  }, testTimeout(500, BUDGET_MS));
});

describe('DingTalk decoder regressions found by fuzzing', () => {
  const card = (params: string) => ({ outTrackId: 'o', userId: 'u', content: `{"cardPrivateData":{"params":${params}}}` });

  it('a form value without a primitive value ({"toString":1}) is a malformed callback, not a TypeError', () => {
    const r = decodeCardCallback(card('{"action":"a","x":[{"toString":1}]}'), { now: NOW });
    expect(r).toMatchObject({ outcome: 'rejected', reason: 'MALFORMED' });
  });

  it('a form value nested 10 000 deep is a malformed callback, not a stack overflow', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(decodeCardCallback(card(`{"action":"a","x":${deep}}`), { now: NOW })).toMatchObject({ outcome: 'rejected' });
    const asObject = { outTrackId: 'o', userId: 'u', content: JSON.parse(`{"cardPrivateData":{"params":{"action":"a"}},"x":${deep}}`) as unknown };
    expect(decodeCardCallback(asObject, { now: NOW })).toMatchObject({ outcome: 'rejected' });
  });

  it('ordinary form values still arrive as text', () => {
    const r = decodeCardCallback(card('{"action":"a","progress":80,"channels":["app","web"],"ok":true,"o":{"k":1}}'), { now: NOW });
    expect(r.outcome === 'messages' && r.messages[0]!.kind === 'card-action' && r.messages[0]!.values).toEqual({ progress: '80', channels: 'app,web', ok: 'true', o: '{"k":1}' });
  });
});

describe('DingTalk Stream client under hostile frames', () => {
  let fake: FakeDingtalk;
  let stream: DingtalkStream;
  const handled: string[] = [];

  beforeAll(async () => {
    fake = await FakeDingtalk.start({ redeliveryMs: 60_000 });
    const { clientId, clientSecret, gatewayUrl } = fake.config;
    stream = new DingtalkStream({ clientId, clientSecret, gatewayUrl, log: createLogger('silent'), keepAliveMs: 0, onMessage: async (m) => void handled.push(m.eventKey) });
    stream.start();
    await waitUntil(() => stream.connected, 5_000, 'stream connected');
  });
  afterAll(async () => {
    await stream?.stop();
    await fake?.close();
  });

  const frame = fc.oneof(
    fc.record({ kind: fc.constant('raw' as const), text: fc.oneof(anyBodyArb, fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ specVersion: '1.0', type: 'CALLBACK', headers: v, data: v }))) }),
    fc.record({ kind: fc.constant('push' as const), topic: fc.constantFrom(TOPIC_ROBOT, TOPIC_CARD, 'ping', 'disconnect', '/v1.0/im/unknown'), type: fc.constantFrom('CALLBACK', 'EVENT', 'SYSTEM' as const), data: fc.oneof(damagedPayloadArb, cardParamsArb, anyBodyArb) }),
  );
  let sentinel = 0;

  it('survives any frame: stays connected and still delivers the next good message', async () => {
    await check(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
        for (const f of frames) {
          // SYSTEM disconnect frames make the client reconnect: that is behaviour, not a failure.
          if (f.kind === 'raw') fake.sendRaw(f.text);
          else if (!(f.type === 'SYSTEM' && f.topic === 'disconnect')) fake.push(f.topic, f.data, { type: f.type });
        }
        const msgId = `fuzz-sentinel-${++sentinel}`;
        fake.push(TOPIC_ROBOT, { ...FIXTURES[4], msgId });
        await waitUntil(() => handled.includes(msgId), 5_000, `sentinel ${msgId}`);
        if (!stream.connected) throw new Error('the stream dropped its connection');
      }),
      { runs: 150, perRunMs: 10_000 },
    );
  }, testTimeout(150, 200));
});
