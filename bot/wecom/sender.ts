/**
 * Delivers outbox rows to WeCom: app messages to people (template cards with buttons), card updates
 * after a click (update_template_card with the click's single-use response_code, or a fresh card
 * when that is no longer possible), and group robot webhooks for leadership groups. Rate rules are
 * per member (30/min, 1000/h) and per robot (20/min); WeCom drops excess silently, so the worker
 * must never exceed them.
 */
import type { Database } from '../../prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { OutMessage } from '../../cards/types.ts';
import { wecom as renderWecom } from '../../cards/index.ts';
import { DeliveryError, type ChannelSender, type DeliveryRow, type RateRule } from '../outbox/types.ts';
import { platformRules } from '../outbox/rate-limiter.ts';
import { RecipientDirectory, type Recipients } from '../core/recipients.ts';
import { WecomApiError } from './api-error.ts';
import { webhookImage, type WebhookMessage, type WecomClient } from './client.ts';

export interface WecomSenderDeps {
  db: Database;
  client: WecomClient;
  agentId: string;
  materialize: (row: DeliveryRow) => Promise<OutMessage>;
  log: Logger;
  directory?: RecipientDirectory;
  /** Console/H5 page for forms (inputs cannot be typed into a template card). */
  formUrl?: string;
  /** Where a click on a card body leads (the web console); lets button-less cards stay cards. */
  linkUrl?: string;
}

/** "✔ 已签收 · 李娜 · 06-22 10:00" → "已签收": what a used button says after the click. */
function doneLabel(msg: OutMessage): string | null {
  if (msg.type !== 'card') return null;
  const el = msg.card.body.find((e) => e.id === 'done');
  const text = typeof el?.text === 'string' ? el.text : '';
  const label = text.replace(/^\S*\s*/, '').split(' · ')[0]?.trim() ?? '';
  return label ? label.slice(0, 10) : null;
}

function webhookKey(url: string): string {
  try {
    return new URL(url).searchParams.get('key') ?? url;
  } catch {
    return url;
  }
}

function asDelivery(e: unknown): unknown {
  if (e instanceof WecomApiError) {
    const throttled = e.errcode === 45009 || e.errcode === 45033;
    // Transport failures all carry errcode -1; their code says what happened (HTTP status, timeout, network).
    const code = e.kind === 'api' ? `WECOM_${e.errcode}` : e.httpStatus ? `WECOM_HTTP_${e.httpStatus}` : `WECOM_${e.kind.toUpperCase()}`;
    return new DeliveryError(e.messageEn, code, e.retryable, throttled ? 60_000 : undefined);
  }
  return e;
}

export function wecomSender(deps: WecomSenderDeps): ChannelSender {
  const directory = deps.directory ?? new RecipientDirectory(deps.db);
  void directory.refresh().catch((e) => deps.log.warn({ err: e }, 'wecom: could not load the directory'));

  const targetOf = (row: DeliveryRow) => (row.target.startsWith('card:') ? ((row.payload as { fallbackTarget?: string }).fallbackTarget ?? '') : row.target);

  async function sendTo(r: Recipients, msg: OutMessage, row: DeliveryRow) {
    if (r.group?.webhookUrl) {
      const key = webhookKey(r.group.webhookUrl);
      if (msg.type === 'image' && msg.pngBase64) {
        await deps.client.sendWebhook(key, webhookImage(Buffer.from(msg.pngBase64, 'base64')));
      } else {
        // Group robots have no callbacks: cards go as markdown with the equivalent text commands.
        await deps.client.sendWebhook(key, renderWecom.wecomMarkdown(msg, 'webhook') as WebhookMessage);
      }
      return { platformMessageId: `webhook:${row.id}` };
    }
    if (!r.users.length) throw new DeliveryError(`no WeCom recipient for ${row.target}`, 'NO_RECIPIENT', false);
    const touser = r.users.join('|');
    if (msg.type === 'image' && msg.pngBase64) {
      const media = await deps.client.uploadMedia('image', `${msg.title}.png`, Buffer.from(msg.pngBase64, 'base64'), 'image/png');
      const sent = await deps.client.sendMessage({ touser, msgtype: 'image', image: { media_id: media.mediaId } });
      return { platformMessageId: sent.msgid };
    }
    const rendered = renderWecom.render(msg, { taskId: `duban-${row.id}`, target: 'app', ...(deps.formUrl ? { formUrl: deps.formUrl } : {}), ...(deps.linkUrl ? { linkUrl: deps.linkUrl } : {}) });
    const sent = await deps.client.sendMessage({ touser, ...rendered } as Parameters<WecomClient['sendMessage']>[0]);
    return { platformMessageId: sent.msgid, ...(sent.response_code ? { cardRef: sent.response_code } : {}) };
  }

  return {
    platform: 'WECOM',
    rules(row): RateRule[] {
      const r = directory.resolve('WECOM', targetOf(row));
      if (r.group?.webhookUrl) return platformRules.wecomGroupRobot(webhookKey(r.group.webhookUrl));
      return r.users.flatMap((u) => platformRules.wecomAppMessage(deps.agentId, u));
    },
    async deliver(row) {
      await directory.refresh();
      const msg = await deps.materialize(row);
      try {
        if (row.target.startsWith('card:')) {
          const responseCode = row.target.slice('card:'.length);
          const fallback = directory.resolve('WECOM', targetOf(row));
          if (msg.type === 'card' && fallback.users.length) {
            try {
              // https://developer.work.weixin.qq.com/document/path/94888
              const rendered = renderWecom.render(msg, { taskId: `duban-${row.id}`, target: 'app', ...(deps.linkUrl ? { linkUrl: deps.linkUrl } : {}) });
              if (rendered.msgtype === 'template_card') {
                await deps.client.updateTemplateCard({ userids: fallback.users, response_code: responseCode, template_card: rendered.template_card as unknown as Record<string, unknown> });
                return { platformMessageId: `update:${row.id}` };
              }
              // A card in its done state has no buttons; without a link WeCom will not take it as a
              // template card, so grey out the clicked button with what happened instead.
              const done = doneLabel(msg);
              if (done) {
                await deps.client.updateTemplateCard({ userids: fallback.users, response_code: responseCode, button: { replace_name: done } });
                return { platformMessageId: `update:${row.id}` };
              }
            } catch (e) {
              // A used or expired response_code (single-use, 72 h): post the card afresh instead.
              if (!(e instanceof WecomApiError) || e.retryable) throw e;
              deps.log.info({ outboxId: row.id, errcode: e.errcode }, 'wecom: card can no longer be updated; sending a fresh card');
            }
          }
          return await sendTo(fallback, msg, row);
        }
        return await sendTo(directory.resolve('WECOM', row.target), msg, row);
      } catch (e) {
        throw asDelivery(e);
      }
    },
  };
}
