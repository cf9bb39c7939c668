/**
 * A fake WeCom server on 127.0.0.1 that behaves like https://qyapi.weixin.qq.com on the wire: JSON
 * shapes, errcodes, token expiry, template-card limits, single-use response codes, temporary media,
 * group robots. It keeps every request for assertions and records (rather than reports) what the
 * real WeCom silently drops — app messages beyond 30/min or 1000/h per member — so tests can prove
 * the bot never exceeded the limit. Time is a controllable clock, independent of the wall clock.
 *
 * Deliberately independent of bot/wecom: its checks are written from the documentation, and
 * `signedCallback` encrypts with @wecom/crypto directly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';

export interface FakeWecomOptions {
  corpId: string;
  secret: string;
  agentId: number;
  tokenTtlS?: number;
  /** Known member userids; anything else is an invalid recipient. Undefined: everyone is valid. */
  members?: string[];
  /** Known robot keys; undefined: any key is a robot. */
  webhookKeys?: string[];
  startMs?: number;
  /** The clock follows the wall clock (advance() still shifts it): for bots in other processes. */
  realTime?: boolean;
}

export interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: number;
}

export interface Violation {
  rule: 'member-per-minute' | 'member-per-hour';
  userId: string;
  at: number;
}

export type Failure = { status: number } | { errcode: number; errmsg?: string } | { delayMs: number };

type Json = Record<string, unknown>;
type Answer = { status?: number; json?: Json; raw?: { bytes: Buffer; headers: Record<string, string> } };

const HOUR = 3_600_000;
const TASK_ID = /^[A-Za-z0-9_\-@]{1,128}$/;
const CARD_TYPES = new Set(['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction']);
const NEEDS_TASK_ID = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);
const MEDIA_MAX: Record<string, number> = { image: 10 << 20, voice: 2 << 20, video: 10 << 20, file: 20 << 20 };

const bytes = (s: unknown) => Buffer.byteLength(typeof s === 'string' ? s : '', 'utf8');
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const err = (errcode: number, errmsg: string): Answer => ({ json: { errcode, errmsg } });

export class FakeWecom {
  readonly received: Received[] = [];
  readonly violations: Violation[] = [];
  /** Accepted message/send bodies and who they reached (dropped: over the per-member limit). */
  readonly messages: Array<{ body: Json; msgid: string; delivered: string[]; dropped: string[]; at: number }> = [];
  readonly updates: Json[] = [];
  readonly webhooks: Array<{ key: string; body: Json; at: number }> = [];
  readonly clock = { now: 0, advance: (ms: number) => void (this.clock.now += ms) };
  baseUrl = '';

  private server: Server | undefined;
  private tokens = new Map<string, { expiresAt: number; invalid: boolean }>();
  private failures: Array<{ left: number; failure: Failure; path: string | undefined }> = [];
  private outage: { untilMs: number; failure: Failure; path: string | undefined } | undefined;
  private codes = new Map<string, { taskId: string; issuedAt: number; used: boolean }>();
  private taskIds = new Set<string>();
  private media = new Map<string, { bytes: Buffer; name: string; mime: string; type: string; createdAt: number }>();
  private perMember = new Map<string, number[]>();
  private perRobot = new Map<string, number[]>();
  private seq = 0;

  private constructor(readonly opts: FakeWecomOptions) {
    this.clock.now = opts.startMs ?? Date.now();
    if (opts.realTime) {
      let offset = this.clock.now - Date.now();
      Object.defineProperty(this.clock, 'now', { get: () => Date.now() + offset, set: (v: number) => void (offset = v - Date.now()) });
    }
  }

  static async start(opts: FakeWecomOptions): Promise<FakeWecom> {
    const fake = new FakeWecom(opts);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  tokenRequests(): number {
    return this.received.filter((r) => r.path === '/cgi-bin/gettoken').length;
  }
  /** Tokens stay known but are past expiry: the next call answers 42001. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = this.clock.now - 1;
  }
  /** Tokens are revoked (new secret, early invalidation): the next call answers 40014. */
  invalidateTokens(): void {
    for (const t of this.tokens.values()) t.invalid = true;
  }
  /** The next `n` requests (to `path`, if given) fail as told; `delayMs` only delays them. */
  failNext(n: number, failure: Failure, path?: string): void {
    this.failures.push({ left: n, failure, path });
  }
  /** Every request (to `path`, if given) fails as told until the fake's clock reaches `untilMs`: an outage of the platform. */
  failUntil(untilMs: number, failure: Failure, path?: string): void {
    this.outage = { untilMs, failure, path };
  }
  /** A media_id as if uploaded earlier (for media/get tests). */
  addMedia(content: Uint8Array, name: string, mime: string, type = 'file'): string {
    const id = `media-${++this.seq}-${randomBytes(4).toString('hex')}`;
    this.media.set(id, { bytes: Buffer.from(content), name, mime, type, createdAt: this.clock.now });
    return id;
  }
  /** The fresh ResponseCode a click on the card `taskId` brings in its callback. */
  clickCard(taskId: string): string {
    return this.issueCode(taskId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const raw = await readAll(req);
    const query = Object.fromEntries(url.searchParams);
    const type = req.headers['content-type'] ?? '';
    let body: unknown = raw.length ? raw.toString('utf8') : undefined;
    if (/json/.test(type)) body = safeJson(raw);
    if (/multipart/.test(type)) body = await parseForm(raw, type);
    const entry: Received = { method: req.method ?? 'GET', path: url.pathname, query, body, at: this.clock.now };
    this.received.push(entry);

    let answer: Answer;
    const failure = this.takeFailure(url.pathname);
    if (failure && 'delayMs' in failure) await new Promise((r) => setTimeout(r, failure.delayMs));
    if (failure && 'status' in failure) answer = { status: failure.status, json: { errcode: -1, errmsg: 'fake failure' } };
    else if (failure && 'errcode' in failure) answer = err(failure.errcode, failure.errmsg ?? 'system busy');
    else answer = this.route(entry);

    if (answer.raw) {
      res.writeHead(answer.status ?? 200, answer.raw.headers).end(answer.raw.bytes);
    } else {
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...answer.json }));
    }
  }

  private takeFailure(path: string): Failure | undefined {
    const o = this.outage;
    if (o && this.clock.now < o.untilMs && (!o.path || o.path === path)) return o.failure;
    const f = this.failures.find((x) => x.left > 0 && (!x.path || x.path === path));
    if (!f) return undefined;
    f.left--;
    return f.failure;
  }

  private route(r: Received): Answer {
    if (r.path === '/cgi-bin/gettoken') return this.gettoken(r.query);
    if (r.path === '/cgi-bin/webhook/send') return this.webhook(r.query.key ?? '', obj(r.body));
    const auth = this.auth(r.query.access_token);
    if (auth) return auth;
    const body = obj(r.body);
    switch (r.path) {
      case '/cgi-bin/message/send':
        return body ? this.send(body) : err(47001, 'data format error');
      case '/cgi-bin/message/update_template_card':
        return body ? this.updateCard(body) : err(47001, 'data format error');
      case '/cgi-bin/media/upload':
        return this.upload(r.query.type ?? '', body);
      case '/cgi-bin/media/get':
        return this.getMedia(r.query.media_id ?? '');
      default:
        return { status: 404, json: { errcode: 404, errmsg: 'not found' } };
    }
  }

  // https://developer.work.weixin.qq.com/document/path/91039
  private gettoken(q: Record<string, string>): Answer {
    if (q.corpid !== this.opts.corpId) return err(40013, 'invalid corpid');
    if (q.corpsecret !== this.opts.secret) return err(40001, 'invalid credential');
    const ttl = this.opts.tokenTtlS ?? 7200;
    const token = `tok-${++this.seq}-${randomBytes(12).toString('hex')}`;
    this.tokens.set(token, { expiresAt: this.clock.now + ttl * 1000, invalid: false });
    return { json: { access_token: token, expires_in: ttl } };
  }

  private auth(token: string | undefined): Answer | undefined {
    if (!token) return err(41001, 'access_token missing');
    const t = this.tokens.get(token);
    if (!t || t.invalid) return err(40014, 'invalid access_token');
    if (this.clock.now >= t.expiresAt) return err(42001, 'access_token expired');
    return undefined;
  }

  // https://developer.work.weixin.qq.com/document/path/90236
  private send(b: Json): Answer {
    if (b.agentid !== this.opts.agentId) return err(40056, 'invalid agentid');
    const users = typeof b.touser === 'string' && b.touser ? b.touser.split('|') : [];
    if (!users.length && !b.toparty && !b.totag) return err(82001, 'All touser & toparty & totag invalid');
    const type = b.msgtype;
    const payload = typeof type === 'string' ? obj(b[type]) : undefined;
    if (!payload) return err(40008, 'invalid message type');
    if (type === 'text' || type === 'markdown') {
      if (typeof payload.content !== 'string' || !payload.content) return err(41009, 'missing content');
      if (bytes(payload.content) > 2048) return err(45002, `content size out of limit: ${bytes(payload.content)} bytes`);
    } else if (type === 'image' || type === 'file') {
      if (!this.liveMedia(payload.media_id)) return err(40007, 'invalid media_id');
    } else if (type === 'template_card') {
      const problems = cardProblems(payload, this.taskIds);
      if (problems.length) return err(40058, `invalid template_card: ${problems.join('; ')}`);
    } else return err(40008, 'invalid message type');

    const known = this.opts.members ? new Set(this.opts.members) : undefined;
    const valid = users.filter((u) => u === '@all' || !known || known.has(u));
    const invalid = users.filter((u) => !valid.includes(u));
    if (users.length && !valid.length && !b.toparty && !b.totag) return err(81013, 'user & party & tag all invalid');
    const delivered: string[] = [];
    const dropped: string[] = [];
    for (const u of valid) (u === '@all' || this.admit(u) ? delivered : dropped).push(u);
    const msgid = `msg-${++this.seq}`;
    this.messages.push({ body: b, msgid, delivered, dropped, at: this.clock.now });
    const json: Json = { invaliduser: invalid.join('|'), msgid };
    if (type === 'template_card') {
      const taskId = String(payload.task_id ?? '');
      if (taskId) this.taskIds.add(taskId);
      json.response_code = this.issueCode(taskId);
    }
    return { json };
  }

  /** 30/min and 1000/h per member per app; the real server drops the excess without an error. */
  private admit(userId: string): boolean {
    const now = this.clock.now;
    const times = (this.perMember.get(userId) ?? []).filter((t) => t > now - HOUR);
    this.perMember.set(userId, times);
    const rule = times.filter((t) => t > now - 60_000).length >= 30 ? 'member-per-minute' : times.length >= 1000 ? 'member-per-hour' : undefined;
    if (rule) {
      this.violations.push({ rule, userId, at: now });
      return false;
    }
    times.push(now);
    return true;
  }

  private issueCode(taskId: string): string {
    const code = `rc-${++this.seq}-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, { taskId, issuedAt: this.clock.now, used: false });
    return code;
  }

  // https://developer.work.weixin.qq.com/document/path/94888
  private updateCard(b: Json): Answer {
    if (b.agentid !== this.opts.agentId) return err(40056, 'invalid agentid');
    const code = this.codes.get(String(b.response_code ?? ''));
    if (!code || code.used || this.clock.now - code.issuedAt > 72 * HOUR) return err(40058, 'invalid response_code');
    const card = obj(b.template_card);
    const button = obj(b.button);
    if (!card && typeof button?.replace_name !== 'string') return err(40058, 'button.replace_name or template_card required');
    if (card) {
      const problems = cardProblems(card, new Set());
      if (problems.length) return err(40058, `invalid template_card: ${problems.join('; ')}`);
    }
    code.used = true;
    this.updates.push(b);
    return { json: { invaliduser: [] } };
  }

  // https://developer.work.weixin.qq.com/document/path/90253
  private upload(type: string, form: Json | undefined): Answer {
    if (!MEDIA_MAX[type]) return err(40004, 'invalid media type');
    const file = form?.media as { name: string; mime: string; bytes: Buffer } | undefined;
    if (!file?.bytes) return err(44001, 'empty media data');
    if (file.bytes.length <= 5 || file.bytes.length > MEDIA_MAX[type]!) return err(40006, 'invalid file size');
    const id = this.addMedia(file.bytes, file.name, file.mime, type);
    return { json: { type, media_id: id, created_at: String(Math.floor(this.clock.now / 1000)) } };
  }

  private liveMedia(id: unknown) {
    const m = typeof id === 'string' ? this.media.get(id) : undefined;
    return m && this.clock.now - m.createdAt < 72 * HOUR ? m : undefined;
  }

  // https://developer.work.weixin.qq.com/document/path/90254
  private getMedia(id: string): Answer {
    const m = this.liveMedia(id);
    if (!m) return err(40007, 'invalid media_id');
    // Raw UTF-8 filename bytes, as WeCom sends them (latin1 string = bytes on the wire).
    const disposition = `attachment; filename="${Buffer.from(m.name, 'utf8').toString('latin1')}"`;
    return { raw: { bytes: m.bytes, headers: { 'content-type': m.mime, 'content-disposition': disposition, 'content-length': String(m.bytes.length) } } };
  }

  // https://developer.work.weixin.qq.com/document/path/91770
  private webhook(key: string, b: Json | undefined): Answer {
    if (!key || (this.opts.webhookKeys && !this.opts.webhookKeys.includes(key))) return err(93000, 'invalid webhook url');
    if (!b) return err(47001, 'data format error');
    const now = this.clock.now;
    const times = (this.perRobot.get(key) ?? []).filter((t) => t > now - 60_000);
    this.perRobot.set(key, times);
    if (times.length >= 20) return err(45009, 'api freq out of limit');
    const payload = typeof b.msgtype === 'string' ? obj(b[b.msgtype]) : undefined;
    if (!payload) return err(40008, 'invalid message type');
    const limit = b.msgtype === 'markdown' ? 4096 : b.msgtype === 'text' ? 2048 : 0;
    if (limit && (!payload.content || bytes(payload.content) > limit)) return err(45002, 'content size out of limit');
    if (b.msgtype === 'image') {
      const img = Buffer.from(String(payload.base64 ?? ''), 'base64');
      if (!img.length || img.length > 2 << 20) return err(40009, 'invalid image size');
      if (createHash('md5').update(img).digest('hex') !== payload.md5) return err(40058, 'md5 mismatch');
    } else if (!limit) return err(40008, 'invalid message type');
    times.push(now);
    this.webhooks.push({ key, body: b, at: now });
    return { json: {} };
  }
}

/** Template card checks from path/90236 (limits as in protocols.md §3.1). */
export function cardProblems(card: Json, usedTaskIds: Set<string>): string[] {
  const p: string[] = [];
  const type = String(card.card_type ?? '');
  if (!CARD_TYPES.has(type)) return [`card_type ${type || '(none)'} unknown`];
  const taskId = card.task_id;
  const menu = obj(card.action_menu);
  if (taskId !== undefined || NEEDS_TASK_ID.has(type) || menu) {
    if (typeof taskId !== 'string' || !TASK_ID.test(taskId)) p.push('task_id must match ^[A-Za-z0-9_\\-@]{1,128}$');
    else if (usedTaskIds.has(taskId)) p.push(`task_id ${taskId} already used`);
  }
  if (menu) {
    const list = arr(menu.action_list);
    if (list.length < 1 || list.length > 3) p.push('action_menu.action_list needs 1-3 items');
    keyProblems(list.map((a) => a.key), 'action_menu key', p);
  }
  if (type === 'text_notice' && !obj(card.main_title)?.title && !card.sub_title_text) p.push('text_notice needs main_title.title or sub_title_text');
  if ((type === 'text_notice' || type === 'news_notice') && ![1, 2].includes(Number(obj(card.card_action)?.type))) p.push('card_action.type must be 1 or 2');
  if (arr(card.horizontal_content_list).length > 6) p.push('horizontal_content_list over 6');
  if (arr(card.jump_list).length > 3) p.push('jump_list over 3');
  if (arr(card.vertical_content_list).length > 4) p.push('vertical_content_list over 4');
  if (type === 'button_interaction') {
    const buttons = arr(card.button_list);
    if (buttons.length < 1 || buttons.length > 6) p.push('button_list needs 1-6 buttons');
    keyProblems(buttons.filter((b) => (b.type ?? 0) === 0).map((b) => b.key), 'button key', p);
    const sel = obj(card.button_selection);
    if (sel) optionProblems(sel, 10, 'button_selection', p);
  }
  if (type === 'vote_interaction') {
    optionProblems(obj(card.checkbox) ?? {}, 20, 'checkbox', p);
    keyProblems([obj(card.submit_button)?.key], 'submit_button key', p);
  }
  if (type === 'multiple_interaction') {
    const selects = arr(card.select_list);
    if (selects.length < 1 || selects.length > 3) p.push('select_list needs 1-3 selectors');
    selects.forEach((s, i) => optionProblems(s, 10, `select_list[${i}]`, p));
    keyProblems([obj(card.submit_button)?.key], 'submit_button key', p);
  }
  return p;
}

function keyProblems(keys: unknown[], what: string, p: string[]): void {
  for (const k of keys) if (typeof k !== 'string' || !k || bytes(k) > 1024) p.push(`${what} must be 1-1024 bytes`);
  if (new Set(keys).size !== keys.length) p.push(`${what}s must be unique`);
}

function optionProblems(q: Json, max: number, what: string, p: string[]): void {
  keyProblems([q.question_key], `${what}.question_key`, p);
  const options = arr(q.option_list);
  if (options.length < 1 || options.length > max) p.push(`${what}.option_list needs 1-${max} options`);
  const ids = options.map((o) => o.id);
  if (ids.some((id) => typeof id !== 'string' || !id || bytes(id) > 128)) p.push(`${what} option id must be 1-128 bytes`);
  if (new Set(ids).size !== ids.length) p.push(`${what} option ids must be unique`);
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function safeJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

async function parseForm(raw: Buffer, type: string): Promise<Json | undefined> {
  try {
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(raw) }).formData();
    const out: Json = {};
    for (const [name, value] of form) {
      out[name] = typeof value === 'string' ? value : { name: value.name, mime: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
    }
    return out;
  } catch {
    return undefined;
  }
}

export interface CallbackKeys {
  token: string;
  aesKey: string;
  corpId: string;
  timestamp: string;
  nonce: string;
  agentId?: string;
}

/** A signed, encrypted POST callback exactly as WeCom sends it. */
export function signedCallback(xmlInner: string, k: CallbackKeys): { query: Record<string, string>; search: string; body: string } {
  const enc = encrypt(k.aesKey, xmlInner, k.corpId, randomBytes(16));
  const query = { msg_signature: getSignature(k.token, k.timestamp, k.nonce, enc), timestamp: k.timestamp, nonce: k.nonce };
  const body = `<xml><ToUserName><![CDATA[${k.corpId}]]></ToUserName><AgentID><![CDATA[${k.agentId ?? ''}]]></AgentID><Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;
  return { query, search: new URLSearchParams(query).toString(), body };
}

/** A signed GET URL-verification query for `plain` (the echostr WeCom would send). */
export function signedEchostr(plain: string, k: CallbackKeys): { query: Record<string, string>; search: string } {
  const echostr = encrypt(k.aesKey, plain, k.corpId, randomBytes(16));
  const query = { msg_signature: getSignature(k.token, k.timestamp, k.nonce, echostr), timestamp: k.timestamp, nonce: k.nonce, echostr };
  return { query, search: new URLSearchParams(query).toString() };
}
