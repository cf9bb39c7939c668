/**
 * Delivers outbox rows to DingTalk: robot messages to people (oToMessages/batchSend) and groups
 * (groupMessages/send), and custom group robot webhooks (signed) for leadership groups. Cards go as
 * ActionCards whose buttons send the equivalent text command (dtmd://…sendMessage), so a click
 * comes back as a command. ActionCards cannot be updated in place: the card's new state is posted
 * afresh to the chat where the click happened.
 */
import type { Database } from '../../prisma/client.ts';
import type { Logger } from '../logger.ts';
import type { OutMessage } from '../../cards/types.ts';
import { dingtalk as renderDingtalk, markdown as renderMarkdown } from '../../cards/index.ts';
import { DeliveryError, type ChannelSender, type DeliveryRow, type RateRule } from '../outbox/types.ts';
import { platformRules } from '../outbox/rate-limiter.ts';
import { RecipientDirectory } from '../core/recipients.ts';
import { DingtalkApiError } from './api-error.ts';
import type { DingtalkClient } from './client.ts';

export interface DingtalkSenderDeps {
  db: Database;
  client: DingtalkClient;
  robotCode: string;
  materialize: (row: DeliveryRow) => Promise<OutMessage>;
  log: Logger;
  directory?: RecipientDirectory;
  formUrl?: string;
}

function asDelivery(e: unknown): unknown {
  if (e instanceof DingtalkApiError) {
    const throttled = e.code === '130101' || /130101|flow|limit/i.test(e.platformMessage);
    return new DeliveryError(e.messageEn, `DINGTALK_${e.code}`, e.retryable, throttled ? 10 * 60_000 : undefined);
  }
  return e;
}

function webhookBody(msg: OutMessage) {
  const out = renderMarkdown.render(msg);
  return { msgtype: 'markdown' as const, markdown: { title: out.title || '督办助手', text: out.markdown } };
}

export function dingtalkSender(deps: DingtalkSenderDeps): ChannelSender {
  const directory = deps.directory ?? new RecipientDirectory(deps.db);
  void directory.refresh().catch((e) => deps.log.warn({ err: e }, 'dingtalk: could not load the directory'));
  const targetOf = (row: DeliveryRow) => (row.target.startsWith('card:') ? ((row.payload as { fallbackTarget?: string }).fallbackTarget ?? '') : row.target);

  return {
    platform: 'DINGTALK',
    rules(row): RateRule[] {
      const r = directory.resolve('DINGTALK', targetOf(row));
      if (r.group?.webhookUrl) return platformRules.dingtalkCustomRobot(r.group.webhookUrl);
      return platformRules.dingtalkApp(deps.robotCode, r.group?.chatId ? 'groupMessages' : 'batchSend');
    },
    async deliver(row) {
      await directory.refresh();
      const msg = await deps.materialize(row);
      const r = directory.resolve('DINGTALK', targetOf(row));
      try {
        if (r.group?.webhookUrl) {
          await deps.client.sendWebhook(r.group.webhookUrl, r.group.webhookSecret ?? undefined, webhookBody(msg));
          return { platformMessageId: `webhook:${row.id}` };
        }
        const rendered = renderDingtalk.render(msg, deps.formUrl ? { formUrl: deps.formUrl } : {});
        if (r.group?.chatId) {
          const sent = await deps.client.sendToGroup(r.group.chatId, rendered.msgKey, rendered.msgParam);
          return { platformMessageId: sent.processQueryKey };
        }
        if (!r.users.length) throw new DeliveryError(`no DingTalk recipient for ${row.target}`, 'NO_RECIPIENT', false);
        const sent = await deps.client.sendToUsers(r.users, rendered.msgKey, rendered.msgParam);
        return { platformMessageId: sent.map((s) => s.processQueryKey).join(',') };
      } catch (e) {
        throw asDelivery(e);
      }
    },
  };
}
