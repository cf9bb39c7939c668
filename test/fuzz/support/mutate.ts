/** Text edits shared by the fuzz suites: seeded by fast-check, so a seed replays the same bytes. */
import fc from 'fast-check';

export type Mutation =
  | { op: 'delete'; at: number; length: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'duplicate'; at: number; length: number; to: number }
  | { op: 'truncate'; at: number }
  | { op: 'replace'; at: number; text: string };

/** One edit of a text: deletion, insertion (of a hostile snippet or random text), duplication, truncation. */
export function mutationArb(snippets: readonly string[], maxLength = 80): fc.Arbitrary<Mutation> {
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...snippets) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  );
  return fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: maxLength }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: maxLength }), to: fc.nat() }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text }),
  );
}

/** Applies edits to `base` (positions wrap around its current length). */
export function mutate(base: string, mutations: readonly Mutation[]): string {
  let s = base;
  for (const m of mutations) {
    const at = m.at % (s.length + 1);
    switch (m.op) {
      case 'delete':
        s = s.slice(0, at) + s.slice(at + m.length);
        break;
      case 'insert':
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      case 'duplicate': {
        const to = m.to % (s.length + 1);
        s = s.slice(0, to) + s.slice(at, at + m.length) + s.slice(to);
        break;
      }
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'replace':
        s = s.slice(0, at) + m.text + s.slice(at + m.text.length);
        break;
    }
  }
  return s;
}

/** `base` with 0..max edits. */
export function mutated(base: fc.Arbitrary<string>, snippets: readonly string[], max = 6): fc.Arbitrary<string> {
  return fc.tuple(base, fc.array(mutationArb(snippets), { maxLength: max })).map(([b, ms]) => mutate(b, ms));
}
