import { describe, expect, it } from 'vitest';
import {
  computeSignature,
  decryptMessage,
  encryptMessage,
  sealReply,
  strictPkcs7Unpad,
  verifySignature,
  WecomCryptoError,
  type WecomCryptoFailure,
} from '../../../bot/wecom/crypto.ts';
import { parseWecomXml, leaf } from '../../../bot/wecom/xml.ts';
import { layout, rawEncrypt, VECTOR } from './support.ts';

const { corpId, token, aesKey } = VECTOR;

function failure(fn: () => unknown): WecomCryptoFailure | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (e instanceof WecomCryptoError) return e.failure;
    throw e;
  }
}

describe('official test vectors (path/91144)', () => {
  it('vector A: the signature over the POST Encrypt text is the published one', () => {
    const { timestamp, nonce, msg_signature } = VECTOR.post.query;
    expect(computeSignature(token, timestamp, nonce, VECTOR.post.encrypt)).toBe(msg_signature);
    expect(verifySignature(token, timestamp, nonce, VECTOR.post.encrypt, msg_signature)).toBe(true);
  });

  it('vector A: decrypts to the exact published plaintext for the corp id', () => {
    expect(decryptMessage(aesKey, VECTOR.post.encrypt, corpId)).toEqual({ message: VECTOR.post.plaintext, receiveId: corpId });
  });

  it('GET vector: echostr verifies and decrypts to 1616140317555161061', () => {
    const g = VECTOR.get;
    expect(verifySignature(token, g.timestamp, g.nonce, g.echostr, g.signature)).toBe(true);
    expect(decryptMessage(aesKey, g.echostr, corpId).message).toBe(g.expected);
  });

  it('encrypting with the vector random prefix reproduces the published echostr byte for byte', () => {
    expect(encryptMessage(aesKey, VECTOR.get.expected, corpId, Buffer.from(VECTOR.get.random))).toBe(VECTOR.get.echostr);
  });
});

describe('encrypt for passive replies', () => {
  it('round-trips Chinese text and uses a fresh random prefix each time', () => {
    const a = encryptMessage(aesKey, '已签收：第6项', corpId);
    const b = encryptMessage(aesKey, '已签收：第6项', corpId);
    expect(a).not.toBe(b);
    expect(decryptMessage(aesKey, a, corpId).message).toBe('已签收：第6项');
  });

  it('a message that fills whole blocks gets a full block of 32-byte padding and still decrypts', () => {
    const msg = 'x'.repeat(64 - 20 - corpId.length); // 16 + 4 + msg + id = 64
    const plain = layout(msg);
    expect(plain.length).toBe(96);
    expect(plain.subarray(64).every((b) => b === 32)).toBe(true);
    expect(decryptMessage(aesKey, rawEncrypt(plain), corpId).message).toBe(msg);
  });

  it('sealReply yields an envelope whose signature verifies and whose content decrypts', () => {
    const xml = sealReply({ token, encodingAesKey: aesKey, receiveId: corpId }, '<xml><MsgType><![CDATA[text]]></MsgType></xml>', '1767225600', 'n0nce');
    const parsed = parseWecomXml(xml);
    if (!parsed.ok) throw new Error(parsed.detail);
    const enc = leaf(parsed.root, 'Encrypt')!;
    expect(verifySignature(token, '1767225600', 'n0nce', enc, leaf(parsed.root, 'MsgSignature')!)).toBe(true);
    expect(decryptMessage(aesKey, enc, corpId).message).toBe('<xml><MsgType><![CDATA[text]]></MsgType></xml>');
  });
});

describe('signature comparison', () => {
  const { timestamp, nonce, msg_signature } = VECTOR.post.query;
  const check = (sig: string) => verifySignature(token, timestamp, nonce, VECTOR.post.encrypt, sig);

  it('rejects a signature differing in one hex digit', () => {
    expect(check(msg_signature.slice(0, -1) + (msg_signature.endsWith('6') ? '7' : '6'))).toBe(false);
  });
  it('rejects upper-case, truncated, over-long and empty signatures without throwing', () => {
    expect(check(msg_signature.toUpperCase())).toBe(false);
    expect(check(msg_signature.slice(0, 20))).toBe(false);
    expect(check(msg_signature + '00')).toBe(false);
    expect(check('')).toBe(false);
  });
  it('rejects the right signature for a different token or tampered ciphertext', () => {
    expect(verifySignature('other', timestamp, nonce, VECTOR.post.encrypt, msg_signature)).toBe(false);
    expect(verifySignature(token, timestamp, nonce, 'A' + VECTOR.post.encrypt.slice(1), msg_signature)).toBe(false);
  });
});

describe('decryption refuses tampered or foreign ciphertexts', () => {
  it('wrong receive id: another corp, a prefix of ours, ours with a trailing space', () => {
    expect(failure(() => decryptMessage(aesKey, VECTOR.post.encrypt, 'wwotherCorp000000'))).toBe('WRONG_RECEIVE_ID');
    expect(failure(() => decryptMessage(aesKey, VECTOR.post.encrypt, corpId.slice(0, -1)))).toBe('WRONG_RECEIVE_ID');
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(layout('<xml/>', `${corpId} `)), corpId))).toBe('WRONG_RECEIVE_ID');
  });

  it('pad byte 0 is refused', () => {
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(layout('<xml/>', corpId, { padByte: 0 })), corpId))).toBe('BAD_PADDING');
  });

  it('pad byte 33 is refused (PKCS#7 here pads to 32)', () => {
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(layout('<xml/>', corpId, { padByte: 33 })), corpId))).toBe('BAD_PADDING');
  });

  it('inconsistent pad bytes are refused', () => {
    const plain = layout('<xml/>', corpId, { corruptPad: true });
    expect(plain[plain.length - 1]).toBeGreaterThan(2);
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(plain), corpId))).toBe('BAD_PADDING');
  });

  it('ciphertexts that are not a positive multiple of 32 bytes are refused', () => {
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(Buffer.alloc(16, 16)), corpId))).toBe('BAD_LENGTH');
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(Buffer.alloc(48, 16)), corpId))).toBe('BAD_LENGTH');
    expect(failure(() => decryptMessage(aesKey, VECTOR.post.encrypt.slice(0, 44), corpId))).toBe('BAD_LENGTH');
  });

  it('non-canonical base64 is refused instead of being silently skipped', () => {
    expect(failure(() => decryptMessage(aesKey, '', corpId))).toBe('BAD_BASE64');
    expect(failure(() => decryptMessage(aesKey, `${VECTOR.post.encrypt.slice(0, 20)}*${VECTOR.post.encrypt.slice(21)}`, corpId))).toBe('BAD_BASE64');
    expect(failure(() => decryptMessage(aesKey, VECTOR.post.encrypt.replace(/=+$/, ''), corpId))).toBe('BAD_BASE64');
  });

  it('msg_len beyond the buffer is refused', () => {
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(layout('<xml/>', corpId, { lenDelta: 1000 })), corpId))).toBe('BAD_MSG_LEN');
  });

  it('invalid UTF-8 in the message is refused', () => {
    const plain = layout('ab', corpId);
    plain[20] = 0xff;
    expect(failure(() => decryptMessage(aesKey, rawEncrypt(plain), corpId))).toBe('BAD_UTF8');
  });

  it('a flipped ciphertext bit never yields the original message', () => {
    const bytes = Buffer.from(VECTOR.post.encrypt, 'base64');
    for (const at of [0, 100, bytes.length - 1]) {
      const t = Buffer.from(bytes);
      t[at]! ^= 0x01;
      const outcome = failure(() => decryptMessage(aesKey, t.toString('base64'), corpId));
      if (outcome === 'no error') expect(decryptMessage(aesKey, t.toString('base64'), corpId).message).not.toBe(VECTOR.post.plaintext);
      else expect(['BAD_PADDING', 'BAD_MSG_LEN', 'WRONG_RECEIVE_ID', 'BAD_UTF8']).toContain(outcome);
    }
  });

  it('strict unpad accepts every pad value 1..32 and nothing else', () => {
    for (let pad = 1; pad <= 32; pad++) {
      const buf = Buffer.concat([Buffer.alloc(64 - pad, 0x41), Buffer.alloc(pad, pad)]);
      expect(strictPkcs7Unpad(buf).length).toBe(64 - pad);
    }
    expect(failure(() => strictPkcs7Unpad(Buffer.alloc(0)))).toBe('BAD_LENGTH');
  });
});
