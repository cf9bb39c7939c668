/**
 * WeCom settings. Parsed from an env-like object the caller passes in (bot/config.ts owns
 * process.env), so tests hand in their own. `null` means "WeCom is not configured": the adapter is
 * simply not mounted. A half-filled configuration is an error, not a silent `null`.
 */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';

export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  /** Callback Token: used only for signatures. */
  token: string;
  /** Callback EncodingAESKey: 43 chars of [A-Za-z0-9]. */
  encodingAesKey: string;
  /** https://qyapi.weixin.qq.com unless pointed at a proxy or the test fake. */
  apiBase: string;
  /** Accepted clock difference for callback timestamps, in seconds; 0 disables the check. */
  timestampSkewS: number;
}

const required = ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const wecomEnvSchema = z.object({
  WECOM_CORP_ID: z.string().trim().min(1).max(64),
  WECOM_AGENT_ID: z.coerce.number().int().positive(),
  WECOM_SECRET: z.string().trim().min(1),
  WECOM_TOKEN: z.string().trim().min(1).max(128),
  WECOM_ENCODING_AES_KEY: z.string().trim().regex(/^[A-Za-z0-9]{43}$/, 'must be 43 characters of [A-Za-z0-9]'),
  WECOM_API_BASE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be an http(s) URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .default('https://qyapi.weixin.qq.com'),
  ),
  WECOM_TIMESTAMP_SKEW_S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(86_400).default(300)),
});

export function parseWecomConfig(env: Record<string, string | undefined>): WecomConfig | null {
  const present = required.filter((k) => (env[k] ?? '').trim() !== '');
  if (present.length === 0) return null;
  const missing = required.filter((k) => !present.includes(k));
  if (missing.length > 0) {
    throw new DomainError(
      'WECOM_CONFIG_INCOMPLETE',
      `企业微信配置不完整，缺少：${missing.join('、')}。`,
      `WeCom configuration is incomplete; missing ${missing.join(', ')}`,
      { missing },
    );
  }
  const parsed = wecomEnvSchema.safeParse(env);
  if (!parsed.success) {
    // Never echo values: they are secrets.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new DomainError(
      'WECOM_CONFIG_INVALID',
      `企业微信配置有误：${problems.join('；')}`,
      `invalid WeCom configuration: ${problems.join('; ')}`,
      { problems },
    );
  }
  const e = parsed.data;
  return {
    corpId: e.WECOM_CORP_ID,
    agentId: e.WECOM_AGENT_ID,
    secret: e.WECOM_SECRET,
    token: e.WECOM_TOKEN,
    encodingAesKey: e.WECOM_ENCODING_AES_KEY,
    apiBase: e.WECOM_API_BASE,
    timestampSkewS: e.WECOM_TIMESTAMP_SKEW_S,
  };
}
