/**
 * The `duban` command line. Each subcommand opens what it needs, prints a result for people
 * (Chinese) or JSON for machines, and returns an exit code; errors are one clear line.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, loadPlatformEnv, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { isDomainError, DomainError } from '../domain/errors.ts';
import { parsePlan } from '../domain/plan/parse.ts';
import type { ParsedPlan } from '../domain/plan/types.ts';
import { openDatabase } from '../prisma/client.ts';
import { createMigration, migrate } from '../prisma/migrate.ts';
import { assignPlan, loadPlan, planIdFor } from '../handlers/services/plan-store.ts';
import { seedDemoDirectory } from '../handlers/services/directory.ts';
import { loadCalendar, removeCalendarOverride, setCalendarOverride } from '../handlers/services/calendar.ts';
import { isISODate, shanghaiDate } from '../domain/calendar.ts';
import { runServer } from './main.ts';
import { notifyPlatforms } from './platforms.ts';
import { registerUserCommands } from './cli-users.ts';
import { registerProblemCommands } from './cli-problems.ts';
import { registerJobCommands } from './cli-jobs.ts';
import { outboxSummary, retry as retryOutbox } from './outbox/status.ts';
import { consoleWatchIo, formatSummary, watchOutbox } from './outbox/report.ts';

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Standard input as text (tests pass their own). */
  readStdin?: () => Promise<string>;
}

const defaultIo: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  env: process.env,
  now: () => new Date(),
};

function readPlanFile(file: string): { parsed: ParsedPlan; text: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DomainError('PLAN_FILE', `无法读取方案文件 ${file}（${code === 'ENOENT' ? '文件不存在' : code ?? String(e)}）`, `cannot read plan file ${file}: ${code ?? e}`);
  }
  return { parsed: parsePlan(bytes), text: bytes.toString('utf8') };
}

function summarisePlan(p: ParsedPlan): string[] {
  const lines = [`${p.plan.title}（${p.plan.docNo}）`, `重点任务 ${p.tasks.length} 项，单位 ${p.units.length} 个，服务清单 ${p.services.length} 组`];
  for (const t of p.tasks) {
    const ms = t.milestones.map((m) => `${m.due}[${m.units.length}]`).join(' ');
    const flags = [t.recurring ? '持续' : t.due ?? '', t.sla ? `${t.sla.workdays}个工作日` : ''].filter(Boolean).join('，');
    const unresolved = t.responsible.unresolved.length ? ` 待定：${t.responsible.unresolved.join('、')}` : '';
    lines.push(`  ${String(t.seq).padStart(2)}. ${t.category}｜${flags}｜节点 ${ms || '无'}${unresolved}`);
  }
  return lines;
}

export function buildProgram(io: Io): Command {
  const program = new Command('duban')
    .description('督办 — 工作方案督办机器人（企业微信 / 钉钉）')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const config = (): Config => loadConfig(io.env);

  program.command('serve').description('启动机器人服务（Koa），首次启动时导入示例方案').action(async () => {
    await runServer(config(), loadPlatformEnv(io.env));
  });

  program
    .command('migrate')
    .description('执行数据库迁移（SQLite 或 PostgreSQL，由 DATABASE_URL 决定）')
    .option('--create <name>', '开发者用：根据 schema.prisma 的变化为两种数据库生成新的迁移目录')
    .action(async (opts: { create?: string }) => {
      if (opts.create) {
        for (const provider of ['sqlite', 'postgresql'] as const) {
          const dir = await createMigration(provider, opts.create, io.now());
          io.out(dir ? `已生成 ${dir}` : `${provider}：schema 无变化，未生成迁移`);
        }
        return;
      }
      const cfg = config();
      const applied = await migrate(cfg.DATABASE_URL);
      io.out(applied.length ? `已执行迁移：${applied.join('、')}` : '数据库已是最新，无需迁移');
    });

  const plan = program.command('plan').description('工作方案：解析、导入、交办');
  plan
    .command('parse <file>')
    .description('解析方案文件，打印结构化结果（不写数据库）')
    .option('--json', '以 JSON 输出')
    .action((file: string, opts: { json?: boolean }) => {
      const { parsed } = readPlanFile(file);
      if (opts.json) io.out(JSON.stringify(parsed, null, 2));
      else summarisePlan(parsed).forEach((l) => io.out(l));
    });
  plan
    .command('load <file>')
    .description('导入方案（任务、节点、单位、服务清单）；重复导入不产生变化')
    .action(async (file: string) => {
      const { parsed, text } = readPlanFile(file);
      const db = await openDatabase(config().DATABASE_URL);
      try {
        const r = await loadPlan(db, parsed, text, io.now());
        io.out(r.created
          ? `已导入 ${parsed.plan.docNo}：任务 ${r.tasks} 项，节点 ${r.milestones} 个，新增单位 ${r.units} 个，服务 ${r.services} 项`
          : `${parsed.plan.docNo} 已导入过，内容相同，未做改动`);
      } finally {
        await db.close();
      }
    });
  plan
    .command('assign')
    .description('为每个（节点 × 承办单位）生成督办单；重复执行只补缺')
    .option('--doc <docNo>', '方案文号（默认：唯一已导入的方案）')
    .option('--json', '以 JSON 输出')
    .action(async (opts: { doc?: string; json?: boolean }) => {
      const db = await openDatabase(config().DATABASE_URL);
      try {
        const plans = await db.prisma.plan.findMany({ select: { id: true, docNo: true } });
        const chosen = opts.doc ? plans.find((p) => p.docNo === opts.doc) : plans.length === 1 ? plans[0] : undefined;
        if (!chosen) {
          throw new DomainError(
            'PLAN_NOT_CHOSEN',
            plans.length === 0 ? '尚未导入方案，请先运行 duban plan load 文件。'
              : opts.doc ? `未找到文号为 ${opts.doc} 的方案。已导入：${plans.map((p) => p.docNo).join('、')}`
              : `已导入多个方案，请用 --doc 指定：${plans.map((p) => p.docNo).join('、')}`,
            'no plan chosen for assign',
          );
        }
        const r = await assignPlan(db, chosen.id ?? planIdFor(chosen.docNo), io.now(), notifyPlatforms(config(), loadPlatformEnv(io.env)));
        if (opts.json) {
          io.out(JSON.stringify(r, null, 2));
          return;
        }
        io.out(`新建督办单 ${r.created.length} 件，已存在 ${r.existing} 件`);
        const byTask = new Map<number, number>();
        for (const t of r.created) byTask.set(t.taskSeq, (byTask.get(t.taskSeq) ?? 0) + 1);
        for (const [seq, n] of [...byTask].sort((a, b) => a[0] - b[0])) io.out(`  任务${seq}：${n} 件`);
        for (const u of r.unresolved) io.out(`  待定（需人工确认承办单位）任务${u.taskSeq}：${u.phrases.join('、')} —— ${u.milestone.slice(0, 40)}`);
      } finally {
        await db.close();
      }
    });

  const calendar = program.command('calendar').description('工作日历：法定节假日与调休，以及本局补充的调整');
  calendar
    .command('show [month]')
    .description('显示某月（YYYY-MM，默认本月）的工作日安排')
    .action(async (month?: string) => {
      const m = month ?? shanghaiDate(io.now()).slice(0, 7);
      if (!/^\d{4}-\d{2}$/.test(m)) throw new DomainError('CALENDAR_MONTH', `月份格式应为 YYYY-MM：${m}`, `bad month ${m}`);
      const db = await openDatabase(config().DATABASE_URL);
      try {
        const cal = await loadCalendar(db);
        if (!cal.knowsYear(Number(m.slice(0, 4)))) io.out(`注意：${m.slice(0, 4)} 年的法定节假日安排尚未收录，未调整的日期按周一至周五计。`);
        const days = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).getUTCDate();
        for (let d = 1; d <= days; d++) {
          const info = cal.describeDay(`${m}-${String(d).padStart(2, '0')}`);
          const why = { OVERRIDE: '本局调整', HOLIDAY: '法定节假日', ADJUSTED_WORKDAY: '调休上班', WEEKDAY: '', WEEKEND: '周末' }[info.source];
          io.out(`${info.date} ${info.workday ? '工作日' : '休息日'}${why ? ` ${why}` : ''}${info.name ? ` ${info.name}` : ''}`);
        }
      } finally {
        await db.close();
      }
    });
  calendar
    .command('set <date>')
    .description('补充或更正某天：--workday 上班，--holiday 休息')
    .option('--workday', '该日上班')
    .option('--holiday', '该日休息')
    .option('--note <text>', '说明，例如：2027年元旦')
    .action(async (date: string, opts: { workday?: boolean; holiday?: boolean; note?: string }) => {
      if (!isISODate(date)) throw new DomainError('CALENDAR_BAD_DATE', `日期格式应为 YYYY-MM-DD：${date}`, `bad date ${date}`);
      if (Boolean(opts.workday) === Boolean(opts.holiday)) throw new DomainError('CALENDAR_KIND', '请指定 --workday 或 --holiday 之一', 'exactly one of --workday/--holiday is required');
      const db = await openDatabase(config().DATABASE_URL);
      try {
        await setCalendarOverride(db, date, Boolean(opts.workday), opts.note ?? null, 'cli');
        io.out(`已设置 ${date} 为${opts.workday ? '工作日' : '休息日'}${opts.note ? `（${opts.note}）` : ''}`);
      } finally {
        await db.close();
      }
    });
  calendar
    .command('unset <date>')
    .description('删除本局对某天的调整，恢复法定安排')
    .action(async (date: string) => {
      const db = await openDatabase(config().DATABASE_URL);
      try {
        io.out((await removeCalendarOverride(db, date)) ? `已删除 ${date} 的调整` : `${date} 没有调整`);
      } finally {
        await db.close();
      }
    });

  const people = program.command('person').description('人员：列出、绑定企业微信/钉钉账号');
  people
    .command('list')
    .description('列出人员及其平台账号（--unit 单位编码 过滤）')
    .option('--unit <code>', '单位编码，例如 p-gongan')
    .action(async (opts: { unit?: string }) => {
      const db = await openDatabase(config().DATABASE_URL);
      try {
        const rows = await db.prisma.person.findMany({ where: opts.unit ? { unitCode: opts.unit } : {}, orderBy: [{ unitCode: 'asc' }, { role: 'asc' }], include: { unit: { select: { name: true } } } });
        for (const p of rows) io.out(`${p.id}\t${p.role}\t${p.unit?.name ?? '-'}\t${p.name}\t企业微信:${p.wecomUserId ?? '-'}\t钉钉:${p.dingtalkUserId ?? '-'}${p.consoleId ? `\t控制台:${p.consoleId}` : ''}`);
        io.out(`共 ${rows.length} 人`);
      } finally {
        await db.close();
      }
    });
  people
    .command('add <name>')
    .description('新增人员：--role 角色 --unit 单位编码 [--wecom userid] [--dingtalk staffId]')
    .requiredOption('--role <role>', 'BUREAU_ADMIN | BUREAU_STAFF | UNIT_OFFICER | UNIT_LEADER | LEADER')
    .option('--unit <code>', '单位编码（单位人员必填）')
    .option('--wecom <userid>', '企业微信 userid')
    .option('--dingtalk <staffId>', '钉钉 userId（staffId）')
    .action(async (name: string, opts: { role: string; unit?: string; wecom?: string; dingtalk?: string }) => {
      const roles = ['BUREAU_ADMIN', 'BUREAU_STAFF', 'UNIT_OFFICER', 'UNIT_LEADER', 'LEADER'];
      if (!roles.includes(opts.role)) throw new DomainError('PERSON_ROLE', `角色应为 ${roles.join('、')} 之一`, `bad role ${opts.role}`);
      if ((opts.role === 'UNIT_OFFICER' || opts.role === 'UNIT_LEADER') && !opts.unit) throw new DomainError('PERSON_UNIT', '单位人员必须指定 --unit 单位编码', 'unit role without --unit');
      const db = await openDatabase(config().DATABASE_URL);
      try {
        if (opts.unit && !(await db.prisma.unit.findUnique({ where: { code: opts.unit } }))) throw new DomainError('PERSON_UNIT', `未找到单位编码 ${opts.unit}（duban plan parse 文件 --json 可查看单位编码）`, `unknown unit ${opts.unit}`);
        const p = await db.prisma.person.create({ data: { name, role: opts.role as 'LEADER', unitCode: opts.unit ?? null, wecomUserId: opts.wecom ?? null, dingtalkUserId: opts.dingtalk ?? null } });
        io.out(`已新增 ${p.name}（${p.id}）`);
      } finally {
        await db.close();
      }
    });
  people
    .command('link <person>')
    .description('为人员绑定平台账号：<person> 为人员 id 或控制台 id（如 officer-p-gongan）')
    .option('--wecom <userid>', '企业微信 userid')
    .option('--dingtalk <staffId>', '钉钉 userId（staffId）')
    .action(async (person: string, opts: { wecom?: string; dingtalk?: string }) => {
      if (!opts.wecom && !opts.dingtalk) throw new DomainError('PERSON_LINK', '请指定 --wecom 或 --dingtalk', 'nothing to link');
      const db = await openDatabase(config().DATABASE_URL);
      try {
        const p = await db.prisma.person.findFirst({ where: { OR: [{ id: person }, { consoleId: person }] } });
        if (!p) throw new DomainError('PERSON_NOT_FOUND', `未找到人员 ${person}（duban person list 查看）`, `person ${person} not found`);
        await db.prisma.person.update({ where: { id: p.id }, data: { ...(opts.wecom ? { wecomUserId: opts.wecom } : {}), ...(opts.dingtalk ? { dingtalkUserId: opts.dingtalk } : {}) } });
        io.out(`已为 ${p.name} 绑定${opts.wecom ? ` 企业微信 ${opts.wecom}` : ''}${opts.dingtalk ? ` 钉钉 ${opts.dingtalk}` : ''}`);
      } finally {
        await db.close();
      }
    });

  program
    .command('group-add <name>')
    .description('登记群：--platform WECOM|DINGTALK --purpose LEADERSHIP|BUREAU|UNIT [--unit 编码] [--chat 群ID] [--webhook 机器人地址] [--secret 加签密钥]')
    .requiredOption('--platform <platform>', 'WECOM 或 DINGTALK')
    .requiredOption('--purpose <purpose>', 'LEADERSHIP（领导群）、BUREAU（统筹调度群）或 UNIT（单位群）')
    .option('--unit <code>', '单位群的单位编码')
    .option('--chat <id>', '群 ID（钉钉 openConversationId）')
    .option('--webhook <url>', '群机器人 Webhook 地址')
    .option('--secret <secret>', '钉钉群机器人加签密钥（SEC 开头）')
    .action(async (name: string, opts: { platform: string; purpose: string; unit?: string; chat?: string; webhook?: string; secret?: string }) => {
      if (!['WECOM', 'DINGTALK'].includes(opts.platform)) throw new DomainError('GROUP_PLATFORM', '--platform 应为 WECOM 或 DINGTALK', `bad platform ${opts.platform}`);
      if (!['LEADERSHIP', 'BUREAU', 'UNIT'].includes(opts.purpose)) throw new DomainError('GROUP_PURPOSE', '--purpose 应为 LEADERSHIP、BUREAU 或 UNIT', `bad purpose ${opts.purpose}`);
      if (!opts.chat && !opts.webhook) throw new DomainError('GROUP_TARGET', '请至少指定 --chat 或 --webhook', 'group without chat id or webhook');
      const db = await openDatabase(config().DATABASE_URL);
      try {
        const g = await db.prisma.chatGroup.create({
          data: { name, platform: opts.platform as 'WECOM', purpose: opts.purpose as 'UNIT', unitCode: opts.unit ?? null, chatId: opts.chat ?? null, webhookUrl: opts.webhook ?? null, webhookSecret: opts.secret ?? null },
        });
        io.out(`已登记群「${g.name}」（${g.id}）`);
      } finally {
        await db.close();
      }
    });

  program
    .command('seed-demo')
    .description('写入示例人员与群（控制台适配器用）')
    .action(async () => {
      const db = await openDatabase(config().DATABASE_URL);
      try {
        const r = await seedDemoDirectory(db);
        io.out(`新增人员 ${r.people} 人，群 ${r.groups} 个`);
      } finally {
        await db.close();
      }
    });

  const outbox = program
    .command('outbox')
    .description('发送队列：待发送 / 已发送 / 失败（死信），按平台与原因汇总')
    .option('--watch', '每秒刷新投递进度，直到全部发出（Ctrl-C 退出）')
    .action(async (opts: { watch?: boolean }) => {
      const db = await openDatabase(config().DATABASE_URL);
      const watch = opts.watch ? consoleWatchIo({ out: io.out, now: io.now, tty: io === defaultIo && Boolean(process.stdout.isTTY) }) : null;
      try {
        if (watch) await watchOutbox(db, watch);
        else formatSummary(await outboxSummary(db, io.now())).forEach((l) => io.out(l));
      } finally {
        watch?.dispose();
        await db.close();
      }
    });
  outbox
    .command('retry <id>')
    .description('重新投递一条失败（死信）消息')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new DomainError('OUTBOX_BAD_ID', `消息编号应为正整数：${id}`, `bad outbox message id ${id}`);
      const db = await openDatabase(config().DATABASE_URL);
      try {
        await retryOutbox(db, Number(id), io.now());
        io.out(`已将消息 ${id} 重新放入发送队列，将尽快投递`);
      } finally {
        await db.close();
      }
    });

  registerUserCommands(program, { out: io.out, databaseUrl: () => config().DATABASE_URL, readStdin: io.readStdin ?? readStdin });
  registerProblemCommands(program, { out: io.out, config, platformEnv: () => loadPlatformEnv(io.env), now: io.now });
  registerJobCommands(program, { out: io.out, config, platformEnv: () => loadPlatformEnv(io.env), now: io.now });

  return program;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isDomainError(e)) {
      io.err(`错误：${e.message}`);
      io.err(`(${e.code}: ${e.messageEn})`);
      return 1;
    }
    if (e instanceof ConfigError) {
      io.err(`配置错误：${e.message}`);
      return 1;
    }
    createLogger('error').error({ err: e }, 'command failed');
    return 1;
  }
}
