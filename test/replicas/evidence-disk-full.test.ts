/**
 * The evidence disk fills up: an officer sends a file on WeCom while the evidence directory is a
 * real, tiny tmpfs (the kernel answers ENOSPC part-way through the write). The officer is told in
 * Chinese, the ticket is unchanged, no partial file is left, the operator log names the fault —
 * and once the disk is grown, the same upload succeeds.
 *
 * Needs `mount` (root, as on this project's machines and CI); where mounting is not permitted the
 * suite is skipped and says so.
 * Run alone: npx vitest run test/replicas/evidence-disk-full.test.ts (PostgreSQL too when TEST_POSTGRES_URL is set)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bot/config.ts';
import { createLogger } from '../../bot/logger.ts';
import { createApp, type App } from '../../bot/app.ts';
import { blobPath } from '../../handlers/services/evidence.ts';
import { FakeWecom, signedCallback } from '../fakes/fake-wecom.ts';
import { dbKinds, freshDatabase, type TestDb } from '../support/databases.ts';

const CORP = 'wx5823bf96d3bd56c7';
const TOKEN = 'QDG6eK';
const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';

function tryMount(dir: string, size: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim().split('\n')[0] ?? 'mount failed';
  }
}

const root = mkdtempSync(join(tmpdir(), 'duban-diskfull-'));
const probe = join(root, 'probe');
mkdirSync(probe);
const cannotMount = tryMount(probe, '64k');
if (!cannotMount) execFileSync('umount', [probe]);

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

describe.skipIf(cannotMount !== null).each(dbKinds)(`evidence on a full disk (%s)${cannotMount ? ` (skipped: cannot mount a tmpfs here: ${cannotMount})` : ''}`, (kind) => {
  let t: TestDb;
  let fake: FakeWecom;
  let app: App;
  let server: Server;
  let base: string;
  let evidenceDir: string;
  let ticketId: number;
  const logLines: { level: number; msg: string; code?: string }[] = [];
  let seq = 0;

  beforeAll(async () => {
    t = await freshDatabase(kind);
    fake = await FakeWecom.start({ corpId: CORP, secret: 'app-secret', agentId: 1000002, realTime: true });
    evidenceDir = join(root, `evidence-${kind}`);
    mkdirSync(evidenceDir);
    expect(tryMount(evidenceDir, '64k')).toBeNull();
    const { db } = t;
    await db.prisma.unit.create({ data: { code: 'p-gongan', name: '省公安厅', kind: 'PROVINCIAL' } });
    await db.prisma.person.create({ data: { name: '张三', role: 'UNIT_OFFICER', unitCode: 'p-gongan', wecomUserId: 'zhangsan' } });
    ticketId = (await db.prisma.ticket.create({ data: { unitCode: 'p-gongan', title: '关停整合低效应用', due: '2026-12-31', originalDue: '2026-12-31', status: 'IN_PROGRESS' } })).id;
    const config = loadConfig({ DATABASE_URL: t.url, DUBAN_CONSOLE: 'false', DUBAN_EVIDENCE_DIR: evidenceDir, DUBAN_ACTION_SECRET: 'disk-full-test-secret-0123', LOG_LEVEL: 'info' });
    const sink = new Writable({ write(chunk, _enc, done) { for (const l of String(chunk).split('\n')) if (l) logLines.push(JSON.parse(l)); done(); } });
    const log = createLogger('info', sink);
    app = createApp(config, db, log, {
      scheduler: false,
      platformEnv: { WECOM_CORP_ID: CORP, WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'app-secret', WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: AES, WECOM_API_BASE: fake.baseUrl },
    });
    server = app.koa.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 60_000);

  afterAll(async () => {
    server?.close();
    await app?.stop();
    await fake?.close();
    try {
      execFileSync('umount', [evidenceDir]);
    } catch {
      // not mounted
    }
    await t?.cleanup();
  });

  async function sendFile(bytes: Buffer, name: string): Promise<string> {
    const mediaId = fake.addMedia(bytes, name, 'application/pdf');
    const xml = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[file]]></MsgType><MediaId><![CDATA[${mediaId}]]></MediaId><FileName><![CDATA[${name}]]></FileName><MsgId>${9_500_000 + ++seq}</MsgId><AgentID>1000002</AgentID></xml>`;
    const c = signedCallback(xml, { token: TOKEN, aesKey: AES, corpId: CORP, timestamp: String(Math.floor(Date.now() / 1000)), nonce: String(seq), agentId: '1000002' });
    const r = await fetch(`${base}/wecom/callback?${c.search}`, { method: 'POST', body: c.body });
    expect(r.status).toBe(200);
    const before = fake.messages.length;
    for (let i = 0; i < 100 && fake.messages.length === before; i++) {
      await app.pipeline.drain();
      await app.worker.runOnce();
    }
    return JSON.stringify(fake.messages.at(-1)?.body ?? null);
  }

  it('tells the officer in Chinese, changes nothing, leaves no partial file, logs the fault; a later upload succeeds', { timeout: 60_000 }, async () => {
    const { db } = t;
    // A real PDF header and 200 KB of content: more than the 64 KB the disk has.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200 * 1024, 0x41)]);
    const ticketBefore = await db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } });
    const eventsBefore = await db.prisma.ticketEvent.count({ where: { ticketId } });

    const answer = await sendFile(pdf, `#${ticketId} 整改佐证.pdf`);
    expect(answer).toContain('佐证材料存储空间已满，文件未保存');
    expect(await db.prisma.evidence.count()).toBe(0);
    expect(await db.prisma.ticketEvent.count({ where: { ticketId } })).toBe(eventsBefore);
    expect(await db.prisma.ticket.findUniqueOrThrow({ where: { id: ticketId } })).toEqual(ticketBefore);
    expect(files(evidenceDir), 'partial files left on the full disk').toEqual([]);
    const fault = logLines.filter((l) => l.code === 'EVIDENCE_DISK_FULL');
    expect(fault).toHaveLength(1);
    expect(fault[0]!.level).toBeGreaterThanOrEqual(50); // an operator must act: error, not a warning
    expect(fault[0]!.msg).toMatch(/evidence disk full/);

    // The operator grows the disk; the officer sends the file again.
    execFileSync('mount', ['-o', 'remount,size=1m', evidenceDir]);
    const again = await sendFile(pdf, `#${ticketId} 整改佐证.pdf`);
    expect(again).not.toContain('存储空间已满');
    const stored = await db.prisma.evidence.findFirstOrThrow({ where: { ticketId } });
    const sha = createHash('sha256').update(pdf).digest('hex');
    expect(stored.sha256).toBe(sha);
    expect(readFileSync(blobPath(evidenceDir, sha))).toEqual(pdf);
    expect(files(evidenceDir)).toEqual([blobPath(evidenceDir, sha)]);
    console.log(`evidence disk full (${kind}): a ${Math.round(pdf.length / 1024)} KB file on a 64 KB tmpfs → ENOSPC, officer told, 0 evidence rows, 0 partial files, 1 error log line (EVIDENCE_DISK_FULL); after growing the disk the resend is stored (${statSync(blobPath(evidenceDir, sha)).size} bytes)`);
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));
