/**
 * Writing messages into the outbox. Callers pass the RawSql of the transaction that makes the
 * change the message is about, so either both are committed or neither is; the unique
 * idempotency key makes a second enqueue (a re-run, a retry, another replica) a no-op.
 */
import type { RawSql, SqlValue } from '../../prisma/raw-sql.ts';
import { DomainError } from '../../domain/errors.ts';
import { OUTBOX_PLATFORMS, type OutboxInput } from './types.ts';

const COLUMNS = ['idempotency_key', 'platform', 'target', 'kind', 'payload', 'status', 'attempts', 'next_attempt_at', 'created_at', 'ticket_id'];
const MAX_KEY_LENGTH = 500;

/** Inserts the messages whose key is new; returns how many were inserted. */
export async function enqueue(sql: RawSql, msgs: OutboxInput[], now: Date): Promise<number> {
  const seen = new Set<string>();
  const rows: SqlValue[][] = [];
  for (const m of msgs) {
    validate(m);
    if (seen.has(m.idempotencyKey)) continue; // first one wins, as it would across statements
    seen.add(m.idempotencyKey);
    rows.push([
      m.idempotencyKey, m.platform, m.target, m.kind, JSON.stringify(m.payload), 'PENDING', 0,
      m.notBefore ?? now, now, m.ticketId ?? null,
    ]);
  }
  if (rows.length === 0) return 0;
  return sql.insertMany('outbox_message', COLUMNS, rows, ['idempotency_key']);
}

function validate(m: OutboxInput): void {
  const bad = (why: string) =>
    new DomainError('OUTBOX_INPUT', `待发送消息无效：${why}`, `invalid outbox message ${JSON.stringify(m.idempotencyKey)}: ${why}`);
  if (typeof m.idempotencyKey !== 'string' || m.idempotencyKey.length === 0) throw bad('缺少幂等键 idempotencyKey');
  if (m.idempotencyKey.length > MAX_KEY_LENGTH) throw bad(`幂等键超过 ${MAX_KEY_LENGTH} 个字符`);
  if (!(OUTBOX_PLATFORMS as readonly string[]).includes(m.platform)) throw bad(`未知平台 ${String(m.platform)}`);
  if (!m.target) throw bad('缺少接收方 target');
  if (!m.kind) throw bad('缺少消息类型 kind');
  if (JSON.stringify(m.payload) === undefined) throw bad('payload 无法序列化为 JSON');
  if (m.notBefore && Number.isNaN(m.notBefore.getTime())) throw bad('notBefore 不是有效时间');
}
