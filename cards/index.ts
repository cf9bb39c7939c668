/**
 * The card catalogue and its renderers. Cards are pure functions of view data returning an
 * `OutMessage` with an Adaptive Card; `render/` turns it into each platform's payload.
 */
export * from './types.ts';
export { cardDone } from './done.ts';
export { ticketCard, type TicketCardData } from './catalogue/ticket.ts';
export { reminderCard, REMINDER_MAX_ITEMS, type ReminderCardData } from './catalogue/reminder.ts';
export { progressFormCard, type ProgressFormData } from './catalogue/progress-form.ts';
export { extensionFormCard, type ExtensionFormData } from './catalogue/extension-form.ts';
export { noteFormCard, type NoteFormData } from './catalogue/note-form.ts';
export { evidenceReceiptCard, type EvidenceReceiptData } from './catalogue/evidence-receipt.ts';
export { reviewCard, type ReviewCardData } from './catalogue/review-request.ts';
export { extensionRequestCard, type ExtensionRequestData } from './catalogue/extension-request.ts';
export { extensionDecisionCard, type ExtensionDecisionData } from './catalogue/extension-decision.ts';
export { disclaimRequestCard, type DisclaimRequestData } from './catalogue/disclaim-request.ts';
export { statusCard, type StatusCardData } from './catalogue/status.ts';
export { helpCard, type HelpCardData } from './catalogue/help.ts';
export { chooserCard, type ChooserCardData } from './catalogue/ticket-chooser.ts';
export {
  problemAssignedCard,
  problemRouteCard,
  type ProblemAssignedData,
  type ProblemCardView,
  type ProblemRouteData,
  type RouteCandidateView,
} from './catalogue/problem.ts';
export { toMarkdown as cardToMarkdown, toPlainText as cardToText } from './render/markdown.ts';
export * as markdown from './render/markdown.ts';
export * as wecom from './render/wecom.ts';
export * as dingtalk from './render/dingtalk.ts';
export * as text from './text.ts';
