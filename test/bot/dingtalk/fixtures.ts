/** Recorded DingTalk payloads (test/fixtures/dingtalk) and builders for variations. */
import { readFileSync } from 'node:fs';

export function fixture<T = Record<string, any>>(name: string, patch: Record<string, unknown> = {}): T {
  const raw = JSON.parse(readFileSync(new URL(`../../fixtures/dingtalk/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return { ...raw, ...patch } as T;
}

/** A card callback whose content carries these params/actionIds. */
export function cardCallback(params: Record<string, unknown>, actionIds: string[] = [], patch: Record<string, unknown> = {}) {
  return fixture('card-callback', { content: JSON.stringify({ cardPrivateData: { actionIds, params } }), ...patch });
}
