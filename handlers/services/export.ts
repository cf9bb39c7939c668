/** Excel export of tickets (exceljs), written under the export directory with a random name. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Database } from '../../prisma/client.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { trafficLight } from '../../domain/calendar.ts';
import { TICKET_STATUS_LABELS } from '../../domain/ticket/types.ts';

const LIGHT = { GREEN: '绿', YELLOW: '黄', RED: '红' } as const;

export async function exportTickets(db: Database, dir: string, today: string, cal: WorkCalendar, yellow: number, unitCode: string | null): Promise<{ file: string; name: string; rows: number }> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'duban';
  const ws = wb.addWorksheet('督办单');
  ws.columns = [
    { header: '编号', key: 'id', width: 8 },
    { header: '任务', key: 'task', width: 8 },
    { header: '工作任务', key: 'category', width: 14 },
    { header: '节点内容', key: 'milestone', width: 60 },
    { header: '承办单位', key: 'unit', width: 22 },
    { header: '完成时限', key: 'due', width: 12 },
    { header: '原定时限', key: 'originalDue', width: 12 },
    { header: '状态', key: 'status', width: 10 },
    { header: '进度(%)', key: 'progress', width: 9 },
    { header: '红黄绿灯', key: 'light', width: 9 },
    { header: '最近更新', key: 'updatedAt', width: 20 },
  ];
  ws.getRow(1).font = { bold: true };
  let rows = 0;
  // Page through the table: exports of 100k tickets must not hold every row at once.
  let cursor = 0;
  for (;;) {
    const batch = await db.prisma.ticket.findMany({
      where: { id: { gt: cursor }, ...(unitCode ? { unitCode } : {}) },
      orderBy: { id: 'asc' },
      take: 2000,
      include: { unit: { select: { name: true } }, milestone: { include: { task: { select: { seq: true, category: true } } } } },
    });
    if (!batch.length) break;
    for (const t of batch) {
      ws.addRow({
        id: t.id, task: t.milestone?.task.seq ?? '', category: t.milestone?.task.category ?? '', milestone: t.milestone?.text ?? t.title,
        unit: t.unit.name, due: t.due, originalDue: t.originalDue, status: TICKET_STATUS_LABELS[t.status], progress: t.progress,
        light: LIGHT[trafficLight(t, today, cal, yellow)], updatedAt: t.updatedAt.toISOString().slice(0, 16).replace('T', ' '),
      });
    }
    rows += batch.length;
    cursor = batch.at(-1)!.id;
  }
  await mkdir(dir, { recursive: true });
  const name = `督办单-${today}-${randomBytes(4).toString('hex')}.xlsx`;
  const file = join(dir, name);
  await wb.xlsx.writeFile(file);
  return { file, name, rows };
}
