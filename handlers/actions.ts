/** Button action ids, shared by the cards that carry them and the handler that acts on them. */
export const ACTIONS = {
  accept: 'accept',
  progress: 'progress',
  evidence: 'evidence',
  extension: 'extension',
  difficulty: 'difficulty',
  disclaim: 'disclaim',
  submit: 'submit',
  approve: 'approve',
  return: 'return',
  extensionApprove: 'extensionApprove',
  extensionReject: 'extensionReject',
  reassign: 'reassign',
  confirmDisclaim: 'confirmDisclaim',
  chooseTicket: 'chooseTicket',
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];
