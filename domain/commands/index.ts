/** The command grammar: declared once in `catalogue.ts`, parsed, validated and explained from there. */
export { COMMANDS } from './catalogue.ts';
export { commandsFor, helpText } from './help.ts';
export { commandByWord, nearestCommand } from './lexicon.ts';
export { COMMAND_NAMES, CommandError, type CommandParse, parseCommand } from './parse.ts';
export { refLabel } from './refs.ts';
export type {
  CommandErrorCode,
  CommandName,
  CommandSpec,
  FormSpec,
  ParamSpec,
  ParsedCommand,
  ParseOptions,
  Role,
  TaskRef,
  Target,
  TicketRef,
  UnitRef,
} from './types.ts';
export { ROLES } from './types.ts';
