/** Helpers for the operations tests: WeCom settings, signed callbacks, and reading Prometheus text. */
import { signedCallback } from '../../fakes/fake-wecom.ts';

export const CORP = 'wx5823bf96d3bd56c7';
export const TOKEN = 'QDG6eK';
export const AES = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
export const AGENT = '1000002';

export function wecomEnv(apiBase: string, secret = 'app-secret'): Record<string, string> {
  return {
    WECOM_CORP_ID: CORP, WECOM_AGENT_ID: AGENT, WECOM_SECRET: secret, WECOM_TOKEN: TOKEN,
    WECOM_ENCODING_AES_KEY: AES, WECOM_API_BASE: apiBase, WECOM_TIMESTAMP_SKEW_S: '300',
  };
}

let nonce = 0;

/** A WeCom text callback from `from` with its own MsgId: path (with the signed query) and body. */
export function textCallback(from: string, content: string, msgId: string | number): { path: string; body: string } {
  const now = Math.floor(Date.now() / 1000);
  const inner = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>${AGENT}</AgentID></xml>`;
  const c = signedCallback(inner, { token: TOKEN, aesKey: AES, corpId: CORP, timestamp: String(now), nonce: `n${++nonce}`, agentId: AGENT });
  return { path: `/wecom/callback?${c.search}`, body: c.body };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (no escapes inside label values are needed here). */
export function parseMetrics(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** The value of the one sample with this name whose labels include `labels`; undefined if none. */
export function sample(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}
