/**
 * Excel export of tickets (exceljs streaming writer: rows are written and flushed as they are read,
 * 2,000 tickets per query, so 100,000 tickets never sit in memory at once). Layout: a title row,
 * the header, then one row per ticket:
 *   序号 · 督办单号 · 任务 · 工作任务 · 节点 · 责任单位 · 状态 · 进度(%) · 期限 · 原期限 · 逾期工作日 · 红黄绿灯 · 最近更新
 * 逾期工作日: working days past the due date, up to today (open tickets) or to the day it was done.
 * Used by `/导出` (a file under the export directory) and by the web console (streamed download).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Database } from '../../prisma/client.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { overdueWorkdays, shanghaiDate, trafficLight } from '../../domain/calendar.ts';
import { TICKET_STATUS_LABELS } from '../../domain/ticket/types.ts';

const LIGHT = { GREEN: '绿', YELLOW: '黄', RED: '红' } as const;

export const TICKET_EXPORT_COLUMNS = [
  { header: '序号', key: 'n', width: 7 },
  { header: '督办单号', key: 'id', width: 9 },
  { header: '任务', key: 'task', width: 7 },
  { header: '工作任务', key: 'category', width: 14 },
  { header: '节点', key: 'milestone', width: 60 },
  { header: '责任单位', key: 'unit', width: 22 },
  { header: '状态', key: 'status', width: 9 },
  { header: '进度(%)', key: 'progress', width: 9 },
  { header: '期限', key: 'due', width: 12 },
  { header: '原期限', key: 'originalDue', width: 12 },
  { header: '逾期工作日', key: 'overdue', width: 11 },
  { header: '红黄绿灯', key: 'light', width: 9 },
  { header: '最近更新', key: 'updatedAt', width: 17 },
] as const;

export interface TicketExportOptions {
  today: string;
  cal: WorkCalendar;
  yellow: number;
  /** Only this unit's tickets (a unit account's export); null: all. */
  unitCode: string | null;
}

/** Writes the workbook to a file or a stream; resolves with the number of tickets when it is complete. */
export async function writeTicketsWorkbook(db: Database, target: { filename: string } | { stream: Writable }, o: TicketExportOptions): Promise<number> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ ...target, useStyles: true, useSharedStrings: false });
  wb.creator = 'duban';
  const ws = wb.addWorksheet('督办单', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = TICKET_EXPORT_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  ws.mergeCells(1, 1, 1, TICKET_EXPORT_COLUMNS.length);
  const title = ws.getRow(1);
  title.getCell(1).value = `督办单台账（截至${o.today}）`;
  title.getCell(1).font = { bold: true, size: 14 };
  title.commit();
  const header = ws.getRow(2);
  header.values = TICKET_EXPORT_COLUMNS.map((c) => c.header);
  header.font = { bold: true };
  header.commit();

  // Working days depend on the holiday calendar: computed once per (due, end day), not per ticket.
  const overdueCache = new Map<string, number>();
  const overdue = (due: string, end: string) => {
    const k = `${due}|${end}`;
    let v = overdueCache.get(k);
    if (v === undefined) overdueCache.set(k, (v = overdueWorkdays(due, end, o.cal)));
    return v;
  };
  let n = 0;
  let cursor = 0;
  for (;;) {
    const batch = await db.prisma.ticket.findMany({
      where: { id: { gt: cursor }, ...(o.unitCode ? { unitCode: o.unitCode } : {}) },
      orderBy: { id: 'asc' },
      take: 2000,
      include: { unit: { select: { name: true } }, milestone: { include: { task: { select: { seq: true, category: true } } } } },
    });
    if (!batch.length) break;
    for (const t of batch) {
      const end = t.status === 'DONE' ? (t.doneAt ? shanghaiDate(t.doneAt) : t.due) : o.today;
      ws.addRow({
        n: ++n, id: t.id, task: t.milestone?.task.seq ?? '', category: t.milestone?.task.category ?? (t.kind === 'PROBLEM' ? '问题整改' : ''),
        milestone: t.milestone?.text ?? t.title, unit: t.unit.name, status: TICKET_STATUS_LABELS[t.status], progress: t.progress,
        due: t.due, originalDue: t.originalDue, overdue: overdue(t.due, end),
        light: LIGHT[trafficLight(t, o.today, o.cal, o.yellow)], updatedAt: shanghaiStamp(t.updatedAt),
      }).commit();
    }
    cursor = batch.at(-1)!.id;
  }
  ws.commit();
  await wb.commit();
  return n;
}

function shanghaiStamp(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export async function exportTickets(db: Database, dir: string, today: string, cal: WorkCalendar, yellow: number, unitCode: string | null): Promise<{ file: string; name: string; rows: number }> {
  await mkdir(dir, { recursive: true });
  const name = `督办单-${today}-${randomBytes(4).toString('hex')}.xlsx`;
  const file = join(dir, name);
  const rows = await writeTicketsWorkbook(db, { filename: file }, { today, cal, yellow, unitCode });
  return { file, name, rows };
}
