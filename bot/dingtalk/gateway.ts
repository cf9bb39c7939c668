/**
 * The Stream gateway's wire pieces (reference §6.1–6.2,
 * https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description): the
 * single-use connection ticket, the frame shape, the ACK, and the reconnect backoff.
 */
import { z } from 'zod';
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream/constants';
import { DingtalkApiError } from './api-error.ts';

/** Robot messages and card callbacks; no EVENT subscription (we need none). */
export const SUBSCRIPTIONS = [
  { type: 'CALLBACK', topic: TOPIC_ROBOT },
  { type: 'CALLBACK', topic: TOPIC_CARD },
];
const UA = 'duban-stream-nodejs/0.1';

export const frameSchema = z.object({
  specVersion: z.string().optional(),
  type: z.string(),
  headers: z.looseObject({ topic: z.string().default(''), messageId: z.string().default('') }),
  data: z.string().default(''),
});
const ticketSchema = z.object({ endpoint: z.string().regex(/^wss?:\/\//), ticket: z.string().min(1) });

/** Full jitter: uniform in [0, min(cap, base·2^attempt)). */
export function backoffDelay(attempt: number, random: () => number, baseMs = 1_000, capMs = 60_000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30)));
}

/** The upstream answer to a frame: `data` is itself a JSON string. */
export function ackFrame(messageId: string, data: unknown): string {
  return JSON.stringify({ code: 200, headers: { contentType: 'application/json', messageId }, message: 'OK', data: JSON.stringify(data) });
}

/** A fresh ticket (valid 90 s, single use) and the endpoint to use it at. Never cache it. */
// https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description (获取连接凭证)
export async function openTicket(
  opts: { gatewayUrl: string; clientId: string; clientSecret: string },
  fetchImpl: typeof fetch,
): Promise<{ endpoint: string; ticket: string }> {
  const api = 'gateway/connections/open';
  let res: Response;
  try {
    res = await fetchImpl(opts.gatewayUrl, {
      method: 'POST',
      // Without Accept: application/json the gateway answers XML.
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId: opts.clientId, clientSecret: opts.clientSecret, subscriptions: SUBSCRIPTIONS, ua: UA }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    throw DingtalkApiError.transport(api, (e as Error).name === 'TimeoutError' ? 'timeout' : 'network', String((e as Error).message));
  }
  const text = await res.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) throw DingtalkApiError.fromHttp(api, res.status, body as { code?: unknown; message?: unknown } | undefined);
  const parsed = ticketSchema.safeParse(body);
  if (!parsed.success) throw DingtalkApiError.transport(api, 'protocol', 'answer lacks endpoint/ticket');
  return parsed.data;
}
