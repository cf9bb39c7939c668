/**
 * Signed button payloads. A card button carries `action.ticket.issued.signature`; the signature is
 * an HMAC over the first three parts with the server's secret, so a forged click, or a token
 * copied from one ticket's card to another, is refused before anything happens. Replays of a
 * genuine token are harmless: the ticket's state decides (a used button answers politely).
 * Compact on purpose: WeCom button keys are limited to 1024 bytes.
 *
 * A button may carry one signed argument (`action.id:arg.issued.signature`), e.g. the unit a
 * "交由 省公安厅 办理" button routes a problem to: WeCom sends back the key alone, so anything a
 * button means has to be inside its token, and signed with it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors.ts';

const MAX_AGE_MS = 180 * 86_400_000; // a plan year; cards older than that are re-sent anyway

export interface ActionClaim {
  action: string;
  /** The ticket id, or the object the action is about (a problem id for problem actions). */
  ticketId: number;
  issuedAt: Date;
  /** The signed argument, when the button has one. */
  arg?: string;
}

const ARG_RE = /^[A-Za-z0-9_-]{1,64}$/;

function mac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, 22);
}

export function signAction(secret: string, action: string, ticketId: number, now: Date, arg?: string): string {
  if (!/^[a-zA-Z]+$/.test(action)) throw new Error(`action id must be letters: ${action}`);
  if (arg !== undefined && !ARG_RE.test(arg)) throw new Error(`action argument must be [A-Za-z0-9_-]{1,64}: ${arg}`);
  const subject = arg === undefined ? String(ticketId) : `${ticketId}:${arg}`;
  const body = `${action}.${subject}.${Math.floor(now.getTime() / 1000).toString(36)}`;
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
  const [id = '', arg, ...more] = ticket.split(':');
  const ticketId = /^\d+$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(ticketId) || Number.isNaN(issuedAt.getTime()) || more.length > 0 || (arg !== undefined && !ARG_RE.test(arg))) throw forged();
  if (now.getTime() - issuedAt.getTime() > MAX_AGE_MS) {
    throw new DomainError('ACTION_EXPIRED', '该卡片已过期，请发送「/我的」获取最新卡片。', `action token expired (issued ${issuedAt.toISOString()})`);
  }
  return arg === undefined ? { action, ticketId, issuedAt } : { action, ticketId, issuedAt, arg };
}
