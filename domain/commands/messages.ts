/**
 * zh-CN text of the command grammar and the reply parser (command descriptions, usages and
 * examples are in `catalogue.ts`). Each entry pairs the Chinese for people with English for logs.
 */
export interface Problem {
  zh: string;
  en: string;
  /** A command the user probably meant (set for unknown command words). */
  suggestion?: string;
}

export const problems = {
  missing: (label: string): Problem => ({ zh: `缺少${label}`, en: `missing ${label}` }),
  missingWord: (words: readonly string[]): Problem => ({
    zh: `请写明${words.map((w) => `“${w}”`).join('或')}`,
    en: `expected one of: ${words.join(', ')}`,
  }),
  unexpected: (text: string): Problem => ({ zh: `多余的内容“${clip(text)}”`, en: `unexpected input "${clip(text)}"` }),
  ticketNotNumber: (): Problem => ({ zh: '督办单编号应为数字', en: 'ticket id is not a number' }),
  ticketTooLarge: (): Problem => ({ zh: '督办单编号过大', en: 'ticket id too large' }),
  ticketNotTask: (): Problem => ({
    zh: '这里需要督办单编号（如 #123），不是任务编号',
    en: 'a ticket id is expected here, not a task number',
  }),
  problemNotNumber: (): Problem => ({ zh: '问题编号应为 P 加数字（如 P12）', en: 'problem id is not P followed by a number' }),
  taskInvalid: (): Problem => ({ zh: '任务编号应为正整数', en: 'task number must be a positive integer' }),
  percentInvalid: (text: string): Problem => ({
    zh: `“${clip(text)}”不是有效的进度，进度应为 0–100 之间的百分比`,
    en: `invalid percent "${clip(text)}"`,
  }),
  percentTooLarge: (value: number): Problem => ({
    zh: `进度不能超过 100%（收到 ${value}%）`,
    en: `percent above 100 (${value})`,
  }),
  dateInvalid: (text: string): Problem => ({
    zh: `“${clip(text)}”不是有效日期，日期可写作 2026-12-31、12月31日 或 12-31`,
    en: `invalid date "${clip(text)}"`,
  }),
  datePast: (date: string, today: string): Problem => ({
    zh: `日期 ${date} 早于今天（${today}）`,
    en: `date ${date} is before today ${today}`,
  }),
  choiceInvalid: (text: string, label: string, options: readonly string[]): Problem => ({
    zh: `没有“${clip(text)}”这种${label}，可选：${options.join('、')}`,
    en: `invalid ${label} "${clip(text)}"; expected one of ${options.join(', ')}`,
  }),
  commandUnknown: (typed: string): Problem => ({
    zh: `没有“/${clip(typed)}”这个命令`,
    en: `unknown command "/${clip(typed)}"`,
  }),
};

export const phrases = {
  example: (example: string) => `，例如：${example}`,
  usage: (lines: readonly string[]) => (lines.length === 1 ? `用法：${lines[0]}` : `用法：\n${lines.join('\n')}`),
  didYouMean: (name: string) => `您是不是要输入 /${name}？`,
  seeHelp: '发送 /帮助 查看可用命令。',
  helpIndex: '可用命令（发送“/帮助 命令”查看用法）：',
  helpUsage: '用法：',
  helpExamples: '例如：',
  helpAliases: (aliases: readonly string[]) => `（也可输入 ${aliases.map((a) => `/${a}`).join('、')}）`,
  helpNotAvailable: (name: string) => `/${name} 不在您可用的命令中。`,
};

/** Keep quoted user input short in messages. */
function clip(text: string): string {
  const chars = [...text];
  return chars.length > 20 ? `${chars.slice(0, 20).join('')}…` : text;
}

/** Text of the free-text reply parser (`domain/reply`). */
export const replyText = {
  percentTooLarge: (value: number) => `进度不能超过 100%（收到 ${value}%），请重新填写 0–100 之间的百分比，例如：任务6 进度80%`,
};
