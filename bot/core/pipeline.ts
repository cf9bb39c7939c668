/**
 * Inbound pipeline: acknowledge first, then work. An adapter hands over a verified, decoded
 * message; `accept` records it in InboundEvent (its platform key is unique, so a platform retry or
 * a second replica sees a duplicate and drops it) and returns at once; the work runs after the
 * platform has been answered. Events recorded but not processed (a crash in between) are picked
 * up again by `recover` on start.
 */
import type { Database } from '../../prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { InboundMessage } from '../../handlers/bot.ts';
import { InboundWriter, ProcessedMarker } from './inbound-writer.ts';
import { isUnavailable } from '../../prisma/availability.ts';

export type Dispatch = (message: InboundMessage) => Promise<void>;

export interface Pipeline {
  accept(message: InboundMessage): Promise<'accepted' | 'duplicate'>;
  /** Resolves when every accepted message has been processed (tests, graceful shutdown). */
  drain(): Promise<void>;
  /**
   * Runs again the events recorded but not processed. `olderThanMs`: only events received at least
   * that long ago — with several replicas, a younger one may still be in another replica's hands.
   * Events this process is working on are skipped.
   */
  recover(rehydrate: (payload: SerializedInbound) => InboundMessage | null, olderThanMs?: number): Promise<number>;
}

export type SerializedInbound = Omit<InboundMessage, 'receivedAt' | 'attachment'> & {
  receivedAt: string;
  attachment?: { kind: string; name: string; mime: string; size?: number; ref?: string };
};

export function serializeInbound(m: InboundMessage): SerializedInbound {
  const { receivedAt, ...rest } = m;
  const out = { ...rest, receivedAt: receivedAt.toISOString() } as SerializedInbound & { attachment?: unknown };
  if (m.kind === 'attachment') {
    const { fetch: _fetch, ...att } = m.attachment;
    out.attachment = att;
  }
  return out;
}

/** The InboundEvent key: the platform's own key, scoped by platform once. */
export function inboundKey(m: InboundMessage): string {
  const prefix = `${m.chat.platform}:`;
  return m.eventKey.startsWith(prefix) ? m.eventKey : prefix + m.eventKey;
}

/** How often work interrupted by a database outage is tried again. */
const RETRY_MS = 2_000;
/**
 * Events processed at once. Without a bound, a sustained burst starts thousands of handlers that
 * compete with the acknowledgements for the CPU and the database pool, and throughput collapses;
 * the rest wait their turn in memory (they are already recorded, so a crash loses nothing).
 */
export const MAX_CONCURRENT_DISPATCH = 16;

function semaphore(size: number) {
  let free = size;
  const queue: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((resolve) => queue.push(resolve));
    },
    release(): void {
      const next = queue.shift();
      if (next) next();
      else free++;
    },
  };
}

export function createPipeline(db: Database, dispatch: Dispatch, log: Logger, now: () => Date): Pipeline {
  const inFlight = new Set<Promise<void>>();
  const slots = semaphore(MAX_CONCURRENT_DISPATCH);
  const writer = new InboundWriter(db.sql);
  const marker = new ProcessedMarker(db.sql, now);

  // What a database outage interrupted, kept in this process and retried until the database answers.
  const waiting = new Map<string, InboundMessage>();
  const unmarked = new Map<string, string | null>();
  let retryTimer: NodeJS.Timeout | undefined;
  const retrySoon = () => {
    retryTimer ??= setTimeout(() => void retry(), RETRY_MS).unref();
  };
  const retry = async () => {
    try {
      await db.sql.query('SELECT 1');
    } catch {
      retryTimer = undefined;
      return retrySoon();
    }
    retryTimer = undefined;
    for (const [key, error] of [...unmarked]) {
      unmarked.delete(key);
      await marker.mark(key, error).catch(() => {
        unmarked.set(key, error);
        retrySoon();
      });
    }
    for (const [key, message] of [...waiting]) {
      waiting.delete(key);
      process(key, message);
    }
  };

  /** Keys this process is working on (a recovery sweep must not start them a second time). */
  const mine = new Set<string>();
  const process = (key: string, message: InboundMessage, afterAnswer = false) => {
    mine.add(key);
    const p = (async () => {
      // The work starts after the platform's answer is on its way, but it is in `inFlight` from
      // the moment it was accepted: a drain (graceful shutdown) right after the answer waits for it.
      if (afterAnswer) await new Promise((resolve) => setImmediate(resolve));
      let error: string | null = null;
      await slots.acquire();
      try {
        await dispatch(message);
      } catch (e) {
        if (isUnavailable(e)) {
          // Not this event's fault: it stays unprocessed and runs again when the database answers
          // (replies are keyed by the event, so what it already enqueued is not sent twice).
          log.debug({ err: e, eventKey: key }, 'inbound event interrupted by a database outage; run again when it is back');
          waiting.set(key, message);
          return retrySoon();
        }
        error = e instanceof Error ? e.message : String(e);
        log.error({ err: e, eventKey: key, kind: message.kind }, 'inbound event failed');
      } finally {
        slots.release();
      }
      await marker.mark(key, error).catch((e) => {
        // Done but not recorded as done: only the mark is repeated, never the work.
        log[isUnavailable(e) ? 'debug' : 'error']({ err: e, eventKey: key }, 'could not mark inbound event processed; marking again later');
        unmarked.set(key, error);
        retrySoon();
      });
    })();
    inFlight.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      mine.delete(key);
    });
  };

  return {
    async accept(message) {
      const key = inboundKey(message);
      const fresh = await writer.write({ key, platform: message.chat.platform, kind: message.kind, payload: JSON.stringify(serializeInbound(message)), receivedAt: message.receivedAt });
      if (!fresh) {
        log.info({ eventKey: key }, 'duplicate inbound event dropped');
        return 'duplicate';
      }
      process(key, message, true);
      return 'accepted';
    },
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    async recover(rehydrate, olderThanMs = 0) {
      const before = new Date(now().getTime() - olderThanMs);
      const rows = await db.prisma.inboundEvent.findMany({ where: { processedAt: null, receivedAt: { lte: before } }, orderBy: { receivedAt: 'asc' }, take: 1000 });
      const pending = rows.filter((r) => !mine.has(r.key) && !waiting.has(r.key) && !unmarked.has(r.key));
      for (const row of pending) {
        const message = row.payload ? rehydrate(JSON.parse(row.payload) as SerializedInbound) : null;
        if (message) process(row.key, message);
        else await marker.mark(row.key, 'not recoverable after restart');
      }
      if (pending.length) log.info({ count: pending.length }, 'recovered unprocessed inbound events');
      return pending.length;
    },
  };
}
