import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../bot/cli.ts';
import { openDatabase } from '../../../prisma/client.ts';
import { migrate } from '../../../prisma/migrate.ts';
import { dbKinds, freshUrl } from '../../support/databases.ts';
import { T0, message, put, stored } from './helpers.ts';

async function run(args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s), env, now: () => new Date(T0.getTime() + 90_000) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.each(dbKinds)('duban outbox (%s)', (kind) => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    const f = await freshUrl(kind);
    drop = f.drop;
    await migrate(f.url);
    env = { DATABASE_URL: f.url };
    const db = await openDatabase(f.url);
    try {
      await put(db, [message(1), message(2, { platform: 'WECOM' }), message(3, { platform: 'DINGTALK' })]);
      await db.sql.execute(`UPDATE outbox_message SET status = 'SENT' WHERE id = 1`);
      await db.sql.execute(`UPDATE outbox_message SET status = 'DEAD', attempts = 12, last_error = 'WECOM_60020: not allow to access from your ip' WHERE id = 2`);
    } finally {
      await db.close();
    }
  });
  afterEach(async () => drop());

  it('prints the queue by status, platform and dead-letter reason in Chinese', async () => {
    const r = await run(['outbox'], env);
    expect(r.code).toBe(0);
    expect(r.out).toContain('待发送 1 条，已发送 1 条，失败（死信）1 条');
    expect(r.out).toContain('钉钉：待发送 1，已发送 0，失败 0');
    expect(r.out).toContain('企业微信 WECOM_60020 × 1：WECOM_60020: not allow to access from your ip（编号 2）');
    expect(r.out).toContain('最早的待发送消息已等待 1 分 30 秒');
  });

  it('requeues a dead letter with `outbox retry ID` and refuses anything else clearly', async () => {
    const ok = await run(['outbox', 'retry', '2'], env);
    expect(ok).toMatchObject({ code: 0, out: '已将消息 2 重新放入发送队列，将尽快投递' });
    const again = await run(['outbox', 'retry', '2'], env);
    expect(again.code).toBe(1);
    expect(again.err).toContain('错误：消息 2 当前状态为「待发送」，只有失败（死信）的消息可以重新投递。');
    expect((await run(['outbox', 'retry', 'abc'], env)).err).toContain('消息编号应为正整数');
    expect((await run(['outbox', 'retry', '42'], env)).err).toContain('未找到编号为 42 的消息');
    const db = await openDatabase(env.DATABASE_URL!);
    try {
      expect((await stored(db)).map((r) => [r.status, r.attempts])).toEqual([['SENT', 0], ['PENDING', 0], ['PENDING', 0]]);
    } finally {
      await db.close();
    }
  });

  it('`outbox --watch` ends at once when nothing is pending', async () => {
    const db = await openDatabase(env.DATABASE_URL!);
    await db.sql.execute(`UPDATE outbox_message SET status = 'SENT'`);
    await db.close();
    const r = await run(['outbox', '--watch'], env);
    expect(r).toMatchObject({ code: 0, out: '没有待发送的消息。' });
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});
