/**
 * Signed button payloads. A card button carries `action.ticket.issued.signature`; the signature is
 * an HMAC over the first three parts with the server's secret, so a forged click, or a token
 * copied from one ticket's card to another, is refused before anything happens. Replays of a
 * genuine token are harmless: the ticket's state decides (a used button answers politely).
 * Compact on purpose: WeCom button keys are limited to 1024 bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors.ts';

const MAX_AGE_MS = 180 * 86_400_000; // a plan year; cards older than that are re-sent anyway

export interface ActionClaim {
  action: string;
  ticketId: number;
  issuedAt: Date;
}

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, 22);
}

export function signAction(secret: string, action: string, ticketId: number, now: Date): string {
  if (!/^[a-zA-Z]+$/.test(action)) throw new Error(`action id must be letters: ${action}`);
  const body = `${action}.${ticketId}.${Math.floor(now.getTime() / 1000).toString(36)}`;
  return `${body}.${mac(secret, body)}`;
}

export function verifyAction(secret: string, token: string, now: Date): ActionClaim {
  const forged = () => new DomainError('ACTION_FORGED', '该按钮无效或已被篡改，请使用最新的卡片操作。', `forged or malformed action token: ${token.slice(0, 60)}`);
  const parts = token.split('.');
  if (parts.length !== 4) throw forged();
  const [action, ticket, issued, sig] = parts as [string, string, string, string];
  const expected = Buffer.from(mac(secret, `${action}.${ticket}.${issued}`));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw forged();
  const issuedAt = new Date(parseInt(issued, 36) * 1000);
  const ticketId = Number(ticket);
  if (!Number.isSafeInteger(ticketId) || Number.isNaN(issuedAt.getTime())) throw forged();
  if (now.getTime() - issuedAt.getTime() > MAX_AGE_MS) {
    throw new DomainError('ACTION_EXPIRED', '该卡片已过期，请发送「/我的」获取最新卡片。', `action token expired (issued ${issuedAt.toISOString()})`);
  }
  return { action, ticketId, issuedAt };
}
