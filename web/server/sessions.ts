/**
 * Browser sessions. The cookie holds 32 random bytes; the table keeps only their sha256, so a read
 * of the database does not hand out live sessions. Each session has its own CSRF token.
 * Expiry: 12 h after sign-in at most, and 2 h without activity.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../../prisma/client.ts';
import type { Role } from '../../domain/access.ts';

export const SESSION_MAX_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 2 * 3600_000;
/** lastSeenAt is written at most this often (a page load makes several API calls). */
const TOUCH_EVERY_MS = 60_000;

export interface WebUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitCode: string | null;
  personId: string | null;
}

export interface LoadedSession {
  id: string;
  user: WebUser;
  csrfToken: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function createSession(db: Database, userId: string, now: Date): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.prisma.webSession.create({
    data: { id: sha256(token), userId, csrfToken, expiresAt: new Date(now.getTime() + SESSION_MAX_MS), lastSeenAt: now, createdAt: now },
  });
  return { token, csrfToken };
}

export async function loadSession(db: Database, token: string, now: Date): Promise<LoadedSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const id = sha256(token);
  const row = await db.prisma.webSession.findUnique({ where: { id }, include: { user: true } });
  if (!row) return null;
  const idle = now.getTime() - row.lastSeenAt.getTime();
  if (row.expiresAt <= now || idle > SESSION_IDLE_MS || !row.user.active) {
    await db.prisma.webSession.deleteMany({ where: { id } });
    return null;
  }
  if (idle > TOUCH_EVERY_MS) await db.prisma.webSession.updateMany({ where: { id }, data: { lastSeenAt: now } });
  const u = row.user;
  return {
    id,
    csrfToken: row.csrfToken,
    user: { id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitCode: u.unitCode, personId: u.personId },
  };
}

export async function destroySession(db: Database, token: string): Promise<void> {
  await db.prisma.webSession.deleteMany({ where: { id: sha256(token) } });
}

/** Removes expired sessions (called on sign-in; cheap with the expires_at index). */
export async function purgeExpiredSessions(db: Database, now: Date): Promise<void> {
  await db.prisma.webSession.deleteMany({ where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lt: new Date(now.getTime() - SESSION_IDLE_MS) } }] } });
}
