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

export type Dispatch = (message: InboundMessage) => Promise<void>;

export interface Pipeline {
  accept(message: InboundMessage): Promise<'accepted' | 'duplicate'>;
  /** Resolves when every accepted message has been processed (tests, graceful shutdown). */
  drain(): Promise<void>;
  recover(rehydrate: (payload: SerializedInbound) => InboundMessage | null): Promise<number>;
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

export function createPipeline(db: Database, dispatch: Dispatch, log: Logger, now: () => Date): Pipeline {
  const inFlight = new Set<Promise<void>>();
  const writer = new InboundWriter(db.sql);
  const marker = new ProcessedMarker(db.sql, now);

  const process = (key: string, message: InboundMessage) => {
    const p = (async () => {
      let error: string | null = null;
      try {
        await dispatch(message);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
        log.error({ err: e, eventKey: key, kind: message.kind }, 'inbound event failed');
      }
      await marker.mark(key, error).catch((e) => log.error({ err: e, eventKey: key }, 'could not mark inbound event processed'));
    })();
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  return {
    async accept(message) {
      const key = inboundKey(message);
      const fresh = await writer.write({ key, platform: message.chat.platform, kind: message.kind, payload: JSON.stringify(serializeInbound(message)), receivedAt: message.receivedAt });
      if (!fresh) {
        log.info({ eventKey: key }, 'duplicate inbound event dropped');
        return 'duplicate';
      }
      setImmediate(() => process(key, message));
      return 'accepted';
    },
    async drain() {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    async recover(rehydrate) {
      const pending = await db.prisma.inboundEvent.findMany({ where: { processedAt: null }, orderBy: { receivedAt: 'asc' }, take: 1000 });
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
