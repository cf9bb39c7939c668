import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  COMMANDS,
  type CommandSpec,
  type FormSpec,
  type ParsedCommand,
  parseCommand,
  refLabel,
} from '../../../domain/commands/index.ts';

const today = '2026-06-15';

describe('the command catalogue', () => {
  it('has no command word twice (names, aliases, pinyin)', () => {
    const words = COMMANDS.flatMap((c) => [c.name, ...c.aliases, c.pinyin.join('')].map((w) => w.toLowerCase()));
    expect(new Set(words).size).toBe(words.length);
  });

  it('gives one pinyin syllable per character of the name', () => {
    for (const c of COMMANDS) expect(c.pinyin).toHaveLength([...c.name].length);
  });

  it('has an English alias first for every command', () => {
    for (const c of COMMANDS) expect(c.aliases[0]).toMatch(/^[a-z]{4,}$/);
  });

  const forms = COMMANDS.flatMap((c): [string, FormSpec, CommandSpec][] => c.forms.map((f) => [c.name, f, c]));

  it.each(forms)('/%s: usage starts with the command', (name, form, c) => {
    expect(form.usage.startsWith(`/${name}`)).toBe(true);
    expect(form.description ?? c.description).not.toBe('');
    expect(form.roles.length).toBeGreaterThan(0);
  });

  it.each(
    COMMANDS.flatMap((c) => c.forms.flatMap((f) => f.examples.map((e) => [e, c.name, 'sub' in f ? f.sub : undefined] as const))),
  )('example %s parses as /%s %s', (example, name, sub) => {
    const r = parseCommand(example, { today });
    expect(r?.ok, r && !r.ok ? r.error.message : '').toBe(true);
    if (r?.ok) {
      expect(r.command.name).toBe(name);
      if (sub !== undefined) expect(r.command).toMatchObject({ sub });
    }
  });

  it('optional parameters without a default come back as null, required ones never do', () => {
    const r = parseCommand('/提交 #7', { today });
    expect(r).toEqual({ ok: true, command: { name: '提交', ticket: 7, note: null } });
  });

  it('derives the parsed type from the declaration', () => {
    type Review = Extract<ParsedCommand, { name: '审核' }>;
    expectTypeOf<Review['sub']>().toEqualTypeOf<'通过' | '退回'>();
    expectTypeOf<Extract<ParsedCommand, { sub: '退回' }>>().toEqualTypeOf<{ name: '审核'; sub: '退回'; ticket: number; reason: string }>();
    expectTypeOf<Extract<ParsedCommand, { name: '通报' }>['kind']>().toEqualTypeOf<'周报' | '月报' | '逾期'>();
    expectTypeOf<Extract<ParsedCommand, { name: '提交' }>['note']>().toEqualTypeOf<string | null>();
    expectTypeOf<Extract<ParsedCommand, { name: '我的' }>>().toEqualTypeOf<{ name: '我的' }>();
  });
});

describe('refLabel', () => {
  it('writes references the way people do', () => {
    expect(refLabel({ kind: 'task', seq: 6 })).toBe('任务6');
    expect(refLabel({ kind: 'ticket', id: 123 })).toBe('#123');
    expect(refLabel({ kind: 'unit', text: '省公安厅' })).toBe('省公安厅');
  });
});
