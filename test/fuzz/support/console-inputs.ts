/**
 * Requests to the console adapter's API (bot/console/adapter.ts) for fuzzing: JSON bodies of every
 * shape for send and action, uploads with odd names and sizes, and reads with odd query values.
 * Identities and rooms are sometimes real (so requests get past the directory checks) and
 * sometimes not; the directory is looked up when a request is built.
 */
import fc from 'fast-check';
import type { Directory } from './adapters.ts';

export interface ConsoleRequest {
  route: 'send' | 'action' | 'upload' | 'messages' | 'rooms';
  path: string;
  init: RequestInit;
}

type Who = 'officer' | 'staff';
type Where = 'own-direct' | 'own-group' | 'direct-officer' | 'direct-staff' | 'unit' | 'bureau';

const oddText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\u3000', '\u200b', 'direct:', 'group:', 'group:bureau ', '../', '%00', 'null', '{}', '😀') },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 70_000 }).map((n) => 'x'.repeat(n)) },
);

/** A JSON-ish value of any type, for fields that should be strings or numbers. */
const anyField: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), oddText, fc.constantFrom(0, -1, 1.5, 1e20, 2 ** 31, 2 ** 53 + 2, '12abc', '0x10', ' 7 ', true, null));

function person(d: Directory, who: Who | string): string {
  return who === 'officer' ? d.officer : who === 'staff' ? d.staff : who;
}

/** A room by name; `own-…` is a room of the person speaking (so that many requests get through). */
function room(d: Directory, where: Where | string, who: Who | string): string {
  const officer = who !== 'staff';
  switch (where) {
    case 'own-direct': return `direct:${person(d, who)}`;
    case 'own-group': return officer ? d.unitGroup : d.bureauGroup;
    case 'direct-officer': return `direct:${d.officer}`;
    case 'direct-staff': return `direct:${d.staff}`;
    case 'unit': return d.unitGroup;
    case 'bureau': return d.bureauGroup;
    default: return where;
  }
}

const whoArb = fc.oneof({ weight: 3, arbitrary: fc.constantFrom<Who>('officer', 'staff') }, { weight: 1, arbitrary: oddText });
const whereArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<Where>('own-direct', 'own-group') },
  { weight: 2, arbitrary: fc.constantFrom<Where>('direct-officer', 'direct-staff', 'unit', 'bureau') },
  { weight: 1, arbitrary: oddText },
);

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export function consoleRequestArb(directory: () => Directory): fc.Arbitrary<ConsoleRequest> {
  const send = fc
    .record({
      who: whoArb,
      where: whereArb,
      text: fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }) }, { weight: 1, arbitrary: oddText }),
      extra: fc.dictionary(fc.string({ maxLength: 6 }), anyField, { maxKeys: 2 }),
      retype: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('as', 'room', 'text') }),
      value: anyField,
    })
    .map(({ who, where, text, extra, retype, value }): ConsoleRequest => {
      const d = directory();
      const body: Record<string, unknown> = { ...extra, as: person(d, who), room: room(d, where, who), text };
      if (retype) body[retype] = value;
      return { route: 'send', path: '/api/console/send', init: json(body) };
    });
  const action = fc
    .record({
      who: whoArb,
      where: whereArb,
      messageId: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 2_000_000 }) }, { weight: 1, arbitrary: anyField }),
      token: fc.oneof(oddText, fc.constant('ack.v1.T6-M2.sig')),
      values: fc.oneof(
        { weight: 3, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean()), { maxKeys: 4 }) },
        { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), anyField, { maxKeys: 4 }) },
        { weight: 1, arbitrary: anyField },
      ),
    })
    .map(({ who, where, messageId, token, values }): ConsoleRequest => {
      const d = directory();
      return { route: 'action', path: '/api/console/action', init: json({ as: person(d, who), room: room(d, where, who), messageId, token, values }) };
    });
  const rawBody = fc
    .tuple(fc.constantFrom('/api/console/send', '/api/console/action'), fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.constant('x'.repeat(70_000)), fc.constant(`{"as":${'['.repeat(5000)}`)))
    .map(([path, body]): ConsoleRequest => ({ route: path.endsWith('send') ? 'send' : 'action', path, init: { method: 'POST', headers: { 'content-type': 'application/json' }, body } }));
  const upload = fc
    .record({ who: whoArb, where: whereArb, name: oddText, text: oddText, type: fc.oneof(fc.constantFrom('application/pdf', 'image/png', '', 'text/plain; charset=gbk', '*/*'), fc.string({ maxLength: 20 })), size: fc.oneof(fc.nat({ max: 2_000 }), fc.constant(300 * 1024)) })
    .map(({ who, where, name, text, type, size }): ConsoleRequest => {
      const d = directory();
      const q = new URLSearchParams({ as: person(d, who), room: room(d, where, who), name, text });
      const headers: Record<string, string> = {};
      // A header value must be ByteString-clean for fetch; anything else is sent without a type.
      if (/^[\x20-\x7e]*$/.test(type)) headers['content-type'] = type;
      return { route: 'upload', path: `/api/console/upload?${q}`, init: { method: 'POST', headers, body: new Uint8Array(size).fill(7) } };
    });
  const messages = fc
    .record({ who: whoArb, where: whereArb, after: fc.oneof(fc.constantFrom('', '0', '-1', '1.5', '1e20', '-1e308', '9'.repeat(30), 'NaN', 'abc', '2147483648', '9007199254740993'), fc.string({ maxLength: 10 })), since: fc.oneof(fc.constantFrom('', 'x', '2026-01-01', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00Z', '1e20', '0'), fc.string({ maxLength: 10 })) })
    .map(({ who, where, after, since }): ConsoleRequest => {
      const d = directory();
      const q = new URLSearchParams({ as: person(d, who), room: room(d, where, who), after, since });
      return { route: 'messages', path: `/api/console/messages?${q}`, init: {} };
    });
  const rooms = whoArb.map((who): ConsoleRequest => ({ route: 'rooms', path: `/api/console/rooms?${new URLSearchParams({ as: person(directory(), who) })}`, init: {} }));
  return fc.oneof(send, action, rawBody, upload, messages, rooms);
}
