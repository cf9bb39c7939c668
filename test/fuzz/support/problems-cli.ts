/**
 * `duban problems import <file> --source …` run in-process (bot/cli.ts `main`) on a real database,
 * with its acceptance rule: exit 0 with a summary, or exit 1 with a Chinese error line; never an
 * exception escaping, never exit 1 without a reason (what an unexpected error looks like).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../bot/cli.ts';

const scratch = mkdtempSync(join(tmpdir(), 'duban-fuzz-problems-'));
let files = 0;

/** null when the command answered clearly, else what was wrong. */
export async function problemsImportProblem(url: string, bytes: Uint8Array): Promise<string | null> {
  const file = join(scratch, `${files++}.xlsx`);
  writeFileSync(file, bytes);
  const out: string[] = [];
  const err: string[] = [];
  let code: number;
  try {
    code = await main(['problems', 'import', file, '--source', 'HOTLINE_12345'], {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      env: { DATABASE_URL: url, DUBAN_ACTION_SECRET: 'fuzz-secret-0123456789abcdef', LOG_LEVEL: 'silent' },
      now: () => new Date('2026-06-22T02:00:00Z'),
    });
  } catch (e) {
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`;
  } finally {
    rmSync(file, { force: true });
  }
  if (code === 0) return out.some((l) => /^共 \d+ 行/.test(l)) ? null : `exit 0 without a summary: ${out.join(' | ').slice(0, 300)}`;
  if (code !== 1) return `exit code ${code}`;
  if (!err.some((l) => l.startsWith('错误：') && /\p{Script=Han}/u.test(l))) return `exit 1 without a Chinese reason (a crash?): ${[...out, ...err].join(' | ').slice(0, 500)}`;
  return null;
}
