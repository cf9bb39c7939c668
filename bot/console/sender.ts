/**
 * Delivers outbox rows of platform CONSOLE into the simulator's chat log. Targets:
 * `group:<chatId>`, `user:<personId>` / `person:<personId>` (1:1), `unit:<code>` (the unit's group),
 * `card:<messageId>` (replace a delivered card in place), `bureau` / `leadership` (the group of that purpose).
 */
import type { Database } from '../../prisma/client.ts';
import type { OutMessage } from '../../cards/types.ts';
import { DeliveryError, type ChannelSender, type DeliveryRow } from '../outbox/types.ts';

export const CONSOLE_BOT_NAME = '督办助手';

export function consoleRoomFor(target: string): string | null {
  const [kind, ...rest] = target.split(':');
  const id = rest.join(':');
  if (!id) return null;
  switch (kind) {
    case 'group': return `group:${id}`;
    case 'user':
    case 'person': return `direct:${id}`;
    case 'unit': return `group:unit-${id}`;
    default: return null;
  }
}

export function consoleSender(db: Database, materialize: (row: DeliveryRow) => Promise<OutMessage>, now: () => Date): ChannelSender {
  return {
    platform: 'CONSOLE',
    rules: () => [], // no platform limits in the simulator
    async deliver(row) {
      let message: OutMessage;
      try {
        message = await materialize(row);
      } catch (e) {
        if ((e as { permanent?: boolean }).permanent) throw new DeliveryError((e as Error).message, 'BAD_PAYLOAD', false);
        throw e;
      }
      if (row.target.startsWith('card:')) {
        const id = Number(row.target.slice('card:'.length));
        const existing = Number.isSafeInteger(id) ? await db.prisma.consoleMessage.findUnique({ where: { id } }) : null;
        if (existing) {
          await db.prisma.consoleMessage.update({ where: { id }, data: { payload: JSON.stringify(message), updatedAt: now() } });
          return { platformMessageId: String(id), cardRef: String(id) };
        }
        const fallback = (row.payload as { fallbackTarget?: string }).fallbackTarget;
        if (!fallback) throw new DeliveryError(`console card ${row.target} not found`, 'CARD_GONE', false);
        return deliverTo(fallback, message);
      }
      return deliverTo(row.target, message);
    },
  };

  async function deliverTo(target: string, message: OutMessage) {
    let room = consoleRoomFor(target);
    if (target === 'bureau' || target === 'leadership') {
      const group = await db.prisma.chatGroup.findFirst({ where: { platform: 'CONSOLE', purpose: target === 'bureau' ? 'BUREAU' : 'LEADERSHIP' } });
      room = group ? `group:${group.chatId}` : null;
    }
    if (!room) throw new DeliveryError(`unknown console target ${target}`, 'BAD_TARGET', false);
    const created = await db.prisma.consoleMessage.create({
      data: { room, direction: 'OUT', senderName: CONSOLE_BOT_NAME, payload: JSON.stringify(message), createdAt: now() },
    });
    return { platformMessageId: String(created.id), cardRef: String(created.id) };
  }
}
