import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../prisma/client.ts';
import { loadMigrations, migrate, pendingMigrations } from '../../prisma/migrate.ts';
import { dbKinds, freshUrl } from '../support/databases.ts';

describe.each(dbKinds)('migrations on %s', (kind) => {
  it('applies every migration folder once, through the WASM engine, and records them like Prisma', async () => {
    const { url, drop } = await freshUrl(kind);
    try {
      const all = loadMigrations(kind).migrationDirectories.map((m) => m.path);
      expect(all.length).toBeGreaterThan(0);
      expect(await pendingMigrations(url)).toEqual(all);
      expect(await migrate(url)).toEqual(all);
      expect(await migrate(url)).toEqual([]);
      expect(await pendingMigrations(url)).toEqual([]);
      const db = await openDatabase(url);
      try {
        const rows = await db.sql.query<{ migration_name: string; finished_at: unknown }>('SELECT migration_name, finished_at FROM _prisma_migrations');
        expect(rows.map((r) => r.migration_name)).toEqual(all);
        expect(rows.every((r) => r.finished_at !== null)).toBe(true);
        // The schema is usable through the Prisma client.
        await db.prisma.unit.create({ data: { code: 'x', name: '测试单位', kind: 'PROVINCIAL' } });
        expect(await db.prisma.unit.count()).toBe(1);
      } finally {
        await db.close();
      }
    } finally {
      await drop();
    }
  });
});

describe('bad database URLs', () => {
  it('refuses an unsupported scheme with one clear message', async () => {
    await expect(openDatabase('mysql://root@localhost/x')).rejects.toMatchObject({ code: 'DB_URL' });
  });

  it('reports an unreachable PostgreSQL as DB_UNREACHABLE', async () => {
    await expect(openDatabase('postgresql://nobody@127.0.0.1:1/none')).rejects.toMatchObject({ code: 'DB_UNREACHABLE' });
  });
});
