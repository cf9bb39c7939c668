import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobPath, cleanFileName, storeEvidence } from '../../handlers/services/evidence.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const now = new Date('2026-06-22T02:00:00Z');

describe.each(dbKinds)('evidence storage on %s', (kind) => {
  let t: TestDb;
  let dir: string;
  let ticketId: number;
  const who = { uploaderId: null, uploaderName: '公安联络员', uploaderRole: 'UNIT_OFFICER' as const };
  beforeEach(async () => {
    t = await freshDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'duban-evidence-'));
    await t.db.prisma.unit.create({ data: { code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL' } });
    ticketId = (await t.db.prisma.ticket.create({ data: { unitCode: 'p-gongan', title: 't', due: '2026-06-30', originalDue: '2026-06-30' } })).id;
  });
  afterEach(async () => { await t.cleanup(); });

  it('stores by sha256, records name, type, size and uploader, and shows it on the timeline', async () => {
    const e = await storeEvidence(t.db, dir, { ticketId, name: '关停计划表.pdf', bytes: PDF, ...who }, now);
    expect(e).toMatchObject({ name: '关停计划表.pdf', mime: 'application/pdf', size: PDF.length, duplicate: false });
    expect(readFileSync(blobPath(dir, e.sha256))).toEqual(PDF);
    const ev = await t.db.prisma.ticketEvent.findFirstOrThrow({ where: { ticketId, type: 'evidence' } });
    expect(ev.note).toContain('关停计划表.pdf');
  });

  it('keeps the same file once (dedupe), even under another name', async () => {
    const a = await storeEvidence(t.db, dir, { ticketId, name: 'a.pdf', bytes: PDF, ...who }, now);
    const b = await storeEvidence(t.db, dir, { ticketId, name: 'b.pdf', bytes: PDF, ...who }, now);
    expect(b).toMatchObject({ id: a.id, duplicate: true });
    expect(await t.db.prisma.evidence.count()).toBe(1);
    const sub = join(dir, a.sha256.slice(0, 2), a.sha256.slice(2, 4));
    expect(readdirSync(sub)).toEqual([a.sha256]);
  });

  it('never lets the file name reach the file system path', async () => {
    const e = await storeEvidence(t.db, dir, { ticketId, name: '../../../etc/passwd.png', bytes: PNG, ...who }, now);
    expect(e.name).toBe('passwd.png');
    expect(existsSync(join(dir, '..', '..', 'etc', 'passwd.png'))).toBe(false);
    expect(cleanFileName('a\u0000b\n.pdf')).toBe('ab.pdf');
  });

  it.each([
    ['too large', { name: 'big.pdf', bytes: Buffer.concat([PDF, Buffer.alloc(2048)]) }, 'EVIDENCE_TOO_LARGE'],
    ['an executable', { name: 'tool.exe', bytes: Buffer.from('MZ\x90\x00') }, 'EVIDENCE_TYPE'],
    ['a PDF that is not one', { name: 'fake.pdf', bytes: Buffer.from('<html>') }, 'EVIDENCE_CONTENT'],
    ['empty', { name: 'empty.pdf', bytes: Buffer.alloc(0) }, 'EVIDENCE_EMPTY'],
  ])('refuses a file that is %s and records nothing', async (_l, input, code) => {
    await expect(storeEvidence(t.db, dir, { ticketId, ...input, ...who }, now, { maxBytes: 1024 })).rejects.toMatchObject({ code });
    expect(await t.db.prisma.evidence.count()).toBe(0);
    expect(await t.db.prisma.ticketEvent.count()).toBe(0);
  });
});
