/**
 * The zip check in front of exceljs (handlers/services/zip-guard.ts): it must refuse whatever JSZip
 * would read differently from it, so that what it measured is what exceljs inflates.
 */
import { describe, expect, it } from 'vitest';
import { inspectZip } from '../../handlers/services/zip-guard.ts';
import { workbook, annex5Rows } from '../support/returns-workbook.ts';
import { unzip, zip } from '../fuzz/support/zip.ts';

const LIMITS = { maxBytes: 100 * 1024 * 1024, maxEntries: 2000 };

describe('zip guard', () => {
  it('passes a workbook exceljs wrote, with its true content size', async () => {
    const book = await workbook([{ rows: annex5Rows() }]);
    const content = unzip(book).reduce((n, p) => n + p.data.length, 0);
    expect(inspectZip(book, LIMITS)).toEqual({ ok: true, bytes: content, entries: unzip(book).length });
  });

  it('refuses a part that inflates beyond its declared size, and one that falls short of it', async () => {
    const parts = unzip(await workbook([{ rows: annex5Rows() }]));
    const sheet = parts.findIndex((p) => p.name === 'xl/worksheets/sheet1.xml');
    const declare = (size: number) => zip(parts.map((p, i) => (i === sheet ? { ...p, declaredSize: size } : p)));
    expect(inspectZip(declare(100), LIMITS)).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
    expect(inspectZip(declare(parts[sheet]!.data.length + 100), LIMITS)).toMatchObject({ ok: false, reason: 'NOT_ZIP' });
  });

  it('refuses bytes before the zip (JSZip would shift every offset), zip64 markers and encrypted parts', async () => {
    const book = await workbook([{ rows: annex5Rows() }]);
    expect(inspectZip(Buffer.concat([Buffer.from('MZ-stub'), book]), LIMITS)).toMatchObject({ ok: false, reason: 'NOT_ZIP' });
    const zip64 = Buffer.from(book);
    zip64.writeUInt16LE(0xffff, zip64.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1')) + 10);
    expect(inspectZip(zip64, LIMITS)).toMatchObject({ ok: false, reason: 'NOT_ZIP', detail: 'zip64' });
    const encrypted = Buffer.from(book);
    const cd = encrypted.readUInt32LE(encrypted.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1')) + 16);
    encrypted.writeUInt16LE(encrypted.readUInt16LE(cd + 8) | 1, cd + 8);
    expect(inspectZip(encrypted, LIMITS)).toMatchObject({ ok: false, reason: 'NOT_ZIP', detail: 'encrypted part' });
  });

  it('refuses more parts or more declared content than the limits, before inflating anything', async () => {
    const book = await workbook([{ rows: annex5Rows() }]);
    expect(inspectZip(book, { maxBytes: 1000, maxEntries: 2000 })).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
    expect(inspectZip(book, { maxBytes: LIMITS.maxBytes, maxEntries: 3 })).toMatchObject({ ok: false, reason: 'TOO_LARGE' });
  });
});
