/** The working-day calendar with the bureau's overrides from the database (next year's holidays are published late). */
import type { Database } from '../../prisma/client.ts';
import { createCalendar, isISODate, type WorkCalendar } from '../../domain/calendar.ts';
import { DomainError } from '../../domain/errors.ts';

export async function loadCalendar(db: Database): Promise<WorkCalendar> {
  const rows = await db.prisma.calendarOverride.findMany();
  return createCalendar(rows.map((r) => ({ date: r.date, workday: r.workday, note: r.note })));
}

export async function setCalendarOverride(db: Database, date: string, workday: boolean, note: string | null, createdBy: string | null): Promise<void> {
  if (!isISODate(date)) throw new DomainError('CALENDAR_BAD_DATE', `日期格式应为 YYYY-MM-DD：${date}`, `bad date ${date}`);
  await db.prisma.calendarOverride.upsert({
    where: { date },
    create: { date, workday, note, createdBy },
    update: { workday, note, createdBy },
  });
}

export async function removeCalendarOverride(db: Database, date: string): Promise<boolean> {
  const r = await db.prisma.calendarOverride.deleteMany({ where: { date } });
  return r.count > 0;
}
