/**
 * The contract between the outbox (rows in `outbox_message`) and the platform adapters that
 * deliver them. Adapters implement `ChannelSender`; the delivery worker owns retries, backoff,
 * rate limits and dead letters, so an adapter only says how a row goes out and how a failure reads.
 */

export const OUTBOX_PLATFORMS = ['WECOM', 'DINGTALK', 'CONSOLE'] as const;
export type OutboxPlatform = (typeof OUTBOX_PLATFORMS)[number];

/** A message to write into the outbox, in the same transaction as the change that caused it. */
export interface OutboxInput {
  /** Unique across the table: a second enqueue with the same key is a no-op (replicas, re-runs). */
  idempotencyKey: string;
  platform: OutboxPlatform;
  /** Person id, chat group id or webhook, as the platform's sender understands it. */
  target: string;
  /** What it is (card name, digest, text), for operators. */
  kind: string;
  /** Platform-neutral content, stored as JSON and rendered at delivery time. */
  payload: unknown;
  ticketId?: number;
  /** Not before this instant (default: the enqueue time). */
  notBefore?: Date;
}

/** One claimed row as a sender sees it. */
export interface DeliveryRow {
  id: number;
  platform: string;
  target: string;
  kind: string;
  payload: unknown;
  ticketId: number | null;
  attempts: number;
  idempotencyKey: string;
}

/** At most `limit` sends in any window of `windowMs` for everything sharing `key`. */
export interface RateRule {
  key: string;
  limit: number;
  windowMs: number;
}

export interface DeliveryResult {
  platformMessageId?: string;
  /** Handle to update the delivered card in place (WeCom response_code, DingTalk outTrackId…). */
  cardRef?: string;
}

export interface ChannelSender {
  platform: string;
  /** The rate rules this row counts against (empty: unlimited, e.g. the console). */
  rules(row: DeliveryRow): RateRule[];
  /** Sends the row; throws `DeliveryError` to say whether and when to try again. */
  deliver(row: DeliveryRow): Promise<DeliveryResult>;
}

/**
 * A classified delivery failure. `retryable` → attempts+1 and backoff; not retryable → dead letter
 * with `code: message`; `retryAfterMs` → the platform throttled us: wait that long, no attempt counted.
 */
export class DeliveryError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, code: string, retryable: boolean, retryAfterMs?: number) {
    super(message);
    this.name = 'DeliveryError';
    this.code = code;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The slice of a pino logger the outbox uses (object first, message second). */
export interface OutboxLog {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
