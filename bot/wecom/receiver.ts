/**
 * The WeCom callback receiver, framework-free: the Koa route hands in the query, the raw body, the
 * configuration and the time, and gets a typed verdict back. Protocol:
 * https://developer.work.weixin.qq.com/document/path/90238 (receive messages) and
 * https://developer.work.weixin.qq.com/document/path/91144 (signature and encryption).
 *
 * Order of checks: body size → query → envelope XML → signature over the Encrypt text (before any
 * decryption) → timestamp window → envelope ToUserName → decrypt (padding, msg_len, receive id) →
 * inner XML → inner ToUserName → decode. Nothing here touches a database: the dedupe key is exposed
 * and the caller's InboundEvent row enforces "at most once".
 */
import { decryptMessage, verifySignature, WecomCryptoError, type WecomCryptoFailure } from './crypto.ts';
import { decodeInner, type MediaSource, type WecomInboundMessage } from './decode.ts';
import { leaf, MAX_CALLBACK_BYTES, parseWecomXml, type XmlFailure } from './xml.ts';
import type { WecomConfig } from './config.ts';

export type RejectReason =
  | 'BODY_TOO_LARGE'
  | 'MISSING_PARAMS'
  | 'BAD_SIGNATURE'
  | 'STALE_TIMESTAMP'
  | 'WRONG_CORP'
  | 'MISSING_ENCRYPT'
  | XmlFailure
  | WecomCryptoFailure;

export interface Rejection {
  ok: false;
  status: 400 | 401 | 403 | 413;
  reason: RejectReason;
  /** One English line for the operator log; never contains secrets or plaintext. */
  log: string;
}

export type VerifyUrlResult = { ok: true; echo: string } | Rejection;

export type CallbackResult =
  | { ok: true; outcome: 'message'; message: WecomInboundMessage }
  /** Authentic but of a type the bot does not handle (voice, location, subscribe…): answer 200, do nothing. */
  | { ok: true; outcome: 'ignored'; eventKey: string; type: string }
  | Rejection;

export type CallbackQuery = Record<string, string | string[] | undefined>;

type Config = Pick<WecomConfig, 'corpId' | 'token' | 'encodingAesKey' | 'timestampSkewS'>;

const reject = (status: Rejection['status'], reason: RejectReason, log: string): Rejection => ({ ok: false, status, reason, log });

/** GET <url>?msg_signature&timestamp&nonce&echostr — answer the decrypted echostr within 1 s. */
export function verifyUrl(query: CallbackQuery, config: Config, now: Date): VerifyUrlResult {
  const params = signedParams(query, ['echostr']);
  if (!params.ok) return params;
  // echostr is base64 and never contains a space: a decoder that turned '+' into ' ' is undone here.
  const echostr = params.values.echostr!.replace(/ /g, '+');
  const auth = authenticate(params.values, echostr, config, now);
  if (auth) return auth;
  const opened = open(echostr, config);
  return opened.ok ? { ok: true, echo: opened.plain } : opened;
}

/** POST <url>?msg_signature&timestamp&nonce with the encrypted envelope as body. */
export function openCallback(
  query: CallbackQuery,
  rawBody: Uint8Array | string,
  config: Config,
  now: Date,
  deps: { media?: MediaSource } = {},
): CallbackResult {
  const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.byteLength;
  if (size > MAX_CALLBACK_BYTES) return reject(413, 'BODY_TOO_LARGE', `callback body of ${size} bytes exceeds ${MAX_CALLBACK_BYTES}`);
  const params = signedParams(query, []);
  if (!params.ok) return params;

  const text = typeof rawBody === 'string' ? rawBody : utf8OrUndefined(rawBody);
  if (text === undefined) return reject(400, 'NOT_XML', 'callback body is not UTF-8');
  const envelope = parseWecomXml(text);
  if (!envelope.ok) return xmlRejection('envelope', envelope.failure, envelope.detail);
  const encrypted = leaf(envelope.root, 'Encrypt');
  if (!encrypted) return reject(400, 'MISSING_ENCRYPT', 'callback envelope has no single <Encrypt> element');

  const auth = authenticate(params.values, encrypted, config, now);
  if (auth) return auth;
  const outerTo = envelope.root.ToUserName === undefined ? undefined : leaf(envelope.root, 'ToUserName');
  if (envelope.root.ToUserName !== undefined && outerTo !== config.corpId) {
    return reject(403, 'WRONG_CORP', 'callback envelope ToUserName is not the configured corp id');
  }

  const opened = open(encrypted, config);
  if (!opened.ok) return opened;
  const inner = parseWecomXml(opened.plain);
  if (!inner.ok) return xmlRejection('decrypted message', inner.failure, inner.detail);
  if (leaf(inner.root, 'ToUserName') !== config.corpId) {
    return reject(403, 'WRONG_CORP', 'decrypted message ToUserName is not the configured corp id');
  }

  const decoded = decodeInner(inner.root, now, deps.media);
  if (decoded.kind === 'invalid') return reject(400, 'NOT_XML', `decrypted message is incomplete: ${decoded.detail}`);
  if (decoded.kind === 'ignored') return { ok: true, outcome: 'ignored', eventKey: decoded.eventKey, type: decoded.type };
  return { ok: true, outcome: 'message', message: decoded.message };
}

type Params = { ok: true; values: Record<string, string> } | Rejection;

function signedParams(query: CallbackQuery, extra: string[]): Params {
  const values: Record<string, string> = {};
  for (const name of ['msg_signature', 'timestamp', 'nonce', ...extra]) {
    const v = query[name];
    // A repeated parameter is as suspicious as a missing one.
    if (typeof v !== 'string' || v === '') return reject(401, 'MISSING_PARAMS', `callback query lacks a single ${name}`);
    values[name] = v;
  }
  return { ok: true, values };
}

/** Signature first (constant-time), then freshness: a stale but authentic request is a replay. */
function authenticate(values: Record<string, string>, signed: string, config: Config, now: Date): Rejection | undefined {
  if (!verifySignature(config.token, values.timestamp!, values.nonce!, signed, values.msg_signature!)) {
    return reject(401, 'BAD_SIGNATURE', 'callback msg_signature does not match');
  }
  if (config.timestampSkewS > 0) {
    const ts = /^\d{1,12}$/.test(values.timestamp!) ? Number(values.timestamp) : NaN;
    const skew = Math.abs(now.getTime() / 1000 - ts);
    if (!(skew <= config.timestampSkewS)) {
      return reject(401, 'STALE_TIMESTAMP', `callback timestamp is ${Number.isNaN(skew) ? 'not a number' : `${Math.round(skew)} s`} away from now (window ${config.timestampSkewS} s)`);
    }
  }
  return undefined;
}

function open(encrypted: string, config: Config): { ok: true; plain: string } | Rejection {
  try {
    return { ok: true, plain: decryptMessage(config.encodingAesKey, encrypted, config.corpId).message };
  } catch (e) {
    if (!(e instanceof WecomCryptoError)) throw e;
    const status = e.failure === 'WRONG_RECEIVE_ID' ? 403 : 400;
    return reject(status, e.failure, `callback decryption failed: ${e.messageEn}`);
  }
}

function xmlRejection(what: string, failure: XmlFailure, detail: string): Rejection {
  return reject(failure === 'TOO_LARGE' ? 413 : 400, failure, `${what}: ${detail}`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
