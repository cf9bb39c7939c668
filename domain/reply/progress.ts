/**
 * `parseProgressReply`: an officer's free-text message in a chat ("任务6 进度80%，已报送") → which
 * of their open tickets it is about, the percent and the note. It never guesses a ticket: when the
 * reference is missing or fits several tickets, the caller asks with a chooser card.
 */
import { replyText } from '../commands/messages.ts';
import { normalizeText, stripMentions, trimPunctuation } from '../commands/text.ts';
import type { TaskRef, TicketRef } from '../commands/types.ts';
import type { ISODate } from '../plan/types.ts';
import { choosePercent, findCompletion, findPercents } from './percent.ts';
import { findRefs, refKey } from './refs.ts';

export type TicketStatus = 'ASSIGNED' | 'IN_PROGRESS' | 'SUBMITTED' | 'RETURNED' | 'DONE';

export interface ReplyCandidate {
  ticketId: number;
  /** Sequence number of the ticket's task; null for tickets without a task (problem tickets). */
  taskSeq: number | null;
  status: TicketStatus;
}

export interface ReplyContext {
  today: ISODate;
  /** The sender's open tickets (DONE ones are ignored if passed). */
  candidates: readonly ReplyCandidate[];
}

export type ReplyParse =
  /** Exactly one open ticket fits. */
  | { kind: 'progress'; ticketId: number; percent: number; note: string }
  /** Several fit, or no reference was given and the sender has several open tickets: ask. */
  | { kind: 'ambiguous'; candidates: number[]; percent: number; note: string }
  /** The sender has no open ticket at all. */
  | { kind: 'no-open-tickets'; percent: number; note: string }
  /** The task or ticket named is not among the sender's open tickets. */
  | { kind: 'unknown-ref'; ref: TaskRef | TicketRef; percent: number; note: string }
  /** No percent and no completion phrase: chit-chat, not a progress report. */
  | { kind: 'not-progress' }
  /** A percent that cannot be right (over 100). */
  | { kind: 'invalid'; message: string };

/** Longest reply looked at: progress reports are a few lines; a pasted document is not one. */
const MAX_LENGTH = 2000;

interface Span {
  index: number;
  end: number;
}

/** Replace spans by a space (so that the words around them do not run together). */
function cut(text: string, spans: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.index - b.index)) {
    if (s.index < at) continue;
    out += `${text.slice(at, s.index)} `;
    at = s.end;
  }
  return out + text.slice(at);
}

const PUNCT = '[\\s,，、:：;；。.!！~～]';
const FILLER_RE = new RegExp(`^(?:${PUNCT}|[的之了](?=${PUNCT}|$))+`);
const EMPTY_NOTE_RE = /^(?:的|之)?(?:工作)?(?:进度|进展)?(?:为|是|了)?$/;

function cleanNote(text: string): string {
  const note = trimPunctuation(
    text
      .replace(/[ \t]{2,}/g, ' ')
      .replace(/[ \t]+([，。、；：！？])/g, '$1')
      .replace(FILLER_RE, ''),
  );
  return EMPTY_NOTE_RE.test(note) ? '' : note;
}

/** Does the completion phrase end its clause? Then it is cut from the note ("6号任务已完成，…"). */
function endsClause(text: string, end: number): boolean {
  return new RegExp(`^(?:${PUNCT}|$)`).test(text.slice(end, end + 1));
}

/** Parse a free-text progress reply against the sender's open tickets. */
export function parseProgressReply(text: string, ctx: ReplyContext): ReplyParse {
  const message = stripMentions(normalizeText(text.slice(0, MAX_LENGTH))).trim();
  const refs = findRefs(message);
  const withoutRefs = cut(message, refs);

  const chosen = choosePercent(withoutRefs, findPercents(withoutRefs));
  const completion = chosen ? null : findCompletion(withoutRefs);
  if (!chosen && !completion) return { kind: 'not-progress' };
  if (chosen && chosen.value > 100) return { kind: 'invalid', message: replyText.percentTooLarge(chosen.value) };

  const percent = chosen ? chosen.value : 100;
  const phrase = chosen ?? (completion && endsClause(withoutRefs, completion.end) ? completion : null);
  const note = cleanNote(phrase ? cut(withoutRefs, [phrase]) : withoutRefs);

  const open = ctx.candidates.filter((c) => c.status !== 'DONE');
  const uniqueRefs = [...new Map(refs.map((r) => [refKey(r.ref), r.ref])).values()];
  if (uniqueRefs.length === 0) {
    const [only] = open;
    if (open.length === 1 && only) return { kind: 'progress', ticketId: only.ticketId, percent, note };
    if (open.length === 0) return { kind: 'no-open-tickets', percent, note };
    return { kind: 'ambiguous', candidates: open.map((c) => c.ticketId), percent, note };
  }

  const matching = (ref: TaskRef | TicketRef) =>
    open.filter((c) => (ref.kind === 'task' ? c.taskSeq === ref.seq : c.ticketId === ref.id));
  const unknown = uniqueRefs.find((ref) => matching(ref).length === 0);
  if (unknown) return { kind: 'unknown-ref', ref: unknown, percent, note };
  const ids = [...new Set(uniqueRefs.flatMap((ref) => matching(ref).map((c) => c.ticketId)))];
  const [id] = ids;
  if (ids.length === 1 && id !== undefined) return { kind: 'progress', ticketId: id, percent, note };
  return { kind: 'ambiguous', candidates: ids, percent, note };
}
