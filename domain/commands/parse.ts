/**
 * `parseCommand`: a chat message → a typed command, or a Chinese error that shows the nearest
 * correct usage. Everything it knows about commands comes from `catalogue.ts`.
 */
import { DomainError } from '../errors.ts';
import { COMMAND_LIST, type Command, matchCommandPrefix, nearestCommand } from './lexicon.ts';
import { type Problem, phrases, problems } from './messages.ts';
import { readChoice, readLiteral, readValue, skipSeparators } from './params.ts';
import { normalizeText, stripLeadingMentions, trimPunctuation } from './text.ts';
import type { CommandErrorCode, CommandName, FormSpec, LiteralParamSpec, ParsedCommand, ParseOptions } from './types.ts';

/** A command that could not be parsed: `message` (Chinese) says what was wrong and how to write it. */
export class CommandError extends DomainError {
  declare readonly code: CommandErrorCode;
  /** The command the user most likely meant (unknown command words only). */
  readonly suggestion: CommandName | undefined;

  constructor(code: CommandErrorCode, message: string, messageEn: string, suggestion?: CommandName) {
    super(code, message, messageEn, suggestion ? { suggestion } : undefined);
    this.suggestion = suggestion;
  }
}

/** All command names, in catalogue order. */
export const COMMAND_NAMES: readonly CommandName[] = COMMAND_LIST.map((c) => c.name);

export type CommandParse = { ok: true; command: ParsedCommand } | { ok: false; error: CommandError };

interface Failure {
  code: CommandErrorCode;
  problem: Problem;
  /** Set when the form was rejected because its keyword was not there. */
  literal?: LiteralParamSpec;
}

interface Attempt {
  form: FormSpec;
  /** Keywords of the form found in the text: a form named by its keyword wins over the others. */
  claimed: number;
  /** Index of the parameter that failed (params.length for input left over). */
  reached: number;
  values: Record<string, unknown>;
  failure: Failure | null;
  /** Parameters read from the text after a keyword that was assumed (see `assumeKeywords`). */
  evidence: number;
}

/** With `assumeKeywords`, a missing keyword is taken as written (to tell "you forgot 更新"). */
function attempt(form: FormSpec, input: string, options: ParseOptions, assumeKeywords = false): Attempt {
  const result: Attempt = { form, claimed: 0, reached: form.params.length, values: {}, failure: null, evidence: 0 };
  let assumed = false;
  const fail = (reached: number, failure: Failure): Attempt => ({ ...result, reached, failure });
  let rest = input;
  for (const [i, param] of form.params.entries()) {
    rest = skipSeparators(rest);
    if (param.kind === 'literal') {
      const r = readLiteral(rest, param);
      if (r.status !== 'ok' && assumeKeywords) {
        assumed = true;
        continue;
      }
      if (r.status !== 'ok') {
        return fail(i, { code: 'COMMAND_MISSING_PARAM', problem: problems.missingWord(param.words.slice(0, 1)), literal: param });
      }
      result.claimed++;
      rest = r.rest;
      continue;
    }
    const r = param.kind === 'choice' ? readChoice(rest, param) : readValue(param.kind, rest, options.today);
    if (r.status === 'invalid') return fail(i, { code: 'COMMAND_INVALID_PARAM', problem: r.problem });
    if (r.status === 'ok' && (r.value !== null || param.optional)) {
      if (assumed) result.evidence++;
      result.values[param.key] = r.value;
      rest = r.rest;
      continue;
    }
    if (!param.optional) return fail(i, { code: 'COMMAND_MISSING_PARAM', problem: problems.missing(param.label) });
    result.values[param.key] = param.kind === 'choice' ? (param.default ?? null) : null;
  }
  const left = trimPunctuation(rest);
  if (left === '') return result;
  return fail(form.params.length, { code: 'COMMAND_UNEXPECTED_INPUT', problem: problems.unexpected(left) });
}

function maxOf(values: readonly number[]): number {
  return values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
}

function usageError(failed: readonly Attempt[], command: Command): CommandError {
  const [first] = failed;
  const failure = first?.failure;
  if (!first || !failure) throw new Error('usageError needs a failed attempt');
  const literals = failed.map((a) => a.failure?.literal);
  const problem =
    literals.every((l) => l !== undefined)
      ? problems.missingWord([...new Set(literals.map((l) => l?.words[0] ?? ''))])
      : failure.problem;
  const example = first.form.examples[0] ?? first.form.usage;
  const usages = [...new Set(failed.map((a) => a.form.usage))];
  // A "did you mean" already ends in a question; an example after it would read oddly.
  const lead = problem.suggestion ? problem.zh : `${problem.zh}${phrases.example(example)}`;
  const suggestion = COMMAND_NAMES.find((n) => n === problem.suggestion);
  return new CommandError(failure.code, `${lead}\n${phrases.usage(usages)}`, `/${command.name}: ${problem.en}`, suggestion);
}

function parseArgs(command: Command, input: string, options: ParseOptions): CommandParse {
  const attempts = command.forms.map((form) => attempt(form, input, options));
  const claimed = maxOf(attempts.map((a) => a.claimed));
  const contenders = attempts.filter((a) => a.claimed === claimed);
  const success = contenders.find((a) => a.failure === null);
  if (success) {
    const sub = success.form.sub === undefined ? {} : { sub: success.form.sub };
    // The one place where the declaration meets the derived type: values were read per declaration.
    return { ok: true, command: { name: command.name, ...sub, ...success.values } as ParsedCommand };
  }
  const { role } = options;
  const byRole = (list: Attempt[]) => {
    const visible = role ? list.filter((a) => a.form.roles.includes(role)) : [];
    return visible.length > 0 ? visible : list;
  };
  // "/进度 任务6 80%": the text fits a form once its keyword is added — say that keyword is missing.
  // Only when something after the keyword was actually read: "/审核 #123" is not "/审核 #123 通过".
  const fitting = contenders.filter((a) => {
    if (!a.failure?.literal) return false;
    const retry = attempt(a.form, input, options, true);
    return retry.failure === null && retry.evidence > 0;
  });
  if (fitting.length > 0) return { ok: false, error: usageError(byRole(fitting), command) };
  const pool = byRole(contenders);
  const reached = maxOf(pool.map((a) => a.reached));
  return { ok: false, error: usageError(pool.filter((a) => a.reached === reached), command) };
}

function unknownCommand(word: string, options: ParseOptions): CommandError {
  const { role } = options;
  const near = nearestCommand(word, role ? (c) => c.forms.some((f) => f.roles.includes(role)) : undefined);
  const problem = problems.commandUnknown(word);
  if (!near) return new CommandError('COMMAND_UNKNOWN', `${problem.zh}。${phrases.seeHelp}`, problem.en);
  const forms = near.forms.filter((f) => !role || f.roles.includes(role));
  const usages = (forms.length > 0 ? forms : near.forms).map((f) => f.usage);
  return new CommandError(
    'COMMAND_UNKNOWN',
    `${problem.zh}，${phrases.didYouMean(near.name)}\n${phrases.usage(usages)}`,
    `${problem.en}; did you mean /${near.name}`,
    near.name,
  );
}

const UNKNOWN_WORD_RE = /^[^\s#\d,，、:：;；/。]{1,20}/;

/**
 * Parse a chat message as a slash command. Returns null when the message is not a command (after
 * leading @mentions it does not start with `/` or `／` followed by a word: `/::)` is an emoticon).
 * Full-width digits, signs and spaces are accepted (`／进度　更新　＃１２３　８０％`).
 */
export function parseCommand(text: string, options: ParseOptions): CommandParse | null {
  const message = stripLeadingMentions(normalizeText(text)).trim();
  if (!message.startsWith('/')) return null;
  const body = message.slice(1).trimStart();
  if (!/^\p{L}/u.test(body)) return null;
  const hit = matchCommandPrefix(body);
  if (!hit) return { ok: false, error: unknownCommand(UNKNOWN_WORD_RE.exec(body)?.[0] ?? body.slice(0, 20), options) };
  return parseArgs(hit.command, body.slice(hit.length), options);
}

