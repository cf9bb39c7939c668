/**
 * The DingTalk server API, fetch-based, with the access token cached and refreshed in one place.
 * Encodes and sends; what to send and when (rate limits, retries with backoff) is the delivery
 * worker's business — this client only says whether a failure is worth retrying.
 * v1.0 APIs authenticate with the `x-acs-dingtalk-access-token` header.
 */
import { DingtalkApiError } from './api-error.ts';
import { signWebhookUrl } from './sign.ts';
import type { DingtalkConfig } from './config.ts';
import type { FileSource } from './decode.ts';
import { readCapped } from '../core/read-capped.ts';

export interface DingtalkClientOptions {
  clientId: string;
  clientSecret: string;
  robotCode: string;
  apiBase?: string;
  oapiBase?: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  now?: () => number;
  timeoutMs?: number;
}

/** A msgKey's parameters (sampleText {content}, sampleMarkdown {title, text}, sampleActionCard…), sent as a JSON string. */
export type MsgParam = Record<string, unknown> | string;

export interface BatchSendResult {
  userIds: string[];
  processQueryKey: string;
  invalidStaffIdList: string[];
  /** Not delivered because of flow control: worth sending again later. */
  flowControlledStaffIdList: string[];
}

export interface CardDelivery {
  cardTemplateId: string;
  outTrackId: string;
  /** DingTalk wants every card variable as a string. */
  cardParamMap: Record<string, string>;
  /** A group (its openConversationId, optionally @-mentioning userId → nick) or the robot's 1:1 chat with a user. */
  to: { openConversationId: string; atUserIds?: Record<string, string> } | { userId: string };
  callbackType?: 'STREAM' | 'HTTP';
  /** HTTP callbacks only: the key registered with card/callbacks/register. */
  callbackRouteKey?: string;
}

export interface CardDeliverResult {
  spaceType?: string;
  spaceId?: string;
  success: boolean;
  errorMsg?: string;
}

type At = { atMobiles?: string[]; atUserIds?: string[]; isAtAll?: boolean };
export type WebhookMessage =
  | { msgtype: 'text'; text: { content: string }; at?: At }
  | { msgtype: 'markdown'; markdown: { title: string; text: string }; at?: At }
  | { msgtype: 'link'; link: { title: string; text: string; messageUrl: string; picUrl?: string } }
  | { msgtype: 'actionCard'; actionCard: Record<string, unknown> }
  | { msgtype: 'feedCard'; feedCard: { links: Array<Record<string, string>> } };

export const BATCH_SEND_MAX_USERS = 20;
export const GROUP_MSG_PARAM_MAX_BYTES = 15_000;
const TOKEN_EARLY_MS = 5 * 60_000;
const DEFAULT_FILE_MAX_BYTES = 20 << 20;

type Json = Record<string, unknown>;

export class DingtalkClient implements FileSource {
  private readonly apiBase: string;
  private readonly oapiBase: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private cached: { token: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;

  constructor(private readonly opts: DingtalkClientOptions) {
    this.apiBase = (opts.apiBase ?? 'https://api.dingtalk.com').replace(/\/+$/, '');
    this.oapiBase = (opts.oapiBase ?? 'https://oapi.dingtalk.com').replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  static fromConfig(config: DingtalkConfig, extra: Pick<DingtalkClientOptions, 'fetch' | 'now' | 'timeoutMs'> = {}): DingtalkClient {
    const { clientId, clientSecret, robotCode, apiBase, oapiBase } = config;
    return new DingtalkClient({ clientId, clientSecret, robotCode, apiBase, oapiBase, ...extra });
  }

  /** Cached until 5 minutes before expiry; concurrent callers share one request. */
  async accessToken(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  // https://open.dingtalk.com/document/orgapp/obtain-the-access_token-of-an-internal-app
  private async fetchToken(): Promise<string> {
    const api = 'oauth2/accessToken';
    const res = await this.send(api, `${this.apiBase}/v1.0/oauth2/accessToken`, jsonInit('POST', { appKey: this.opts.clientId, appSecret: this.opts.clientSecret }));
    const body = await readJson(api, res);
    if (!res.ok) throw DingtalkApiError.fromHttp(api, res.status, body);
    const token = body?.accessToken;
    const ttlMs = Number(body?.expireIn) * 1000;
    if (typeof token !== 'string' || !token || !(ttlMs > 0)) throw DingtalkApiError.transport(api, 'protocol', 'answer lacks accessToken/expireIn');
    this.cached = { token, refreshAt: this.now() + ttlMs - Math.min(TOKEN_EARLY_MS, ttlMs / 2) };
    return token;
  }

  /** 1:1 robot messages, 20 users per request (blank and repeated ids dropped). If a later chunk fails, the error lists who already got it. */
  // https://open.dingtalk.com/document/orgapp/chatbots-send-one-on-one-chat-messages-in-batches
  async sendToUsers(userIds: string[], msgKey: string, msgParam: MsgParam): Promise<BatchSendResult[]> {
    const unique = [...new Set(userIds.filter((u) => u.trim() !== ''))];
    const param = stringify(msgParam);
    const results: BatchSendResult[] = [];
    for (let i = 0; i < unique.length; i += BATCH_SEND_MAX_USERS) {
      const chunk = unique.slice(i, i + BATCH_SEND_MAX_USERS);
      try {
        const body = { robotCode: this.opts.robotCode, userIds: chunk, msgKey, msgParam: param };
        const res = await this.call('robot/oToMessages/batchSend', 'POST', '/v1.0/robot/oToMessages/batchSend', body);
        results.push({
          userIds: chunk,
          processQueryKey: String(res.processQueryKey ?? ''),
          invalidStaffIdList: strings(res.invalidStaffIdList),
          flowControlledStaffIdList: strings(res.flowControlledStaffIdList),
        });
      } catch (e) {
        if (!(e instanceof DingtalkApiError) || results.length === 0) throw e;
        const deliveredUserIds = results.flatMap((r) => r.userIds);
        throw new DingtalkApiError({ ...fieldsOf(e), details: { deliveredUserIds } });
      }
    }
    return results;
  }

  // https://open.dingtalk.com/document/orgapp/the-robot-sends-a-group-message
  async sendToGroup(openConversationId: string, msgKey: string, msgParam: MsgParam): Promise<{ processQueryKey: string }> {
    const api = 'robot/groupMessages/send';
    const param = stringify(msgParam);
    const bytes = Buffer.byteLength(param, 'utf8');
    if (bytes > GROUP_MSG_PARAM_MAX_BYTES) throw DingtalkApiError.refused(api, 'MSG_PARAM_TOO_LARGE', `msgParam is ${bytes} bytes (max ${GROUP_MSG_PARAM_MAX_BYTES})`);
    const body = { robotCode: this.opts.robotCode, openConversationId, msgKey, msgParam: param };
    const res = await this.call(api, 'POST', '/v1.0/robot/groupMessages/send', body);
    return { processQueryKey: String(res.processQueryKey ?? '') };
  }

  // https://open.dingtalk.com/document/orgapp/create-and-deliver-cards
  async createAndDeliverCard(card: CardDelivery): Promise<{ outTrackId: string; deliverResults: CardDeliverResult[] }> {
    const toGroup = 'openConversationId' in card.to;
    const space = toGroup
      ? {
          openSpaceId: `dtv1.card//IM_GROUP.${(card.to as { openConversationId: string }).openConversationId}`,
          imGroupOpenSpaceModel: { supportForward: true },
          imGroupOpenDeliverModel: { robotCode: this.opts.robotCode, ...(atOf(card.to) ? { atUserIds: atOf(card.to) } : {}) },
        }
      : {
          openSpaceId: `dtv1.card//IM_ROBOT.${(card.to as { userId: string }).userId}`,
          imRobotOpenSpaceModel: { supportForward: true },
          imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: this.opts.robotCode },
        };
    const body = {
      cardTemplateId: card.cardTemplateId,
      outTrackId: card.outTrackId,
      callbackType: card.callbackType ?? 'STREAM',
      ...(card.callbackRouteKey ? { callbackRouteKey: card.callbackRouteKey } : {}),
      cardData: { cardParamMap: card.cardParamMap },
      userIdType: 1,
      ...space,
    };
    const res = await this.call('card/instances/createAndDeliver', 'POST', '/v1.0/card/instances/createAndDeliver', body);
    const result = (res.result ?? {}) as Json;
    const deliverResults = Array.isArray(result.deliverResults) ? (result.deliverResults as CardDeliverResult[]) : [];
    return { outTrackId: String(result.outTrackId ?? card.outTrackId), deliverResults };
  }

  // https://open.dingtalk.com/document/orgapp/interactive-card-update-interface
  async updateCard(outTrackId: string, cardParamMap: Record<string, string>): Promise<void> {
    const body = { outTrackId, cardData: { cardParamMap }, cardUpdateOptions: { updateCardDataByKey: true }, userIdType: 1 };
    await this.call('card/instances', 'PUT', '/v1.0/card/instances', body);
  }

  /**
   * Custom group robot (no app token). `url` is the full webhook URL or just its access_token;
   * with a secret (加签) the request is signed with our clock. 130101 (over 20/min) is retryable.
   */
  // https://open.dingtalk.com/document/orgapp/custom-robot-access
  async sendWebhook(url: string, secret: string | undefined, body: WebhookMessage): Promise<void> {
    const api = 'robot/send';
    const base = /^https?:\/\//.test(url) ? url : `${this.oapiBase}/robot/send?access_token=${encodeURIComponent(url)}`;
    const target = secret ? signWebhookUrl(base, secret, this.now()) : base;
    const res = await this.send(api, target, jsonInit('POST', body));
    const json = await readJson(api, res);
    if (!res.ok) throw DingtalkApiError.fromHttp(api, res.status, json);
    if (!json) throw DingtalkApiError.transport(api, 'protocol', 'answer is not a JSON object');
    const errcode = Number(json.errcode ?? 0);
    if (errcode !== 0) throw DingtalkApiError.fromErrcode(api, errcode, String(json.errmsg ?? ''));
  }

  /** The bytes behind a downloadCode of a received picture/file, capped at `maxBytes`. */
  // https://open.dingtalk.com/document/orgapp/download-the-file-content-of-the-robot-receiving-message
  async downloadFile(downloadCode: string, maxBytes: number = DEFAULT_FILE_MAX_BYTES): Promise<{ bytes: Uint8Array; mime: string }> {
    const api = 'robot/messageFiles/download';
    const res = await this.call(api, 'POST', '/v1.0/robot/messageFiles/download', { downloadCode, robotCode: this.opts.robotCode });
    if (typeof res.downloadUrl !== 'string' || !res.downloadUrl) throw DingtalkApiError.transport(api, 'protocol', 'answer lacks downloadUrl');
    // The downloadUrl is a short-lived pre-signed storage link: no token.
    const file = await this.send('downloadUrl', res.downloadUrl, { method: 'GET' });
    if (!file.ok) {
      await file.body?.cancel();
      throw DingtalkApiError.fromHttp('downloadUrl', file.status, undefined);
    }
    const mime = (file.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
    return { bytes: await readCappedBody(file, maxBytes), mime };
  }

  /** A v1.0 call with the token; on HTTP 401 drops that token, refreshes once and retries once. */
  private async call(api: string, method: 'POST' | 'PUT', path: string, body: unknown): Promise<Json> {
    const once = async (token: string) => {
      const init = jsonInit(method, body);
      (init.headers as Record<string, string>)['x-acs-dingtalk-access-token'] = token;
      const res = await this.send(api, `${this.apiBase}${path}`, init);
      const json = await readJson(api, res);
      if (!res.ok) throw DingtalkApiError.fromHttp(api, res.status, json);
      if (!json) throw DingtalkApiError.transport(api, 'protocol', `answer is not a JSON object (HTTP ${res.status})`);
      return json;
    };
    const token = await this.accessToken();
    try {
      return await once(token);
    } catch (e) {
      if (!(e instanceof DingtalkApiError && e.httpStatus === 401)) throw e;
      if (this.cached?.token === token) this.cached = undefined;
      return once(await this.accessToken());
    }
  }

  private async send(api: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const timeout = e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw DingtalkApiError.transport(api, timeout ? 'timeout' : 'network', timeout ? `no answer within ${this.timeoutMs} ms` : String((e as Error).message ?? e));
    }
  }
}

function jsonInit(method: 'POST' | 'PUT', body: unknown): RequestInit {
  return { method, headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' }, body: JSON.stringify(body) };
}

/** The answer as a JSON object, or undefined when it is not one (error pages, empty bodies). */
async function readJson(api: string, res: Response): Promise<Json | undefined> {
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw DingtalkApiError.transport(api, 'network', `body read failed: ${(e as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

function readCappedBody(res: Response, maxBytes: number): Promise<Uint8Array> {
  return readCapped(res, maxBytes, (n) => DingtalkApiError.refused('downloadUrl', 'FILE_TOO_LARGE', `file larger than ${maxBytes} bytes (${n}+)`));
}

function stringify(param: MsgParam): string {
  return typeof param === 'string' ? param : JSON.stringify(param);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function atOf(to: CardDelivery['to']): Record<string, string> | undefined {
  return 'atUserIds' in to && to.atUserIds && Object.keys(to.atUserIds).length > 0 ? to.atUserIds : undefined;
}

function fieldsOf(e: DingtalkApiError) {
  return { api: e.api, code: e.code, platformMessage: e.platformMessage, kind: e.kind, retryable: e.retryable, ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}) };
}
