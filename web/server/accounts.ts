/** Web console accounts: creation with validation, password changes, the first administrator. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from '../../prisma/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { ROLES, type Role } from '../../domain/access.ts';
import { generatePassword, hashPassword, passwordProblem } from './passwords.ts';

export interface NewAccount {
  username: string;
  displayName?: string;
  role: string;
  unitCode?: string | null;
  personId?: string | null;
  password: string;
}

const USERNAME = /^[A-Za-z0-9._-]{2,40}$/;

export async function createAccount(db: Database, a: NewAccount): Promise<{ id: string; username: string; role: Role }> {
  if (!USERNAME.test(a.username)) throw new DomainError('USER_NAME', '用户名须为 2–40 位字母、数字、点、下划线或连字符。', `bad username ${a.username}`);
  if (!(ROLES as readonly string[]).includes(a.role)) throw new DomainError('USER_ROLE', `角色应为 ${ROLES.join('、')} 之一。`, `bad role ${a.role}`);
  const role = a.role as Role;
  const unitRole = role === 'UNIT_OFFICER' || role === 'UNIT_LEADER';
  if (unitRole && !a.unitCode) throw new DomainError('USER_UNIT', '单位账号必须指定单位（--unit 单位编码）。', 'unit role without unit');
  const problem = passwordProblem(a.password);
  if (problem) throw new DomainError('USER_PASSWORD', problem, 'weak password');
  if (a.unitCode && !(await db.prisma.unit.findUnique({ where: { code: a.unitCode } }))) {
    throw new DomainError('USER_UNIT', `未找到单位编码 ${a.unitCode}。`, `unknown unit ${a.unitCode}`);
  }
  if (a.personId && !(await db.prisma.person.findUnique({ where: { id: a.personId } }))) {
    throw new DomainError('USER_PERSON', `未找到人员 ${a.personId}（duban person list 查看）。`, `unknown person ${a.personId}`);
  }
  if (await db.prisma.userAccount.findUnique({ where: { username: a.username } })) {
    throw new DomainError('USER_EXISTS', `用户名 ${a.username} 已存在。`, `username ${a.username} exists`);
  }
  const row = await db.prisma.userAccount.create({
    data: {
      username: a.username,
      displayName: a.displayName?.trim() || a.username,
      role,
      unitCode: a.unitCode ?? null,
      personId: a.personId ?? null,
      passwordHash: await hashPassword(a.password),
    },
  });
  return { id: row.id, username: row.username, role };
}

export async function setPassword(db: Database, username: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new DomainError('USER_PASSWORD', problem, 'weak password');
  const user = await db.prisma.userAccount.findUnique({ where: { username } });
  if (!user) throw new DomainError('USER_NOT_FOUND', `未找到用户 ${username}。`, `user ${username} not found`);
  await db.prisma.$transaction([
    db.prisma.userAccount.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password), failedLogins: 0, lockedUntil: null } }),
    // A new password signs out every browser of the old one.
    db.prisma.webSession.deleteMany({ where: { userId: user.id } }),
  ]);
}

export async function setActive(db: Database, username: string, active: boolean): Promise<void> {
  const user = await db.prisma.userAccount.findUnique({ where: { username } });
  if (!user) throw new DomainError('USER_NOT_FOUND', `未找到用户 ${username}。`, `user ${username} not found`);
  await db.prisma.userAccount.update({ where: { id: user.id }, data: { active } });
  if (!active) await db.prisma.webSession.deleteMany({ where: { userId: user.id } });
}

/**
 * The demo start (console adapter on): when no account exists, create `admin` with a random
 * password, written once to `file` (mode 0600) so the operator can sign in. Returns the password
 * when it created the account.
 */
export async function ensureFirstAdmin(db: Database, file: string): Promise<string | null> {
  if ((await db.prisma.userAccount.count()) > 0) return null;
  const password = generatePassword();
  await createAccount(db, { username: 'admin', displayName: '系统管理员', role: 'BUREAU_ADMIN', password });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `duban 控制台首个管理员\n用户名：admin\n密码：${password}\n请登录后用 duban user passwd admin 修改密码，并删除本文件。\n`, { mode: 0o600 });
  return password;
}
