/** A unit as people type it: full name, a known alias (湖南日报 = 湖南日报社), else a unique-enough part of the name. */
import type { Database } from '../../prisma/client.ts';

export interface UnitNames {
  code: string;
  name: string;
  /** JSON array, as stored */
  aliases: string;
}

/** The same lookup as `findUnit`, over units already read (imports resolve many rows at once). */
export function matchUnit<U extends UnitNames>(units: readonly U[], text: string): U | null {
  const t = text.trim();
  return units.find((u) => u.name === t || (JSON.parse(u.aliases) as string[]).includes(t)) ?? units.find((u) => t.length >= 2 && u.name.includes(t)) ?? null;
}

export async function findUnit(db: Database, text: string): Promise<{ code: string; name: string } | null> {
  const hit = matchUnit(await db.prisma.unit.findMany({ select: { code: true, name: true, aliases: true } }), text);
  return hit ? { code: hit.code, name: hit.name } : null;
}
