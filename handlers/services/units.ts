/** A unit as people type it: full name, a known alias (湖南日报 = 湖南日报社), else a unique-enough part of the name. */
import type { Database } from '../../prisma/client.ts';

export async function findUnit(db: Database, text: string): Promise<{ code: string; name: string } | null> {
  const t = text.trim();
  const units = await db.prisma.unit.findMany({ select: { code: true, name: true, aliases: true } });
  const hit = units.find((u) => u.name === t || (JSON.parse(u.aliases) as string[]).includes(t)) ?? units.find((u) => t.length >= 2 && u.name.includes(t));
  return hit ? { code: hit.code, name: hit.name } : null;
}
