/**
 * Koa routes of the WeCom callback (https://developer.work.weixin.qq.com/document/path/90238):
 * GET answers the URL verification with the decrypted echostr (WeCom wants it within 1 s); POST reads
 * the raw body itself (mount no body parser on this path), verifies it, hands the normalized message
 * to `onMessage` and answers 200 with an empty body.
 *
 * Contract for `onMessage`: persist the message (InboundEvent row keyed by `eventKey`, which also
 * drops WeCom's retries) and queue the work, then resolve — well within WeCom's 5 s, after which
 * WeCom re-sends. Do the heavy work after it resolved. If it rejects, the route answers 500 so that
 * WeCom delivers again: nothing is lost when the database hiccups.
 */
import type Router from '@koa/router';
import type { Logger } from '../logger.ts';
import type { WecomConfig } from './config.ts';
import type { MediaSource, WecomInboundMessage } from './decode.ts';
import { openCallback, verifyUrl, type CallbackQuery, type Rejection } from './receiver.ts';
import { MAX_CALLBACK_BYTES } from './xml.ts';
import { readRawBody } from '../core/raw-body.ts';
import { isUnavailable } from '../../prisma/availability.ts';

export const WECOM_CALLBACK_PATH = '/wecom/callback';
/** Log a warning when the persist step eats into WeCom's 5-second budget. */
const SLOW_PERSIST_MS = 2_000;

export interface WecomRouteDeps {
  config: WecomConfig;
  /** Persist + dedupe quickly, then return; see the contract above. */
  onMessage: (message: WecomInboundMessage) => Promise<void>;
  log: Logger;
  /** For attachment.fetch (a WecomClient). */
  media?: MediaSource;
  now?: () => Date;
  maxBodyBytes?: number;
}

export function registerWecomRoutes(router: Router, deps: WecomRouteDeps): void {
  const now = deps.now ?? (() => new Date());
  const cap = deps.maxBodyBytes ?? MAX_CALLBACK_BYTES;
  const log = deps.log.child({ adapter: 'wecom' });

  router.get(WECOM_CALLBACK_PATH, (ctx) => {
    const result = verifyUrl(ctx.query as CallbackQuery, deps.config, now());
    if (!result.ok) return refuse(ctx, log, result);
    log.info('WeCom callback URL verified');
    ctx.status = 200;
    ctx.type = 'text/plain';
    ctx.body = result.echo; // exactly the plaintext: no quotes, BOM or newline
  });

  router.post(WECOM_CALLBACK_PATH, async (ctx) => {
    if (ctx.req.readableEnded) {
      // A body parser got here first: the signed bytes are gone, so nothing can be verified.
      log.error('WeCom callback body was consumed before the route; mount no body parser on this path');
      ctx.status = 500;
      ctx.body = '';
      return;
    }
    const raw = await readRawBody(ctx.req, cap);
    if (raw === 'too-large') {
      ctx.set('Connection', 'close');
      return refuse(ctx, log, { ok: false, status: 413, reason: 'BODY_TOO_LARGE', log: `callback body exceeds ${cap} bytes` });
    }
    const result = openCallback(ctx.query as CallbackQuery, raw, deps.config, now(), deps.media ? { media: deps.media } : {});
    if (!result.ok) return refuse(ctx, log, result);
    if (result.outcome === 'ignored') {
      log.debug({ eventKey: result.eventKey, type: result.type }, 'WeCom callback of an unhandled type ignored');
    } else {
      const started = performance.now();
      try {
        await deps.onMessage(result.message);
      } catch (e) {
        // A database outage is logged once by the database's Availability, not once per callback.
        log[isUnavailable(e) ? 'debug' : 'error']({ err: e, eventKey: result.message.eventKey }, 'WeCom message could not be persisted; answering 500 so WeCom retries');
        ctx.status = 500;
        ctx.body = '';
        return;
      }
      const ms = performance.now() - started;
      if (ms > SLOW_PERSIST_MS) log.warn({ eventKey: result.message.eventKey, ms: Math.round(ms) }, 'WeCom onMessage was slow; WeCom re-sends after 5 s');
    }
    ctx.status = 200;
    ctx.body = '';
  });
}

function refuse(ctx: { status: number; body: unknown; ip: string }, log: Logger, rejection: Rejection): void {
  log.warn({ reason: rejection.reason, status: rejection.status, ip: ctx.ip }, `WeCom callback rejected: ${rejection.log}`);
  ctx.status = rejection.status;
  ctx.body = '';
}
