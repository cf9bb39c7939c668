import pino, { type Logger } from 'pino';
import { lineScrubber } from './ops/redact.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Configured secret values (bot/ops/redact.ts `secretValues`): never written, whatever carries them. */
  secrets?: readonly string[];
}

/**
 * Structured JSON logs (pino). Secrets are hidden twice: by key in logged objects (`redact`), and
 * in every finished line (keys at any depth, URL credentials, `Bearer …`, the configured values).
 */
export function createLogger(level: string, destination?: pino.DestinationStream, options: LoggerOptions = {}): Logger {
  return pino(
    {
      level,
      base: { app: 'duban' },
      redact: {
        paths: [
          'secret', 'password', 'token', 'access_token', 'accessToken', 'encodingAesKey',
          '*.secret', '*.password', '*.token', '*.access_token', '*.accessToken', '*.encodingAesKey', '*.clientSecret', '*.appSecret', '*.webhookSecret',
          'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie', '*.headers["x-acs-dingtalk-access-token"]',
        ],
        censor: '***',
      },
      hooks: { streamWrite: lineScrubber(options.secrets) },
    },
    destination,
  );
}
