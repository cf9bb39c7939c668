/** Fixtures for the problem loop: a database with the seed plan's units and service lists, the demo directory, and the outbox as text. */
import { readFileSync } from 'node:fs';
import { parsePlan } from '../../../domain/plan/parse.ts';
import { SEED_PLAN_FILE } from '../../../bot/config.ts';
import { loadPlan } from '../../../handlers/services/plan-store.ts';
import { seedDemoDirectory } from '../../../handlers/services/directory.ts';
import { notifierFor } from '../../../bot/core/messaging.ts';
import type { Database } from '../../../prisma/client.ts';
import type { OutMessage } from '../../../cards/types.ts';
import type { ProblemDeps } from '../../../handlers/services/problems.ts';
import type { Actor } from '../../../domain/access.ts';
import { freshDatabase, type DbKind, type TestDb } from '../../support/databases.ts';

const text = readFileSync(SEED_PLAN_FILE, 'utf8');
const parsed = parsePlan(text);

export const SECRET = 'problem-test-secret-0123456789';
export const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A phone number and an ID card number that must never be shown anywhere but the database. */
export const PHONE = '13812345678';
export const ID_CARD = '430102199001011234';
/** The numbers and the parts a careless mask could leave (the phone's last eight digits, the birth date). */
export const PERSONAL = [PHONE, ID_CARD, '12345678', '19900101'];

export async function problemDb(kind: DbKind, now: Date): Promise<TestDb> {
  const t = await freshDatabase(kind);
  await loadPlan(t.db, parsed, text, now);
  await seedDemoDirectory(t.db);
  return t;
}

export function problemDeps(db: Database, clock: { now: Date }): ProblemDeps {
  const now = () => clock.now;
  return { db, now, notifier: notifierFor(db, ['CONSOLE'], now), actionSecret: SECRET, yellowWorkdays: 3, log: silentLog };
}

export async function actorOf(db: Database, consoleId: string): Promise<Actor> {
  const p = await db.prisma.person.findFirstOrThrow({ where: { consoleId } });
  return { personId: p.id, name: p.name, role: p.role, unitCode: p.unitCode };
}

export interface OutboxRow {
  key: string;
  target: string;
  kind: string;
  message: OutMessage;
  /** Everything a person could read in it. */
  text: string;
}

export function messageText(m: OutMessage): string {
  switch (m.type) {
    case 'card': return `${m.fallbackText}\n${JSON.stringify(m.card)}`;
    case 'markdown': return `${m.title}\n${m.markdown}`;
    case 'text': return m.text;
    case 'image': return `${m.title}\n${m.alt}`;
  }
}

export async function outbox(db: Database): Promise<OutboxRow[]> {
  const rows = await db.sql.query<{ idempotency_key: string; target: string; kind: string; payload: string }>(
    'SELECT idempotency_key, target, kind, payload FROM outbox_message ORDER BY id',
  );
  return rows.map((r) => {
    const message = (JSON.parse(r.payload) as { message: OutMessage }).message;
    return { key: r.idempotency_key, target: r.target, kind: r.kind, message, text: messageText(message) };
  });
}

/** Row counts of everything intake and the loop write. */
export async function counts(db: Database): Promise<Record<string, number>> {
  const n = async (table: string) => Number((await db.sql.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  return {
    problem: await n('problem'),
    ticket: await n('ticket'),
    ticket_event: await n('ticket_event'),
    problem_feedback: await n('problem_feedback'),
    outbox_message: await n('outbox_message'),
  };
}

export function expectNoPersonalData(texts: string[]): void {
  for (const t of texts) {
    for (const p of PERSONAL) {
      if (t.includes(p)) throw new Error(`personal data "${p}" shown in: ${t.slice(0, 300)}`);
    }
  }
}
