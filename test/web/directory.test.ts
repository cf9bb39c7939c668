/**
 * 单位与人员 over real HTTP: lists, single edits, the two-step import with Excel and CSV, and the
 * upload checks a careless or hostile file meets (renamed executable, oversized, GBK CSV).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKinds } from '../support/databases.ts';
import { startSeededApp, uploadForm, type SeededApp } from '../support/plan-directory-app.ts';
import { xlsx } from '../support/directory-files.ts';
import { signedIn, type WebClient } from '../support/web-session.ts';

interface PreviewBody {
  file: { name: string; kind: string; sha256: string };
  tables: { kind: string; rows: number }[];
  counts: Record<string, number>;
  rows: { table: string; rowNo: number; status: string; label: string; message: string }[];
  applied?: { created: number; updated: number };
  message?: string;
  error?: string;
}

const CSV = '\uFEFF姓名,角色,单位,企业微信账号,钉钉账号,职务\r\n韩九,单位联络员,省公安厅,hanjiu,,督办联络员\r\n杨十,单位负责人,湖南省公安,,,\r\n';

describe.each(dbKinds)('directory API (%s)', (kind) => {
  let s: SeededApp;
  let staff: WebClient;
  let leader: WebClient;
  let officer: WebClient;

  beforeAll(async () => {
    s = await startSeededApp(kind);
    staff = await signedIn(s.db, s.base, 'BUREAU_STAFF', { displayName: '李娜' });
    leader = await signedIn(s.db, s.base, 'LEADER');
    officer = await signedIn(s.db, s.base, 'UNIT_OFFICER', { unitCode: 'p-gongan' });
  }, 120_000);
  afterAll(async () => {
    await s.stop();
  });

  const post = (c: WebClient, path: string, fd: FormData, csrf = true) => c.fetch(path, { method: 'POST', body: fd, csrf });
  const people = () => s.db.prisma.person.count();

  it('keeps unit accounts and leaders out of every directory API and the page', async () => {
    for (const c of [officer, leader]) {
      expect((await c.fetch('/directory')).status).toBe(403);
      for (const path of ['/api/directory/units', '/api/directory/people', '/api/directory/groups', '/api/directory/template.xlsx']) {
        const r = await c.json<{ error: string }>(path);
        expect({ path, status: r.status, error: r.body.error }).toEqual({ path, status: 403, error: 'FORBIDDEN' });
      }
      expect((await post(c, '/api/directory/import/preview', uploadForm('p.csv', CSV))).status).toBe(403);
      expect((await post(c, '/api/directory/import/confirm', uploadForm('p.csv', CSV))).status).toBe(403);
      expect((await c.json('/api/directory/groups', { name: 'x', platform: 'WECOM', purpose: 'UNIT' })).status).toBe(403);
      const someone = await s.db.prisma.person.findFirstOrThrow();
      expect((await c.json(`/api/directory/people/${someone.id}`, { active: false }, 'PATCH')).status).toBe(403);
    }
  });

  it('lists units with their people and groups, and people with search and pages', async () => {
    const u = await staff.json<{ total: number; units: { code: string; people: number; groupCount: number; groups: { name: string }[] }[] }>('/api/directory/units?q=公安');
    expect(u.body.units.find((x) => x.code === 'p-gongan')).toMatchObject({ people: 2, groupCount: 1, groups: [{ name: '省公安厅督办群' }] });
    const all = await staff.json<{ total: number; people: { id: string }[] }>('/api/directory/people?limit=10');
    expect(all.body.people).toHaveLength(10);
    const next = await staff.json<{ total: number; people: { id: string }[] }>('/api/directory/people?limit=10&offset=10');
    expect(next.body.total).toBe(all.body.total);
    expect(next.body.people.map((p) => p.id)).not.toContain(all.body.people[0]!.id);
    const found = await staff.json<{ total: number; people: { name: string; roleLabel: string; unitName: string; consoleId: string }[] }>('/api/directory/people?q=' + encodeURIComponent('省公安厅联络员'));
    expect(found.body.people).toEqual([expect.objectContaining({ name: '省公安厅联络员', roleLabel: '单位联络员', unitName: '省公安厅', consoleId: 'officer-p-gongan' })]);
    expect((await staff.json('/api/directory/people?role=NOBODY')).status).toBe(400);
  });

  it('links a person to platform accounts, deactivates them, and refuses an account already taken', async () => {
    const p = await s.db.prisma.person.findFirstOrThrow({ where: { consoleId: 'officer-p-minzheng' } });
    const q = await s.db.prisma.person.findFirstOrThrow({ where: { consoleId: 'officer-p-jiaoyu' } });
    const r = await staff.json<{ person: { wecomUserId: string } }>(`/api/directory/people/${p.id}`, { wecomUserId: 'minzheng-li', dingtalkUserId: 'ding-mz' }, 'PATCH');
    expect(r.status).toBe(200);
    expect(await s.db.prisma.person.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ wecomUserId: 'minzheng-li', dingtalkUserId: 'ding-mz' });
    const taken = await staff.json(`/api/directory/people/${q.id}`, { wecomUserId: 'minzheng-li' }, 'PATCH');
    expect(taken).toEqual({ status: 409, body: { error: 'ACCOUNT_TAKEN', message: '企业微信账号 minzheng-li 已绑定到 省民政厅联络员（省民政厅），请先解除其绑定。' } });
    const off = await staff.json<{ person: { active: boolean } }>(`/api/directory/people/${q.id}`, { active: false }, 'PATCH');
    expect(off.body.person.active).toBe(false);
    const inactive = await staff.json<{ people: { id: string }[] }>('/api/directory/people?active=false');
    expect(inactive.body.people.map((x) => x.id)).toContain(q.id);
    const noCsrf = await staff.fetch(`/api/directory/people/${q.id}`, { method: 'PATCH', csrf: false, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ active: true }) });
    expect(noCsrf.status).toBe(403);
    expect((await s.db.prisma.person.findUniqueOrThrow({ where: { id: q.id } })).active).toBe(false);
  });

  it('registers a group and never shows a webhook key or secret', async () => {
    const r = await staff.json<{ group: { id: string } }>('/api/directory/groups', { name: '领导小组群', platform: 'DINGTALK', purpose: 'LEADERSHIP', webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=secret-token', webhookSecret: 'SECxyz' });
    expect(r.status).toBe(201);
    const list = await staff.fetch('/api/directory/groups?platform=DINGTALK');
    const text = await list.text();
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('SECxyz');
    expect(JSON.parse(text).groups).toEqual([expect.objectContaining({ name: '领导小组群', webhook: 'https://oapi.dingtalk.com/robot/send?…', signed: true })]);
    const bad = await staff.json('/api/directory/groups', { name: '单位群', platform: 'WECOM', purpose: 'UNIT', chatId: 'wr-1' });
    expect(bad).toEqual({ status: 400, body: { error: 'GROUP_UNIT', message: '单位群必须选择单位。' } });
  });

  it('imports a CSV in two steps: the preview writes nothing, the confirmation applies the good rows, the same file again changes nothing', async () => {
    const before = await people();
    const pre = await post(staff, '/api/directory/import/preview', uploadForm('人员.csv', CSV, {}, 'text/csv'));
    const preview = (await pre.json()) as PreviewBody;
    expect(pre.status).toBe(200);
    expect(preview.tables).toEqual([{ kind: 'people', rows: 2 }]);
    expect(preview.rows.map((r) => [r.label, r.message])).toEqual([
      ['新增', '第 2 行：新增 韩九（省公安厅，单位联络员）'],
      ['错误', '第 3 行：未找到单位「湖南省公安」，是否指「省公安厅」？'],
    ]);
    expect(await people()).toBe(before);

    const stale = await post(staff, '/api/directory/import/confirm', uploadForm('人员.csv', CSV, { sha256: 'not-the-preview' }));
    expect(stale.status).toBe(409);
    expect(await people()).toBe(before);
    const noCsrf = await post(staff, '/api/directory/import/confirm', uploadForm('人员.csv', CSV, { sha256: preview.file.sha256 }), false);
    expect(noCsrf.status).toBe(403);
    expect(await people()).toBe(before);

    const done = (await (await post(staff, '/api/directory/import/confirm', uploadForm('人员.csv', CSV, { sha256: preview.file.sha256 }))).json()) as PreviewBody;
    expect(done.applied).toEqual({ created: 1, updated: 0 });
    expect(done.message).toBe('导入完成：新增 1 条，更新 0 条，1 行有错误已跳过。');
    expect(await s.db.prisma.person.findUniqueOrThrow({ where: { wecomUserId: 'hanjiu' } })).toMatchObject({ name: '韩九', unitCode: 'p-gongan' });
    const again = (await (await post(staff, '/api/directory/import/confirm', uploadForm('人员.csv', CSV, { sha256: preview.file.sha256 }))).json()) as PreviewBody;
    expect(again.message).toBe('导入完成：没有需要写入的变化，1 行有错误已跳过。');
    expect(await people()).toBe(before + 1);
  });

  it('imports people and groups from one workbook', async () => {
    const file = await xlsx({
      人员: [['姓名', '角色', '单位', '企业微信账号', '钉钉账号', '职务'], ['褚十一', '省数据局统筹调度人员', '', 'chu11', '', '统筹调度处']],
      群: [['群名称', '平台', '用途', '单位', '群ID', 'Webhook'], ['省人社厅督办群', '钉钉', '单位群', '省人社厅', 'cid-renshe', ''], ['坏群', '钉钉', '单位群', '省人设厅', 'cid-x', '']],
    });
    const pre = (await (await post(staff, '/api/directory/import/preview', uploadForm('目录.xlsx', file))).json()) as PreviewBody;
    expect(pre.counts).toEqual({ CREATE: 2, UPDATE: 0, UNCHANGED: 0, ERROR: 1 });
    expect(pre.rows[2]!.message).toBe('群表第 3 行：未找到单位「省人设厅」，是否指「省人力资源社会保障厅」？');
    const done = (await (await post(staff, '/api/directory/import/confirm', uploadForm('目录.xlsx', file, { sha256: pre.file.sha256 }))).json()) as PreviewBody;
    expect(done.applied).toEqual({ created: 2, updated: 0 });
    expect(await s.db.prisma.person.findUniqueOrThrow({ where: { wecomUserId: 'chu11' } })).toMatchObject({ role: 'BUREAU_STAFF', unitCode: 'bureau' });
    expect(await s.db.prisma.chatGroup.findFirstOrThrow({ where: { chatId: 'cid-renshe' } })).toMatchObject({ platform: 'DINGTALK', purpose: 'UNIT', unitCode: 'p-renshe' });
  });

  it('refuses a renamed executable, an oversized file and a GBK CSV with a clear answer, importing nothing', async () => {
    const before = await people();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 0x41)]);
    const asXlsx = await post(staff, '/api/directory/import/preview', uploadForm('人员.xlsx', exe));
    expect(asXlsx.status).toBe(415);
    expect(await asXlsx.json()).toEqual({ error: 'BAD_FILE_TYPE', message: '文件「人员.xlsx」不是有效的Excel（.xlsx）或CSV（UTF-8）文件。' });
    const big = await post(staff, '/api/directory/import/preview', uploadForm('人员.csv', '姓名,角色\n' + '张三,领导\n'.repeat(120_000)));
    expect(big.status).toBe(413);
    expect((await big.json()).message).toBe('文件过大（上限 1 MB）。');
    // "姓名,角色\n张三,领导\n" in GBK, as Excel saves "CSV" on a Chinese Windows.
    const gbk = Buffer.from([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xbd, 0xc7, 0xc9, 0xab, 0x0a, 0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0xc1, 0xec, 0xb5, 0xbc, 0x0a]);
    expect(new TextDecoder('gbk').decode(gbk)).toBe('姓名,角色\n张三,领导\n');
    const asGbk = await post(staff, '/api/directory/import/preview', uploadForm('人员.csv', gbk));
    expect(asGbk.status).toBe(415);
    const answer = await asGbk.json();
    expect(answer.error).toBe('CSV_NOT_UTF8');
    expect(answer.message).toContain('不是 UTF-8 编码的 CSV');
    expect(answer.message).toContain('CSV UTF-8（逗号分隔）');
    expect(await people()).toBe(before);
  });

  it('serves the import template with the header row and an example row', async () => {
    const r = await staff.fetch('/api/directory/template.xlsx');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await r.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['人员', '群', '说明']);
    expect(wb.getWorksheet('人员')!.getRow(1).values).toEqual([undefined, '姓名', '角色', '单位', '企业微信账号', '钉钉账号', '职务']);
    expect(wb.getWorksheet('人员')!.getRow(2).getCell(1).value).toBe('张三');
    expect(wb.getWorksheet('群')!.getRow(1).values).toEqual([undefined, '群名称', '平台', '用途', '单位', '群ID', 'Webhook', '加签密钥']);
  });
});
