/**
 * DingTalk Stream mode (https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description):
 * we open a WebSocket to DingTalk and receive robot messages and card callbacks over it.
 *
 * Why not `DWClient` from dingtalk-stream@2.1.5 (we keep the package for its constants and frame
 * type): its getEndpoint() posts to the hard-coded GATEWAY_URL through axios, so it can be neither
 * pointed at a fake gateway nor given our fetch; its socket handler JSON.parses frames unguarded (one
 * malformed frame is an uncaught exception); it tells its owner nothing when the socket closes,
 * ignores `disconnect` frames, and reconnects at a fixed 1 s from both `error` and `close` (a storm).
 * The frame protocol (reference §6.1–6.2) is small, so this module speaks it with `ws`:
 *  - a fresh single-use ticket for every connection;
 *  - every CALLBACK is ACKed at once, before decoding or processing (DingTalk redelivers what waits);
 *  - duplicates are dropped by headers.messageId and by the decoded eventKey (msgId), in memory;
 *  - our own reconnect: exponential backoff 1 s → 60 s with full jitter, single-flight; a `disconnect`
 *    frame reconnects at once and the old socket is closed when the new one is open.
 * Contract for `onMessage`: persist (InboundEvent keyed by eventKey) and queue, then resolve; a
 * rejection is logged — the frame is already ACKed, so DingTalk will not deliver it again.
 */
import type { DWClientDownStream } from 'dingtalk-stream';
import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream/constants';
import type { Logger } from '../logger.ts';
import { DingtalkApiError } from './api-error.ts';
import type { DingtalkConfig } from './config.ts';
import { decodeCardCallback, decodeRobotMessage, type DingtalkInboundMessage, type FileSource } from './decode.ts';
import { ackFrame, backoffDelay, frameSchema, openTicket } from './gateway.ts';
import { RecentKeys } from './recent-keys.ts';
import { rawToString, WebSocket, WS_OPEN, type RawData, type WsSocket } from './ws.ts';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type StreamStatus =
  | { state: 'connecting' }
  | { state: 'connected'; endpoint: string }
  | { state: 'closed'; code: number; reason: string }
  | { state: 'waiting'; attempt: number; delayMs: number; reason: string };

export interface DingtalkStreamOptions {
  clientId: string;
  clientSecret: string;
  /** POST …/v1.0/gateway/connections/open; the test fake's URL in tests. */
  gatewayUrl: string;
  onMessage: (message: DingtalkInboundMessage) => Promise<void>;
  log: Logger;
  /** For attachment.fetch (a DingtalkClient). */
  files?: FileSource;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  timers?: Timers;
  backoff?: { baseMs?: number; capMs?: number };
  /** WebSocket ping interval; a missing pong by the next tick drops the connection. 0 disables. */
  keepAliveMs?: number;
  /** A connection that lived this long resets the backoff. */
  stableMs?: number;
  dedupe?: { max?: number; ttlMs?: number };
  onStatus?: (status: StreamStatus) => void;
}

export class DingtalkStream {
  private readonly log: Logger;
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly timers: Timers;
  private readonly recent: RecentKeys;
  private readonly inFlight = new Set<Promise<void>>();
  private socket: WsSocket | undefined;
  private connecting: Promise<void> | undefined;
  private timer: unknown;
  private keepAliveTimer: unknown;
  private alive = false;
  private openedAt: number | undefined;
  private attempt = 0;
  private stopped = true;

  constructor(private readonly opts: DingtalkStreamOptions) {
    this.log = opts.log.child({ adapter: 'dingtalk-stream' });
    this.fetchImpl = opts.fetch ?? fetch;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.recent = new RecentKeys(opts.dedupe?.max ?? 10_000, opts.dedupe?.ttlMs ?? 10 * 60_000, this.now);
  }

  static fromConfig(config: DingtalkConfig, rest: Omit<DingtalkStreamOptions, 'clientId' | 'clientSecret' | 'gatewayUrl'>): DingtalkStream {
    return new DingtalkStream({ clientId: config.clientId, clientSecret: config.clientSecret, gatewayUrl: config.gatewayUrl, ...rest });
  }

  get connected(): boolean {
    return this.socket?.readyState === WS_OPEN;
  }

  /** Connects in the background and stays connected until `stop()`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connectNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.stopKeepAlive();
    const socket = this.socket;
    this.socket = undefined;
    socket?.close(1000, 'stopping');
    await this.connecting?.catch(() => undefined);
    await this.drain();
  }

  /** Resolves when every dispatched message has been handed over (tests, graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private status(s: StreamStatus): void {
    this.opts.onStatus?.(s);
  }

  private async connectNow(): Promise<void> {
    if (this.stopped || this.connecting) return;
    this.status({ state: 'connecting' });
    let error: unknown;
    let failed = false;
    this.connecting = this.openConnection();
    try {
      await this.connecting;
    } catch (e) {
      failed = true;
      error = e;
    } finally {
      this.connecting = undefined;
    }
    if (failed && !this.stopped) {
      const level = error instanceof DingtalkApiError && !error.retryable ? 'error' : 'warn';
      this.log[level]({ err: error }, 'DingTalk Stream connection failed');
      this.scheduleReconnect(`connect failed: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** Single-flight: one pending timer or one connection attempt at a time. */
  private scheduleReconnect(reason: string, immediate = false): void {
    if (this.stopped || this.connecting) return;
    if (this.timer !== undefined) {
      if (!immediate) return;
      this.timers.clearTimeout(this.timer);
    }
    const delayMs = immediate ? 0 : backoffDelay(this.attempt, this.random, this.opts.backoff?.baseMs, this.opts.backoff?.capMs);
    if (!immediate) this.attempt += 1;
    this.status({ state: 'waiting', attempt: this.attempt, delayMs, reason });
    this.log.info({ delayMs, attempt: this.attempt, reason }, 'DingTalk Stream reconnect scheduled');
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.connectNow();
    }, delayMs);
  }

  // https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description (2. 建立连接)
  private async openConnection(): Promise<void> {
    const { endpoint, ticket } = await openTicket(this.opts, this.fetchImpl);
    const url = new URL(endpoint);
    url.searchParams.set('ticket', ticket);
    const socket = new WebSocket(url.toString(), { handshakeTimeout: 10_000, maxPayload: 4 << 20 });
    socket.on('message', (data) => this.onFrame(socket, data));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', (code, reason) => this.onClose(socket, code, reason.toString('utf8')));
    socket.on('error', (err) => this.log.warn({ err: err.message }, 'DingTalk Stream socket error'));
    await new Promise<void>((resolve, reject) => {
      const early = (code: number) => reject(new Error(`socket closed before it opened (${code})`));
      socket.once('close', early);
      socket.once('open', () => {
        socket.removeListener('close', early);
        if (this.stopped) {
          socket.close(1000, 'stopping');
          return resolve();
        }
        // Swap synchronously: frames may follow the handshake in the same tick.
        const old = this.socket;
        this.socket = socket;
        this.openedAt = this.now();
        this.startKeepAlive();
        old?.close(1000, 'replaced by a new connection');
        this.log.info({ host: url.host }, 'DingTalk Stream connected');
        this.status({ state: 'connected', endpoint });
        resolve();
      });
    });
  }

  private onClose(socket: WsSocket, code: number, reason: string): void {
    if (socket !== this.socket) return; // replaced, or never became current
    this.socket = undefined;
    this.stopKeepAlive();
    this.status({ state: 'closed', code, reason });
    if (this.stopped) return;
    if (this.openedAt !== undefined && this.now() - this.openedAt >= (this.opts.stableMs ?? 10_000)) this.attempt = 0;
    this.scheduleReconnect(`socket closed (${code}${reason ? ` ${reason}` : ''})`);
  }

  private onFrame(socket: WsSocket, raw: RawData): void {
    this.alive = true;
    let json: unknown;
    try {
      json = JSON.parse(rawToString(raw));
    } catch {
      this.log.warn('DingTalk Stream frame is not JSON; ignored');
      return;
    }
    const parsed = frameSchema.safeParse(json);
    if (!parsed.success) return void this.log.warn('DingTalk Stream frame of an unknown shape; ignored');
    const frame = parsed.data as DWClientDownStream;
    const { topic, messageId } = frame.headers;
    if (frame.type === 'SYSTEM') {
      if (topic === 'ping') return this.send(socket, JSON.stringify({ code: 200, headers: frame.headers, message: 'OK', data: frame.data }));
      if (topic === 'disconnect') {
        // No reply; the server stops delivering here and closes the socket ~10 s later.
        this.log.info({ data: frame.data.slice(0, 200) }, 'DingTalk Stream asked to reconnect');
        if (socket === this.socket) this.scheduleReconnect('disconnect frame', true);
      }
      return;
    }
    if (frame.type === 'EVENT') return this.send(socket, ackFrame(messageId, { status: 'SUCCESS', message: 'OK' }));
    if (frame.type !== 'CALLBACK') return;
    if (messageId) this.send(socket, ackFrame(messageId, { response: null })); // first, before any work
    if (messageId && this.recent.checkAndAdd(`messageId:${messageId}`)) {
      return void this.log.debug({ messageId }, 'DingTalk Stream redelivery dropped');
    }
    this.decodeAndDispatch(topic, messageId, frame.data);
  }

  private decodeAndDispatch(topic: string, messageId: string, data: string): void {
    if (topic !== TOPIC_ROBOT && topic !== TOPIC_CARD) return void this.log.debug({ topic }, 'DingTalk Stream callback of an unsubscribed topic ignored');
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return void this.log.warn({ topic, messageId }, 'DingTalk Stream callback data is not JSON; dropped');
    }
    const ctx = { now: new Date(this.now()), ...(this.opts.files ? { files: this.opts.files } : {}), ...(messageId ? { messageId } : {}) };
    const decoded = topic === TOPIC_CARD ? decodeCardCallback(payload, ctx) : decodeRobotMessage(payload, ctx);
    if (decoded.outcome === 'rejected') return void this.log.warn({ topic, messageId, detail: decoded.detail }, 'DingTalk Stream callback rejected');
    if (decoded.outcome === 'ignored') return void this.log.debug({ eventKey: decoded.eventKey, type: decoded.type }, 'DingTalk message of an unhandled type ignored');
    for (const message of decoded.messages) {
      if (this.recent.checkAndAdd(`eventKey:${message.eventKey}`)) {
        this.log.debug({ eventKey: message.eventKey }, 'DingTalk duplicate message dropped');
        continue;
      }
      const p = Promise.resolve()
        .then(() => this.opts.onMessage(message))
        .catch((err: unknown) => this.log.error({ err, eventKey: message.eventKey }, 'DingTalk message could not be handed over (already ACKed)'));
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
  }

  private send(socket: WsSocket, text: string): void {
    if (socket.readyState !== WS_OPEN) return;
    socket.send(text, (err) => err && this.log.warn({ err: err.message }, 'DingTalk Stream send failed'));
  }

  private startKeepAlive(): void {
    this.stopKeepAlive();
    const every = this.opts.keepAliveMs ?? 30_000;
    if (!every) return;
    this.alive = true;
    const tick = () => {
      const socket = this.socket;
      if (!socket) return;
      if (!this.alive) {
        this.log.warn('DingTalk Stream: no pong or frame within the keep-alive interval; dropping the connection');
        return socket.terminate();
      }
      this.alive = false;
      socket.ping();
      this.keepAliveTimer = this.timers.setTimeout(tick, every);
    };
    this.keepAliveTimer = this.timers.setTimeout(tick, every);
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer !== undefined) this.timers.clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = undefined;
  }
}
