import { describe, expect, it } from 'vitest';
import { parseWecomConfig } from '../../../bot/wecom/config.ts';
import { DomainError } from '../../../domain/errors.ts';

const env = {
  WECOM_CORP_ID: 'wwcorp0001',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'super-secret-value',
  WECOM_TOKEN: 'QDG6eK',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
};

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('WeCom configuration', () => {
  it('is null when nothing WeCom is set (blank values count as unset)', () => {
    expect(parseWecomConfig({})).toBeNull();
    expect(parseWecomConfig({ WECOM_CORP_ID: '  ', WECOM_API_BASE: 'http://x' })).toBeNull();
  });

  it('parses a complete configuration with defaults', () => {
    expect(parseWecomConfig(env)).toEqual({
      corpId: 'wwcorp0001',
      agentId: 1000002,
      secret: 'super-secret-value',
      token: 'QDG6eK',
      encodingAesKey: env.WECOM_ENCODING_AES_KEY,
      apiBase: 'https://qyapi.weixin.qq.com',
      timestampSkewS: 300,
    });
  });

  it('takes the API base (without a trailing slash) and a skew of 0 to disable the window', () => {
    expect(parseWecomConfig({ ...env, WECOM_API_BASE: 'http://127.0.0.1:8080/', WECOM_TIMESTAMP_SKEW_S: '0' })).toMatchObject({
      apiBase: 'http://127.0.0.1:8080',
      timestampSkewS: 0,
    });
  });

  it('names what is missing from a half-filled configuration', () => {
    const e = thrown(() => parseWecomConfig({ WECOM_CORP_ID: 'ww1', WECOM_SECRET: 'x' }));
    expect(e.code).toBe('WECOM_CONFIG_INCOMPLETE');
    expect(e.messageEn).toContain('WECOM_AGENT_ID');
    expect(e.messageEn).toContain('WECOM_ENCODING_AES_KEY');
  });

  it.each([
    ['an AES key of 42 chars', { WECOM_ENCODING_AES_KEY: env.WECOM_ENCODING_AES_KEY.slice(1) }],
    ['an AES key with a symbol', { WECOM_ENCODING_AES_KEY: `${env.WECOM_ENCODING_AES_KEY.slice(1)}+` }],
    ['a non-numeric agent id', { WECOM_AGENT_ID: 'abc' }],
    ['a negative skew', { WECOM_TIMESTAMP_SKEW_S: '-5' }],
    ['a non-URL API base', { WECOM_API_BASE: 'qyapi.weixin.qq.com' }],
  ])('refuses %s, without echoing the secret', (_label, over) => {
    const e = thrown(() => parseWecomConfig({ ...env, ...over }));
    expect(e.code).toBe('WECOM_CONFIG_INVALID');
    expect(`${e.message} ${e.messageEn}`).not.toContain('super-secret-value');
  });
});
