/**
 * A fake DingTalk on 127.0.0.1 that checks the wire format: OpenAPI (token, robot messages, cards,
 * file download), custom robot webhooks (加签 + 20/min per robot → 130101), and the Stream gateway
 * (single-use tickets valid 90 s, a WebSocket that pushes frames, wants ACKs, redelivers what is not
 * ACKed, and sends `disconnect` on command). Everything it receives is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { hmacSign } from '../../bot/dingtalk/sign.ts';
import { rawToString, WebSocketServer, WS_OPEN, type WsSocket } from '../../bot/dingtalk/ws.ts';

export interface FakeDingtalkOptions {
  clientId?: string;
  clientSecret?: string;
  robotCode?: string;
  /** The fake's clock (token expiry, ticket validity, webhook window and rate). */
  now?: () => number;
  tokenTtlS?: number;
  ticketTtlMs?: number;
  /** An un-ACKed CALLBACK is pushed again after this long (DingTalk: within ~60 s). */
  redeliveryMs?: number;
  /** After a `disconnect` frame the server closes the socket this much later (DingTalk: ~10 s). */
  disconnectCloseMs?: number;
}

export type Failure = { status: number; body?: unknown } | 'timeout';
export interface Recorded { method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers']; body: any }
export interface StreamConnection { id: string; ticket: string; ws: WsSocket; closed: boolean; draining: boolean }
export interface Upstream { connectionId: string; frame: any; at: number }

const MSG_KEYS = /^(sampleText|sampleMarkdown|sampleImageMsg|sampleLink|sampleActionCard[2-6]?|sampleAudio|sampleFile|sampleVideo)$/;
const TOKEN_PATH = '/v1.0/oauth2/accessToken';

export class FakeDingtalk {
  readonly requests: Recorded[] = [];
  readonly cards = new Map<string, { body: any; cardParamMap: Record<string, string> }>();
  readonly webhookMessages: Array<{ accessToken: string; body: any }> = [];
  readonly tickets = new Map<string, { issuedAt: number; used: boolean }>();
  readonly connections: StreamConnection[] = [];
  readonly upstream: Upstream[] = [];
  readonly rejectedUpgrades: string[] = [];
  tokensIssued = 0;
  base = '';
  private readonly tokens = new Map<string, number>();
  private readonly failures: Array<{ failure: Failure; path: string; skip: number }> = [];
  private outage: { untilMs: number; failure: Failure; path: string } | undefined;
  private readonly robots = new Map<string, { secret: string | undefined; sent: number[]; blockedUntil: number }>();
  private readonly files = new Map<string, { bytes: Uint8Array; mime: string }>();
  private readonly pending = new Map<string, { frame: string; timer: NodeJS.Timeout; deliveries: number }>();
  private readonly held = new Set<ServerResponse>();
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly o: Required<FakeDingtalkOptions>;

  private constructor(opts: FakeDingtalkOptions) {
    this.o = {
      clientId: 'dingfake0123456789',
      clientSecret: 'fake-app-secret-0123456789',
      robotCode: 'dingfake0123456789',
      now: Date.now,
      tokenTtlS: 7200,
      ticketTtlMs: 90_000,
      redeliveryMs: 60_000,
      disconnectCloseMs: 10_000,
      ...opts,
    };
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) => this.upgrade(req, socket, head));
  }

  static async start(opts: FakeDingtalkOptions = {}): Promise<FakeDingtalk> {
    const fake = new FakeDingtalk(opts);
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    fake.base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  get config() {
    const { clientId, clientSecret, robotCode } = this.o;
    return { clientId, clientSecret, robotCode, apiBase: this.base, oapiBase: this.base, gatewayUrl: `${this.base}/v1.0/gateway/connections/open` };
  }

  /** The next `times` requests whose path starts with `path` (default: any but the token endpoint) fail so, after `after` pass. */
  failNext(failure: Failure, path = '', times = 1, after = 0): void {
    for (let i = 0; i < times; i++) this.failures.push({ failure, path, skip: i === 0 ? after : 0 });
  }

  /** Every request to `path` (a prefix; default: all but the token) fails as told until the fake's clock reaches `untilMs`. */
  failUntil(untilMs: number, failure: Failure, path = ''): void {
    this.outage = { untilMs, failure, path };
  }

  /** Every issued token is past its expiry from now on (answers 401). */
  expireTokens(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, 0);
  }

  addWebhookRobot(secret?: string): { accessToken: string; url: string } {
    const accessToken = randomUUID().replace(/-/g, '');
    this.robots.set(accessToken, { secret, sent: [], blockedUntil: 0 });
    return { accessToken, url: `${this.base}/robot/send?access_token=${accessToken}` };
  }

  addFile(downloadCode: string, bytes: Uint8Array, mime: string): void {
    this.files.set(downloadCode, { bytes, mime });
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    for (const c of this.connections) c.ws.terminate();
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  // ---- Stream gateway --------------------------------------------------------------------------

  /** Pushes a frame to the newest live connection; returns its messageId. */
  push(topic: string, data: unknown, opts: { messageId?: string; type?: 'CALLBACK' | 'EVENT' | 'SYSTEM' } = {}): string {
    const messageId = opts.messageId ?? `fake_${randomUUID()}`;
    const type = opts.type ?? 'CALLBACK';
    const frame = JSON.stringify({
      specVersion: '1.0',
      type,
      headers: { appId: 'fake-app', connectionId: this.live()?.id ?? '', contentType: 'application/json', messageId, time: String(this.o.now()), topic },
      data: typeof data === 'string' ? data : JSON.stringify(data),
    });
    this.deliver(messageId, frame, type === 'CALLBACK');
    return messageId;
  }

  /** Sends text as is (malformed frames). */
  sendRaw(text: string): void {
    this.live()?.ws.send(text);
  }

  acksFor(messageId: string): Upstream[] {
    return this.upstream.filter((u) => u.frame?.headers?.messageId === messageId);
  }

  deliveriesOf(messageId: string): number {
    return this.pending.get(messageId)?.deliveries ?? 0;
  }

  /** Tells the live connections to go; the server closes them `disconnectCloseMs` later. */
  disconnect(reason = 'gateway is restarting'): void {
    for (const c of this.connections.filter((x) => !x.closed && !x.draining)) {
      c.draining = true;
      c.ws.send(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: { topic: 'disconnect', messageId: randomUUID(), contentType: 'application/json' }, data: JSON.stringify({ reason }) }));
      setTimeout(() => c.ws.close(1000, 'disconnect'), this.o.disconnectCloseMs).unref();
    }
  }

  ping(opaque = randomUUID()): string {
    this.live()?.ws.send(JSON.stringify({ specVersion: '1.0', type: 'SYSTEM', headers: { topic: 'ping', messageId: randomUUID(), contentType: 'application/json' }, data: JSON.stringify({ opaque }) }));
    return opaque;
  }

  private live(): StreamConnection | undefined {
    return [...this.connections].reverse().find((c) => !c.closed && !c.draining && c.ws.readyState === WS_OPEN);
  }

  private deliver(messageId: string, frame: string, wantsAck: boolean): void {
    this.live()?.ws.send(frame);
    if (!wantsAck) return;
    const prior = this.pending.get(messageId);
    if (prior) clearTimeout(prior.timer);
    const deliveries = (prior?.deliveries ?? 0) + 1;
    const timer = setTimeout(() => (deliveries < 5 ? this.deliver(messageId, frame, true) : undefined), this.o.redeliveryMs);
    timer.unref();
    this.pending.set(messageId, { frame, timer, deliveries });
  }

  private upgrade(req: IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.base);
    const ticket = url.searchParams.get('ticket') ?? '';
    const t = this.tickets.get(ticket);
    if (url.pathname !== '/connect' || !t || t.used || this.o.now() - t.issuedAt > this.o.ticketTtlMs) {
      this.rejectedUpgrades.push(ticket);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    t.used = true;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: StreamConnection = { id: `conn_${this.connections.length + 1}`, ticket, ws, closed: false, draining: false };
      this.connections.push(conn);
      ws.on('close', () => (conn.closed = true));
      ws.on('error', () => undefined);
      ws.on('message', (raw) => {
        let frame: any;
        try {
          frame = JSON.parse(rawToString(raw));
        } catch {
          frame = { malformed: rawToString(raw) };
        }
        this.upstream.push({ connectionId: conn.id, frame, at: performance.now() });
        const p = this.pending.get(frame?.headers?.messageId);
        if (p && frame.code === 200) clearTimeout(p.timer);
      });
    });
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      /* recorded as text */
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body });
    const o = this.outage;
    if (o && this.o.now() < o.untilMs && (o.path ? url.pathname.startsWith(o.path) : url.pathname !== TOKEN_PATH)) {
      if (o.failure === 'timeout') return void this.held.add(res);
      return send(res, o.failure.status, o.failure.body ?? { code: 'ServiceUnavailable', message: 'fake failure' });
    }
    const failIdx = this.failures.findIndex((f) => (f.path ? url.pathname.startsWith(f.path) : url.pathname !== TOKEN_PATH));
    if (failIdx >= 0 && this.failures[failIdx]!.skip > 0) this.failures[failIdx]!.skip -= 1;
    else if (failIdx >= 0) {
      const { failure } = this.failures.splice(failIdx, 1)[0]!;
      if (failure === 'timeout') return void this.held.add(res);
      return send(res, failure.status, failure.body ?? { code: 'ServiceUnavailable', message: 'fake failure' });
    }
    const route = `${req.method} ${url.pathname}`;
    if (route === `POST ${TOKEN_PATH}`) return this.token(res, body);
    if (route === 'POST /v1.0/gateway/connections/open') return this.openConnection(req, res, body);
    if (route === 'POST /robot/send') return this.webhook(res, url.searchParams, body);
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) {
      const f = this.files.get(decodeURIComponent(url.pathname.slice(7)));
      if (!f) return send(res, 404, { code: 'NotFound' });
      res.writeHead(200, { 'content-type': f.mime, 'content-length': f.bytes.byteLength }).end(f.bytes);
      return;
    }
    const token = String(req.headers['x-acs-dingtalk-access-token'] ?? '');
    if (!((this.tokens.get(token) ?? 0) > this.o.now())) return send(res, 401, { code: 'InvalidAuthentication', message: '不合法的access_token' });
    const bad = (message: string) => send(res, 400, { code: 'param.invalid', message });
    switch (route) {
      case 'POST /v1.0/robot/oToMessages/batchSend': {
        const ids = body?.userIds;
        if (body?.robotCode !== this.o.robotCode) return bad('robotCode');
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 20 || !ids.every((u) => typeof u === 'string')) return bad('userIds: 1–20 strings');
        if (!MSG_KEYS.test(body.msgKey ?? '') || !isJsonObjectString(body.msgParam)) return bad('msgKey/msgParam');
        return send(res, 200, { processQueryKey: randomUUID(), invalidStaffIdList: [], flowControlledStaffIdList: [] });
      }
      case 'POST /v1.0/robot/groupMessages/send':
        if (body?.robotCode !== this.o.robotCode || typeof body.openConversationId !== 'string') return bad('robotCode/openConversationId');
        if (!MSG_KEYS.test(body.msgKey ?? '') || !isJsonObjectString(body.msgParam)) return bad('msgKey/msgParam');
        if (Buffer.byteLength(body.msgParam, 'utf8') > 15_000) return bad('msgParam exceeds 15000 bytes');
        return send(res, 200, { processQueryKey: randomUUID() });
      case 'POST /v1.0/card/instances/createAndDeliver': {
        const m = /^dtv1\.card\/\/(IM_GROUP|IM_ROBOT)\.(.+)$/.exec(body?.openSpaceId ?? '');
        if (!body?.cardTemplateId || !body.outTrackId || !m || !stringMap(body.cardData?.cardParamMap)) return bad('card shape');
        const model = m[1] === 'IM_GROUP' ? body.imGroupOpenDeliverModel : body.imRobotOpenDeliverModel;
        if (!model?.robotCode && m[1] === 'IM_GROUP') return bad('imGroupOpenDeliverModel.robotCode');
        if (this.cards.has(body.outTrackId)) return send(res, 400, { code: 'param.outTrackIdExisted', message: 'outTrackId exists' });
        this.cards.set(body.outTrackId, { body, cardParamMap: { ...body.cardData.cardParamMap } });
        return send(res, 200, { success: true, result: { outTrackId: body.outTrackId, deliverResults: [{ spaceType: m[1], spaceId: m[2], success: true }] } });
      }
      case 'PUT /v1.0/card/instances': {
        const card = this.cards.get(body?.outTrackId);
        if (!card) return send(res, 400, { code: 'param.cardNotExist', message: 'no such outTrackId' });
        if (!stringMap(body.cardData?.cardParamMap)) return bad('cardParamMap values must be strings');
        Object.assign(card.cardParamMap, body.cardData.cardParamMap);
        return send(res, 200, { success: true, result: true });
      }
      case 'POST /v1.0/robot/messageFiles/download':
        if (body?.robotCode !== this.o.robotCode || !this.files.has(body.downloadCode)) return bad('downloadCode');
        return send(res, 200, { downloadUrl: `${this.base}/files/${encodeURIComponent(body.downloadCode)}` });
      default:
        return send(res, 404, { code: 'NotFound', message: route });
    }
  }

  private token(res: ServerResponse, body: any): void {
    if (body?.appKey !== this.o.clientId || body?.appSecret !== this.o.clientSecret) return send(res, 400, { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' });
    const now = this.o.now();
    const valid = [...this.tokens].find(([, exp]) => exp > now);
    if (valid) return send(res, 200, { accessToken: valid[0], expireIn: Math.floor((valid[1] - now) / 1000) });
    const token = `fake_token_${++this.tokensIssued}`;
    this.tokens.set(token, now + this.o.tokenTtlS * 1000);
    send(res, 200, { accessToken: token, expireIn: this.o.tokenTtlS });
  }

  private openConnection(req: IncomingMessage, res: ServerResponse, body: any): void {
    if (!/application\/json/.test(String(req.headers.accept ?? ''))) {
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<OpenConnectionResponse/>');
      return;
    }
    if (body?.clientId !== this.o.clientId || body?.clientSecret !== this.o.clientSecret) return send(res, 401, { code: 'InvalidAuthentication', message: 'bad client' });
    if (!Array.isArray(body.subscriptions) || body.subscriptions.length === 0) return send(res, 400, { code: 'param.invalid', message: 'subscriptions' });
    const ticket = randomUUID();
    this.tickets.set(ticket, { issuedAt: this.o.now(), used: false });
    send(res, 200, { endpoint: `${this.base.replace(/^http/, 'ws')}/connect`, ticket });
  }

  private webhook(res: ServerResponse, q: URLSearchParams, body: any): void {
    const accessToken = q.get('access_token') ?? '';
    const robot = this.robots.get(accessToken);
    if (!robot) return send(res, 200, { errcode: 300001, errmsg: 'token is not exist' });
    const now = this.o.now();
    if (robot.secret) {
      const ts = q.get('timestamp') ?? '';
      // URLSearchParams decodes "+" as a space: an un-encoded signature fails here, as it does at DingTalk.
      if (!/^\d+$/.test(ts) || Math.abs(now - Number(ts)) > 3_600_000) return send(res, 200, { errcode: 310000, errmsg: 'invalid timestamp' });
      if (q.get('sign') !== hmacSign(robot.secret, ts)) return send(res, 200, { errcode: 310000, errmsg: 'sign not match' });
    }
    robot.sent = robot.sent.filter((t) => now - t < 60_000);
    if (now < robot.blockedUntil || robot.sent.length >= 20) {
      if (now >= robot.blockedUntil) robot.blockedUntil = now + 10 * 60_000;
      return send(res, 200, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
    }
    if (!['text', 'markdown', 'link', 'actionCard', 'feedCard'].includes(body?.msgtype) || !body[body.msgtype]) return send(res, 200, { errcode: 40035, errmsg: '缺少参数 json' });
    robot.sent.push(now);
    this.webhookMessages.push({ accessToken, body });
    send(res, 200, { errcode: 0, errmsg: 'ok' });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
}

function isJsonObjectString(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    const o: unknown = JSON.parse(v);
    return o !== null && typeof o === 'object' && !Array.isArray(o);
  } catch {
    return false;
  }
}

function stringMap(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Object.values(v as object).every((x) => typeof x === 'string');
}

/** Polls until `check` holds (loopback traffic settles in milliseconds). */
export async function waitUntil(check: () => boolean, timeoutMs = 3_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
