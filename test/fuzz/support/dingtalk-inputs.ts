/**
 * Generators of DingTalk payloads for fuzzing, as JSON text: the recorded robot messages and card
 * callbacks with fields deleted, retyped, renamed to hostile keys (`__proto__`, `toString`),
 * stretched to huge strings or replaced by deeply nested values; plus arbitrary JSON and non-JSON.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { mutated } from './mutate.ts';

/** AppSecret of the HTTP-mode callback signature in the fuzz harness. */
export const DINGTALK_SECRET = 'fuzz-dingtalk-app-secret-0123456789';

const FIXTURE_NAMES = ['robot-audio', 'robot-file', 'robot-picture', 'robot-richtext', 'robot-text-direct', 'robot-text-group', 'card-callback'];
export const FIXTURES: Record<string, unknown>[] = FIXTURE_NAMES.map(
  (n) => JSON.parse(readFileSync(new URL(`../../fixtures/dingtalk/${n}.json`, import.meta.url), 'utf8')) as Record<string, unknown>,
);
const CARD = FIXTURES[6]!;
const CARD_CONTENT = JSON.parse(CARD.content as string) as Record<string, unknown>;

const HOSTILE_KEYS = ['__proto__', 'toString', 'valueOf', 'constructor', 'hasOwnProperty', 'action', 'outTrackId', 'msgtype', 'content', 'text', 'richText', 'cardPrivateData', 'params', ''];

/** Placeholders replaced in the JSON text by structures JSON.stringify cannot build cheaply. */
const deepArray = (n: number) => `@@DEEP_ARRAY_${n}@@`;
const deepObject = (n: number) => `@@DEEP_OBJECT_${n}@@`;
const huge = (n: number, c: string) => `@@HUGE_${n}_${c.codePointAt(0)}@@`;

function expand(json: string): string {
  return json
    .replace(/"@@DEEP_ARRAY_(\d+)@@"/g, (_, n: string) => '['.repeat(Number(n)) + ']'.repeat(Number(n)))
    .replace(/"@@DEEP_OBJECT_(\d+)@@"/g, (_, n: string) => '{"a":'.repeat(Number(n)) + '1' + '}'.repeat(Number(n)))
    .replace(/"@@HUGE_(\d+)_(\d+)@@"/g, (_, n: string, cp: string) => JSON.stringify(String.fromCodePoint(Number(cp)).repeat(Number(n))));
}

const valueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, 0, -1, 1e308, '', ' ', '1', '2', 'text', 'picture', 'file', 'richText', [], {}, [null], { toString: 1 }, [{ toString: 1 }], { valueOf: {}, toString: {} }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => ({ '@@raw': deepArray(n) })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => ({ '@@raw': deepObject(n) })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom('x', '督', '😀', '\u0000', '"', '\\')).map(([n, c]) => ({ '@@raw': huge(n, c) })) },
);

type ShapeEdit = { path: number[]; op: 'delete' | 'set' | 'rename'; key: string; value: unknown };

const shapeEditArb: fc.Arbitrary<ShapeEdit> = fc.record({
  path: fc.array(fc.nat(), { maxLength: 3 }),
  op: fc.constantFrom('delete', 'set', 'rename' as const),
  key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 })),
  value: valueArb,
});

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';

/** Applies edits to a deep copy: walks `path` (key indices), then deletes, sets or renames a key there. */
function editShape(base: unknown, edits: readonly ShapeEdit[]): unknown {
  const root = structuredClone(base);
  for (const e of edits) {
    let node: unknown = root;
    for (const step of e.path) {
      if (!isObject(node)) break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const next = node[keys[step % keys.length]!];
      if (!isObject(next)) break;
      node = next;
    }
    if (!isObject(node)) continue;
    const keys = Object.keys(node);
    const target = keys.length ? keys[(e.path.at(-1) ?? 0) % keys.length]! : e.key;
    if (e.op === 'delete') delete node[target];
    else {
      const value = e.op === 'rename' ? (Object.hasOwn(node, target) ? node[target] : null) : e.value;
      if (e.op === 'rename') delete node[target];
      // defineProperty: `__proto__` becomes an own key, as JSON.parse makes it.
      Object.defineProperty(node, e.op === 'rename' ? e.key : target, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

function toJson(value: unknown): string {
  return expand(JSON.stringify(value, (_k, v: unknown) => (isObject(v) && '@@raw' in v ? v['@@raw'] : v)) ?? 'null');
}

/** A recorded payload with its shape damaged (card callbacks: also inside the `content` JSON string). */
export const damagedPayloadArb: fc.Arbitrary<string> = fc
  .tuple(fc.nat({ max: FIXTURES.length - 1 }), fc.array(shapeEditArb, { minLength: 1, maxLength: 4 }), fc.array(shapeEditArb, { maxLength: 3 }), fc.boolean())
  .map(([i, outer, inner, contentAsObject]) => {
    const base = FIXTURES[i]!;
    if (base !== CARD) return toJson(editShape(base, outer));
    const content = editShape(CARD_CONTENT, inner);
    const card = editShape({ ...CARD, content: contentAsObject ? content : '@@CONTENT@@' }, outer);
    return toJson(card).replace('"@@CONTENT@@"', () => JSON.stringify(toJson(content)));
  });

/** Card callbacks whose form params are arbitrary JSON (what a form could carry, and what it cannot). */
export const cardParamsArb: fc.Arbitrary<string> = fc
  .tuple(fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 6 })), valueArb, { maxKeys: 5 }), fc.array(valueArb, { maxLength: 3 }), fc.boolean())
  .map(([params, actionIds, asObject]) => {
    const content = toJson({ cardPrivateData: { actionIds, params } });
    return `{"outTrackId":"duban-ticket-42-v3","userId":"0135212546211226","content":${asObject ? content : JSON.stringify(content)}}`;
  });

/** Anything at all: JSON of any shape, broken JSON, text. */
export const anyBodyArb: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  mutated(fc.constantFrom(...FIXTURES.map((f) => JSON.stringify(f))), ['{', '}', '[', ']', '"', ',', ':', 'null', '\\u0000', '\\ud800', '1e999', '-0', '__proto__', '"toString":1']),
  fc.string({ unit: 'binary', maxLength: 300 }),
);
