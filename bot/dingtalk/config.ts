/**
 * DingTalk settings, parsed from an env-like object the caller passes in (bot/config.ts owns
 * process.env), so tests hand in their own. `null` means "DingTalk is not configured": the adapter
 * is not mounted. A half-filled configuration is an error, not a silent `null`.
 */
import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';

export type DingtalkMode = 'stream' | 'http';

export interface DingtalkConfig {
  /** AppKey of the enterprise internal app (Stream clientId, OpenAPI appKey). */
  clientId: string;
  /** AppSecret: OpenAPI token, Stream ticket, and the key of the HTTP-mode callback signature. */
  clientSecret: string;
  /** The app robot's robotCode; for internal apps it usually equals the AppKey. */
  robotCode: string;
  /** https://api.dingtalk.com unless pointed at a proxy or the test fake. */
  apiBase: string;
  /** https://oapi.dingtalk.com (legacy APIs). */
  oapiBase: string;
  /** stream: we open a WebSocket to DingTalk (no public URL needed); http: DingTalk POSTs to /dingtalk/callback. */
  mode: DingtalkMode;
  /** Stream gateway "open connection" URL; defaults to `${apiBase}/v1.0/gateway/connections/open`. */
  gatewayUrl: string;
  /** Accepted |now − timestamp| of HTTP callbacks, in milliseconds (DingTalk documents 1 hour). */
  timestampWindowMs: number;
}

const required = ['DINGTALK_CLIENT_ID', 'DINGTALK_CLIENT_SECRET'] as const;
const optionalKeys = ['DINGTALK_ROBOT_CODE', 'DINGTALK_API_BASE', 'DINGTALK_OAPI_BASE', 'DINGTALK_MODE', 'DINGTALK_GATEWAY_URL'] as const;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const httpUrl = z
  .string()
  .trim()
  .url()
  .regex(/^https?:\/\//, 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

export const dingtalkEnvSchema = z.object({
  DINGTALK_CLIENT_ID: z.string().trim().min(1).max(128),
  DINGTALK_CLIENT_SECRET: z.string().trim().min(1).max(256),
  DINGTALK_ROBOT_CODE: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(128).optional()),
  DINGTALK_API_BASE: z.preprocess(emptyToUndefined, httpUrl.default('https://api.dingtalk.com')),
  DINGTALK_OAPI_BASE: z.preprocess(emptyToUndefined, httpUrl.default('https://oapi.dingtalk.com')),
  DINGTALK_MODE: z.preprocess(emptyToUndefined, z.enum(['stream', 'http']).default('stream')),
  DINGTALK_GATEWAY_URL: z.preprocess(emptyToUndefined, httpUrl.optional()),
  DINGTALK_TIMESTAMP_WINDOW_S: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(86_400).default(3_600)),
});

export function parseDingtalkConfig(env: Record<string, string | undefined>): DingtalkConfig | null {
  const present = required.filter((k) => (env[k] ?? '').trim() !== '');
  const anyOptional = optionalKeys.some((k) => (env[k] ?? '').trim() !== '');
  if (present.length === 0 && !anyOptional) return null;
  const missing = required.filter((k) => !present.includes(k));
  if (missing.length > 0) {
    throw new DomainError(
      'DINGTALK_CONFIG_INCOMPLETE',
      `钉钉配置不完整，缺少：${missing.join('、')}。`,
      `DingTalk configuration is incomplete; missing ${missing.join(', ')}`,
      { missing },
    );
  }
  const parsed = dingtalkEnvSchema.safeParse(env);
  if (!parsed.success) {
    // Never echo values: some are secrets.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new DomainError('DINGTALK_CONFIG_INVALID', `钉钉配置有误：${problems.join('；')}`, `invalid DingTalk configuration: ${problems.join('; ')}`, {
      problems,
    });
  }
  const e = parsed.data;
  return {
    clientId: e.DINGTALK_CLIENT_ID,
    clientSecret: e.DINGTALK_CLIENT_SECRET,
    robotCode: e.DINGTALK_ROBOT_CODE ?? e.DINGTALK_CLIENT_ID,
    apiBase: e.DINGTALK_API_BASE,
    oapiBase: e.DINGTALK_OAPI_BASE,
    mode: e.DINGTALK_MODE,
    gatewayUrl: e.DINGTALK_GATEWAY_URL ?? `${e.DINGTALK_API_BASE}/v1.0/gateway/connections/open`,
    timestampWindowMs: e.DINGTALK_TIMESTAMP_WINDOW_S * 1000,
  };
}
