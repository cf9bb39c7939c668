/**
 * Issue 2 figures: parse of the seed, load + assign of the seed into a fresh SQLite file, and the
 * same for 100 copies of the plan (≈86k tickets), each against a raw better-sqlite3 insert of the
 * very same rows (dumped from our database) in one transaction, measured in the same run.
 */
import { readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { parsePlan } from '../domain/plan/parse.ts';
import { openDatabase } from '../prisma/client.ts';
import { assignPlan, loadPlan } from '../handlers/services/plan-store.ts';
import { SEED_PLAN_FILE } from '../bot/config.ts';
import { freshSqlite, printTable, time, type Row } from './support.ts';

const TABLES = ['unit', 'plan', 'task', 'milestone', 'service_item', 'ticket', 'ticket_event', 'outbox_message'];

function copies(text: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === 0 ? text : text.replace('湘数据〔2026〕57号', `湘数据〔2026〕${1000 + i}号`)));
}

/** Inserts every row of `source` into a fresh database with prepared single-row statements, one transaction. */
async function rawInsertOfSameRows(sourcePath: string): Promise<{ ms: number; rows: number }> {
  const src = new BetterSqlite3(sourcePath, { readonly: true });
  const dump = TABLES.map((t) => ({ table: t, rows: src.prepare(`SELECT * FROM "${t}"`).all() as Record<string, unknown>[] }));
  src.close();
  const target = await freshSqlite();
  const db = new BetterSqlite3(target.path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  let rows = 0;
  const { ms } = await time(() => {
    db.transaction(() => {
      for (const { table, rows: data } of dump) {
        if (!data[0]) continue;
        const cols = Object.keys(data[0]);
        const stmt = db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
        for (const r of data) stmt.run(...cols.map((c) => r[c]));
        rows += data.length;
      }
    })();
  });
  db.close();
  target.drop();
  return { ms, rows };
}

async function loadAndAssign(texts: string[]): Promise<{ ms: number; tickets: number; path: string; drop(): void }> {
  const parsed = texts.map((t) => parsePlan(t));
  const target = await freshSqlite();
  const db = await openDatabase(target.url);
  const now = new Date('2026-06-20T01:00:00Z');
  let tickets = 0;
  const { ms } = await time(async () => {
    for (let i = 0; i < texts.length; i++) {
      const loaded = await loadPlan(db, parsed[i]!, texts[i]!, now);
      tickets += (await assignPlan(db, loaded.planId, now, 'CONSOLE')).created.length;
    }
  });
  await db.close();
  return { ms, tickets, path: target.path, drop: target.drop };
}

export async function benchPlan(): Promise<void> {
  const text = readFileSync(SEED_PLAN_FILE, 'utf8');
  const rows: Row[] = [];

  parsePlan(text); // warm up
  const runs = 50;
  const parse = await time(() => { for (let i = 0; i < runs; i++) parsePlan(text); });
  rows.push({ name: 'parse the seed plan (per parse)', ms: parse.ms / runs });

  (await loadAndAssign(copies(text, 1))).drop(); // warm up the code paths once
  for (const n of [1, 100]) {
    const ours = await loadAndAssign(copies(text, n));
    const raw = await rawInsertOfSameRows(ours.path);
    ours.drop();
    rows.push({
      name: `load + assign ${n} plan${n > 1 ? ' copies' : ''} (${ours.tickets} tickets, ${raw.rows} rows)`,
      ms: ours.ms,
      baselineMs: raw.ms,
      baseline: 'raw better-sqlite3 insert of the same rows in one transaction',
      target: '≤ 3×',
      note: `${Math.round(raw.rows / (ours.ms / 1000))} rows/s`,
    });
  }
  printTable('Plan import (issue 2)', rows);
}
