/**
 * Types of the command grammar. The grammar itself is the table in `catalogue.ts`; the parsed
 * command type is derived from that table, so a parameter is declared in exactly one place.
 */
import type { ISODate } from '../plan/types.ts';
import type { COMMANDS } from './catalogue.ts';

export type Role = 'BUREAU_ADMIN' | 'BUREAU_STAFF' | 'UNIT_OFFICER' | 'UNIT_LEADER' | 'LEADER';

export const ROLES: readonly Role[] = ['BUREAU_ADMIN', 'BUREAU_STAFF', 'UNIT_OFFICER', 'UNIT_LEADER', 'LEADER'];

/** 任务6 — a task of the plan by its printed sequence number. */
export interface TaskRef {
  kind: 'task';
  seq: number;
}

/** #123 — a ticket (督办单) by id. */
export interface TicketRef {
  kind: 'ticket';
  id: number;
}

/** 省公安厅 — a unit as typed; the caller resolves it against the unit directory. */
export interface UnitRef {
  kind: 'unit';
  text: string;
}

export type Target = TaskRef | TicketRef | UnitRef;

/**
 * What a parameter reads:
 * - `ticket` `#123` / `督办单123` / `123`; `task` `任务6` / `第6项` / `6号任务` / `6`;
 * - `taskOrTicket` `#123` → ticket, `任务6` or a bare number → task;
 * - `target` like `taskOrTicket`, anything else is a unit name (free text up to the end);
 * - `percent` `80%` / `80` / `百分之八十` / `八成`; `date` `2026-12-31` / `12月31日` / `12-31`;
 * - `problem` `P12` / `问题12` / `12`; `word` one word (up to a space or punctuation);
 * - `text` the rest of the message; `command` a command name or alias (for /帮助);
 * - `choice` one of `options`; `literal` a keyword that selects the form (its `sub`).
 */
export type ValueKind = 'ticket' | 'task' | 'taskOrTicket' | 'target' | 'percent' | 'date' | 'text' | 'command' | 'problem' | 'word';

export interface ChoiceOption {
  readonly value: string;
  readonly aliases: readonly string[];
}

export interface ValueParamSpec {
  readonly kind: ValueKind;
  /** Property name in the parsed command. */
  readonly key: string;
  /** Chinese name used in messages: 缺少{label}. */
  readonly label: string;
  readonly optional?: boolean;
}

export interface ChoiceParamSpec {
  readonly kind: 'choice';
  readonly key: string;
  readonly label: string;
  readonly options: readonly ChoiceOption[];
  readonly optional?: boolean;
  /** Value when the parameter is left out (only with `optional`). */
  readonly default?: string;
}

export interface LiteralParamSpec {
  readonly kind: 'literal';
  /** Accepted words; the form's `sub` is what handlers see. */
  readonly words: readonly string[];
  readonly label: string;
}

export type ParamSpec = ValueParamSpec | ChoiceParamSpec | LiteralParamSpec;

export interface FormSpec {
  /** Discriminant among the forms of one command (present when the command has several). */
  readonly sub?: string;
  readonly roles: readonly Role[];
  /** What this form does, when it says more than the command's description. */
  readonly description?: string;
  readonly usage: string;
  readonly examples: readonly string[];
  readonly params: readonly ParamSpec[];
}

export interface CommandSpec {
  /** Chinese command word, e.g. 督办 (typed as /督办). */
  readonly name: string;
  /** English and short forms, e.g. assign, db. */
  readonly aliases: readonly string[];
  /** Pinyin syllables of the name: `/duban` works, and `/督ban` is recognised as a typo. */
  readonly pinyin: readonly string[];
  readonly description: string;
  readonly forms: readonly FormSpec[];
}

// ---- The parsed command, derived from the catalogue ------------------------------------------

export type CommandName = (typeof COMMANDS)[number]['name'];

interface KindValues {
  ticket: number;
  task: number;
  taskOrTicket: TaskRef | TicketRef;
  target: Target;
  percent: number;
  date: ISODate;
  text: string;
  command: CommandName;
  problem: number;
  word: string;
}

type ValueOf<P> = P extends { kind: 'choice'; options: readonly (infer O)[] }
  ? O extends { value: infer V } ? V : never
  : P extends { kind: infer K extends keyof KindValues } ? KindValues[K] : never;

type ArgsOf<Ps extends readonly unknown[]> = {
  -readonly [P in Ps[number] as P extends { key: infer K extends string } ? K : never]: P extends { optional: true }
    ? P extends { default: string } ? ValueOf<P> : ValueOf<P> | null
    : ValueOf<P>;
};

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type FormResult<N, F> = F extends { params: infer Ps extends readonly unknown[] }
  ? Simplify<{ name: N } & (F extends { sub: infer S extends string } ? { sub: S } : unknown) & ArgsOf<Ps>>
  : never;

type CommandResult<C> = C extends { name: infer N; forms: readonly (infer F)[] } ? FormResult<N, F> : never;

/**
 * A parsed command: a union discriminated by `name` (and `sub` for commands with several forms),
 * e.g. `{ name: '审核', sub: '退回', ticket: 123, reason: '材料不全' }`. Optional parameters that
 * were left out are `null` (or their declared default).
 */
export type ParsedCommand = CommandResult<(typeof COMMANDS)[number]>;

export type CommandErrorCode =
  | 'COMMAND_UNKNOWN'
  | 'COMMAND_MISSING_PARAM'
  | 'COMMAND_INVALID_PARAM'
  | 'COMMAND_UNEXPECTED_INPUT';

export interface ParseOptions {
  /** Today in Asia/Shanghai, `YYYY-MM-DD`: gives the year of `12月31日` and rejects past dates. */
  today: ISODate;
  /** When given, error messages and suggestions only show forms this role may use. */
  role?: Role;
}
