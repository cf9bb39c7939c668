import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logs (pino). Secrets are redacted by key wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'duban' },
      redact: {
        paths: ['*.secret', '*.password', '*.token', '*.access_token', '*.encodingAesKey', 'headers.authorization', 'headers.cookie'],
        censor: '***',
      },
    },
    destination,
  );
}
