/**
 * Help generated from the catalogue. A role sees only the commands (and forms) it may use.
 */
import { COMMAND_LIST, type Command, commandByWord, nearestCommand } from './lexicon.ts';
import { phrases, problems } from './messages.ts';
import type { CommandSpec, Role } from './types.ts';

/** The commands `role` may use, each with only the forms it may use, in catalogue order. */
export function commandsFor(role: Role): Command[] {
  return COMMAND_LIST.flatMap((command) => {
    const forms = command.forms.filter((f) => f.roles.includes(role));
    return forms.length > 0 ? [{ ...command, forms }] : [];
  });
}

function visibleCommands(role: Role | undefined): readonly Command[] {
  return role ? commandsFor(role) : COMMAND_LIST;
}

function index(commands: readonly CommandSpec[]): string {
  const lines = commands.map((c) => `/${c.name}（/${c.aliases[0] ?? c.name}）${c.description}`);
  return [phrases.helpIndex, ...lines].join('\n');
}

function detail(command: CommandSpec): string {
  const aliases = [...command.aliases, command.pinyin.join('')];
  const [only] = command.forms;
  const description = command.forms.length === 1 && only?.description ? only.description : command.description;
  const lines = [`/${command.name}${phrases.helpAliases(aliases)}`, description, phrases.helpUsage];
  for (const form of command.forms) {
    lines.push(command.forms.length > 1 ? `${form.usage}　${form.description ?? command.description}` : form.usage);
  }
  lines.push(phrases.helpExamples, ...command.forms.flatMap((f) => f.examples));
  return lines.join('\n');
}

/**
 * Help text: without `commandName`, the list of commands `role` may use; with it (name or alias,
 * with or without the slash), that command's usage lines and examples. Unknown names get a
 * "did you mean" and the list. Without `role`, everything is shown.
 */
export function helpText(commandName?: string, role?: Role): string {
  const commands = visibleCommands(role);
  if (commandName === undefined || commandName.trim().replace(/^[/／]/, '') === '') return index(commands);
  const command = commandByWord(commandName);
  const shown = command && commands.find((c) => c.name === command.name);
  if (shown) return detail(shown);
  if (command) return `${phrases.helpNotAvailable(command.name)}\n${index(commands)}`;
  const word = commandName.trim().replace(/^[/／]/, '');
  const near = nearestCommand(word, (c) => commands.some((v) => v.name === c.name));
  const unknown = problems.commandUnknown(word).zh;
  if (!near) return `${unknown}。\n${index(commands)}`;
  return `${unknown}，${phrases.didYouMean(near.name)}\n${detail(commands.find((c) => c.name === near.name) ?? near)}`;
}
