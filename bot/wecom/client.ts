/**
 * The WeCom server API, fetch-based, with the access token cached and refreshed in one place.
 * Encodes and sends; what to send and when (rate limits, retries with backoff) is the delivery
 * worker's business — this client only says whether a failure is worth retrying.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import { TOKEN_CODES, WecomApiError } from './api-error.ts';
import { APP_TEXT_MAX_BYTES, truncateUtf8, WEBHOOK_MARKDOWN_MAX_BYTES, WEBHOOK_TEXT_MAX_BYTES } from './text.ts';
import type { WecomConfig } from './config.ts';
import type { MediaSource } from './decode.ts';
import { readCapped } from '../core/read-capped.ts';

export interface WecomClientOptions {
  corpId: string;
  secret: string;
  agentId: number;
  apiBase?: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. */
  now?: () => number;
  timeoutMs?: number;
}

type Recipients = { touser?: string; toparty?: string; totag?: string };
type SendOptions = { agentid?: number; safe?: 0 | 1; enable_id_trans?: 0 | 1; enable_duplicate_check?: 0 | 1; duplicate_check_interval?: number };

export type AppMessage = Recipients &
  SendOptions &
  (
    | { msgtype: 'text'; text: { content: string } }
    | { msgtype: 'markdown'; markdown: { content: string } }
    | { msgtype: 'template_card'; template_card: Record<string, unknown> }
    | { msgtype: 'image'; image: { media_id: string } }
    | { msgtype: 'file'; file: { media_id: string } }
  );

export interface SendResult {
  msgid: string;
  /** Template cards only: single-use code for message/update_template_card. */
  response_code?: string;
  /** '|'-separated user ids WeCom did not deliver to (partial failure is still success). */
  invaliduser?: string;
}

export interface CardUpdate {
  userids?: string[];
  partyids?: number[];
  tagids?: number[];
  atall?: 0 | 1;
  agentid?: number;
  response_code: string;
  button?: { replace_name: string };
  template_card?: Record<string, unknown>;
  enable_id_trans?: 0 | 1;
}

export type WebhookMessage =
  | { msgtype: 'text'; text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'image'; image: { base64: string; md5: string } };

export type MediaType = 'image' | 'voice' | 'video' | 'file';

/** Temporary media limits (https://developer.work.weixin.qq.com/document/path/90253): every file > 5 bytes. */
const MEDIA_MAX_BYTES: Record<MediaType, number> = { image: 10 << 20, voice: 2 << 20, video: 10 << 20, file: 20 << 20 };
const WEBHOOK_IMAGE_MAX_BYTES = 2 << 20;
const TOKEN_EARLY_MS = 5 * 60_000;

type Json = Record<string, unknown> & { errcode?: number; errmsg?: string };

/** A group-robot image message: base64 plus the md5 of the raw bytes, ≤ 2 MB JPG/PNG. */
export function webhookImage(bytes: Uint8Array): WebhookMessage {
  if (bytes.byteLength > WEBHOOK_IMAGE_MAX_BYTES) {
    throw new DomainError('WECOM_IMAGE_TOO_LARGE', '图片超过 2MB，群机器人无法发送。', `webhook image of ${bytes.byteLength} bytes exceeds 2 MB`);
  }
  const buf = Buffer.from(bytes);
  return { msgtype: 'image', image: { base64: buf.toString('base64'), md5: createHash('md5').update(buf).digest('hex') } };
}

export class WecomClient implements MediaSource {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private cached: { token: string; refreshAt: number } | undefined;
  private inflight: Promise<string> | undefined;

  constructor(private readonly opts: WecomClientOptions) {
    this.base = (opts.apiBase ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  static fromConfig(config: WecomConfig, extra: Pick<WecomClientOptions, 'fetch' | 'now' | 'timeoutMs'> = {}): WecomClient {
    return new WecomClient({ corpId: config.corpId, secret: config.secret, agentId: config.agentId, apiBase: config.apiBase, ...extra });
  }

  /** Cached until 5 minutes before expiry; concurrent callers share one gettoken request. */
  async accessToken(): Promise<string> {
    if (this.cached && this.now() < this.cached.refreshAt) return this.cached.token;
    this.inflight ??= this.fetchToken().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  // https://developer.work.weixin.qq.com/document/path/91039
  private async fetchToken(): Promise<string> {
    const url = `${this.base}/cgi-bin/gettoken?corpid=${encodeURIComponent(this.opts.corpId)}&corpsecret=${encodeURIComponent(this.opts.secret)}`;
    const body = await this.json('gettoken', url, { method: 'GET' });
    const token = body.access_token;
    const ttlMs = Number(body.expires_in) * 1000;
    if (typeof token !== 'string' || !token || !(ttlMs > 0)) throw WecomApiError.transport('gettoken', 'protocol', 'gettoken answered without access_token/expires_in');
    this.cached = { token, refreshAt: this.now() + ttlMs - Math.min(TOKEN_EARLY_MS, ttlMs / 2) };
    return token;
  }

  /** Runs `call` with a token; on 40014/42001/41001 drops that token, refreshes once and retries once. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (e) {
      if (!(e instanceof WecomApiError && TOKEN_CODES.has(e.errcode))) throw e;
      if (this.cached?.token === token) this.cached = undefined;
      return call(await this.accessToken());
    }
  }

  // https://developer.work.weixin.qq.com/document/path/90236
  async sendMessage(message: AppMessage): Promise<SendResult> {
    const body = { agentid: this.opts.agentId, ...clampAppMessage(message) };
    const res = await this.withToken((t) => this.json('message/send', this.url('message/send', t), jsonInit(body)));
    const result: SendResult = { msgid: String(res.msgid ?? '') };
    if (typeof res.response_code === 'string' && res.response_code) result.response_code = res.response_code;
    if (typeof res.invaliduser === 'string' && res.invaliduser) result.invaliduser = res.invaliduser;
    return result;
  }

  // https://developer.work.weixin.qq.com/document/path/94888
  async updateTemplateCard(update: CardUpdate): Promise<{ invaliduser?: string[] }> {
    const body = { agentid: this.opts.agentId, ...update };
    const res = await this.withToken((t) => this.json('message/update_template_card', this.url('message/update_template_card', t), jsonInit(body)));
    return Array.isArray(res.invaliduser) ? { invaliduser: res.invaliduser.map(String) } : {};
  }

  // https://developer.work.weixin.qq.com/document/path/90253
  async uploadMedia(type: MediaType, name: string, bytes: Uint8Array, mime: string): Promise<{ mediaId: string; createdAt: number }> {
    if (bytes.byteLength <= 5 || bytes.byteLength > MEDIA_MAX_BYTES[type]) {
      throw new DomainError('WECOM_MEDIA_SIZE', '文件大小不符合企业微信要求。', `${type} of ${bytes.byteLength} bytes is outside (5, ${MEDIA_MAX_BYTES[type]}]`);
    }
    const res = await this.withToken((t) => {
      const form = new FormData();
      // Copied into a plain ArrayBuffer-backed view: Blob rejects SharedArrayBuffer-typed views.
      form.append('media', new Blob([new Uint8Array(bytes)], { type: mime }), name);
      return this.json('media/upload', `${this.url('media/upload', t)}&type=${type}`, { method: 'POST', body: form });
    });
    if (typeof res.media_id !== 'string') throw WecomApiError.transport('media/upload', 'protocol', 'upload answered without media_id');
    return { mediaId: res.media_id, createdAt: Number(res.created_at) };
  }

  // https://developer.work.weixin.qq.com/document/path/90254
  async downloadMedia(mediaId: string, maxBytes: number): Promise<{ bytes: Uint8Array; mime: string; filename?: string }> {
    return this.withToken(async (t) => {
      const res = await this.send('media/get', `${this.url('media/get', t)}&media_id=${encodeURIComponent(mediaId)}`, { method: 'GET' });
      if (!res.ok) {
        await res.body?.cancel();
        throw WecomApiError.transport('media/get', 'http', `HTTP ${res.status}`, res.status);
      }
      const mime = (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
      // Success is the raw file; an error is a JSON body — never store an error as evidence.
      if (/json/i.test(mime)) {
        check('media/get', await readJson('media/get', res));
        throw WecomApiError.transport('media/get', 'protocol', 'media/get answered JSON without an error');
      }
      const bytes = await readCappedBody(res, maxBytes);
      const filename = filenameOf(res.headers.get('content-disposition'));
      return filename ? { bytes, mime, filename } : { bytes, mime };
    });
  }

  // https://developer.work.weixin.qq.com/document/path/91770
  async sendWebhook(key: string, message: WebhookMessage): Promise<void> {
    const url = `${this.base}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`;
    await this.json('webhook/send', url, jsonInit(clampWebhook(message)));
  }

  private url(api: string, token: string): string {
    return `${this.base}/cgi-bin/${api}?access_token=${encodeURIComponent(token)}`;
  }

  private async json(api: string, url: string, init: RequestInit): Promise<Json> {
    const res = await this.send(api, url, init);
    if (!res.ok) {
      await res.body?.cancel();
      throw WecomApiError.transport(api, 'http', `HTTP ${res.status}`, res.status);
    }
    return check(api, await readJson(api, res));
  }

  private async send(api: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const timeout = e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw WecomApiError.transport(api, timeout ? 'timeout' : 'network', timeout ? `no answer within ${this.timeoutMs} ms` : String((e as Error).message ?? e));
    }
  }
}

function jsonInit(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}

async function readJson(api: string, res: Response): Promise<Json> {
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    throw WecomApiError.transport(api, 'network', `body read failed: ${(e as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    /* fall through */
  }
  throw WecomApiError.transport(api, 'protocol', `answer is not a JSON object (HTTP ${res.status})`);
}

function check(api: string, body: Json): Json {
  const errcode = body.errcode ?? 0;
  if (errcode !== 0) throw WecomApiError.fromErrcode(api, Number(errcode), String(body.errmsg ?? ''));
  return body;
}

function readCappedBody(res: Response, maxBytes: number): Promise<Uint8Array> {
  return readCapped(res, maxBytes, (n) =>
    new DomainError('WECOM_MEDIA_TOO_LARGE', '附件过大，无法接收。', `media larger than ${maxBytes} bytes (${n}+)`, { maxBytes }));
}

/** Content-Disposition: attachment; filename="…" (raw UTF-8 arrives as latin1 in fetch headers) or filename*=UTF-8''… */
function filenameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      /* fall back to the plain parameter */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header)?.[1]?.trim();
  if (!plain) return undefined;
  const bytes = Buffer.from(plain, 'latin1');
  const asUtf8 = bytes.toString('utf8');
  return asUtf8.includes('\uFFFD') ? plain : asUtf8;
}

function clampAppMessage(m: AppMessage): AppMessage {
  if (m.msgtype === 'text') return { ...m, text: { ...m.text, content: truncateUtf8(m.text.content, APP_TEXT_MAX_BYTES) } };
  if (m.msgtype === 'markdown') return { ...m, markdown: { ...m.markdown, content: truncateUtf8(m.markdown.content, APP_TEXT_MAX_BYTES) } };
  return m;
}

function clampWebhook(m: WebhookMessage): WebhookMessage {
  if (m.msgtype === 'text') return { ...m, text: { ...m.text, content: truncateUtf8(m.text.content, WEBHOOK_TEXT_MAX_BYTES) } };
  if (m.msgtype === 'markdown') return { ...m, markdown: { content: truncateUtf8(m.markdown.content, WEBHOOK_MARKDOWN_MAX_BYTES) } };
  return m;
}
