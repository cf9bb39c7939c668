/**
 * Problem sources that post through the intake API, each with its own key. The key is shown once,
 * when it is created; only its sha256 is stored, so a copy of the database does not let anyone
 * post as a source. Codes are short upper-case words (HOTLINE_12345, EVALUATION).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../prisma/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { PROBLEM_SOURCES } from '../../domain/problems/index.ts';

const CODE_RE = /^[A-Z][A-Z0-9_]{1,39}$/;
const KEY_PREFIX = 'dbk_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface SourceRow {
  code: string;
  name: string;
  active: boolean;
  hasKey: boolean;
  createdAt: Date;
}

/**
 * Registers a source (or gives an existing one a new key with `rotate`) and returns the key. A
 * source that already has a key is refused without `rotate`: its systems would stop working.
 */
export async function addProblemSource(db: Database, code: string, name: string, opts: { rotate?: boolean } = {}): Promise<{ key: string; created: boolean }> {
  const c = code.trim().toUpperCase();
  const n = name.trim();
  if (!CODE_RE.test(c)) throw new DomainError('SOURCE_CODE', `来源编码应为大写字母开头的字母、数字或下划线（2–40 位），例如 HOTLINE_12345：${code}`, `bad source code ${code}`);
  if (!n) throw new DomainError('SOURCE_NAME', '请填写来源名称，例如 12345热线。', 'source name missing');
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const existing = await db.prisma.problemSource.findUnique({ where: { code: c } });
  if (existing?.apiKeyHash && !opts.rotate) {
    throw new DomainError('SOURCE_EXISTS', `来源 ${c} 已有接口密钥。如需更换，请加 --rotate（旧密钥将立即失效）。`, `source ${c} already has a key`);
  }
  await db.prisma.problemSource.upsert({
    where: { code: c },
    create: { code: c, name: n, apiKeyHash: hashApiKey(key), active: true },
    update: { name: n, apiKeyHash: hashApiKey(key), active: true },
  });
  return { key, created: !existing };
}

export async function listProblemSources(db: Database): Promise<SourceRow[]> {
  const rows = await db.prisma.problemSource.findMany({ orderBy: { code: 'asc' } });
  return rows.map((r) => ({ code: r.code, name: r.name, active: r.active, hasKey: r.apiKeyHash !== null, createdAt: r.createdAt }));
}

export async function setProblemSourceActive(db: Database, code: string, active: boolean): Promise<boolean> {
  const r = await db.prisma.problemSource.updateMany({ where: { code: code.trim().toUpperCase() }, data: { active } });
  return r.count > 0;
}

/** The source a key belongs to, or null. */
export async function sourceByKey(db: Database, key: string): Promise<{ code: string; name: string; active: boolean } | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  return db.prisma.problemSource.findUnique({ where: { apiKeyHash: hashApiKey(key) }, select: { code: true, name: true, active: true } });
}

/** A source code import and chat may use: registered, or one of the built-in sources. */
export async function knownSource(db: Database, code: string): Promise<{ code: string; name: string } | null> {
  const c = code.trim().toUpperCase();
  const row = await db.prisma.problemSource.findUnique({ where: { code: c }, select: { code: true, name: true, active: true } });
  if (row) return row.active ? { code: row.code, name: row.name } : null;
  return PROBLEM_SOURCES.find((s) => s.code === c) ?? null;
}
