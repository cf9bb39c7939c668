import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

describe.each(dbKinds)('raw SQL and Prisma agree on timestamps on %s', (kind) => {
  let t: TestDb;
  const originalTz = process.env.TZ;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    process.env.TZ = 'Asia/Shanghai'; // a server set to local time must not shift stored instants
  });
  afterEach(async () => {
    process.env.TZ = originalTz;
    await t.cleanup();
  });

  it('reads back through Prisma what raw SQL wrote, and the other way round', async () => {
    const instant = new Date('2026-06-22T02:03:04.005Z');
    await t.db.sql.insertMany('unit', ['code', 'name', 'kind', 'created_at'], [['raw', '原始写入', 'CITY', instant]]);
    await t.db.prisma.unit.create({ data: { code: 'orm', name: 'Prisma写入', kind: 'CITY', createdAt: instant } });
    const viaPrisma = await t.db.prisma.unit.findUniqueOrThrow({ where: { code: 'raw' } });
    expect(viaPrisma.createdAt.toISOString()).toBe(instant.toISOString());
    const viaRaw = await t.db.sql.query<{ created_at: string | Date }>('SELECT created_at FROM unit WHERE code = ?', ['orm']);
    expect(new Date(viaRaw[0]!.created_at).toISOString()).toBe(instant.toISOString());
    const cmp = await t.db.sql.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM unit WHERE created_at = ?', [instant]);
    expect(Number(cmp[0]!.n)).toBe(2); // both writers store one format, so SQL comparisons see both rows
  });
});
