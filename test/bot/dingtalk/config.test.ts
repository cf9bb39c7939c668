import { describe, expect, it } from 'vitest';
import { parseDingtalkConfig } from '../../../bot/dingtalk/config.ts';

describe('DingTalk configuration', () => {
  it('is absent when nothing is set', () => {
    expect(parseDingtalkConfig({})).toBeNull();
  });

  it('defaults to Stream mode, the public endpoints and robotCode = clientId', () => {
    expect(parseDingtalkConfig({ DINGTALK_CLIENT_ID: 'dingabc', DINGTALK_CLIENT_SECRET: 's3cret' })).toEqual({
      clientId: 'dingabc',
      clientSecret: 's3cret',
      robotCode: 'dingabc',
      apiBase: 'https://api.dingtalk.com',
      oapiBase: 'https://oapi.dingtalk.com',
      mode: 'stream',
      gatewayUrl: 'https://api.dingtalk.com/v1.0/gateway/connections/open',
      timestampWindowMs: 3_600_000,
    });
  });

  it('derives the gateway from an overridden API base unless given', () => {
    const c = parseDingtalkConfig({ DINGTALK_CLIENT_ID: 'a', DINGTALK_CLIENT_SECRET: 'b', DINGTALK_API_BASE: 'http://127.0.0.1:9/', DINGTALK_MODE: 'http' });
    expect(c).toMatchObject({ apiBase: 'http://127.0.0.1:9', gatewayUrl: 'http://127.0.0.1:9/v1.0/gateway/connections/open', mode: 'http' });
    const g = parseDingtalkConfig({ DINGTALK_CLIENT_ID: 'a', DINGTALK_CLIENT_SECRET: 'b', DINGTALK_GATEWAY_URL: 'http://gw.local/open' });
    expect(g?.gatewayUrl).toBe('http://gw.local/open');
  });

  it('refuses a half configuration and bad values, in Chinese, without echoing secrets', () => {
    expect(() => parseDingtalkConfig({ DINGTALK_CLIENT_ID: 'a' })).toThrow(/钉钉配置不完整.*DINGTALK_CLIENT_SECRET/);
    expect(() => parseDingtalkConfig({ DINGTALK_ROBOT_CODE: 'r' })).toThrow(/钉钉配置不完整/);
    const bad = () => parseDingtalkConfig({ DINGTALK_CLIENT_ID: 'a', DINGTALK_CLIENT_SECRET: 'topsecret', DINGTALK_MODE: 'webhook' });
    expect(bad).toThrow(/DINGTALK_MODE/);
    expect(bad).not.toThrow(/topsecret/);
  });
});
