/** Free-text progress replies ("任务6 进度80%，已报送") → ticket, percent and note. */
export {
  parseProgressReply,
  type ReplyCandidate,
  type ReplyContext,
  type ReplyParse,
  type TicketStatus,
} from './progress.ts';
