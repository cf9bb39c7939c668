/** `duban user …`: web console accounts (the first administrator is created here). */
import type { Command } from 'commander';
import { DomainError } from '../domain/errors.ts';
import { ROLE_LABELS, ROLES } from '../domain/access.ts';
import { openDatabase } from '../prisma/client.ts';
import { createAccount, setActive, setPassword } from '../web/server/accounts.ts';
import { generatePassword } from '../web/server/passwords.ts';

interface UserIo {
  out: (s: string) => void;
  /** Reads a password from standard input (--password-stdin). */
  readStdin: () => Promise<string>;
  databaseUrl: () => string;
}

async function passwordFrom(opts: { passwordStdin?: boolean }, io: UserIo): Promise<{ password: string; generated: boolean }> {
  if (opts.passwordStdin) {
    const password = (await io.readStdin()).replace(/\r?\n$/, '');
    if (!password) throw new DomainError('USER_PASSWORD', '标准输入中没有密码。', 'empty password on stdin');
    return { password, generated: false };
  }
  return { password: generatePassword(), generated: true };
}

export function registerUserCommands(program: Command, io: UserIo): void {
  const user = program.command('user').description('Web 控制台账号：新增、列出、改密码、停用');
  user
    .command('add <username>')
    .description('新增账号：--role 角色 [--name 姓名] [--unit 单位编码] [--person 人员id] [--password-stdin]；不给密码时生成一个并显示一次')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--name <name>', '显示的姓名')
    .option('--unit <code>', '单位编码（单位账号必填）')
    .option('--person <id>', '绑定的聊天人员 id（duban person list 查看）')
    .option('--password-stdin', '从标准输入读取密码')
    .action(async (username: string, opts: { role: string; name?: string; unit?: string; person?: string; passwordStdin?: boolean }) => {
      const { password, generated } = await passwordFrom(opts, io);
      const db = await openDatabase(io.databaseUrl());
      try {
        const a = await createAccount(db, { username, displayName: opts.name, role: opts.role, unitCode: opts.unit ?? null, personId: opts.person ?? null, password });
        io.out(`已新增账号 ${a.username}（${ROLE_LABELS[a.role]}）`);
        if (generated) io.out(`初始密码：${password}\n请妥善转交本人，登录后可用 duban user passwd ${a.username} 修改。`);
      } finally {
        await db.close();
      }
    });
  user
    .command('list')
    .description('列出账号')
    .action(async () => {
      const db = await openDatabase(io.databaseUrl());
      try {
        const rows = await db.prisma.userAccount.findMany({ orderBy: { username: 'asc' } });
        for (const u of rows) {
          io.out(`${u.username}\t${ROLE_LABELS[u.role]}\t${u.displayName}\t${u.unitCode ?? '-'}\t${u.active ? '启用' : '停用'}\t最近登录:${u.lastLoginAt?.toISOString() ?? '-'}`);
        }
        io.out(`共 ${rows.length} 个账号`);
      } finally {
        await db.close();
      }
    });
  user
    .command('passwd <username>')
    .description('重设密码（--password-stdin 从标准输入读取，否则生成一个并显示一次）；该账号的所有登录会话失效')
    .option('--password-stdin', '从标准输入读取密码')
    .action(async (username: string, opts: { passwordStdin?: boolean }) => {
      const { password, generated } = await passwordFrom(opts, io);
      const db = await openDatabase(io.databaseUrl());
      try {
        await setPassword(db, username, password);
        io.out(`已重设 ${username} 的密码${generated ? `：${password}` : ''}`);
      } finally {
        await db.close();
      }
    });
  for (const [name, active, zh] of [['disable', false, '停用'], ['enable', true, '启用']] as const) {
    user
      .command(`${name} <username>`)
      .description(`${zh}账号`)
      .action(async (username: string) => {
        const db = await openDatabase(io.databaseUrl());
        try {
          await setActive(db, username, active);
          io.out(`已${zh}账号 ${username}`);
        } finally {
          await db.close();
        }
      });
  }
}
