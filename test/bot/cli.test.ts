import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../bot/cli.ts';
import { SEED_PLAN_FILE } from '../../bot/config.ts';
import { openDatabase } from '../../prisma/client.ts';
import { migrate } from '../../prisma/migrate.ts';
import { dbKinds, freshUrl } from '../support/databases.ts';

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: { ...env },
    now: () => new Date('2026-06-20T02:00:00Z'),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const scratch = mkdtempSync(join(tmpdir(), 'duban-cli-'));
function file(name: string, content: string | Buffer): string {
  const p = join(scratch, name);
  writeFileSync(p, content);
  return p;
}

describe('duban plan parse', () => {
  it('prints the structured plan as JSON in the documented shape', async () => {
    const r = await run(['plan', 'parse', SEED_PLAN_FILE, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.plan).toEqual({ title: '2026年“湘易办”规范化、标准化、便利化、智能化提升工作方案', docNo: '湘数据〔2026〕57号', year: 2026 });
    expect(json.tasks.map((t: { seq: number }) => t.seq)).toEqual([...Array(29).keys()].map((i) => i + 1).filter((n) => n !== 22));
    const t13 = json.tasks.find((t: { seq: number }) => t.seq === 13);
    expect(t13).toMatchObject({ due: null, recurring: true, sla: { workdays: 10 } });
    expect(Object.keys(json.tasks[0]).sort()).toEqual(['category', 'content', 'due', 'milestones', 'recurring', 'responsible', 'seq', 'sla'].sort());
    expect(Object.keys(json.tasks[0].milestones[0]).sort()).toEqual(expect.arrayContaining(['due', 'text', 'units']));
    expect(json.units.filter((u: { kind: string }) => u.kind === 'CITY')).toHaveLength(14);
    expect(json.services[0]).toMatchObject({ unit: expect.any(String), services: expect.any(Array) });
  });

  it('prints a readable summary without --json', async () => {
    const r = await run(['plan', 'parse', SEED_PLAN_FILE]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('湘数据〔2026〕57号');
    expect(r.out).toContain('重点任务 28 项');
  });

  it.each([
    ['an empty file', () => file('empty.txt', ''), /空/],
    ['a binary file', () => file('bin.dat', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3, 0, 0])), /二进制|文本/],
    ['a GBK file', () => file('gbk.txt', Buffer.from([0xba, 0xfe, 0xc4, 0xcf, 0x0a, 0xca, 0xfd, 0xbe, 0xdd])), /UTF-8/],
    ['a text that is not a plan', () => file('note.txt', '会议通知\n请各单位准时参加。\n'), /任务分解表|方案/],
    ['a missing file', () => join(scratch, 'nope.txt'), /不存在/],
  ])('refuses %s with a clear message and a non-zero exit', async (_label, make, message) => {
    const r = await run(['plan', 'parse', make(), '--json']);
    expect(r.code).not.toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });
});

describe.each(dbKinds)('duban plan load / assign on %s', (kind) => {
  let url: string;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ url, drop } = await freshUrl(kind));
    await migrate(url);
  });
  afterEach(async () => { await drop(); });

  it('loads once, reports the second load as unchanged, assigns, and assigns nothing the second time', async () => {
    const env = { DATABASE_URL: url };
    const load1 = await run(['plan', 'load', SEED_PLAN_FILE], env);
    expect(load1.code).toBe(0);
    expect(load1.out).toMatch(/已导入 湘数据〔2026〕57号：任务 28 项/);
    const load2 = await run(['plan', 'load', SEED_PLAN_FILE], env);
    expect(load2.out).toMatch(/已导入过，内容相同，未做改动/);
    const assign1 = await run(['plan', 'assign'], env);
    expect(assign1.code).toBe(0);
    const created = Number(/新建督办单 (\d+) 件/.exec(assign1.out)?.[1]);
    expect(created).toBeGreaterThan(800);
    expect(assign1.out).toMatch(/待定（需人工确认承办单位）任务8：省直相关单位/);
    const assign2 = await run(['plan', 'assign'], env);
    expect(assign2.out).toContain(`新建督办单 0 件，已存在 ${created} 件`);
    const db = await openDatabase(url);
    try {
      expect(await db.prisma.ticket.count()).toBe(created);
    } finally {
      await db.close();
    }
  });

  it('sends the assignment cards on every platform the deployment is connected to', async () => {
    const env = {
      DATABASE_URL: url,
      DUBAN_CONSOLE: 'false',
      WECOM_CORP_ID: 'wwcorp0001',
      WECOM_AGENT_ID: '1000002',
      WECOM_SECRET: 'super-secret-value',
      WECOM_TOKEN: 'QDG6eK',
      WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    };
    expect((await run(['plan', 'load', SEED_PLAN_FILE], env)).code).toBe(0);
    const assign = await run(['plan', 'assign'], env);
    const created = Number(/新建督办单 (\d+) 件/.exec(assign.out)?.[1]);
    const db = await openDatabase(url);
    try {
      const byPlatform = await db.prisma.outboxMessage.groupBy({ by: ['platform'], _count: { _all: true } });
      expect(byPlatform.map((r) => [r.platform, r._count._all])).toEqual([['WECOM', created]]);
    } finally {
      await db.close();
    }
  });

  it('writes nothing for a bad plan file', async () => {
    const r = await run(['plan', 'load', file('bad.txt', '不是方案\n')], { DATABASE_URL: url });
    expect(r.code).toBe(1);
    const db = await openDatabase(url);
    try {
      expect(await db.prisma.plan.count()).toBe(0);
      expect(await db.prisma.unit.count()).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('database errors', () => {
  it('says in one line that the database cannot be reached, and exits non-zero', async () => {
    const r = await run(['plan', 'assign'], { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toMatch(/^错误：无法连接数据库 postgresql:\/\/nobody@127\.0\.0\.1:1\/none/);
  });

  it('rejects an unsupported DATABASE_URL', async () => {
    const r = await run(['migrate'], { DATABASE_URL: 'mysql://root@localhost/x' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/不支持的 DATABASE_URL/);
  });

  it('answers an unknown command with the usage and a non-zero exit', async () => {
    const r = await run(['plna']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown command|plan/);
  });
});
