/**
 * Safe parsing of WeCom callback XML (outer envelope and decrypted inner message). WeCom's XML is
 * flat and CDATA-wrapped, so anything exotic is refused rather than interpreted: no DOCTYPE, no
 * entity declarations, no entity expansion beyond the five predefined ones, a size cap and a nesting cap.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Callback bodies are a few hundred bytes; 64 KB leaves room without inviting abuse. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

export type XmlFailure = 'TOO_LARGE' | 'DOCTYPE_FORBIDDEN' | 'NOT_XML' | 'NO_XML_ROOT';

export type XmlNode = { [name: string]: unknown };

export type XmlResult = { ok: true; root: XmlNode } | { ok: false; failure: XmlFailure; detail: string };

const CDATA = '__cdata';

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false, // MsgId exceeds 2^53: keep every value a string
  trimValues: false,
  cdataPropName: CDATA,
  maxNestedTags: 8,
  isArray: (name) => name === 'SelectedItem' || name === 'OptionId',
});

export function parseWecomXml(text: string): XmlResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_CALLBACK_BYTES) {
    return { ok: false, failure: 'TOO_LARGE', detail: `XML exceeds ${MAX_CALLBACK_BYTES} bytes` };
  }
  // Entity declarations live in a DOCTYPE; refusing it outright closes XXE and billion-laughs.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    return { ok: false, failure: 'DOCTYPE_FORBIDDEN', detail: 'XML contains a DOCTYPE or ENTITY declaration' };
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    return { ok: false, failure: 'NOT_XML', detail: `malformed XML: ${valid.err.msg} (line ${valid.err.line})` };
  }
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (e) {
    return { ok: false, failure: 'NOT_XML', detail: `malformed XML: ${(e as Error).message}` };
  }
  const root = (doc as XmlNode | undefined)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) {
    return { ok: false, failure: 'NO_XML_ROOT', detail: 'XML has no single <xml> root element' };
  }
  return { ok: true, root: root as XmlNode };
}

const predefined: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes only the predefined entities and character references in non-CDATA text. */
function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return predefined[ref] ?? whole;
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
  });
}

/** Text value of a leaf element, or undefined when absent, repeated or not a leaf. */
export function leaf(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.[name];
  if (typeof v === 'string') return decodeText(v);
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as XmlNode).filter(([k]) => k !== '#text' || String((v as XmlNode)[k]).trim() !== '');
    const c = (v as XmlNode)[CDATA];
    if (entries.length === 1 && typeof c === 'string') return c;
    if (entries.length === 1 && Array.isArray(c)) return c.join('');
  }
  return undefined;
}

/** Child elements that may repeat (configured in `isArray`). */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const v = node?.[name];
  if (Array.isArray(v)) return v.filter((x): x is XmlNode => !!x && typeof x === 'object');
  return v && typeof v === 'object' ? [v as XmlNode] : [];
}

/** Text values of repeatable leaves such as <OptionId>. */
export function leaves(node: XmlNode | undefined, name: string): string[] {
  const v = node?.[name];
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return items.map((item) => leaf({ item }, 'item')).filter((s): s is string => s !== undefined);
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const v = node?.[name];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as XmlNode) : undefined;
}
