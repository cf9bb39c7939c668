/** The outbox as people read it (Chinese): the summary of `duban outbox` and the `--watch` progress line. */
import type { Database } from '../../prisma/client.ts';
import { outboxSummary, type OutboxSummary } from './status.ts';

const PLATFORM_ZH: Record<string, string> = { WECOM: '企业微信', DINGTALK: '钉钉', CONSOLE: '控制台' };
const platformZh = (p: string) => PLATFORM_ZH[p] ?? p;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} 分 ${s % 60} 秒`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} 小时 ${m % 60} 分`;
  return `${Math.floor(h / 24)} 天 ${h % 24} 小时`;
}

export function formatSummary(s: OutboxSummary): string[] {
  const { pending, sent, dead } = s.totals;
  if (pending + sent + dead === 0) return ['发送队列为空：还没有任何待发送的消息。'];
  const lines = [`待发送 ${pending} 条，已发送 ${sent} 条，失败（死信）${dead} 条`];
  for (const p of s.byPlatform) {
    lines.push(`  ${platformZh(p.platform)}：待发送 ${p.pending}，已发送 ${p.sent}，失败 ${p.dead}`);
  }
  if (pending > 0 && s.oldestPendingAgeMs !== null) {
    lines.push(`最早的待发送消息已等待 ${formatDuration(s.oldestPendingAgeMs)}${s.inFlight ? `；正在投递 ${s.inFlight} 条` : ''}`);
  }
  if (s.deadByReason.length) {
    lines.push('失败原因：');
    for (const g of s.deadByReason) {
      lines.push(`  ${platformZh(g.platform)} ${g.code} × ${g.count}：${g.example}（编号 ${g.ids.join('、')}${g.count > g.ids.length ? ' 等' : ''}）`);
    }
    lines.push('修复原因后可重新投递：duban outbox retry 编号');
  }
  return lines;
}

/** "投递中 ███████░░░ 1234/2000 剩余 766，约 35 秒" */
export function progressLine(done: number, total: number, failed: number, etaMs: number | null, width = 10): string {
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : width;
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const eta = etaMs === null ? '正在估算剩余时间' : `约 ${formatDuration(etaMs)}`;
  return `投递中 ${bar} ${done}/${total} 剩余 ${total - done}${failed ? `（失败 ${failed}）` : ''}，${eta}`;
}

export interface WatchIo {
  /** Shows the current progress line (a terminal redraws it in place). */
  render(line: string): void;
  /** Prints a final line. */
  out(line: string): void;
  now(): Date;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  signal: AbortSignal;
}

/** Redraws progress every `intervalMs` while messages are pending; ends when drained or aborted (Ctrl-C). */
export async function watchOutbox(db: Pick<Database, 'sql'>, io: WatchIo, intervalMs = 1_000): Promise<'drained' | 'interrupted'> {
  const started = io.now().getTime();
  const first = await outboxSummary(db, io.now());
  if (first.totals.pending === 0) {
    io.out('没有待发送的消息。');
    return 'drained';
  }
  const baseSent = first.totals.sent;
  const baseDead = first.totals.dead;
  for (;;) {
    const s = await outboxSummary(db, io.now());
    const sent = s.totals.sent - baseSent;
    const failed = s.totals.dead - baseDead;
    const done = Math.max(0, sent + failed);
    const elapsed = io.now().getTime() - started;
    if (s.totals.pending === 0) {
      io.render(progressLine(done, done, failed, 0));
      io.out(`投递完成：发送 ${sent} 条${failed ? `，失败 ${failed} 条（见 duban outbox）` : ''}，用时 ${formatDuration(elapsed)}`);
      return 'drained';
    }
    const etaMs = done > 0 && elapsed > 0 ? (s.totals.pending * elapsed) / done : null;
    io.render(progressLine(done, done + s.totals.pending, failed, etaMs));
    await io.sleep(intervalMs, io.signal);
    if (io.signal.aborted) {
      io.out(`已停止观察：仍有 ${s.totals.pending} 条待发送（投递在服务进程中继续）。`);
      return 'interrupted';
    }
  }
}

/** WatchIo for the CLI: a terminal redraws one line in place; pipes get one line per refresh. Ctrl-C aborts. */
export function consoleWatchIo(o: { out: (line: string) => void; now: () => Date; tty: boolean }): WatchIo & { dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let midLine = false;
  return {
    render(line) {
      if (!o.tty) return o.out(line);
      process.stdout.write(`\r\x1b[K${line}`);
      midLine = true;
    },
    out(line) {
      if (midLine) process.stdout.write('\n');
      midLine = false;
      o.out(line);
    },
    now: o.now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal.addEventListener('abort', done, { once: true });
      }),
    signal: controller.signal,
    dispose: () => process.removeListener('SIGINT', onSigint),
  };
}
