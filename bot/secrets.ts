/** The HMAC secret for card buttons: from the environment, or (single-node SQLite) generated once beside the database. */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Config } from './config.ts';
import { parseDatabaseUrl } from '../prisma/client.ts';
import { DomainError } from '../domain/errors.ts';

export function resolveActionSecret(config: Config): string {
  if (config.DUBAN_ACTION_SECRET) return config.DUBAN_ACTION_SECRET;
  const target = parseDatabaseUrl(config.DATABASE_URL);
  if (target.provider !== 'sqlite') {
    throw new DomainError(
      'CONFIG_ACTION_SECRET',
      '使用 PostgreSQL（多副本）时必须设置 DUBAN_ACTION_SECRET（至少 16 个字符，各副本相同）。',
      'DUBAN_ACTION_SECRET is required with PostgreSQL: every replica must share it',
    );
  }
  const file = join(dirname(target.path), 'action-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return secret;
}
