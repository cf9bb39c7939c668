/**
 * Turns handler replies and notifications into outbox rows. Replies go back to the platform and
 * chat the message came from; notifications go to every platform the deployment notifies on.
 * The idempotency key given by the handler is scoped per platform and target, so retries of the
 * same inbound event never create a second message.
 */
import type { Database } from '../../prisma/client.ts';
import type { OutMessage } from '../../cards/types.ts';
import type { Audience, Conversation, InboundMessage, Notifier, PlatformName } from '../../handlers/bot.ts';
import { enqueue } from '../outbox/enqueue.ts';

export function replyTarget(message: InboundMessage): string {
  return message.chat.kind === 'group' ? `group:${message.chat.chatId}` : `user:${message.sender.userId}`;
}

export function audienceTarget(a: Audience): string {
  if ('unit' in a) return `unit:${a.unit}`;
  if ('person' in a) return `person:${a.person}`;
  return a.group === 'BUREAU' ? 'bureau' : 'leadership';
}

function kindOf(m: OutMessage): string {
  return m.type === 'card' ? m.name : m.type;
}

export function conversationFor(db: Database, message: InboundMessage, now: () => Date, ticketId?: () => number | undefined): Conversation {
  const platform = message.chat.platform;
  const target = replyTarget(message);
  return {
    async reply(out, key) {
      await enqueue(db.sql, [{ idempotencyKey: `${platform}:${target}:${key}`, platform, target, kind: kindOf(out), payload: { message: out }, ticketId: ticketId?.() }], now());
    },
    async updateCard(out, key) {
      const cardRef = message.kind === 'card-action' ? message.cardRef : undefined;
      const to = cardRef ? `card:${cardRef}` : target;
      await enqueue(
        db.sql,
        [{ idempotencyKey: `${platform}:${to}:${key}`, platform, target: to, kind: `${kindOf(out)}-update`, payload: { message: out, fallbackTarget: target }, ticketId: ticketId?.() }],
        now(),
      );
    },
  };
}

export function notifierFor(db: Database, platforms: PlatformName[], now: () => Date): Notifier {
  return {
    platforms,
    async notify(audience, out, key, ticketId) {
      const target = audienceTarget(audience);
      await enqueue(
        db.sql,
        platforms.map((platform) => ({ idempotencyKey: `${platform}:${target}:${key}`, platform, target, kind: kindOf(out), payload: { message: out }, ticketId })),
        now(),
      );
    },
  };
}
