/**
 * The demo directory: people and chat groups for the console adapter, so that `npm start` lets a
 * newcomer act as an officer of any unit, bureau staff or a leader. Idempotent (console ids and
 * chat ids are unique keys).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Database } from '../../prisma/client.ts';

const role = z.enum(['BUREAU_ADMIN', 'BUREAU_STAFF', 'UNIT_OFFICER', 'UNIT_LEADER', 'LEADER']);
const directorySchema = z.object({
  people: z.array(z.object({ consoleId: z.string(), name: z.string(), role, unit: z.string().nullable(), title: z.string().optional() })),
  perUnit: z.array(z.object({ consoleIdPrefix: z.string(), role, nameTemplate: z.string(), title: z.string().optional() })),
  groups: z.array(z.object({ chatId: z.string(), name: z.string(), purpose: z.enum(['LEADERSHIP', 'UNIT', 'BUREAU']), unit: z.string().optional() })),
  unitGroupTemplate: z.object({ chatIdPrefix: z.string(), nameTemplate: z.string(), purpose: z.literal('UNIT') }),
});

export const DEMO_DIRECTORY_FILE = fileURLToPath(new URL('../../prisma/seed/demo-directory.json', import.meta.url));

export interface SeedResult { people: number; groups: number }

export async function seedDemoDirectory(db: Database, file = DEMO_DIRECTORY_FILE): Promise<SeedResult> {
  const dir = directorySchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const units = await db.prisma.unit.findMany({ orderBy: { sortOrder: 'asc' } });
  const known = new Set(units.map((u) => u.code));
  const people = dir.people.filter((p) => p.unit === null || known.has(p.unit)).map((p) => ({
    consoleId: p.consoleId, name: p.name, role: p.role, unitCode: p.unit, title: p.title ?? null,
  }));
  for (const u of units.filter((u) => u.kind !== 'BUREAU')) {
    for (const t of dir.perUnit) {
      people.push({ consoleId: `${t.consoleIdPrefix}-${u.code}`, name: t.nameTemplate.replace('{unit}', u.name), role: t.role, unitCode: u.code, title: t.title ?? null });
    }
  }
  const groups = dir.groups.filter((g) => !g.unit || known.has(g.unit)).map((g) => ({
    platform: 'CONSOLE' as const, chatId: g.chatId, name: g.name, purpose: g.purpose, unitCode: g.unit ?? null,
  }));
  for (const u of units.filter((u) => u.kind !== 'BUREAU')) {
    const t = dir.unitGroupTemplate;
    groups.push({ platform: 'CONSOLE', chatId: `${t.chatIdPrefix}-${u.code}`, name: t.nameTemplate.replace('{unit}', u.name), purpose: t.purpose, unitCode: u.code });
  }
  const existingPeople = new Set((await db.prisma.person.findMany({ where: { consoleId: { not: null } }, select: { consoleId: true } })).map((p) => p.consoleId));
  const newPeople = people.filter((p) => !existingPeople.has(p.consoleId));
  if (newPeople.length) await db.prisma.person.createMany({ data: newPeople });
  const existingGroups = new Set((await db.prisma.chatGroup.findMany({ where: { platform: 'CONSOLE' }, select: { chatId: true } })).map((g) => g.chatId));
  const newGroups = groups.filter((g) => !existingGroups.has(g.chatId));
  if (newGroups.length) await db.prisma.chatGroup.createMany({ data: newGroups });
  return { people: newPeople.length, groups: newGroups.length };
}
