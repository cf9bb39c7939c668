import { describe, expect, it } from 'vitest';
import { hmacSign, signWebhookUrl, verifyCallbackSignature, webhookSign } from '../../../bot/dingtalk/sign.ts';

// Vectors from the reference (§7.2), computed with python hmac and node crypto.
describe('DingTalk HMAC signatures', () => {
  it('matches the custom robot vector, raw and URL-encoded', () => {
    expect(hmacSign('this is secret', 1577262236757)).toBe('hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=');
    expect(webhookSign('this is secret', 1577262236757)).toBe('hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D');
  });

  it('matches the SEC-secret vector', () => {
    const secret = 'SEC1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcd';
    expect(hmacSign(secret, 1700000000000)).toBe('TFTdAQatcUBwmt/Qla4qejjk5jK9m+uCWfch4Lgkji0=');
  });

  it('appends timestamp and the encoded sign to a webhook URL', () => {
    const url = signWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', 'this is secret', 1577262236757);
    expect(url).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D');
  });
});

describe('HTTP-mode callback check', () => {
  const secret = 'appSecretExample_0123456789';
  const sign = 'P29y0SWJYUDqkjtej1mKeDONSDZmGe6pbNeLiXdN8f0=';
  const ts = '1700000000000';

  it('accepts the reference vector within the hour', () => {
    expect(verifyCallbackSignature({ timestamp: ts, sign }, secret, 1700000000000 + 59 * 60_000)).toEqual({ ok: true, timestampMs: 1700000000000 });
    expect(verifyCallbackSignature({ timestamp: ts, sign }, secret, 1700000000000 - 59 * 60_000).ok).toBe(true);
  });

  it('refuses a stale or future timestamp even with a good sign, and honours a custom window', () => {
    expect(verifyCallbackSignature({ timestamp: ts, sign }, secret, 1700000000000 + 61 * 60_000)).toMatchObject({ ok: false, reason: 'STALE_TIMESTAMP' });
    expect(verifyCallbackSignature({ timestamp: ts, sign }, secret, 1700000000000 - 61 * 60_000)).toMatchObject({ ok: false, reason: 'STALE_TIMESTAMP' });
    expect(verifyCallbackSignature({ timestamp: ts, sign }, secret, 1700000000000 + 6 * 60_000, 5 * 60_000)).toMatchObject({ ok: false, reason: 'STALE_TIMESTAMP' });
  });

  it('refuses a wrong secret, a tampered sign, missing headers and a non-numeric timestamp', () => {
    const now = 1700000000000;
    expect(verifyCallbackSignature({ timestamp: ts, sign }, 'another secret', now)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyCallbackSignature({ timestamp: ts, sign: sign.replace('P', 'Q') }, secret, now)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyCallbackSignature({ timestamp: ts, sign: 'short' }, secret, now)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyCallbackSignature({ timestamp: ts }, secret, now)).toMatchObject({ ok: false, reason: 'MISSING_SIGNATURE' });
    expect(verifyCallbackSignature({ timestamp: '17e11', sign }, secret, now)).toMatchObject({ ok: false, reason: 'BAD_TIMESTAMP' });
  });
});
