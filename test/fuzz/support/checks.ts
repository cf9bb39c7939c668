/**
 * The acceptance rule of each synchronous parser that reads outside input, run inside the sandbox
 * worker (sandbox.ts): a check returns null when the parser gave a clear answer, else what was
 * wrong. "Clear" means: a result of the declared shape, or a coded DomainError whose message is
 * Chinese; never another exception.
 */
import { COMMANDS, CommandError, parseCommand, type Role } from '../../../domain/commands/index.ts';
import { normalizeText } from '../../../domain/commands/text.ts';
import { DomainError } from '../../../domain/errors.ts';
import { parsePlan } from '../../../domain/plan/parse.ts';
import { parseProgressReply, type ReplyCandidate } from '../../../domain/reply/index.ts';
import { openCallback, verifyUrl, type CallbackQuery } from '../../../bot/wecom/receiver.ts';
import { parseWecomXml } from '../../../bot/wecom/xml.ts';
import type { WecomConfig } from '../../../bot/wecom/config.ts';
import { decodeCallback, decodeCardCallback, decodeRobotMessage } from '../../../bot/dingtalk/decode.ts';
import { verifyCallbackSignature } from '../../../bot/dingtalk/sign.ts';

const han = (s: string) => /\p{Script=Han}/u.test(s);
const COMMAND_NAMES = new Set<string>(COMMANDS.map((c) => c.name));
const COMMAND_CODES = new Set(['COMMAND_UNKNOWN', 'COMMAND_MISSING_PARAM', 'COMMAND_INVALID_PARAM', 'COMMAND_UNEXPECTED_INPUT']);
const PLAN_CODES = new Set(['PLAN_EMPTY', 'PLAN_BINARY', 'PLAN_ENCODING', 'PLAN_NO_TASK_TABLE', 'PLAN_BAD_ROW']);

function thrown(e: unknown): string {
  return `threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`;
}

export interface CommandInput {
  text: string;
  role?: Role;
  today: string;
}

function command(input: CommandInput): string | null {
  let r;
  try {
    r = parseCommand(input.text, { today: input.today as `${number}-${number}-${number}`, ...(input.role ? { role: input.role } : {}) });
  } catch (e) {
    return thrown(e);
  }
  // "Not a command" is a valid answer, except for a slash right before a Chinese word.
  if (r === null) return /^[/／](?=\p{L})\p{Script=Han}/u.test(input.text) ? 'a slash command was taken for chat' : null;
  if (r.ok) return COMMAND_NAMES.has(r.command.name) ? null : `unknown command name ${r.command.name}`;
  const e = r.error;
  if (!(e instanceof CommandError)) return 'error is not a CommandError';
  if (!COMMAND_CODES.has(e.code)) return `unexpected code ${e.code}`;
  if (!han(e.message) || e.message.length > 2000) return `message is not a short Chinese text: ${e.message.slice(0, 200)}`;
  if (!e.messageEn) return 'no English log text';
  return null;
}

export interface ReplyInput {
  text: string;
  today: string;
  candidates: ReplyCandidate[];
}

function reply(input: ReplyInput): string | null {
  let r;
  try {
    r = parseProgressReply(input.text, { today: input.today as `${number}-${number}-${number}`, candidates: input.candidates });
  } catch (e) {
    return thrown(e);
  }
  const open = new Set(input.candidates.filter((c) => c.status !== 'DONE').map((c) => c.ticketId));
  switch (r.kind) {
    case 'not-progress':
      return null;
    case 'invalid':
      return han(r.message) ? null : `invalid without a Chinese message: ${r.message}`;
    case 'progress':
      if (!open.has(r.ticketId)) return `progress on ticket ${r.ticketId}, which is not an open candidate`;
      break;
    case 'ambiguous':
      if (r.candidates.some((id) => !open.has(id))) return 'the chooser lists a ticket that is not open';
      break;
    case 'no-open-tickets':
    case 'unknown-ref':
      break;
    default:
      return `unknown kind ${(r as { kind: string }).kind}`;
  }
  if (!(Number.isInteger(r.percent) && r.percent >= 0 && r.percent <= 100)) return `percent ${r.percent} outside 0..100`;
  if (typeof r.note !== 'string') return 'note is not text';
  return null;
}

function plan(input: string | Uint8Array): string | null {
  try {
    const p = parsePlan(input);
    if (p.tasks.length === 0) return 'a plan without tasks was accepted';
    for (const t of p.tasks) {
      if (!Number.isInteger(t.seq)) return `task with seq ${String(t.seq)}`;
      for (const m of t.milestones) if (!/^\d{4}-\d{2}-\d{2}$/.test(m.due)) return `milestone due ${m.due}`;
    }
    return null;
  } catch (e) {
    if (!(e instanceof DomainError)) return thrown(e);
    if (!PLAN_CODES.has(e.code)) return `unexpected code ${e.code}`;
    if (!han(e.message)) return `message is not Chinese: ${e.message}`;
    return null;
  }
}

function normalize(text: string): string | null {
  try {
    const out = normalizeText(text);
    return [...out].length <= [...text].length ? null : 'normalizeText made the text longer';
  } catch (e) {
    return thrown(e);
  }
}

const REJECT_STATUSES = new Set([400, 401, 403, 413]);

export interface WecomInput {
  kind: 'post' | 'get';
  query: CallbackQuery;
  body: string | Uint8Array;
  config: Pick<WecomConfig, 'corpId' | 'token' | 'encodingAesKey' | 'timestampSkewS'>;
  now: number;
}

function wecom(input: WecomInput): string | null {
  let r;
  try {
    r = input.kind === 'get' ? verifyUrl(input.query, input.config, new Date(input.now)) : openCallback(input.query, input.body, input.config, new Date(input.now));
  } catch (e) {
    return thrown(e);
  }
  if (r.ok) return null;
  if (!REJECT_STATUSES.has(r.status)) return `status ${r.status}`;
  if (!r.reason || !r.log || r.log.includes('\n')) return `rejection without one reason and one log line: ${JSON.stringify(r)}`;
  return null;
}

function wecomXml(text: string): string | null {
  try {
    const r = parseWecomXml(text);
    return r.ok || r.detail ? null : 'failure without detail';
  } catch (e) {
    return thrown(e);
  }
}

export interface DingtalkInput {
  /** The payload as JSON text, parsed here as the route and the Stream client do. */
  json: string;
  as: 'callback' | 'robot' | 'card';
  messageId?: string;
}

function dingtalk(input: DingtalkInput): string | null {
  let payload: unknown;
  try {
    payload = JSON.parse(input.json);
  } catch {
    return null; // the route answers 400 before decoding
  }
  const ctx = { now: new Date(1_780_000_000_000), ...(input.messageId ? { messageId: input.messageId } : {}) };
  let r;
  try {
    r = input.as === 'robot' ? decodeRobotMessage(payload, ctx) : input.as === 'card' ? decodeCardCallback(payload, ctx) : decodeCallback(payload, ctx);
  } catch (e) {
    return thrown(e);
  }
  if (r.outcome === 'rejected') return r.detail && r.detail.length <= 500 ? null : 'rejection without a short detail';
  if (r.outcome === 'ignored') return r.eventKey ? null : 'ignored without an event key';
  if (r.messages.length === 0) return 'no messages';
  for (const m of r.messages) {
    if (!m.eventKey || !m.sender.userId || !m.chat.chatId) return `message without key, sender or chat: ${JSON.stringify(m).slice(0, 300)}`;
    if (m.kind === 'card-action' && Object.values(m.values).some((v) => typeof v !== 'string')) return 'a card value is not text';
    try {
      JSON.stringify(m);
    } catch (e) {
      return `the decoded message cannot be recorded: ${thrown(e)}`;
    }
  }
  return null;
}

function dingtalkSign(input: { headers: { timestamp?: string | string[]; sign?: string | string[] }; secret: string; now: number }): string | null {
  try {
    const r = verifyCallbackSignature(input.headers, input.secret, input.now);
    return r.ok || r.log ? null : 'rejection without a log line';
  } catch (e) {
    return thrown(e);
  }
}

export const checks: Record<string, (input: never) => string | null> = {
  command,
  reply,
  plan,
  normalize,
  wecom,
  wecomXml,
  dingtalk,
  dingtalkSign,
};
