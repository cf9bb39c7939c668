/** Small helpers for `npm run bench`: timing, fresh databases, a result table with ratios. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../prisma/migrate.ts';

export interface Row {
  name: string;
  ms: number;
  /** The baseline this row is compared with (same run), and what it is. */
  baselineMs?: number;
  baseline?: string;
  note?: string;
  target?: string;
}

export async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export async function freshSqlite(): Promise<{ url: string; path: string; drop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-'));
  const path = join(dir, 'bench.db');
  const url = `file:${path}`;
  await migrate(url);
  return { url, path, drop: () => rmSync(dir, { recursive: true, force: true }) };
}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n## ${title}`);
  for (const r of rows) {
    const ratio = r.baselineMs ? ` | ${(r.ms / r.baselineMs).toFixed(2)}× ${r.baseline} (${r.baselineMs.toFixed(1)} ms)` : '';
    const target = r.target ? ` | target ${r.target}` : '';
    const note = r.note ? ` | ${r.note}` : '';
    console.log(`- ${r.name}: ${r.ms.toFixed(1)} ms${ratio}${target}${note}`);
  }
}
