/**
 * WeCom callback cryptography (scheme: https://developer.work.weixin.qq.com/document/path/91144).
 *
 * `@wecom/crypto` provides the SHA-1 signature and the encrypt side. Its `decrypt` is not used:
 * it unpads leniently (an out-of-range pad byte is ignored), never bounds msg_len and does not check
 * the receive id, and it hides the raw buffer so none of that can be checked afterwards. Decryption
 * is therefore AES-256-CBC from node:crypto with the strict checks the scheme leaves to the caller.
 */
import { createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';
import { DomainError } from '../../domain/errors.ts';

/** AES block size of the scheme: PKCS#7 pads to 32 bytes, not AES's 16. */
const BLOCK = 32;
const RANDOM_PREFIX = 16;
const LENGTH_FIELD = 4;

export type WecomCryptoFailure =
  | 'BAD_AES_KEY'
  | 'BAD_BASE64'
  | 'BAD_LENGTH'
  | 'BAD_PADDING'
  | 'BAD_MSG_LEN'
  | 'BAD_UTF8'
  | 'WRONG_RECEIVE_ID';

export class WecomCryptoError extends DomainError {
  readonly failure: WecomCryptoFailure;
  constructor(failure: WecomCryptoFailure, messageEn: string) {
    super(`WECOM_${failure}`, '企业微信消息解密失败。', messageEn);
    this.name = 'WecomCryptoError';
    this.failure = failure;
  }
}

export interface WecomKeys {
  token: string;
  encodingAesKey: string;
  /** corp id for a self-built app (suite id for third-party suites). */
  receiveId: string;
}

/** msg_signature = sha1(sort(token, timestamp, nonce, encrypted).join('')), lowercase hex. */
export function computeSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return getSignature(token, timestamp, nonce, encrypted);
}

/** Constant-time comparison; a signature of the wrong length or case is simply unequal. */
export function verifySignature(token: string, timestamp: string, nonce: string, encrypted: string, given: string): boolean {
  const expected = Buffer.from(computeSignature(token, timestamp, nonce, encrypted), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}

export function aesKeyOf(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) {
    throw new WecomCryptoError('BAD_AES_KEY', 'EncodingAESKey must be 43 characters of [A-Za-z0-9]');
  }
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) throw new WecomCryptoError('BAD_AES_KEY', 'EncodingAESKey does not decode to 32 bytes');
  return key;
}

/** Strict PKCS#7 to 32-byte blocks: pad byte in 1..32 and every pad byte equal to it. */
export function strictPkcs7Unpad(plain: Buffer): Buffer {
  if (plain.length === 0 || plain.length % BLOCK !== 0) {
    throw new WecomCryptoError('BAD_LENGTH', `padded plaintext is ${plain.length} bytes, not a positive multiple of ${BLOCK}`);
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > BLOCK) throw new WecomCryptoError('BAD_PADDING', `pad byte ${pad} outside 1..${BLOCK}`);
  for (let i = plain.length - pad; i < plain.length; i++) {
    if (plain[i] !== pad) throw new WecomCryptoError('BAD_PADDING', `inconsistent pad bytes (expected ${pad} x ${pad})`);
  }
  return plain.subarray(0, plain.length - pad);
}

/** Base64 as WeCom emits it: standard alphabet, padded, nothing else (Buffer.from would skip junk). */
function decodeBase64Strict(text: string): Buffer {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new WecomCryptoError('BAD_BASE64', 'ciphertext is not canonical base64');
  }
  return Buffer.from(text, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export interface Decrypted {
  message: string;
  receiveId: string;
}

/**
 * Decrypts `msg_encrypt` / `echostr`. Throws WecomCryptoError on any structural problem and when the
 * trailing receive id is not exactly `expectedReceiveId`. Call only after the signature verified.
 */
export function decryptMessage(encodingAesKey: string, encrypted: string, expectedReceiveId: string): Decrypted {
  const key = aesKeyOf(encodingAesKey);
  const cipherBytes = decodeBase64Strict(encrypted);
  if (cipherBytes.length < BLOCK || cipherBytes.length % BLOCK !== 0) {
    throw new WecomCryptoError('BAD_LENGTH', `ciphertext is ${cipherBytes.length} bytes, not a positive multiple of ${BLOCK}`);
  }
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  const plain = strictPkcs7Unpad(Buffer.concat([decipher.update(cipherBytes), decipher.final()]));
  if (plain.length < RANDOM_PREFIX + LENGTH_FIELD) {
    throw new WecomCryptoError('BAD_MSG_LEN', `plaintext of ${plain.length} bytes has no room for the length field`);
  }
  const msgLen = plain.readUInt32BE(RANDOM_PREFIX);
  const start = RANDOM_PREFIX + LENGTH_FIELD;
  if (msgLen > plain.length - start) {
    throw new WecomCryptoError('BAD_MSG_LEN', `msg_len ${msgLen} exceeds the ${plain.length - start} bytes available`);
  }
  const msgBytes = plain.subarray(start, start + msgLen);
  const idBytes = plain.subarray(start + msgLen);
  const expectedId = Buffer.from(expectedReceiveId, 'utf8');
  // Exact byte comparison: no trimming, no prefix match.
  if (idBytes.length !== expectedId.length || !timingSafeEqual(idBytes, expectedId)) {
    throw new WecomCryptoError('WRONG_RECEIVE_ID', 'receive id in the ciphertext does not match the configured corp id');
  }
  let message: string;
  try {
    message = utf8.decode(msgBytes);
  } catch {
    throw new WecomCryptoError('BAD_UTF8', 'decrypted message is not valid UTF-8');
  }
  return { message, receiveId: expectedReceiveId };
}

/**
 * Encrypts for a passive reply (or a test request). The random prefix comes from a CSPRNG unless a
 * fixed one is passed (tests reproducing a vector).
 */
export function encryptMessage(encodingAesKey: string, message: string, receiveId: string, random: Buffer = randomBytes(RANDOM_PREFIX)): string {
  aesKeyOf(encodingAesKey);
  if (random.length !== RANDOM_PREFIX) throw new WecomCryptoError('BAD_LENGTH', `random prefix must be ${RANDOM_PREFIX} bytes`);
  return wecomEncrypt(encodingAesKey, message, receiveId, random);
}

/**
 * The encrypted passive-reply envelope (path/90241 via path/91144): the reply XML encrypted and
 * re-signed with a fresh nonce.
 */
export function sealReply(keys: WecomKeys, replyXml: string, timestamp: string, nonce: string = randomBytes(8).toString('hex')): string {
  const encrypted = encryptMessage(keys.encodingAesKey, replyXml, keys.receiveId);
  const signature = computeSignature(keys.token, timestamp, nonce, encrypted);
  return (
    `<xml><Encrypt><![CDATA[${encrypted}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`
  );
}
