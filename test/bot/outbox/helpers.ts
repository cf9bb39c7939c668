/** Shared fakes for the outbox suites: a settable clock, a recording log, a scriptable sender. */
import type { Database } from '../../../prisma/client.ts';
import { enqueue } from '../../../bot/outbox/enqueue.ts';
import { toDate } from '../../../bot/outbox/status.ts';
import type { ChannelSender, DeliveryResult, DeliveryRow, OutboxInput, OutboxLog, RateRule } from '../../../bot/outbox/types.ts';

export const T0 = new Date('2026-06-20T02:00:00.000Z');

export class FakeClock {
  t: number;
  constructor(start: Date = T0) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface LogLine { level: 'debug' | 'info' | 'warn' | 'error'; obj: Record<string, unknown>; msg: string }

export function recordingLog(): OutboxLog & { lines: LogLine[]; at(level: LogLine['level']): LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object, msg: string) => void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    at: (level) => lines.filter((l) => l.level === level),
  };
}

/** A sender that records every delivery with the clock's time and answers with `behaviour`. */
export class FakeSender implements ChannelSender {
  readonly delivered: { row: DeliveryRow; at: number }[] = [];
  behaviour: (row: DeliveryRow) => DeliveryResult | Promise<DeliveryResult> = (row) => ({ platformMessageId: `m-${row.id}` });
  rulesFor: (row: DeliveryRow) => RateRule[] = () => [];

  constructor(readonly platform: string, private readonly clock: { now(): Date }) {}

  rules(row: DeliveryRow): RateRule[] {
    return this.rulesFor(row);
  }

  async deliver(row: DeliveryRow): Promise<DeliveryResult> {
    this.delivered.push({ row, at: this.clock.now().getTime() });
    return this.behaviour(row);
  }

  countFor(id: number): number {
    return this.delivered.filter((d) => d.row.id === id).length;
  }
}

export function message(n: number | string, over: Partial<OutboxInput> = {}): OutboxInput {
  return { idempotencyKey: `k-${n}`, platform: 'CONSOLE', target: 'group:g1', kind: 'text', payload: { text: `消息 ${n}` }, ...over };
}

export async function put(db: Database, msgs: OutboxInput[], now: Date = T0): Promise<number> {
  return enqueue(db.sql, msgs, now);
}

export interface StoredRow {
  id: number;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
  platformMessageId: string | null;
  cardRef: string | null;
  cardRefAt: Date | null;
  sentAt: Date | null;
  idempotencyKey: string;
  payload: string;
  ticketId: number | null;
}

export async function stored(db: Database): Promise<StoredRow[]> {
  const rows = await db.sql.query<Record<string, unknown>>('SELECT * FROM outbox_message ORDER BY id');
  const d = (v: unknown) => toDate((v ?? null) as Date | string | null);
  return rows.map((r) => ({
    id: Number(r.id),
    status: String(r.status),
    attempts: Number(r.attempts),
    nextAttemptAt: d(r.next_attempt_at)!,
    lockedBy: (r.locked_by as string | null) ?? null,
    lockedUntil: d(r.locked_until),
    lastError: (r.last_error as string | null) ?? null,
    platformMessageId: (r.platform_message_id as string | null) ?? null,
    cardRef: (r.card_ref as string | null) ?? null,
    cardRefAt: d(r.card_ref_at),
    sentAt: d(r.sent_at),
    idempotencyKey: String(r.idempotency_key),
    payload: String(r.payload),
    ticketId: r.ticket_id === null ? null : Number(r.ticket_id),
  }));
}
