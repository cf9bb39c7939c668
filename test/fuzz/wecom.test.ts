/**
 * Fuzz: the WeCom callback receiver (bot/wecom: receiver, crypto, xml, decode) without I/O, in the
 * sandbox so that a hang is caught: every request gets a message, "ignored", or a 4xx reason with
 * one log line. The same requests go through the real Koa route in http.test.ts.
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { config } from '../bot/wecom/support.ts';
import { check, testTimeout, watchProcess } from './support/fuzz.ts';
import { Sandbox } from './support/sandbox.ts';
import type { WecomInput } from './support/checks.ts';
import {
  arbitraryBodyArb, arbitraryQueryArb, badCiphertextArb, envelope, hostileXmlArb, mutatedEnvelopeArb, mutatedInnerArb, NOW, sign, type SignedPost,
} from './support/wecom-inputs.ts';
import { encryptMessage } from '../../bot/wecom/crypto.ts';

watchProcess();
const sandbox = new Sandbox(new URL('./support/checks.ts', import.meta.url));
afterAll(() => sandbox.close());

const BUDGET_MS = 3_000;
const receiverConfig = { corpId: config.corpId, token: config.token, encodingAesKey: config.encodingAesKey, timestampSkewS: config.timestampSkewS };

async function expectVerdict(kind: 'post' | 'get', post: SignedPost): Promise<void> {
  const input: WecomInput = { kind, query: post.query, body: post.body, config: receiverConfig, now: NOW.getTime() };
  const { problem } = await sandbox.run('wecom', input, BUDGET_MS);
  if (problem) throw new Error(problem);
}

describe('WeCom receiver (no I/O)', () => {
  it('decrypted XML mutated in any way: a message, "ignored" or a 4xx reason with one log line', async () => {
    await check(fc.asyncProperty(mutatedInnerArb, (p) => expectVerdict('post', p)), { runs: 1000 });
  }, testTimeout(1000, BUDGET_MS));

  it('an envelope mutated around a valid ciphertext', async () => {
    await check(fc.asyncProperty(mutatedEnvelopeArb, (p) => expectVerdict('post', p)), { runs: 800 });
  }, testTimeout(800, BUDGET_MS));

  it('signed ciphertexts that are truncated, badly padded, not base64 or for another corp (POST and GET echostr)', async () => {
    await check(
      fc.asyncProperty(badCiphertextArb, async (encrypted) => {
        await expectVerdict('post', { query: sign(encrypted), body: envelope(encrypted) });
        await expectVerdict('get', { query: { ...sign(encrypted), echostr: encrypted }, body: '' });
      }),
      { runs: 800 },
    );
  }, testTimeout(800, 2 * BUDGET_MS));

  it('hostile XML near the size cap, as envelope and as signed decrypted message', async () => {
    await check(
      fc.asyncProperty(hostileXmlArb, fc.uint8Array({ minLength: 16, maxLength: 16 }), async (xml, prefix) => {
        await expectVerdict('post', { query: sign('x'), body: xml });
        const encrypted = encryptMessage(config.encodingAesKey, xml, config.corpId, Buffer.from(prefix));
        await expectVerdict('post', { query: sign(encrypted), body: envelope(encrypted) });
      }),
      { runs: 60 },
    );
  }, testTimeout(60, 2 * BUDGET_MS));

  it('arbitrary query parameters and bodies, text or bytes', async () => {
    await check(
      fc.asyncProperty(arbitraryQueryArb, arbitraryBodyArb, async (query, body) => {
        await expectVerdict('post', { query: query as SignedPost['query'], body });
        await expectVerdict('get', { query: query as SignedPost['query'], body: '' });
      }),
      { runs: 800 },
    );
  }, testTimeout(800, 2 * BUDGET_MS));
});
