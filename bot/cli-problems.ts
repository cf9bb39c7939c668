/**
 * `duban problem-source …` (the intake API's keys) and `duban problems import` (Excel batch
 * import). Cards the import creates go into the outbox for the running server to deliver, on the
 * platforms this environment configures — as `duban serve` would send them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config, PlatformEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { resolveActionSecret } from './secrets.ts';
import { notifierFor } from './core/messaging.ts';
import { parseWecomConfig } from './wecom/config.ts';
import { parseDingtalkConfig } from './dingtalk/config.ts';
import { openDatabase, type Database } from '../prisma/client.ts';
import { DomainError } from '../domain/errors.ts';
import { GRADE_LABELS } from '../domain/problems/index.ts';
import type { PlatformName } from '../handlers/bot.ts';
import type { ProblemDeps } from '../handlers/services/problems.ts';
import { addProblemSource, knownSource, listProblemSources, setProblemSourceActive } from '../handlers/services/problem-sources.ts';
import { importProblems, type ImportRow } from '../handlers/services/problem-import.ts';
import { PROBLEM_STATUS_LABELS } from '../handlers/services/problem-views.ts';

export interface ProblemCliIo {
  out: (s: string) => void;
  config: () => Config;
  platformEnv: () => PlatformEnv;
  now: () => Date;
}

async function withDb<T>(io: ProblemCliIo, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(io.config().DATABASE_URL);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** What intake needs outside the server: the outbox notifier on the configured platforms. */
function problemDeps(io: ProblemCliIo, db: Database): ProblemDeps {
  const config = io.config();
  const env = io.platformEnv();
  const platforms: PlatformName[] = [];
  if (config.DUBAN_CONSOLE) platforms.push('CONSOLE');
  if (parseWecomConfig(env)) platforms.push('WECOM');
  if (parseDingtalkConfig(env)) platforms.push('DINGTALK');
  return {
    db,
    now: io.now,
    notifier: notifierFor(db, platforms, io.now),
    actionSecret: resolveActionSecret(config),
    yellowWorkdays: config.DUBAN_YELLOW_WORKDAYS,
    log: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL),
  };
}

function rowLine(r: ImportRow): string {
  if (r.outcome === 'error') return `第 ${r.row} 行：错误｜${r.reason}`;
  const p = r.problem;
  const where = p.status === 'ROUTED' ? `已交由${p.unitName}整改（问题整改单 #${p.ticketId}，时限 ${p.due}）` : PROBLEM_STATUS_LABELS[p.status];
  return r.outcome === 'created'
    ? `第 ${r.row} 行：新建｜问题 P${p.id}，${GRADE_LABELS[p.grade]}，${where}`
    : `第 ${r.row} 行：重复｜来源编号 ${p.sourceRef} 已是问题 P${p.id}，未做改动`;
}

export function registerProblemCommands(program: Command, io: ProblemCliIo): void {
  const source = program.command('problem-source').description('问题来源（接口密钥）：新增、列出、停用');
  source
    .command('add <code> <name>')
    .description('新增问题来源并生成接口密钥（只显示这一次，库中只存其 sha256）；--rotate 为已有来源更换密钥')
    .option('--rotate', '更换已有来源的密钥（旧密钥立即失效）')
    .action(async (code: string, name: string, opts: { rotate?: boolean }) => {
      await withDb(io, async (db) => {
        const r = await addProblemSource(db, code, name, { rotate: opts.rotate === true });
        io.out(`${r.created ? '已新增' : '已更新'}问题来源 ${code.toUpperCase()}（${name}）`);
        io.out(`接口密钥：${r.key}`);
        io.out('该密钥只显示这一次，请妥善交给来源系统；调用时放在请求头 Authorization: Bearer <密钥>。');
      });
    });
  source
    .command('list')
    .description('列出问题来源')
    .action(async () => {
      await withDb(io, async (db) => {
        const rows = await listProblemSources(db);
        for (const s of rows) io.out(`${s.code}\t${s.name}\t${s.active ? '启用' : '停用'}\t${s.hasKey ? '已设密钥' : '无密钥'}\t${s.createdAt.toISOString().slice(0, 10)}`);
        io.out(`共 ${rows.length} 个问题来源`);
      });
    });
  for (const [name, active, zh] of [['disable', false, '停用'], ['enable', true, '启用']] as const) {
    source
      .command(`${name} <code>`)
      .description(`${zh}问题来源（停用后其密钥调用返回 403）`)
      .action(async (code: string) => {
        await withDb(io, async (db) => {
          if (!(await setProblemSourceActive(db, code, active))) throw new DomainError('SOURCE_NOT_FOUND', `未找到问题来源 ${code}（duban problem-source list 查看）`, `source ${code} not found`);
          io.out(`已${zh}问题来源 ${code.toUpperCase()}`);
        });
      });
  }

  const problems = program.command('problems').description('问题工单：批量导入');
  problems
    .command('import <file>')
    .description('从 Excel 导入问题（列：来源编号、服务名称、问题描述、联系方式、反映时间）；同一来源编号重复导入不产生变化；有错误行时退出码为 1')
    .requiredOption('--source <code>', '问题来源编码，例如 HOTLINE_12345')
    .action(async (file: string, opts: { source: string }) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(resolve(file));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new DomainError('PROBLEM_IMPORT_FILE', `无法读取文件 ${file}（${code === 'ENOENT' ? '文件不存在' : code ?? String(e)}）`, `cannot read ${file}: ${code ?? e}`);
      }
      const errors = await withDb(io, async (db) => {
        const src = await knownSource(db, opts.source);
        if (!src) throw new DomainError('SOURCE_NOT_FOUND', `未知或已停用的问题来源 ${opts.source}（duban problem-source list 查看）`, `unknown source ${opts.source}`);
        const rows = await importProblems(problemDeps(io, db), new Uint8Array(bytes), src);
        rows.forEach((r) => io.out(rowLine(r)));
        const count = (o: ImportRow['outcome']) => rows.filter((r) => r.outcome === o).length;
        io.out(`共 ${rows.length} 行：新建 ${count('created')}，重复 ${count('repeat')}，错误 ${count('error')}`);
        return count('error');
      });
      if (errors > 0) throw new DomainError('PROBLEM_IMPORT_ROWS', `${errors} 行未导入（原因见上），其余行已处理；修正后可重新导入同一文件。`, `${errors} row(s) refused`);
    });
}
