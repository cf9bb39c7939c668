/**
 * The contract between platform adapters and handlers. Adapters (bot/wecom, bot/dingtalk,
 * bot/console) verify and decode platform traffic into an `InboundMessage`; handlers answer through
 * the `Bot` they are given and never learn which platform they talk to.
 */
import type { OutMessage } from '../cards/types.ts';

export type PlatformName = 'WECOM' | 'DINGTALK' | 'CONSOLE';

/** Who sent it, as the platform identifies them (resolved to a Person by the core). */
export interface PlatformSender {
  platform: PlatformName;
  /** WeCom userid, DingTalk staffId/userId, console person id. */
  userId: string;
  displayName?: string;
}

/** Where it was said: a 1:1 chat with the bot or a group chat. */
export interface ChatRef {
  platform: PlatformName;
  kind: 'direct' | 'group';
  /** Group chat id (WeCom chatid, DingTalk openConversationId, console room id); the user id for direct. */
  chatId: string;
}

export interface InboundAttachment {
  kind: 'image' | 'file';
  name: string;
  mime: string;
  /** Fetches the bytes (WeCom media/get, DingTalk downloadCode, console upload); size-capped by the adapter. */
  fetch(maxBytes: number): Promise<Uint8Array>;
  size?: number;
  /** Serializable platform handle (media_id, downloadCode, console upload id) kept with the event. */
  ref?: string;
}

interface InboundBase {
  /** Platform-scoped dedupe key (WeCom MsgId or FromUserName+CreateTime(+TaskId+EventKey), DingTalk msgId). */
  eventKey: string;
  sender: PlatformSender;
  chat: ChatRef;
  receivedAt: Date;
}

export type InboundMessage =
  | (InboundBase & { kind: 'text'; text: string; mentionedBot: boolean; replyToCardRef?: string })
  | (InboundBase & { kind: 'attachment'; attachment: InboundAttachment; text?: string })
  | (InboundBase & {
      kind: 'card-action';
      /** The signed action payload carried by the button (see handlers/action-token.ts). */
      actionToken: string;
      /** Form values submitted with the action (progress %, note, reason…). */
      values: Record<string, string>;
      /** Opaque platform reference to update the clicked card in place (WeCom response_code, DingTalk outTrackId). */
      cardRef?: string;
    })
  | (InboundBase & { kind: 'enter' });

/** How handlers talk back. Every message goes through the outbox (idempotency key required). */
export interface Conversation {
  /** Answer in the chat the event came from. */
  reply(message: OutMessage, idempotencyKey: string): Promise<void>;
  /** Replace the card that was clicked (where the platform allows; else posts a fresh card). */
  updateCard(message: OutMessage, idempotencyKey: string): Promise<void>;
}

/** Who else should hear about it, in platform-neutral terms. */
export type Audience =
  | { unit: string }
  | { person: string }
  | { group: 'BUREAU' | 'LEADERSHIP' };

/** Sends to an audience on the platforms the deployment notifies on (through the outbox). */
export interface Notifier {
  notify(audience: Audience, message: OutMessage, idempotencyKey: string, ticketId?: number): Promise<void>;
  /** The platforms it notifies on, for services that write their outbox rows in their own transaction. */
  readonly platforms?: readonly PlatformName[];
}
