/**
 * What every handler receives: one args object (STYLE.md point 3). Built per inbound message by
 * the dispatcher; handlers never see the platform behind `conv` and `notifier`.
 */
import type { Database } from '../prisma/client.ts';
import type { Actor } from '../domain/access.ts';
import type { WorkCalendar } from '../domain/calendar.ts';
import type { Conversation, InboundMessage, Notifier } from './bot.ts';
import type { KnownPerson } from './services/people.ts';

export interface HandlerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface HandlerDeps {
  db: Database;
  log: HandlerLog;
  now: () => Date;
  /** HMAC secret for card buttons. */
  actionSecret: string;
  evidenceDir: string;
  evidenceMaxBytes: number;
  yellowWorkdays: number;
  notifier: Notifier;
  conversationFor(message: InboundMessage): Conversation;
  /** Where a browser can fetch exports (console base URL); empty when unknown. */
  publicUrl: string;
  exportDir: string;
  /** Digests on demand (/通报), provided by the scheduler. */
  digests: {
    /** Publishes to the leadership (or bureau) groups; once per period and group. */
    publish(kind: '周报' | '月报' | '逾期', now: Date): Promise<{ published: number; already: number }>;
    /** Builds the same digest without publishing it (a leader reading it in a chat). */
    build(kind: '周报' | '月报' | '逾期', now: Date): Promise<import('../cards/types.ts').OutMessage[]>;
  };
}

export interface HandlerArgs {
  message: InboundMessage;
  person: KnownPerson;
  actor: Actor;
  conv: Conversation;
  deps: HandlerDeps;
  cal: WorkCalendar;
  today: string;
  /** A key unique to this inbound event, for idempotent replies: key('ack') etc. */
  key(suffix: string): string;
}
