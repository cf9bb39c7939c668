import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleChat } from '../support/console-chat.ts';
import { dbKinds, freshUrl } from '../support/databases.ts';
import { migrate } from '../../prisma/migrate.ts';
import { addProblemSource, setProblemSourceActive } from '../../handlers/services/problem-sources.ts';
import { PROBLEM_API_BODY_MAX } from '../../web/server/problems-api.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

describe.each(dbKinds)('POST /api/problems and GET /api/problems/feedback on %s', (kind) => {
  let chat: ConsoleChat;
  let drop: (() => Promise<void>) | null = null;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    if (kind === 'postgresql') {
      const u = await freshUrl(kind);
      await migrate(u.url);
      drop = u.drop;
      chat = await ConsoleChat.start(undefined, { databaseUrl: u.url });
    } else {
      chat = await ConsoleChat.start();
    }
    key = (await addProblemSource(chat.app.db, 'EVALUATION', '服务评价')).key;
    otherKey = (await addProblemSource(chat.app.db, 'GOVERNOR_MAILBOX', '省长信箱')).key;
  }, 180_000);
  afterAll(async () => {
    await chat?.stop();
    await drop?.();
  });

  const call = async (path: string, init: { method?: string; body?: string; key?: string | null; type?: string } = {}) => {
    const headers: Record<string, string> = { 'content-type': init.type ?? 'application/json' };
    if (init.key !== null) headers.authorization = `Bearer ${init.key ?? key}`;
    const r = await fetch(`${chat.base}${path}`, { method: init.method ?? 'POST', headers, body: init.body });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  const file = (body: unknown, k?: string) => call('/api/problems', { body: JSON.stringify(body), key: k });
  const problems = () => chat.app.db.prisma.problem.count();

  it('refuses a missing, wrong or disabled key', async () => {
    const none = await call('/api/problems', { key: null, body: '{}' });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.body.message).toMatch(/缺少接口密钥/);
    expect((await call('/api/problems', { key: 'dbk_not-a-real-key', body: '{}' })).body).toMatchObject({ error: 'BAD_KEY' });
    await setProblemSourceActive(chat.app.db, 'EVALUATION', false);
    const off = await file({ sourceRef: 'K-1', description: '页面打不开' });
    expect(off).toMatchObject({ status: 403, body: { error: 'SOURCE_DISABLED' } });
    expect(off.body.message).toMatch(/服务评价.*已停用/);
    await setProblemSourceActive(chat.app.db, 'EVALUATION', true);
    expect(await problems()).toBe(0);
  });

  it.each([
    ['not JSON', { type: 'text/plain', body: 'hello' }, 415, /JSON/],
    ['broken JSON', { body: '{"sourceRef": ' }, 400, /不是有效的 JSON/],
    ['no description', { body: JSON.stringify({ sourceRef: 'V-1' }) }, 400, /description/],
    ['a blank description', { body: JSON.stringify({ sourceRef: 'V-1', description: '   ' }) }, 400, /问题描述不能为空/],
    ['a bad reportedAt', { body: JSON.stringify({ sourceRef: 'V-1', description: 'x', reportedAt: '昨天' }) }, 400, /反映时间格式/],
    ['a reportedAt in the future', { body: JSON.stringify({ sourceRef: 'V-1', description: 'x', reportedAt: '2030-01-01T00:00:00Z' }) }, 400, /晚于当前时间/],
    ['attachments that are not base64', { body: JSON.stringify({ sourceRef: 'V-1', description: 'x', attachments: [{ name: 'a.png', content: '###' }] }) }, 400, /base64/],
    ['an attachment of a refused type', { body: JSON.stringify({ sourceRef: 'V-1', description: 'x', attachments: [{ name: 'a.exe', content: 'TVqQAAMAAAAEAAAA' }] }) }, 400, /不支持的文件类型/],
    ['a PDF that is a PNG', { body: JSON.stringify({ sourceRef: 'V-1', description: 'x', attachments: [{ name: 'a.pdf', content: PNG.toString('base64') }] }) }, 400, /内容与扩展名不符/],
    ['too many attachments', { body: JSON.stringify({ sourceRef: 'V-1', description: 'x', attachments: Array(4).fill({ name: 'a.png', content: PNG.toString('base64') }) }) }, 400, /附件最多 3 个/],
    ['an attachment over 5 MB', { body: JSON.stringify({ sourceRef: 'V-1', description: 'x', attachments: [{ name: 'a.png', content: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]).toString('base64') }] }) }, 413, /超过 5 MB/],
  ])('answers %s with a Chinese reason and files nothing', async (_l, req, status, message) => {
    const r = await call('/api/problems', req);
    expect(r.status).toBe(status);
    expect(String(r.body.message)).toMatch(message);
    expect(await problems()).toBe(0);
  });

  it('answers a body over the cap with 413', async () => {
    const r = await call('/api/problems', { body: JSON.stringify({ sourceRef: 'V-2', description: 'x'.repeat(PROBLEM_API_BODY_MAX) }) });
    expect(r).toMatchObject({ status: 413, body: { error: 'TOO_LARGE' } });
  });

  it('files with 201, answers the repeat with 200 and the same body, keeps the attachment by content', async () => {
    const body = { sourceRef: 'EV-9', serviceName: '婚姻登记预约', description: '预约后无法选择时间', reportedAt: '2026-06-22T09:00:00+08:00', attachments: [{ name: '截图.png', mime: 'image/png', content: PNG.toString('base64') }] };
    const first = await file(body);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'ROUTED', unit: { code: 'p-minzheng', name: '省民政厅' }, grade: 'GENERAL', gradeLabel: '一般', created: true });
    expect(first.body.due).toMatch(/^2026-07-\d\d$/);
    const again = await file(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, created: false });
    const stored = JSON.parse((await chat.app.db.prisma.problem.findUniqueOrThrow({ where: { id: first.body.id as number } })).attachments) as { name: string; sha256: string; blobPath: string; size: number }[];
    expect(stored).toEqual([expect.objectContaining({ name: '截图.png', size: PNG.length })]);
    expect(existsSync(stored[0]!.blobPath)).toBe(true);
    expect(stored[0]!.blobPath).toContain(stored[0]!.sha256);
  });

  it('drops NUL characters instead of failing (PostgreSQL cannot store them)', async () => {
    const r = await file({ sourceRef: 'NUL-1\u0000', description: '婚姻登记预约\u0000无法选择时间' });
    expect(r.status).toBe(201);
    const stored = await chat.app.db.prisma.problem.findUniqueOrThrow({ where: { id: r.body.id as number } });
    expect(stored).toMatchObject({ sourceRef: 'NUL-1', description: '婚姻登记预约无法选择时间' });
    expect((await call('/api/problems/feedback?sourceRef=NUL-1%00', { method: 'GET' })).status).toBe(200);
  });

  it('lets a source read only its own feedback', async () => {
    expect((await call('/api/problems/feedback', { method: 'GET' })).status).toBe(400);
    expect((await call('/api/problems/feedback?sourceRef=nope', { method: 'GET' })).status).toBe(404);
    expect((await call('/api/problems/feedback?sourceRef=EV-9', { method: 'GET', key: otherKey })).status).toBe(404);
    const r = await call('/api/problems/feedback?sourceRef=EV-9', { method: 'GET' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ sourceRef: 'EV-9', status: 'ROUTED', closedAt: null });
    expect((r.body.feedback as { stage: string }[]).map((f) => f.stage)).toEqual(['受理', '交办']);
  });
});
