import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor, helpText, ROLES } from '../../../domain/commands/index.ts';

const names = (role: (typeof ROLES)[number]) => commandsFor(role).map((c) => c.name);

describe('commandsFor', () => {
  it('bureau staff get the supervision commands', () => {
    expect(names('BUREAU_STAFF')).toEqual(['督办', '催办', '进度', '审核', '延期', '通报', '排名', '导出', '问题', '帮助']);
    expect(names('BUREAU_ADMIN')).toEqual(names('BUREAU_STAFF'));
  });

  it('unit officers get the commands for their own tickets', () => {
    expect(names('UNIT_OFFICER')).toEqual(['进度', '延期', '帮助', '签收', '提交', '退单', '我的']);
    expect(names('UNIT_LEADER')).toEqual(names('UNIT_OFFICER'));
  });

  it('leaders get the read-only commands', () => {
    expect(names('LEADER')).toEqual(['进度', '通报', '排名', '帮助']);
  });

  it('keeps only the forms a role may use', () => {
    const officerProgress = commandsFor('UNIT_OFFICER').find((c) => c.name === '进度');
    expect(officerProgress?.forms.map((f) => f.sub)).toEqual(['更新', '查询']);
    const officerExtend = commandsFor('UNIT_OFFICER').find((c) => c.name === '延期');
    expect(officerExtend?.forms.map((f) => f.sub)).toEqual(['申请']);
    const staffExtend = commandsFor('BUREAU_STAFF').find((c) => c.name === '延期');
    expect(staffExtend?.forms.map((f) => f.sub)).toEqual(['同意', '不同意']);
  });

  it('every role can ask for help', () => {
    for (const role of ROLES) expect(names(role)).toContain('帮助');
  });
});

describe('helpText', () => {
  it('lists the commands of a role, one line each, with the English alias', () => {
    const text = helpText(undefined, 'UNIT_OFFICER');
    const lines = text.split('\n');
    expect(lines[0]).toBe('可用命令（发送“/帮助 命令”查看用法）：');
    expect(lines).toHaveLength(1 + names('UNIT_OFFICER').length);
    expect(text).toContain('/签收（/accept）签收督办单，开始办理');
    expect(text).not.toContain('/审核');
    expect(text).not.toContain('/督办（');
  });

  it('bureau staff see no officer-only command', () => {
    const text = helpText(undefined, 'BUREAU_STAFF');
    expect(text).toContain('/审核（/review）');
    expect(text).not.toContain('/签收');
    expect(text).not.toContain('/我的');
  });

  it('without a role lists everything', () => {
    expect(helpText().split('\n')).toHaveLength(1 + COMMANDS.length);
  });

  it('explains one command: aliases, usage lines and examples', () => {
    expect(helpText('审核', 'BUREAU_STAFF')).toBe(
      [
        '/审核（也可输入 /review、/sh、/shenhe）',
        '审核责任单位提交的办理结果：通过或退回',
        '用法：',
        '/审核 #督办单编号 通过 [意见]　审核通过，督办单办结',
        '/审核 #督办单编号 退回 原因　退回重办，须写明原因',
        '例如：',
        '/审核 #123 通过',
        '/审核 #123 退回 佐证材料不全，请补充上线截图',
      ].join('\n'),
    );
  });

  it('accepts an alias or the slash', () => {
    expect(helpText('/review', 'BUREAU_ADMIN')).toBe(helpText('审核', 'BUREAU_ADMIN'));
    expect(helpText('REVIEW', 'BUREAU_ADMIN')).toBe(helpText('审核', 'BUREAU_ADMIN'));
  });

  it('shows an officer only the 申请 form of /延期', () => {
    const text = helpText('延期', 'UNIT_OFFICER');
    expect(text).toContain('/延期 申请 #督办单编号 日期 原因');
    expect(text).toContain('申请延期，写明新的完成日期和原因');
    expect(text).not.toContain('同意');
  });

  it('shows bureau staff only the 同意/不同意 forms of /延期', () => {
    const text = helpText('延期', 'BUREAU_STAFF');
    expect(text).toContain('/延期 #督办单编号 同意 [说明]');
    expect(text).toContain('/延期 #督办单编号 不同意 [说明]');
    expect(text).not.toContain('/延期 申请');
  });

  it('says when a command is not available to the role, and lists what is', () => {
    const text = helpText('审核', 'UNIT_OFFICER');
    expect(text.split('\n')[0]).toBe('/审核 不在您可用的命令中。');
    expect(text).toContain('/签收（/accept）');
  });

  it('suggests the nearest command for a typo', () => {
    const text = helpText('stauts', 'LEADER');
    expect(text.split('\n')[0]).toBe('没有“/stauts”这个命令，您是不是要输入 /进度？');
    expect(text).toContain('/进度 [任务编号|单位名称|#督办单编号]');
    expect(text).not.toContain('/进度 更新');
  });

  it('falls back to the list for a word that is nothing like a command', () => {
    const text = helpText('天气预报', 'LEADER');
    expect(text.split('\n')[0]).toBe('没有“/天气预报”这个命令。');
    expect(text).toContain('可用命令');
  });
});
