/**
 * Lists of the directory page: units with their people and group counts, people, chat groups —
 * filtered and paginated in the database. Webhook secrets never leave the server; webhook
 * addresses are shown without their key.
 */
import type { Database, Models } from '../../../prisma/client.ts';
import { ROLE_LABELS, type Role } from '../../../domain/access.ts';

export interface Page {
  limit: number;
  offset: number;
}

export async function listUnits(db: Database, f: { q?: string; kind?: 'PROVINCIAL' | 'CITY' | 'BUREAU' }, page: Page) {
  const where: Models.Prisma.UnitWhereInput = {
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.q ? { OR: [{ name: { contains: f.q } }, { code: { contains: f.q } }, { aliases: { contains: f.q } }] } : {}),
  };
  const [total, units] = await Promise.all([
    db.prisma.unit.count({ where }),
    db.prisma.unit.findMany({
      where,
      orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }],
      skip: page.offset,
      take: page.limit,
      select: {
        code: true, name: true, kind: true, aliases: true,
        _count: { select: { people: { where: { active: true } }, groups: true } },
        groups: { select: { name: true, platform: true, purpose: true }, orderBy: { name: 'asc' }, take: 5 },
      },
    }),
  ]);
  return {
    total,
    units: units.map((u) => ({
      code: u.code,
      name: u.name,
      kind: u.kind,
      aliases: JSON.parse(u.aliases) as string[],
      people: u._count.people,
      groupCount: u._count.groups,
      groups: u.groups,
    })),
  };
}

export interface PeopleFilter {
  q?: string;
  unit?: string;
  role?: Role;
  active?: boolean;
}

export async function listPeople(db: Database, f: PeopleFilter, page: Page) {
  const where: Models.Prisma.PersonWhereInput = {
    ...(f.unit ? { unitCode: f.unit } : {}),
    ...(f.role ? { role: f.role } : {}),
    ...(f.active !== undefined ? { active: f.active } : {}),
    ...(f.q
      ? { OR: [{ name: { contains: f.q } }, { wecomUserId: { contains: f.q } }, { dingtalkUserId: { contains: f.q } }, { consoleId: { contains: f.q } }, { title: { contains: f.q } }] }
      : {}),
  };
  const [total, people] = await Promise.all([
    db.prisma.person.count({ where }),
    db.prisma.person.findMany({
      where,
      orderBy: [{ unit: { sortOrder: 'asc' } }, { role: 'asc' }, { name: 'asc' }, { id: 'asc' }],
      skip: page.offset,
      take: page.limit,
      include: { unit: { select: { name: true } } },
    }),
  ]);
  return {
    total,
    people: people.map((p) => ({
      id: p.id,
      name: p.name,
      role: p.role,
      roleLabel: ROLE_LABELS[p.role],
      unitCode: p.unitCode,
      unitName: p.unit?.name ?? null,
      wecomUserId: p.wecomUserId,
      dingtalkUserId: p.dingtalkUserId,
      consoleId: p.consoleId,
      title: p.title,
      active: p.active,
    })),
  };
}

/** "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" → host and path only. */
export function maskWebhook(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '（地址无效）';
  }
}

export async function listGroups(db: Database, f: { q?: string; unit?: string; platform?: 'WECOM' | 'DINGTALK' | 'CONSOLE' }, page: Page) {
  const where: Models.Prisma.ChatGroupWhereInput = {
    ...(f.unit ? { unitCode: f.unit } : {}),
    ...(f.platform ? { platform: f.platform } : {}),
    ...(f.q ? { OR: [{ name: { contains: f.q } }, { chatId: { contains: f.q } }] } : {}),
  };
  const [total, groups] = await Promise.all([
    db.prisma.chatGroup.count({ where }),
    db.prisma.chatGroup.findMany({ where, orderBy: [{ purpose: 'asc' }, { name: 'asc' }, { id: 'asc' }], skip: page.offset, take: page.limit, include: { unit: { select: { name: true } } } }),
  ]);
  return {
    total,
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      platform: g.platform,
      purpose: g.purpose,
      unitCode: g.unitCode,
      unitName: g.unit?.name ?? null,
      chatId: g.chatId,
      webhook: maskWebhook(g.webhookUrl),
      signed: Boolean(g.webhookSecret),
    })),
  };
}
