/**
 * Secrets never reach the logs. pino's `redact` hides known keys of logged objects, but secrets
 * also travel inside strings: an error message that quotes a request URL (`…?access_token=…`,
 * `corpsecret=…`), a platform's error text, a stack trace. So every finished log line is scrubbed
 * once more, just before it is written: by key (any JSON key naming a secret, at any depth), by
 * URL query parameter and credentials, by `Bearer …`, and by the literal values of the configured
 * secrets in raw, JSON-escaped and URL-encoded form.
 */
import type { Config, PlatformEnv } from '../config.ts';

const CENSOR = '***';
/** Keys whose string values are secrets wherever they appear in a log line. */
const SECRET_KEY = /"([\w-]*(?:secret|password|passwd|token|authorization|cookie|aeskey|aes_key)[\w-]*)"\s*:\s*"(?:[^"\\]|\\.)*"/gi;
/** Query parameters that carry credentials (WeCom access_token/corpsecret, robot webhook key, DingTalk sign). */
const SECRET_PARAM = /([?&](?:access_token|corpsecret|secret|key|sign|token|ticket|password)=)[^&\s"'\\#]+/gi;
const URL_PASSWORD = /(\/\/[^:/@\s"]+:)[^@\s"/]+@/g;
const BEARER = /\b(Bearer\s+)[\w.~+/=-]+/gi;
/** Values shorter than this are not replaced literally (they would blank ordinary words). */
const MIN_LITERAL = 6;

/** The configured secret values: every setting whose name says it is one, and the database password. */
export function secretValues(config: Partial<Config>, platformEnv: PlatformEnv = {}): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries({ ...config, ...platformEnv })) {
    if (typeof v === 'string' && /SECRET|TOKEN|AES_KEY|PASSWORD/i.test(k)) out.add(v);
  }
  if (config.DATABASE_URL && /^postgres(ql)?:\/\//.test(config.DATABASE_URL)) {
    try {
      const password = decodeURIComponent(new URL(config.DATABASE_URL).password);
      if (password) out.add(password);
    } catch {
      /* not a URL: nothing to add */
    }
  }
  return [...out].filter((s) => s.length >= MIN_LITERAL);
}

/** Returns the function that scrubs one serialized log line. */
export function lineScrubber(secrets: readonly string[] = []): (line: string) => string {
  const forms = [...new Set(secrets.filter((s) => s.length >= MIN_LITERAL).flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]))]
    .sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line
      .replace(SECRET_KEY, `"$1":"${CENSOR}"`)
      .replace(SECRET_PARAM, `$1${CENSOR}`)
      .replace(URL_PASSWORD, `$1${CENSOR}@`)
      .replace(BEARER, `$1${CENSOR}`);
    for (const f of forms) if (out.includes(f)) out = out.split(f).join(CENSOR);
    return out;
  };
}
