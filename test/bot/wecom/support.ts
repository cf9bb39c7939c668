/** Shared test material for the WeCom adapter: the official vector, configuration, fixtures, raw AES. */
import { readFileSync } from 'node:fs';
import { createCipheriv, randomBytes } from 'node:crypto';
import { getSignature } from '@wecom/crypto';
import type { WecomConfig } from '../../../bot/wecom/config.ts';
import { signedCallback, type CallbackKeys } from '../../fakes/fake-wecom.ts';

/** Official vector set A and the GET vector (protocols.md §2.1, doc path/91144). */
export const VECTOR = {
  corpId: 'wx5823bf96d3bd56c7',
  token: 'QDG6eK',
  aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  post: {
    query: { msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' },
    encrypt:
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
    plaintext:
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
    now: new Date(1409659813_000),
  },
  get: {
    /** As it appears on the wire (percent-encoded). */
    search:
      'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    expected: '1616140317555161061',
    random: 'c41b64491c2468d0',
    now: new Date(1409659589_000),
  },
};

/** The vector's envelope as WeCom posts it (the Python sample's newline-separated layout). */
export const vectorBody = (encrypt = VECTOR.post.encrypt, to = VECTOR.corpId) =>
  `<xml>\n   <ToUserName><![CDATA[${to}]]></ToUserName>\n   <AgentID><![CDATA[218]]></AgentID>\n   <Encrypt><![CDATA[${encrypt}]]></Encrypt>\n</xml>`;

export const config: WecomConfig = {
  corpId: VECTOR.corpId,
  agentId: 218,
  secret: 'test-secret',
  token: VECTOR.token,
  encodingAesKey: VECTOR.aesKey,
  apiBase: 'http://127.0.0.1:9',
  timestampSkewS: 300,
};

/** "Now" for requests signed with `keysAt(NOW)`. */
export const NOW = new Date('2026-01-01T08:00:00+08:00');

export function keysAt(now: Date, over: Partial<CallbackKeys> = {}): CallbackKeys {
  return {
    token: config.token,
    aesKey: config.encodingAesKey,
    corpId: config.corpId,
    timestamp: String(Math.floor(now.getTime() / 1000)),
    nonce: randomBytes(5).readUInt32BE().toString(),
    agentId: '218',
    ...over,
  };
}

export function fixture(name: string, replace: Record<string, string> = {}): string {
  let xml = readFileSync(new URL(`../../fixtures/wecom/${name}`, import.meta.url), 'utf8');
  for (const [from, to] of Object.entries(replace)) xml = xml.replaceAll(from, to);
  return xml;
}

/** A fixture as a signed, encrypted callback at NOW. */
export function signedFixture(name: string, replace: Record<string, string> = {}, now = NOW) {
  return signedCallback(fixture(name, replace), keysAt(now));
}

/** AES-256-CBC over an already padded plaintext: for crafting bad padding and bad lengths. */
export function rawEncrypt(plain: Buffer, aesKey = VECTOR.aesKey): string {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** random(16) ‖ len ‖ msg ‖ id, padded to 32 with `padByte` (default: correct), optionally corrupted. */
export function layout(msg: string, id = VECTOR.corpId, opts: { padByte?: number; lenDelta?: number; corruptPad?: boolean } = {}): Buffer {
  const m = Buffer.from(msg);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(m.length + (opts.lenDelta ?? 0));
  const body = Buffer.concat([randomBytes(16), len, m, Buffer.from(id)]);
  const padLen = 32 - (body.length % 32);
  const pad = Buffer.alloc(padLen, opts.padByte ?? padLen);
  if (opts.corruptPad) pad[0] = (pad[0]! + 1) & 0xff;
  return Buffer.concat([body, pad]);
}

/** Signs an arbitrary Encrypt value the way WeCom would (for crafted ciphertexts). */
export function signedRaw(encrypt: string, now = NOW) {
  const k = keysAt(now);
  const query = { msg_signature: getSignature(k.token, k.timestamp, k.nonce, encrypt), timestamp: k.timestamp, nonce: k.nonce };
  return { query, body: vectorBody(encrypt) };
}
