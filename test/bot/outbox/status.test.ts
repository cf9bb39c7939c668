import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../prisma/client.ts';
import { outboxSummary, retry } from '../../../bot/outbox/status.ts';
import { formatSummary, progressLine, watchOutbox, type WatchIo } from '../../../bot/outbox/report.ts';
import { DeliveryWorker } from '../../../bot/outbox/worker.ts';
import { DeliveryError } from '../../../bot/outbox/types.ts';
import { dbKinds, freshDatabase, type TestDb } from '../../support/databases.ts';
import { FakeClock, FakeSender, T0, message, put, recordingLog, stored } from './helpers.ts';

describe.each(dbKinds)('outbox status for operators (%s)', (kind) => {
  let t: TestDb;
  let db: Database;
  let clock: FakeClock;
  let sender: FakeSender;
  const worker = () => new DeliveryWorker({ db, senders: [sender], clock, log: recordingLog(), workerId: 'w', batchSize: 50, leaseMs: 60_000 });

  beforeEach(async () => {
    t = await freshDatabase(kind);
    db = t.db;
    clock = new FakeClock();
    sender = new FakeSender('CONSOLE', clock);
  });
  afterEach(async () => t.cleanup());

  /** 2 sent, 3 dead (2 × BAD_TARGET, 1 × NO_PERMISSION) on CONSOLE; 2 pending on WECOM. */
  async function scenario() {
    await put(db, [1, 2, 3, 4, 5].map((n) => message(n)));
    await put(db, [message(6, { platform: 'WECOM' }), message(7, { platform: 'WECOM' })], new Date(T0.getTime() + 60_000));
    sender.behaviour = (row) => {
      if (row.id === 3 || row.id === 4) throw new DeliveryError(`unknown console target group:x${row.id}`, 'BAD_TARGET', false);
      if (row.id === 5) throw new DeliveryError('no permission', 'NO_PERMISSION', false);
      return {};
    };
    clock.advance(60_000);
    await worker().runOnce();
  }

  it('counts messages by status and platform, groups dead letters by reason and shows the oldest pending age', async () => {
    await scenario();
    const s = await outboxSummary(db, new Date(T0.getTime() + 5 * 60_000));
    expect(s.totals).toEqual({ pending: 2, sent: 2, dead: 3 });
    expect(s.byPlatform).toEqual([
      { platform: 'CONSOLE', pending: 0, sent: 2, dead: 3 },
      { platform: 'WECOM', pending: 2, sent: 0, dead: 0 },
    ]);
    expect(s.deadByReason).toEqual([
      { platform: 'CONSOLE', code: 'BAD_TARGET', count: 2, example: expect.stringMatching(/^BAD_TARGET: unknown console target group:x[34]$/), ids: [4, 3] },
      { platform: 'CONSOLE', code: 'NO_PERMISSION', count: 1, example: 'NO_PERMISSION: no permission', ids: [5] },
    ]);
    expect(s.oldestPendingAgeMs).toBe(4 * 60_000);
    expect(s.inFlight).toBe(0);

    const text = formatSummary(s).join('\n');
    expect(text).toContain('待发送 2 条，已发送 2 条，失败（死信）3 条');
    expect(text).toContain('控制台：待发送 0，已发送 2，失败 3');
    expect(text).toContain('企业微信：待发送 2，已发送 0，失败 0');
    expect(text).toContain('最早的待发送消息已等待 4 分 0 秒');
    expect(text).toContain('控制台 BAD_TARGET × 2');
    expect(text).toContain('编号 4、3');
    expect(text).toContain('duban outbox retry 编号');
    expect(formatSummary(await outboxSummary(db, T0)).length).toBeGreaterThan(1);
  });

  it('requeues a dead letter, which is then delivered', async () => {
    await scenario();
    const later = new Date(T0.getTime() + 3_600_000);
    await retry(db, 5, later);
    expect((await stored(db))[4]).toMatchObject({ status: 'PENDING', attempts: 0, nextAttemptAt: later, lockedBy: null });
    sender.behaviour = () => ({});
    clock.t = later.getTime();
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    expect((await stored(db))[4]!.status).toBe('SENT');
  });

  it('refuses to requeue a message that is not a dead letter, in Chinese', async () => {
    await scenario();
    await expect(retry(db, 1)).rejects.toMatchObject({ code: 'OUTBOX_NOT_DEAD', message: '消息 1 当前状态为「已发送」，只有失败（死信）的消息可以重新投递。' });
    await expect(retry(db, 6)).rejects.toThrow('当前状态为「待发送」');
    await expect(retry(db, 999)).rejects.toMatchObject({ code: 'OUTBOX_NOT_FOUND', message: '未找到编号为 999 的消息。' });
    expect((await stored(db)).map((r) => r.status)).toEqual(['SENT', 'SENT', 'DEAD', 'DEAD', 'DEAD', 'PENDING', 'PENDING']);
  });

  it('watches the queue drain with a progress line, and stops on Ctrl-C', async () => {
    await put(db, Array.from({ length: 10 }, (_, i) => message(i)));
    const lines: string[] = [];
    const controller = new AbortController();
    let ticks = 0;
    const io: WatchIo = {
      render: (l) => lines.push(l),
      out: (l) => lines.push(l),
      now: () => new Date(T0.getTime() + ticks * 1000),
      signal: controller.signal,
      sleep: async () => {
        ticks++;
        await db.sql.execute(`UPDATE outbox_message SET status = 'SENT' WHERE id IN (SELECT id FROM outbox_message WHERE status = 'PENDING' ORDER BY id LIMIT 4)`);
      },
    };
    expect(await watchOutbox(db, io)).toBe('drained');
    expect(lines).toEqual([
      '投递中 ░░░░░░░░░░ 0/10 剩余 10，正在估算剩余时间',
      '投递中 ████░░░░░░ 4/10 剩余 6，约 2 秒',
      '投递中 ████████░░ 8/10 剩余 2，约 1 秒',
      '投递中 ██████████ 10/10 剩余 0，约 0 秒',
      '投递完成：发送 10 条，用时 3 秒',
    ]);

    await put(db, [message('more')]);
    lines.length = 0;
    io.sleep = async () => controller.abort();
    expect(await watchOutbox(db, io)).toBe('interrupted');
    expect(lines.at(-1)).toBe('已停止观察：仍有 1 条待发送（投递在服务进程中继续）。');
    await db.sql.execute(`UPDATE outbox_message SET status = 'SENT'`);
    lines.length = 0;
    expect(await watchOutbox(db, io)).toBe('drained');
    expect(lines).toEqual(['没有待发送的消息。']);
  });
});

describe('progress line', () => {
  it('looks like the operators expect', () => {
    expect(progressLine(1234, 2000, 0, 35_000)).toBe('投递中 ██████░░░░ 1234/2000 剩余 766，约 35 秒');
    expect(progressLine(10, 20, 2, 125_000)).toBe('投递中 █████░░░░░ 10/20 剩余 10（失败 2），约 2 分 5 秒');
  });
});
