/**
 * DingTalk's two HMAC-SHA256 signatures. Both are Base64(HmacSHA256(key = secret,
 * msg = timestamp + "\n" + secret)) with the timestamp in milliseconds; only the URL-encoding differs.
 *  - HTTP-mode robot callback (https://open.dingtalk.com/document/orgapp/receive-message): headers
 *    `timestamp` and `sign`, key = the app's AppSecret, valid within 1 hour of our clock.
 *  - Custom group robot webhook 加签 (https://open.dingtalk.com/document/robots/customize-robot-security-settings):
 *    `&timestamp=…&sign=<URL-encoded>` appended to the webhook URL.
 * Note the callback signature covers the timestamp only, not the body: it proves the sender knows
 * the AppSecret, and the window limits how long a captured header pair stays usable.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DEFAULT_TIMESTAMP_WINDOW_MS = 3_600_000;

export function hmacSign(secret: string, timestampMs: number | string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/** The `sign` query value of a custom robot webhook: the Base64 signature, URL-encoded (UTF-8). */
export function webhookSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(hmacSign(secret, timestampMs));
}

/** Appends `timestamp` and `sign` to a custom robot webhook URL (which already carries `access_token`). */
export function signWebhookUrl(url: string, secret: string, timestampMs: number): string {
  const sep = url.includes('?') ? '&' : '?';
  return `${url}${sep}timestamp=${timestampMs}&sign=${webhookSign(secret, timestampMs)}`;
}

export type CallbackCheck =
  | { ok: true; timestampMs: number }
  | { ok: false; reason: 'MISSING_SIGNATURE' | 'BAD_TIMESTAMP' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE'; log: string };

/**
 * Checks the `timestamp`/`sign` headers of an HTTP-mode callback: the window first (cheap, and a
 * stale request is refused whatever its signature), then the signature in constant time.
 */
export function verifyCallbackSignature(
  headers: { timestamp?: string | string[] | undefined; sign?: string | string[] | undefined },
  appSecret: string,
  nowMs: number,
  windowMs: number = DEFAULT_TIMESTAMP_WINDOW_MS,
): CallbackCheck {
  const timestamp = single(headers.timestamp);
  const sign = single(headers.sign);
  if (!timestamp || !sign) return { ok: false, reason: 'MISSING_SIGNATURE', log: 'timestamp or sign header missing' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'BAD_TIMESTAMP', log: 'timestamp header is not milliseconds' };
  const timestampMs = Number(timestamp);
  const skew = Math.abs(nowMs - timestampMs);
  if (skew > windowMs) return { ok: false, reason: 'STALE_TIMESTAMP', log: `timestamp is ${Math.round(skew / 1000)} s away from our clock` };
  const expected = Buffer.from(hmacSign(appSecret, timestamp), 'utf8');
  const given = Buffer.from(sign, 'utf8');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: 'BAD_SIGNATURE', log: 'sign does not match the AppSecret' };
  }
  return { ok: true, timestampMs };
}

function single(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() || undefined;
}
