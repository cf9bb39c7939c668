/**
 * Generators of WeCom callbacks for fuzzing: well-signed requests whose decrypted XML was mutated,
 * envelopes mutated around a valid ciphertext, signed ciphertexts that are truncated, badly padded
 * or not base64, hostile XML (deep, huge, entity-laden), other encodings, and arbitrary queries.
 * Everything random comes from fast-check, so a seed replays the same bytes.
 */
import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { computeSignature, encryptMessage } from '../../../bot/wecom/crypto.ts';
import { MAX_CALLBACK_BYTES } from '../../../bot/wecom/xml.ts';
import { config, fixture } from '../../bot/wecom/support.ts';
import { mutated } from './mutate.ts';

export const NOW = new Date('2026-01-01T08:00:00+08:00');
const TS = String(Math.floor(NOW.getTime() / 1000));

const FIXTURES = ['enter-agent.xml', 'file.xml', 'image.xml', 'subscribe-event.xml', 'template-card-button.xml', 'template-card-event.xml', 'text-command.xml', 'voice.xml', 'billion-laughs.xml'].map((n) => fixture(n));

export const XML_SNIPPETS = [
  '<', '>', '/>', '</xml>', '<xml>', '<![CDATA[', ']]>', ']]]]><![CDATA[>', '&amp;', '&lt;', '&#x110000;', '&#0;', '&#xD800;', '&#55296;', '&#99999999;', '&bogus;', '&',
  '<!DOCTYPE xml [<!ENTITY a "b">]>', '<!ENTITY x SYSTEM "file:///etc/passwd">', '<?xml version="1.0" encoding="GBK"?>', '<?xml-stylesheet href="x"?>', '<!-- c -->', '<!--',
  '<a b="c">', '<a b=c>', '<MsgType>text</MsgType>', '<MsgType>event</MsgType>', '<MsgType></MsgType>', '<Event>template_card_event</Event>', '<Event>enter_agent</Event>',
  '<CreateTime>9999999999999</CreateTime>', '<CreateTime>-1</CreateTime>', '<MsgId>1</MsgId><MsgId>2</MsgId>', '<FromUserName/>', '<ToUserName>wwother</ToUserName>',
  '<SelectedItems><SelectedItem><QuestionKey>q</QuestionKey><OptionIds><OptionId>1</OptionId></OptionIds></SelectedItem></SelectedItems>', '<OptionId/>',
  '<__proto__><x>1</x></__proto__>', '<constructor>1</constructor>', '<toString>1</toString>', '<__cdata>z</__cdata>', '<x:y xmlns:x="u">1</x:y>',
  '\u0000', '\ufffe', '\ud800', '\ufeff', '\r\n', '\t', '😀', '湖南',
];

export const sign = (encrypted: string, timestamp = TS, nonce = '1372623149') => ({
  msg_signature: computeSignature(config.token, timestamp, nonce, encrypted),
  timestamp,
  nonce,
});

export const envelope = (encrypted: string, to = config.corpId) =>
  `<xml><ToUserName><![CDATA[${to}]]></ToUserName><AgentID><![CDATA[218]]></AgentID><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;

const prefixArb = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b));

/** AES-256-CBC over an already padded plaintext (to craft bad padding, lengths and receive ids). */
function rawEncrypt(plain: Buffer): string {
  const key = Buffer.from(`${config.encodingAesKey}=`, 'base64');
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

/** A valid ciphertext of the text fixture, for envelopes and ciphertexts to be damaged. */
export const GOOD_ENCRYPT = encryptMessage(config.encodingAesKey, FIXTURES[6]!, config.corpId, Buffer.alloc(16, 1));

export interface SignedPost {
  query: Record<string, string | string[]>;
  body: string | Uint8Array;
}

/** Correctly encrypted and signed, with mutated decrypted XML. */
export const mutatedInnerArb: fc.Arbitrary<SignedPost> = fc
  .tuple(mutated(fc.constantFrom(...FIXTURES), XML_SNIPPETS), prefixArb)
  .map(([xml, prefix]) => {
    const encrypted = encryptMessage(config.encodingAesKey, xml, config.corpId, prefix);
    return { query: sign(encrypted), body: envelope(encrypted) };
  });

/** A valid, signed ciphertext inside a damaged envelope. */
export const mutatedEnvelopeArb: fc.Arbitrary<SignedPost> = mutated(fc.constant(envelope(GOOD_ENCRYPT)), XML_SNIPPETS, 4).map((body) => ({ query: sign(GOOD_ENCRYPT), body }));

/** Signed ciphertexts that are wrong: truncated, a byte changed, not base64, bad padding, bad length field, other receive id. */
export const badCiphertextArb: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: GOOD_ENCRYPT.length }).map((n) => GOOD_ENCRYPT.slice(0, n)),
  fc.tuple(fc.nat({ max: GOOD_ENCRYPT.length - 1 }), fc.constantFrom('A', '+', '/', '=', ' ', '-', '_', '\n', '%', '*')).map(([i, c]) => GOOD_ENCRYPT.slice(0, i) + c + GOOD_ENCRYPT.slice(i + 1)),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url')),
  fc.string({ maxLength: 120 }),
  fc
    .record({
      prefix: prefixArb,
      msg: fc.oneof(fc.constantFrom(...FIXTURES), fc.string({ maxLength: 60 })),
      id: fc.oneof(fc.constant(config.corpId), fc.constantFrom('', 'wwother', `${config.corpId}x`, config.corpId.slice(1))),
      lenDelta: fc.oneof(fc.constant(0), fc.integer({ min: -20, max: 20 }), fc.constant(0x7fffffff)),
      pad: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 255 })),
      corrupt: fc.boolean(),
    })
    .map(({ prefix, msg, id, lenDelta, pad, corrupt }) => {
      const m = Buffer.from(msg);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(Math.max(0, Math.min(0xffffffff, m.length + lenDelta)));
      const body = Buffer.concat([prefix, len, m, Buffer.from(id)]);
      const padLen = 32 - (body.length % 32);
      const padding = Buffer.alloc(padLen, pad < 0 ? padLen : pad);
      if (corrupt) padding[0] = (padding[0]! + 1) & 0xff;
      return rawEncrypt(Buffer.concat([body, padding]));
    }),
);

/** Big documents near the size cap: deep nesting, entity floods, thousands of siblings. */
export const hostileXmlArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('<a>', '&lt;', '&#x1F600;', '&foo;', '<OptionId>1</OptionId>', '<![CDATA[x]]>', '<!---->', '<?x y?>', '<', '&', '"', '\u0000', '😀', '<xml></xml>', '<a b="1"/>'),
    fc.integer({ min: 1, max: MAX_CALLBACK_BYTES / 2 }),
    fc.boolean(),
  )
  .map(([unit, n, wrap]) => {
    const inner = unit.repeat(Math.max(1, Math.floor(n / Buffer.byteLength(unit))));
    return wrap ? `<xml>${inner}</xml>` : inner;
  });

/** Query values as a sloppy or hostile client might send them. */
export const queryValueArb = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.array(fc.string({ maxLength: 10 }), { minLength: 2, maxLength: 3 }),
  fc.constant(''),
  fc.constant(TS),
  fc.constantFrom('1e3', '-1', '0x10', ' 1767225600', '9'.repeat(40), 'NaN', '%00', '😀'),
);

/** Bytes of a body in another encoding than UTF-8. */
export function encodeBody(text: string, encoding: 'utf8' | 'utf8-bom' | 'utf16le' | 'latin1' | 'gbk-prefix' | 'truncated-utf8'): string | Uint8Array {
  switch (encoding) {
    case 'utf8-bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'utf16le': return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'latin1': return Buffer.from(`${text}é`, 'latin1');
    case 'gbk-prefix': return Buffer.concat([Buffer.from('bafec4cf', 'hex'), Buffer.from(text)]);
    case 'truncated-utf8': return Buffer.concat([Buffer.from(text), Buffer.from('湖').subarray(0, 2)]);
    default: return text;
  }
}

/** Mostly UTF-8 (so that most requests reach the XML and crypto), sometimes another encoding. */
export const encodingArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('utf8' as const) },
  { weight: 1, arbitrary: fc.constantFrom('utf8-bom', 'utf16le', 'latin1', 'gbk-prefix', 'truncated-utf8' as const) },
);

export const arbitraryQueryArb = fc
  .record({ msg_signature: queryValueArb, timestamp: queryValueArb, nonce: queryValueArb, echostr: queryValueArb }, { requiredKeys: [] })
  .map((q) => q as SignedPost['query']);

export const arbitraryBodyArb: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }),
  mutated(fc.constant(envelope('x')), XML_SNIPPETS),
);
