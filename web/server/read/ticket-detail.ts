/**
 * One ticket as its page shows it: the header, every TicketEvent in order, the progress reports and
 * the evidence on file. Times are given as instants (ISO) and as Asia/Shanghai wall-clock text.
 */
import type { Database } from '../../../prisma/client.ts';
import { overdueWorkdays, shanghaiParts, trafficLight, type WorkCalendar } from '../../../domain/calendar.ts';
import { ROLE_LABELS, type Role } from '../../../domain/access.ts';
import { TICKET_STATUS_LABELS, type TicketStatus } from '../../../domain/ticket/types.ts';

/** Events kept on the page; a ticket chased daily for years still loads quickly. */
export const TIMELINE_MAX = 1000;

export const EVENT_LABELS: Record<string, string> = {
  assign: '交办', accept: '签收', progress: '更新进度', submit: '提交审核', approve: '审核通过', return: '退回',
  resume: '恢复办理', requestExtension: '申请延期', decideExtension: '审批延期', reassign: '改派', evidence: '提交佐证',
  chase: '催办', difficulty: '反馈困难', disclaim: '退单', confirmDisclaim: '维持原承办单位',
};

/** '2026-06-22 10:05' on a Shanghai wall clock. */
export function shanghaiStamp(d: Date): string {
  const p = shanghaiParts(d);
  return `${p.date} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

const stamp = (d: Date | null) => (d ? { at: d.toISOString(), atText: shanghaiStamp(d) } : null);

function parseData(s: string | null): Record<string, unknown> {
  if (!s) return {};
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A short Chinese line with what an event changed (percent, dates, units), or null. */
function detailOf(type: string, d: Record<string, unknown>, unitName: (code: string) => string): string | null {
  switch (type) {
    case 'progress':
      return typeof d.percent === 'number' ? `进度 ${d.previousPercent ?? 0}% → ${d.percent}%` : null;
    case 'submit':
      return '进度 100%';
    case 'requestExtension':
      return typeof d.newDue === 'string' ? `申请将完成时限由 ${String(d.due)} 延至 ${d.newDue}` : null;
    case 'decideExtension':
      return d.approved ? `同意延期：完成时限 ${String(d.previousDue)} → ${String(d.newDue)}` : `不同意延期（申请延至 ${String(d.newDue)}）`;
    case 'reassign':
      return typeof d.toUnit === 'string' ? `承办单位 ${unitName(String(d.fromUnit))} → ${unitName(d.toUnit)}` : null;
    case 'confirmDisclaim':
      return typeof d.due === 'string' ? `办理时限顺延 ${String(d.pausedWorkdays ?? 0)} 个工作日至 ${d.due}` : null;
    default:
      return null;
  }
}

/** image/* and PDF are shown in the browser; everything else is only downloaded. */
export function previewable(mime: string): boolean {
  return mime === 'application/pdf' || mime === 'image/png' || mime === 'image/jpeg';
}

export async function ticketDetail(db: Database, id: number, today: string, cal: WorkCalendar, yellowWorkdays: number) {
  const t = await db.prisma.ticket.findUnique({
    where: { id },
    include: {
      unit: { select: { name: true, kind: true } },
      assignee: { select: { id: true, name: true } },
      milestone: { include: { task: { select: { seq: true, category: true, content: true, planId: true } } } },
    },
  });
  if (!t) return null;
  const [events, eventCount, reports, evidence] = await Promise.all([
    db.prisma.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: 'asc' }, take: TIMELINE_MAX }),
    db.prisma.ticketEvent.count({ where: { ticketId: id } }),
    db.prisma.progressReport.findMany({ where: { ticketId: id }, orderBy: { id: 'desc' }, take: 200 }),
    db.prisma.evidence.findMany({ where: { ticketId: id }, orderBy: { id: 'asc' } }),
  ]);
  const personIds = [...new Set([...reports.map((r) => r.reporterId), ...evidence.map((e) => e.uploaderId)].filter((x): x is string => Boolean(x)))];
  const unitCodes = [...new Set(events.flatMap((e) => {
    const d = parseData(e.data);
    return [d.fromUnit, d.toUnit].filter((x): x is string => typeof x === 'string');
  }))];
  const [people, units] = await Promise.all([
    personIds.length ? db.prisma.person.findMany({ where: { id: { in: personIds } }, select: { id: true, name: true } }) : [],
    unitCodes.length ? db.prisma.unit.findMany({ where: { code: { in: unitCodes } }, select: { code: true, name: true } }) : [],
  ]);
  const personName = new Map(people.map((p) => [p.id, p.name]));
  const unitName = (code: string) => units.find((u) => u.code === code)?.name ?? code;
  const status = t.status as TicketStatus;
  return {
    ticket: {
      id: t.id,
      kind: t.kind,
      title: t.title,
      planId: t.milestone?.task.planId ?? null,
      taskSeq: t.milestone?.task.seq ?? null,
      category: t.milestone?.task.category ?? null,
      taskContent: t.milestone?.task.content ?? null,
      milestone: t.milestone ? { id: t.milestone.id, text: t.milestone.text, due: t.milestone.due } : null,
      unitCode: t.unitCode,
      unitName: t.unit.name,
      assignee: t.assignee,
      status,
      statusLabel: TICKET_STATUS_LABELS[status],
      progress: t.progress,
      due: t.due,
      originalDue: t.originalDue,
      light: trafficLight(t, today, cal, yellowWorkdays),
      overdueWorkdays: status === 'DONE' ? 0 : overdueWorkdays(t.due, today, cal),
      workdaysLeft: Math.max(0, cal.workdaysBetween(today, t.due)),
      extension: t.extensionDue ? { due: t.extensionDue, reason: t.extensionReason ?? '' } : null,
      disclaim: t.disclaimReason ? { reason: t.disclaimReason, ...stamp(t.disclaimedAt) } : null,
      urgent: t.urgent,
      version: t.version,
      created: stamp(t.createdAt),
      accepted: stamp(t.acceptedAt),
      submitted: stamp(t.submittedAt),
      done: stamp(t.doneAt),
      updated: stamp(t.updatedAt),
    },
    events: events.map((e) => {
      const data = parseData(e.data);
      const via = data.via && typeof data.via === 'object' ? (data.via as Record<string, unknown>) : null;
      return {
        id: e.id,
        type: e.type,
        label: EVENT_LABELS[e.type] ?? e.type,
        actorName: e.actorName,
        actorRole: e.actorRole,
        roleLabel: ROLE_LABELS[e.actorRole as Role] ?? e.actorRole,
        from: e.fromStatus,
        to: e.toStatus,
        fromLabel: e.fromStatus ? TICKET_STATUS_LABELS[e.fromStatus as TicketStatus] : null,
        toLabel: e.toStatus ? TICKET_STATUS_LABELS[e.toStatus as TicketStatus] : null,
        note: e.note,
        detail: detailOf(e.type, data, unitName),
        /** Set when the action was taken in the web console (the account's user name). */
        webUser: via && typeof via.username === 'string' ? via.username : null,
        ...stamp(e.createdAt)!,
      };
    }),
    eventsTotal: eventCount,
    reports: reports.map((r) => ({ id: r.id, percent: r.percent, note: r.note, reporterName: r.reporterId ? personName.get(r.reporterId) ?? null : null, ...stamp(r.createdAt)! })),
    evidence: evidence.map((e) => ({
      id: e.id,
      name: e.name,
      mime: e.mime,
      size: e.size,
      sha256: e.sha256,
      uploaderName: e.uploaderId ? personName.get(e.uploaderId) ?? null : null,
      previewable: previewable(e.mime),
      downloadUrl: `/api/evidence/${e.id}/download`,
      previewUrl: previewable(e.mime) ? `/api/evidence/${e.id}/preview` : null,
      ...stamp(e.createdAt)!,
    })),
  };
}

export type TicketDetail = NonNullable<Awaited<ReturnType<typeof ticketDetail>>>;
