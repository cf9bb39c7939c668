/**
 * The inbound HTTP surface for fuzzing: the real Koa server (`createServer`, with its error
 * middleware), the real WeCom, DingTalk and console adapter routes, and the real inbound pipeline
 * writing InboundEvent rows to a fresh database (SQLite file or PostgreSQL schema) with a small
 * directory, listening on 127.0.0.1. Work after acceptance is only counted: the suite fuzzes the parsers at the door.
 * Every log line at warn or above is kept so that a test can count them per request.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import Router from '@koa/router';
import { loadConfig } from '../../../bot/config.ts';
import { createLogger } from '../../../bot/logger.ts';
import { createServer } from '../../../bot/server.ts';
import { createPipeline } from '../../../bot/core/pipeline.ts';
import { registerWecomRoutes } from '../../../bot/wecom/routes.ts';
import { registerDingtalkRoutes } from '../../../bot/dingtalk/routes.ts';
import { consoleAdapterRoutes } from '../../../bot/console/adapter.ts';
import type { Database } from '../../../prisma/client.ts';
import { freshDatabase, type DbKind } from '../../support/databases.ts';
import { config as wecomConfig } from '../../bot/wecom/support.ts';
import { DINGTALK_SECRET } from './dingtalk-inputs.ts';

export interface LogLine {
  level: number;
  msg: string;
  reason?: string;
  err?: { stack?: string };
}

export { wecomConfig };

/** The small directory the console routes need: one unit with an officer and its group, bureau staff and its group. */
export interface Directory {
  officer: string;
  staff: string;
  unitGroup: string;
  bureauGroup: string;
}

export interface Harness {
  base: string;
  db: Database;
  directory: Directory;
  /** Lines at warn (40) and above, in order. */
  logs: LogLine[];
  /** Messages the pipeline handed on after recording them. */
  dispatched: number;
  inboundRows(): Promise<number>;
  consoleRows(): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(kind: DbKind, now: Date): Promise<Harness> {
  const test = await freshDatabase(kind);
  const { db } = test;
  const directory = await seedDirectory(db);

  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const log = createLogger('warn', sink);
  const clock = () => now;
  const config = loadConfig({ DATABASE_URL: test.url, LOG_LEVEL: 'warn' });
  const state = { dispatched: 0 };
  const pipeline = createPipeline(db, async () => void state.dispatched++, log, clock);
  const onMessage = async (m: Parameters<typeof pipeline.accept>[0]) => void (await pipeline.accept(m));

  const koa = createServer({ db, log, config, now: clock });
  const router = new Router();
  registerWecomRoutes(router, { config: wecomConfig, onMessage, log, now: clock });
  registerDingtalkRoutes(router, { config: { clientSecret: DINGTALK_SECRET, timestampWindowMs: 3_600_000 }, onMessage, log, now: () => now.getTime() });
  consoleAdapterRoutes(router, { db, log, pipeline, now: clock, maxUploadBytes: 256 * 1024, uploads: new Map() });
  koa.use(router.routes()).use(router.allowedMethods());

  const server: Server = koa.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const count = async (table: string) => Number((await db.sql.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`))[0]?.n ?? 0);

  return {
    base,
    db,
    directory,
    logs,
    get dispatched() {
      return state.dispatched;
    },
    inboundRows: () => count('inbound_event'),
    consoleRows: () => count('console_message'),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await pipeline.drain();
      await test.cleanup();
    },
  };
}

async function seedDirectory(db: Database): Promise<Directory> {
  await db.prisma.unit.create({ data: { code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL' } });
  await db.prisma.unit.create({ data: { code: 'bureau', name: '省数据局', kind: 'BUREAU', collective: false } });
  const officer = await db.prisma.person.create({ data: { name: '省公安厅联络员', role: 'UNIT_OFFICER', unitCode: 'p-gongan', consoleId: 'officer-p-gongan' } });
  const staff = await db.prisma.person.create({ data: { name: '李娜', role: 'BUREAU_STAFF', unitCode: 'bureau', consoleId: 'bureau-staff-1' } });
  await db.prisma.chatGroup.create({ data: { name: '省公安厅督办群', platform: 'CONSOLE', chatId: 'unit-p-gongan', purpose: 'UNIT', unitCode: 'p-gongan' } });
  await db.prisma.chatGroup.create({ data: { name: '省数据局统筹调度群', platform: 'CONSOLE', chatId: 'bureau', purpose: 'BUREAU', unitCode: 'bureau' } });
  return { officer: officer.id, staff: staff.id, unitGroup: 'group:unit-p-gongan', bureauGroup: 'group:bureau' };
}

/** What one request did: its answer, the log lines it wrote and the rows it recorded. */
export interface Observed {
  status: number;
  body: string;
  logs: LogLine[];
  inboundAdded: number;
  consoleAdded: number;
}

export async function observe(h: Harness, request: () => Promise<Response>): Promise<Observed> {
  const [inbound, consoleRows] = [await h.inboundRows(), await h.consoleRows()];
  const from = h.logs.length;
  const res = await request();
  const body = await res.text();
  return {
    status: res.status,
    body,
    logs: h.logs.slice(from),
    inboundAdded: (await h.inboundRows()) - inbound,
    consoleAdded: (await h.consoleRows()) - consoleRows,
  };
}

/**
 * The rule for a platform callback: a well-defined status (never 5xx), and either accepted
 * (no warning) or refused with exactly one warning line, nothing recorded and no stack trace.
 */
export function refusalProblem(o: Observed, accepted: readonly number[], refused: readonly number[]): string | null {
  const errors = o.logs.filter((l) => l.level >= 50);
  if (errors.length) return `${o.status} with an error log: ${errors[0]!.msg} ${errors[0]!.err?.stack ?? ''}`;
  if (o.body.includes('    at ')) return `a stack trace in the answer: ${o.body.slice(0, 300)}`;
  if (accepted.includes(o.status)) return o.logs.length === 0 ? null : `accepted with ${o.logs.length} warning(s): ${o.logs.map((l) => l.msg).join(' | ')}`;
  if (!refused.includes(o.status)) return `unexpected status ${o.status}`;
  if (o.inboundAdded !== 0) return `refused with ${o.status} but ${o.inboundAdded} inbound event(s) recorded`;
  if (o.logs.length !== 1) return `refused with ${o.status} and ${o.logs.length} log lines (want 1): ${o.logs.map((l) => l.msg).join(' | ')}`;
  return null;
}
