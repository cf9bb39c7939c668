/**
 * Koa route of DingTalk's HTTP mode (https://open.dingtalk.com/document/orgapp/receive-message):
 * the robot POSTs each message to `/dingtalk/callback`. In order: the `timestamp`/`sign` headers
 * (401, nothing read), the body under a size cap (413), JSON (400), decode (400 if malformed), then
 * `onMessage`, and 200 `{}` (no synchronous reply: answers go through the outbox).
 * The route reads the raw body itself: mount no body parser on this path.
 *
 * Contract for `onMessage`: persist the message (InboundEvent keyed by `eventKey`, which also drops
 * redeliveries) and queue the work, then resolve quickly. If it rejects, the route answers 500.
 */
import type Router from '@koa/router';
import type { Logger } from '../logger.ts';
import type { DingtalkConfig } from './config.ts';
import { decodeCallback, type DingtalkInboundMessage, type FileSource } from './decode.ts';
import { verifyCallbackSignature } from './sign.ts';
import { readRawBody } from '../core/raw-body.ts';
import { isUnavailable } from '../../prisma/availability.ts';

export const DINGTALK_CALLBACK_PATH = '/dingtalk/callback';
/** Robot messages are a few KB (text ≤ ~20 KB); anything much larger is not DingTalk. */
export const MAX_CALLBACK_BYTES = 256 * 1024;
const SLOW_PERSIST_MS = 2_000;

export interface DingtalkRouteDeps {
  config: Pick<DingtalkConfig, 'clientSecret' | 'timestampWindowMs'>;
  onMessage: (message: DingtalkInboundMessage) => Promise<void>;
  log: Logger;
  /** For attachment.fetch (a DingtalkClient). */
  files?: FileSource;
  /** Milliseconds since the epoch. */
  now?: () => number;
  maxBodyBytes?: number;
}

type Ctx = { status: number; body: unknown; ip: string; set(field: string, value: string): void };

export function registerDingtalkRoutes(router: Router, deps: DingtalkRouteDeps): void {
  const now = deps.now ?? Date.now;
  const cap = deps.maxBodyBytes ?? MAX_CALLBACK_BYTES;
  const log = deps.log.child({ adapter: 'dingtalk' });

  router.post(DINGTALK_CALLBACK_PATH, async (ctx) => {
    const headers = ctx.req.headers;
    const check = verifyCallbackSignature({ timestamp: headers.timestamp, sign: headers.sign }, deps.config.clientSecret, now(), deps.config.timestampWindowMs);
    if (!check.ok) {
      ctx.set('Connection', 'close'); // the unread body is not drained
      return refuse(ctx, log, 401, check.reason, check.log);
    }
    const raw = await readRawBody(ctx.req, cap);
    if (raw === 'too-large') {
      ctx.set('Connection', 'close');
      return refuse(ctx, log, 413, 'BODY_TOO_LARGE', `callback body exceeds ${cap} bytes`);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(ctx, log, 400, 'MALFORMED_JSON', 'callback body is not JSON');
    }
    const decoded = decodeCallback(payload, { now: new Date(now()), ...(deps.files ? { files: deps.files } : {}) });
    if (decoded.outcome === 'rejected') return refuse(ctx, log, 400, decoded.reason, decoded.detail);
    if (decoded.outcome === 'ignored') {
      log.debug({ eventKey: decoded.eventKey, type: decoded.type }, 'DingTalk message of an unhandled type ignored');
    } else {
      const started = performance.now();
      for (const message of decoded.messages) {
        try {
          await deps.onMessage(message);
        } catch (e) {
          // A database outage is logged once by the database's Availability, not once per callback.
          log[isUnavailable(e) ? 'debug' : 'error']({ err: e, eventKey: message.eventKey }, 'DingTalk message could not be persisted; answering 500');
          ctx.status = 500;
          ctx.body = '';
          return;
        }
      }
      const ms = performance.now() - started;
      if (ms > SLOW_PERSIST_MS) log.warn({ ms: Math.round(ms) }, 'DingTalk onMessage was slow');
    }
    ctx.status = 200;
    ctx.body = {};
  });
}

function refuse(ctx: Ctx, log: Logger, status: number, reason: string, detail: string): void {
  log.warn({ reason, status, ip: ctx.ip }, `DingTalk callback rejected: ${detail}`);
  ctx.status = status;
  ctx.body = '';
}
