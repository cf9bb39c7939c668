/**
 * Attachments sent with a reported problem (screenshots, forms): checked like evidence — an
 * accepted type confirmed by the file's content, a size cap — and stored content-addressed under
 * the evidence directory, so the same file sent twice is kept once and its name never reaches a path.
 */
import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/errors.ts';
import { blobPath, classifyEvidence, cleanFileName, writeBlob } from './evidence.ts';
import type { ProblemAttachment } from './problems.ts';

export interface AttachmentLimits {
  count: number;
  bytes: number;
}

export const PROBLEM_ATTACHMENT_LIMITS: AttachmentLimits = { count: 3, bytes: 5 * 1024 * 1024 };

export interface IncomingAttachment {
  name: string;
  bytes: Uint8Array;
}

/** Checks every attachment first, then stores them: one bad file stores nothing. */
export async function storeProblemAttachments(dir: string, files: IncomingAttachment[], limits = PROBLEM_ATTACHMENT_LIMITS): Promise<ProblemAttachment[]> {
  if (files.length > limits.count) {
    throw new DomainError('PROBLEM_ATTACHMENTS', `附件最多 ${limits.count} 个（收到 ${files.length} 个）。`, `too many attachments: ${files.length}`);
  }
  const checked = files.map((f) => {
    const name = cleanFileName(f.name);
    if (f.bytes.byteLength === 0) throw new DomainError('PROBLEM_ATTACHMENT_EMPTY', `附件「${name}」是空文件。`, 'empty attachment');
    if (f.bytes.byteLength > limits.bytes) {
      throw new DomainError('PROBLEM_ATTACHMENT_TOO_LARGE', `附件「${name}」超过 ${Math.round(limits.bytes / 1024 / 1024)} MB 上限。`, `attachment too large: ${f.bytes.byteLength} bytes`);
    }
    const { mime } = classifyEvidence(name, f.bytes);
    return { name, mime, bytes: f.bytes, sha256: createHash('sha256').update(f.bytes).digest('hex') };
  });
  const out: ProblemAttachment[] = [];
  for (const f of checked) {
    const path = blobPath(dir, f.sha256);
    await writeBlob(path, f.bytes);
    out.push({ name: f.name, mime: f.mime, size: f.bytes.byteLength, sha256: f.sha256, blobPath: path });
  }
  return out;
}
