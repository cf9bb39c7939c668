/**
 * Readers for parameter kinds. Each reads from the start of the remaining text and says whether
 * the parameter is there (`ok`, with the text after it), not there (`absent`: the caller decides
 * whether that is an error) or there but wrong (`invalid`, with what was wrong).
 */
import { isoDate, monthEnd } from '../plan/deadline.ts';
import type { ISODate } from '../plan/types.ts';
import { commandByWord, nearestCommand } from './lexicon.ts';
import { type Problem, phrases, problems } from './messages.ts';
import { NUMBER, parseNumeral } from './text.ts';
import type { ChoiceParamSpec, LiteralParamSpec, TaskRef, Target, TicketRef, ValueKind } from './types.ts';

export type Read<T = unknown> =
  | { status: 'ok'; value: T; rest: string }
  | { status: 'absent' }
  | { status: 'invalid'; problem: Problem };

const ABSENT = { status: 'absent' } as const;
const invalid = (problem: Problem) => ({ status: 'invalid', problem }) as const;
const ok = <T>(value: T, text: string, length: number): Read<T> => ({ status: 'ok', value, rest: text.slice(length) });

/** Where a parameter ends: a separator or the end of the text. */
const END = '(?=$|[\\s,，、;；。])';
const FIRST_TOKEN_RE = /^[^\s,，、;；。]+/;

export function skipSeparators(text: string): string {
  return text.replace(/^[\s,，、:：;；]+/, '');
}

function firstToken(text: string): string {
  return FIRST_TOKEN_RE.exec(text)?.[0] ?? text;
}

// ---- tickets and tasks -----------------------------------------------------------------------

const TICKET_PREFIXED_RE = /^(?:(?:督办单|工单|单号)\s*[#:：]?\s*|#\s*)(\d+)/;
const TICKET_PREFIX_ONLY_RE = /^(?:督办单|工单|单号|#)/;
const BARE_NUMBER_RE = /^(\d+)/;
const MAX_TICKET_DIGITS = 9;

function ticketValue(digits: string, text: string, length: number): Read<TicketRef> {
  if (digits.length > MAX_TICKET_DIGITS) return invalid(problems.ticketTooLarge());
  const id = Number(digits);
  if (id < 1) return invalid(problems.ticketNotNumber());
  return ok({ kind: 'ticket', id }, text, length);
}

/** `#123`, `督办单123`, `工单 #123`; with `bare`, also `123`. */
function readTicketRef(text: string, bare: boolean): Read<TicketRef> {
  const m = TICKET_PREFIXED_RE.exec(text);
  if (m) return ticketValue(m[1] ?? '', text, m[0].length);
  if (TICKET_PREFIX_ONLY_RE.test(text)) return invalid(problems.ticketNotNumber());
  if (!bare) return ABSENT;
  const n = BARE_NUMBER_RE.exec(text);
  if (n) return ticketValue(n[1] ?? '', text, n[0].length);
  if (readTaskRef(text).status === 'ok') return invalid(problems.ticketNotTask());
  return ABSENT;
}

const TASK_RES: readonly RegExp[] = [
  new RegExp(`^任务\\s*(?:第\\s*)?(${NUMBER})\\s*(?:项|号)?`),
  new RegExp(`^第\\s*(${NUMBER})\\s*(?:项|条|号)\\s*(?:任务)?`),
  new RegExp(`^(${NUMBER})\\s*号\\s*任务`),
  /^(\d+)/,
];

/** `任务6`, `任务 6`, `第6项`, `第六项任务`, `6号任务`, `6`. */
function readTaskRef(text: string): Read<TaskRef> {
  for (const re of TASK_RES) {
    const m = re.exec(text);
    if (!m) continue;
    const seq = parseNumeral(m[1] ?? '');
    if (seq === null || seq < 1 || seq > 9999) return invalid(problems.taskInvalid());
    return ok({ kind: 'task', seq }, text, m[0].length);
  }
  return ABSENT;
}

/** `#123` is a ticket; `任务6` and a bare number are tasks (people talk about tasks). */
function readTaskOrTicket(text: string): Read<TaskRef | TicketRef> {
  const ticket = readTicketRef(text, false);
  return ticket.status === 'absent' ? readTaskRef(text) : ticket;
}

const ALL_RE = new RegExp(`^(?:全部|所有|all)${END}`, 'i');

/** A ticket or task, else a unit name (one word); `全部` means no target (everything). */
function readTarget(text: string): Read<Target | null> {
  const ref = readTaskOrTicket(text);
  if (ref.status !== 'absent') return ref;
  if (text === '') return ABSENT;
  const all = ALL_RE.exec(text);
  if (all) return ok(null, text, all[0].length);
  const unit = firstToken(text);
  return ok({ kind: 'unit', text: unit }, text, unit.length);
}

// ---- problems (问题) ---------------------------------------------------------------------------

const PROBLEM_RE = /^(?:(?:问题\s*[#:：]?\s*|#?\s*[Pp]\s*)(\d+)|(\d+))(?![\d])/;
const PROBLEM_PREFIX_ONLY_RE = /^(?:问题|#?[Pp])(?!\d)/;

/** `P12`, `p12`, `#P12`, `问题12`, `问题#12`, or a bare `12`. */
function readProblemRef(text: string): Read<number> {
  const m = PROBLEM_RE.exec(text);
  if (m) {
    const digits = m[1] ?? m[2] ?? '';
    if (digits.length > MAX_TICKET_DIGITS || Number(digits) < 1) return invalid(problems.problemNotNumber());
    return ok(Number(digits), text, m[0].length);
  }
  return PROBLEM_PREFIX_ONLY_RE.test(text) ? invalid(problems.problemNotNumber()) : ABSENT;
}

/** One word: up to the first space or punctuation (a service name such as 住房公积金提取). */
function readWord(text: string): Read<string> {
  const token = FIRST_TOKEN_RE.exec(text)?.[0] ?? '';
  return token === '' ? ABSENT : ok(token, text, token.length);
}

// ---- percent and date ------------------------------------------------------------------------

const PERCENT_RES: readonly { re: RegExp; value: (m: RegExpExecArray) => number | null }[] = [
  { re: /^(\d+(?:\.\d+)?)\s*%/, value: (m) => Number(m[1]) },
  { re: new RegExp(`^百分之\\s*(${NUMBER})`), value: (m) => parseNumeral(m[1] ?? '') },
  { re: /^百分百/, value: () => 100 },
  { re: /^([一二两三四五六七八九十\d]|10)\s*成(?![员本果立为功效绩熟])/, value: (m) => tenths(m[1] ?? '') },
  { re: new RegExp(`^(\\d+(?:\\.\\d+)?)${END}`), value: (m) => Number(m[1]) },
  { re: new RegExp(`^(?:已经?|全部)?(?:完成|办结)${END}`), value: () => 100 },
];

function tenths(text: string): number | null {
  const n = parseNumeral(text);
  return n === null || n > 10 ? null : n * 10;
}

/** `80%`, `80`, `45.5%` (rounded), `百分之八十`, `八成`, `完成` (100). */
export function readPercent(text: string): Read<number> {
  for (const { re, value } of PERCENT_RES) {
    const m = re.exec(text);
    if (!m) continue;
    const v = value(m);
    if (v === null || !Number.isFinite(v)) return invalid(problems.percentInvalid(m[0]));
    const percent = Math.round(v);
    if (percent > 100) return invalid(problems.percentTooLarge(percent));
    return ok(percent, text, m[0].length);
  }
  return /^[-+]?\d/.test(text) ? invalid(problems.percentInvalid(firstToken(text))) : ABSENT;
}

const DATE_RE = new RegExp(
  `^(?:(\\d{4})\\s*[-/.年]\\s*)?(${NUMBER})\\s*[-/.月]\\s*(?:(${NUMBER})\\s*[日号]?|(底|末))(?:\\s*(?:前|之前|以前))?(?!\\d)`,
);

/**
 * `2026-12-31`, `2026/12/31`, `2026年12月31日`, `12月31日`, `12-31`, `12月底`. Without a year the
 * date is the next one from `today` on. Dates before today are refused: every date in this
 * grammar is a deadline.
 */
export function readDate(text: string, today: ISODate): Read<ISODate> {
  const m = DATE_RE.exec(text);
  if (!m) return /^\d|^[一二三四五六七八九十]+月/.test(text) ? invalid(problems.dateInvalid(firstToken(text))) : ABSENT;
  const [, yearText, monthText = '', dayText] = m;
  const month = parseNumeral(monthText);
  const todayYear = Number(today.slice(0, 4));
  const dateIn = (year: number): ISODate | null => {
    if (month === null || month < 1 || month > 12) return null;
    const day = dayText === undefined ? monthEnd(year, month) : parseNumeral(dayText);
    return day === null ? null : isoDate(year, month, day);
  };
  let date = dateIn(yearText ? Number(yearText) : todayYear);
  if (date !== null && !yearText && date < today) date = dateIn(todayYear + 1);
  if (date === null) return invalid(problems.dateInvalid(m[0]));
  if (date < today) return invalid(problems.datePast(date, today));
  return ok(date, text, m[0].length);
}

// ---- words -----------------------------------------------------------------------------------

const ASCII_RE = /^[a-z]+$/i;

function startsWithWord(text: string, word: string): boolean {
  if (!text.toLowerCase().startsWith(word.toLowerCase())) return false;
  return !ASCII_RE.test(word) || !/[a-z0-9_]/i.test(text[word.length] ?? '');
}

/** A keyword that selects a form: `通过`, `退回`, `申请`… (longest word first). */
export function readLiteral(text: string, spec: LiteralParamSpec): Read<string> {
  const word = [...spec.words].sort((a, b) => b.length - a.length).find((w) => startsWithWord(text, w));
  return word === undefined ? ABSENT : ok(word, text, word.length);
}

/** One of the options (value or alias), as a whole token. */
export function readChoice(text: string, spec: ChoiceParamSpec): Read<string> {
  if (text === '') return ABSENT;
  const token = firstToken(text);
  const lower = token.toLowerCase();
  const option = spec.options.find((o) => o.value === token || o.aliases.some((a) => a.toLowerCase() === lower));
  if (option) return ok(option.value, text, token.length);
  return invalid(problems.choiceInvalid(token, spec.label, spec.options.map((o) => o.value)));
}

/** A command name or alias, with or without its slash (for /帮助 审核). */
function readCommandName(text: string): Read<string> {
  const token = firstToken(text.replace(/^\/\s*/, ''));
  if (token === '') return ABSENT;
  const command = commandByWord(token);
  if (command) return ok(command.name, text, text.indexOf(token) + token.length);
  const near = nearestCommand(token);
  const problem = problems.commandUnknown(token);
  if (!near) return invalid(problem);
  return invalid({
    zh: `${problem.zh}，${phrases.didYouMean(near.name)}`,
    en: `${problem.en}; did you mean /${near.name}`,
    suggestion: near.name,
  });
}

/** Free text up to the end of the message (reasons, notes, descriptions). */
function readText(text: string): Read<string> {
  const value = text.replace(/^[\s,，、:：;；\-—]+/, '').trimEnd();
  return value === '' ? ABSENT : ok(value, '', 0);
}

export function readValue(kind: ValueKind, text: string, today: ISODate): Read {
  switch (kind) {
    case 'ticket': {
      const r = readTicketRef(text, true);
      return r.status === 'ok' ? { ...r, value: r.value.id } : r;
    }
    case 'task': {
      const r = readTaskRef(text);
      return r.status === 'ok' ? { ...r, value: r.value.seq } : r;
    }
    case 'taskOrTicket':
      return readTaskOrTicket(text);
    case 'target':
      return readTarget(text);
    case 'percent':
      return readPercent(text);
    case 'date':
      return readDate(text, today);
    case 'text':
      return readText(text);
    case 'command':
      return readCommandName(text);
    case 'problem':
      return readProblemRef(text);
    case 'word':
      return readWord(text);
  }
}
