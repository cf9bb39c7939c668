/** `/导出` writes the ticket ledger to a file under the export directory, in the console's layout. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import { parsePlan } from '../../domain/plan/parse.ts';
import { assignPlan, loadPlan } from '../../handlers/services/plan-store.ts';
import { exportTickets, TICKET_EXPORT_COLUMNS } from '../../handlers/services/export.ts';
import { loadCalendar } from '../../handlers/services/calendar.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const text = readFileSync(SEED_PLAN_FILE, 'utf8');
const now = new Date('2026-06-22T02:00:00Z');

describe.each(dbKinds)('ticket export to a file (%s)', (kind) => {
  let t: TestDb;
  let dir: string;
  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'duban-export-'));
    const loaded = await loadPlan(t.db, parsePlan(text), text, now);
    await assignPlan(t.db, loaded.planId, now, 'CONSOLE');
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes every ticket, or one unit’s, under a title and the header', async () => {
    const cal = await loadCalendar(t.db);
    const all = await exportTickets(t.db, dir, '2026-06-22', cal, 3, null);
    expect(all.rows).toBe(await t.db.prisma.ticket.count());
    expect(all.name).toMatch(/^督办单-2026-06-22-[0-9a-f]{8}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(all.file);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(TICKET_EXPORT_COLUMNS.map((c) => c.header));
    expect(ws.rowCount).toBe(all.rows + 2);
    const one = await exportTickets(t.db, dir, '2026-06-22', cal, 3, 'c-changsha');
    expect(one.rows).toBe(await t.db.prisma.ticket.count({ where: { unitCode: 'c-changsha' } }));
  });
});
