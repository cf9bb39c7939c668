/** What every web route module receives (one args object, built once in bot/app.ts). */
import type { Database } from '../../prisma/client.ts';
import type { HandlerDeps } from '../../handlers/context.ts';
import type { AuthDeps } from './auth.ts';

export interface WebDeps extends AuthDeps {
  db: Database;
  now: () => Date;
  log: AuthDeps['log'] & { error(o: object, m: string): void };
  /** The handlers' dependencies: web actions go through the same services and notify the same way. */
  handlers: HandlerDeps;
  yellowWorkdays: number;
  evidenceDir: string;
  exportDir: string;
  /** Largest accepted upload (Excel/CSV imports, returns) in bytes. */
  maxUploadBytes: number;
}
