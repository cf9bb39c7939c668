/**
 * Fuzz through the real app on a real database (SQLite, and PostgreSQL when TEST_POSTGRES_URL is
 * set): over HTTP on 127.0.0.1 the return upload (POST /api/returns/:annex/units/:unit/upload) and
 * the directory import preview (POST /api/directory/import/preview), and in-process the CLI
 * `duban problems import`, with workbooks valid, damaged or hostile, CSV, random bytes, odd file
 * names and broken multipart bodies. Every request gets 2xx or a 4xx with a Chinese message (never
 * a 500), a stored return reads back, and the CLI exits 0 or 1 with a Chinese reason.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workbook as returnWorkbook, annex5Rows } from '../support/returns-workbook.ts';
import { dbKinds } from '../support/databases.ts';
import { startSeededApp, uploadForm, type SeededApp } from '../support/plan-directory-app.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';
import { check, hasChinese, tally, testTimeout, watchProcess } from './support/fuzz.ts';
import { problemsImportProblem } from './support/problems-cli.ts';
import { attackXml, buildWorkbook, byteEditArb, csvArb, damage, DIRECTORY_NAMES, escapedNul, PROBLEM_NAMES, RETURN_NAMES, sheetArb, xmlAttackArb, type ByteEdit } from './support/excel-inputs.ts';

watchProcess();

const PER_RUN_MS = 15_000;

type Body = { kind: 'sheets'; sheets: Parameters<typeof buildWorkbook>[0] } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'damaged'; edits: ByteEdit[] } | { kind: 'xml'; attack: Parameters<typeof attackXml>[1] };
/** `name: null`: a name that fits the content (.xlsx for a workbook, .csv for text). */
type Upload = { name: string | null; body: Body; raw: false } | { raw: true; type: string; text: string };

const nameArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('a.exe', 'noext', '.xlsx', 'a.xlsx.exe', 'a.csv.xlsx', '"quoted".xlsx', 'semi;colon.xlsx', '../../x.xlsx', '%E4%BA%BA.csv', '', 'RETURNS.XLSX', '名单.csv', 'a\u0000b.xlsx', 'a\u0000b.csv', '\ud800.xlsx') },
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('.xlsx', '.csv')).map(([n, e]) => n + e) },
);

function uploadArb(names: readonly string[]): fc.Arbitrary<Upload> {
  const body: fc.Arbitrary<Body> = fc.oneof(
    { weight: 3, arbitrary: fc.array(sheetArb(names), { minLength: 1, maxLength: 2 }).map((sheets): Body => ({ kind: 'sheets', sheets })) },
    { weight: 1, arbitrary: fc.array(byteEditArb, { minLength: 1, maxLength: 3 }).map((edits): Body => ({ kind: 'damaged', edits })) },
    { weight: 1, arbitrary: xmlAttackArb.map((attack): Body => ({ kind: 'xml', attack })) },
    { weight: 1, arbitrary: fc.oneof(fc.uint8Array({ maxLength: 2000 }), csvArb.map((t) => new Uint8Array(Buffer.from(t)))).map((bytes): Body => ({ kind: 'bytes', bytes })) },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ name: nameArb, body, raw: fc.constant(false as const) }) },
    // A multipart body broken by hand: wrong or missing boundary, no file part, a truncated part.
    {
      weight: 1,
      arbitrary: fc.record({
        raw: fc.constant(true as const),
        type: fc.constantFrom('multipart/form-data; boundary=XyZ', 'multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary="a b"', 'application/json', 'text/csv'),
        text: fc.oneof(
          fc.constantFrom('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\nPK\u0003\u0004', '--XyZ--\r\n', '--XyZ\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--XyZ--\r\n', '{"rows":[]}', ''),
          fc.string({ unit: 'binary', maxLength: 300 }),
        ),
      }),
    },
  );
}

let base: Buffer;

/** The file an upload carries (null for a hand-broken multipart body). */
async function fileOf(u: Upload): Promise<{ name: string; bytes: Buffer } | null> {
  if (u.raw) return null;
  const b = u.body;
  const bytes = b.kind === 'sheets' ? await buildWorkbook(b.sheets) : b.kind === 'damaged' ? damage(base, b.edits) : b.kind === 'xml' ? attackXml(base, b.attack) : Buffer.from(b.bytes);
  const fit = bytes.subarray(0, 2).toString('latin1') === 'PK' ? '附件-省住建厅.xlsx' : '名单.csv';
  return { name: u.name ?? fit, bytes };
}

async function send(c: WebClient, path: string, u: Upload, file: { name: string; bytes: Buffer } | null, fields: Record<string, string> = {}): Promise<Response> {
  if (u.raw || !file) return c.fetch(path, { method: 'POST', headers: { 'content-type': u.raw ? u.type : 'text/plain' }, body: u.raw ? u.text : '' });
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'application/octet-stream' }), file.name);
  return c.fetch(path, { method: 'POST', body: fd });
}

/** null when the answer is acceptable: 2xx, or a 4xx with a Chinese message. */
async function answerProblem(res: Response, ok: number[], property: string): Promise<string | null> {
  const text = await res.text();
  tally(property, `${res.status} ${/"error":"(\w+)"/.exec(text)?.[1] ?? ''}`);
  if (ok.includes(res.status)) return null;
  if (res.status >= 400 && res.status < 500) {
    let body: { message?: unknown };
    try {
      body = JSON.parse(text) as { message?: unknown };
    } catch {
      return `${res.status} without a JSON body: ${text.slice(0, 200)}`;
    }
    return typeof body.message === 'string' && hasChinese(body.message) ? null : `${res.status} without a Chinese message: ${text.slice(0, 300)}`;
  }
  return `status ${res.status}: ${text.slice(0, 300)}`;
}

describe.each(dbKinds)('Excel and CSV uploads over HTTP (%s)', (kind) => {
  let s: SeededApp;
  let staff: WebClient;
  beforeAll(async () => {
    base = await returnWorkbook([{ rows: annex5Rows() }]);
    s = await startSeededApp(kind);
    staff = await signedIn(s.db, s.base, 'BUREAU_STAFF');
  }, 120_000);
  afterAll(() => s?.stop());
  const scale = (n: number) => (kind === 'sqlite' ? n : Math.ceil(n / 2));

  it('return upload: 201 with rows and their violations, or a 4xx in Chinese; a stored return reads back', async () => {
    const annex = fc.constantFrom(1, 5, 6);
    const input = annex.chain((a) => fc.tuple(fc.constant(a), uploadArb(RETURN_NAMES[a as 1 | 5 | 6])));
    await check(
      fc.asyncProperty(input, async ([a, u]) => {
        const res = await send(staff, `/api/returns/${a}/units/p-zhujian/upload`, u, await fileOf(u));
        const problem = await answerProblem(res, [201], `return upload ${kind}`);
        if (problem) throw new Error(problem);
        if (res.status === 201) {
          const back = await staff.fetch(`/api/returns/${a}/units/p-zhujian`);
          if (back.status !== 200) throw new Error(`the stored return reads back with ${back.status}`);
        }
      }),
      { runs: scale(16), perRunMs: PER_RUN_MS },
    );
  }, testTimeout(16, 2_000));

  it('directory import: the preview answers 200 with what each row would do or a 4xx in Chinese; so does the confirmation', async () => {
    await check(
      fc.asyncProperty(uploadArb(DIRECTORY_NAMES), async (u) => {
        const file = await fileOf(u);
        const res = await send(staff, '/api/directory/import/preview', u, file);
        const sha256 = res.status === 200 ? ((await res.clone().json()) as { file: { sha256: string } }).file.sha256 : null;
        const problem = await answerProblem(res, [200], `directory preview ${kind}`);
        if (problem) throw new Error(problem);
        if (!sha256) return;
        const confirmed = await send(staff, '/api/directory/import/confirm', u, file, { sha256 });
        const refused = await answerProblem(confirmed, [200], `directory confirm ${kind}`);
        if (refused) throw new Error(`confirmation: ${refused}`);
      }),
      { runs: scale(16), perRunMs: PER_RUN_MS },
    );
  }, testTimeout(16, 2_000));

  it('duban problems import: any workbook is imported row by row or refused in Chinese; never a crash', async () => {
    const file = fc.oneof(
      { weight: 3, arbitrary: fc.array(sheetArb(PROBLEM_NAMES), { minLength: 1, maxLength: 2 }).map((sheets) => ({ sheets })) },
      { weight: 1, arbitrary: fc.array(byteEditArb, { minLength: 1, maxLength: 3 }).map((edits) => ({ bytes: damage(base, edits) })) },
      { weight: 1, arbitrary: xmlAttackArb.map((attack) => ({ bytes: attackXml(base, attack) })) },
    );
    await check(
      fc.asyncProperty(file, async (f) => {
        const problem = await problemsImportProblem(s.url, 'sheets' in f ? await buildWorkbook(f.sheets) : f.bytes);
        if (problem) throw new Error(problem);
      }),
      { runs: scale(12), perRunMs: PER_RUN_MS },
    );
  }, testTimeout(12, 2_000));

  it('duban problems import: a description holding the escape _x0000_ is imported without the NUL (PostgreSQL refused it: exit 1, no reason given)', async () => {
    const bytes = escapedNul(await buildWorkbook([{ name: '问题清单', rows: [PROBLEM_NAMES, ['HX-«NUL»77', '社保查询', '查询«NUL»不到缴存记录', '138«NUL»12345678', '2026-06-21 09:30']], merges: [] }]));
    expect(await problemsImportProblem(s.url, bytes)).toBeNull();
    const p = await s.db.prisma.problem.findFirstOrThrow({ where: { sourceRef: 'HX-77' } });
    expect(p.description).toBe('查询不到缴存记录');
  });

  it('imports a name and an account holding the escape _x0000_ without the NUL (PostgreSQL answered 500)', async () => {
    const file = escapedNul(await buildWorkbook([{ name: '人员', rows: [['姓名', '角色', '单位', '企业微信账号'], ['韩«NUL»九', '单位联络员', '省公安厅', 'han«NUL»jiu']], merges: [] }]));
    const preview = await staff.fetch('/api/directory/import/preview', { method: 'POST', body: uploadForm('名单.xlsx', file) });
    expect(preview.status).toBe(200);
    const { file: f } = (await preview.json()) as { file: { sha256: string } };
    const confirm = await staff.fetch('/api/directory/import/confirm', { method: 'POST', body: uploadForm('名单.xlsx', file, { sha256: f.sha256 }) });
    expect(confirm.status).toBe(200);
    expect(await s.db.prisma.person.findFirst({ where: { name: '韩九' } })).toMatchObject({ wecomUserId: 'hanjiu' });
  });
});
