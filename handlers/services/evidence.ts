/**
 * Evidence files, stored content-addressed: the path is derived from the sha256 of the bytes, never
 * from the uploaded name, so the same file is kept once and a name like "../../etc/passwd" is just
 * text in the database. Size and type are checked (declared type against the file's magic bytes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../../prisma/client.ts';
import { DomainError } from '../../domain/errors.ts';

export interface EvidenceLimits {
  maxBytes: number;
}

export const DEFAULT_EVIDENCE_LIMITS: EvidenceLimits = { maxBytes: 20 * 1024 * 1024 };

/** Accepted types, each with the magic bytes a real file of that type starts with. */
const TYPES: { mime: string; ext: string[]; label: string; magic: (b: Uint8Array) => boolean }[] = [
  { mime: 'application/pdf', ext: ['pdf'], label: 'PDF', magic: (b) => starts(b, [0x25, 0x50, 0x44, 0x46]) },
  { mime: 'image/png', ext: ['png'], label: 'PNG 图片', magic: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]) },
  { mime: 'image/jpeg', ext: ['jpg', 'jpeg'], label: 'JPEG 图片', magic: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: ['xlsx'], label: 'Excel', magic: isZip },
  { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', ext: ['docx'], label: 'Word', magic: isZip },
  { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', ext: ['pptx'], label: 'PPT', magic: isZip },
  { mime: 'application/zip', ext: ['zip'], label: 'ZIP 压缩包', magic: isZip },
  { mime: 'application/ofd', ext: ['ofd'], label: 'OFD 版式文件', magic: isZip },
];

function starts(b: Uint8Array, sig: number[]): boolean {
  return sig.every((v, i) => b[i] === v);
}
function isZip(b: Uint8Array): boolean {
  return starts(b, [0x50, 0x4b, 0x03, 0x04]);
}

export const ACCEPTED_EVIDENCE = TYPES.map((t) => t.label).join('、');

/** Which accepted type the bytes are, judged by the name's extension and confirmed by the content. */
export function classifyEvidence(name: string, bytes: Uint8Array): { mime: string } {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const type = TYPES.find((t) => t.ext.includes(ext)) ?? TYPES.find((t) => t.magic(bytes) && t.mime.startsWith('image/'));
  if (!type) {
    throw new DomainError('EVIDENCE_TYPE', `不支持的文件类型「${name}」。可提交：${ACCEPTED_EVIDENCE}。`, `evidence type not accepted: ${name}`);
  }
  if (!type.magic(bytes)) {
    throw new DomainError('EVIDENCE_CONTENT', `文件「${name}」的内容与扩展名不符（不是有效的${type.label}），请检查后重新上传。`, `evidence content does not match ${type.mime}: ${name}`);
  }
  return { mime: type.mime };
}

export interface StoredEvidence {
  id: number;
  sha256: string;
  name: string;
  mime: string;
  size: number;
  duplicate: boolean;
}

export interface EvidenceInput {
  ticketId: number;
  name: string;
  bytes: Uint8Array;
  uploaderId: string | null;
  uploaderName: string;
  uploaderRole: 'BUREAU_ADMIN' | 'BUREAU_STAFF' | 'UNIT_OFFICER' | 'UNIT_LEADER' | 'LEADER';
}

/** A display-safe file name: no path, no control characters, bounded length. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return cleaned || '未命名文件';
}

export function blobPath(dir: string, sha256: string): string {
  return join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

export async function storeEvidence(db: Database, dir: string, input: EvidenceInput, now: Date, limits = DEFAULT_EVIDENCE_LIMITS): Promise<StoredEvidence> {
  const name = cleanFileName(input.name);
  if (input.bytes.byteLength === 0) throw new DomainError('EVIDENCE_EMPTY', `文件「${name}」是空文件。`, 'empty evidence file');
  if (input.bytes.byteLength > limits.maxBytes) {
    const mb = (limits.maxBytes / 1024 / 1024).toFixed(0);
    throw new DomainError('EVIDENCE_TOO_LARGE', `文件「${name}」超过 ${mb} MB 上限，请压缩或拆分后提交。`, `evidence too large: ${input.bytes.byteLength} bytes`);
  }
  const { mime } = classifyEvidence(name, input.bytes);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  const path = blobPath(dir, sha256);
  await writeBlob(path, input.bytes);

  const existing = await db.prisma.evidence.findUnique({ where: { ticketId_sha256: { ticketId: input.ticketId, sha256 } } });
  if (existing) return { id: existing.id, sha256, name: existing.name, mime: existing.mime, size: existing.size, duplicate: true };
  const row = await db.prisma.$transaction(async (tx) => {
    const ev = await tx.evidence.create({
      data: { ticketId: input.ticketId, sha256, name, mime, size: input.bytes.byteLength, blobPath: path, uploaderId: input.uploaderId, createdAt: now },
    });
    await tx.ticketEvent.create({
      data: {
        ticketId: input.ticketId, type: 'evidence', actorId: input.uploaderId, actorName: input.uploaderName, actorRole: input.uploaderRole,
        note: `提交佐证：${name}`, data: JSON.stringify({ evidenceId: ev.id, sha256, size: ev.size, mime }), createdAt: now,
      },
    });
    return ev;
  });
  return { id: row.id, sha256, name, mime, size: row.size, duplicate: false };
}

/** Writes a content-addressed blob once (the same bytes at the same path are kept as they are). */
export async function writeBlob(path: string, bytes: Uint8Array): Promise<void> {
  try {
    const s = await stat(path);
    if (s.size === bytes.byteLength) return; // same content already stored
  } catch {
    // not stored yet
  }
  const dir = path.slice(0, path.lastIndexOf('/'));
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, bytes, { flag: 'wx' });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new DomainError('EVIDENCE_DISK_FULL', '佐证材料存储空间已满，文件未保存，请稍后重试并联系管理员。', `evidence disk full writing ${path}`);
    }
    throw e;
  }
}
