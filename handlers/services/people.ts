/** Who is talking: a platform user id resolved to a Person in the directory, and the Actor the domain checks. */
import type { Database } from '../../prisma/client.ts';
import type { Actor, Role } from '../../domain/access.ts';
import type { PlatformName } from '../bot.ts';

export interface KnownPerson {
  id: string;
  name: string;
  role: Role;
  unitCode: string | null;
  unitName: string | null;
}

export async function findPerson(db: Database, platform: PlatformName, userId: string): Promise<KnownPerson | null> {
  const where = platform === 'WECOM' ? { wecomUserId: userId } : platform === 'DINGTALK' ? { dingtalkUserId: userId } : { id: userId };
  const p = await db.prisma.person.findFirst({ where: { ...where, active: true }, include: { unit: { select: { name: true } } } });
  return p ? { id: p.id, name: p.name, role: p.role, unitCode: p.unitCode, unitName: p.unit?.name ?? null } : null;
}

export function actorOf(p: KnownPerson): Actor {
  return { personId: p.id, name: p.name, role: p.role, unitCode: p.unitCode };
}
