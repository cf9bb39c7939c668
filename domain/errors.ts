/**
 * Coded domain errors. `message` is Chinese (shown to people); `messageEn` is English (logged for
 * operators). Domain code throws or returns these; adapters and the CLI decide how to show them.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly messageEn: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, messageZh: string, messageEn: string, details?: Record<string, unknown>) {
    super(messageZh);
    this.name = 'DomainError';
    this.code = code;
    this.messageEn = messageEn;
    this.details = details;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
