import { describe, expect, it } from 'vitest';
import { signAction, verifyAction } from '../../handlers/action-token.ts';

const secret = 'a-secret-of-enough-length';
const now = new Date('2026-06-22T02:00:00Z');

describe('signed button payloads', () => {
  it('round-trips action and ticket', () => {
    const token = signAction(secret, 'accept', 123, now);
    expect(verifyAction(secret, token, now)).toMatchObject({ action: 'accept', ticketId: 123 });
    expect(Buffer.byteLength(token)).toBeLessThan(64); // far under WeCom's 1024-byte key limit
  });

  it.each([
    ['another ticket', (t: string) => t.replace('.123.', '.124.')],
    ['another action', (t: string) => t.replace('accept.', 'approve.')],
    ['a changed signature', (t: string) => t.slice(0, -2) + (t.endsWith('AA') ? 'BB' : 'AA')],
    ['garbage', () => 'not-a-token'],
    ['an empty string', () => ''],
  ])('refuses a token moved to %s', (_l, forge) => {
    const token = forge(signAction(secret, 'accept', 123, now));
    expect(() => verifyAction(secret, token, now)).toThrow(expect.objectContaining({ code: 'ACTION_FORGED' }));
  });

  it('refuses a token signed with another secret', () => {
    expect(() => verifyAction(secret, signAction('other-secret-value-xx', 'accept', 1, now), now)).toThrow(expect.objectContaining({ code: 'ACTION_FORGED' }));
  });

  it('refuses a very old token', () => {
    const old = signAction(secret, 'accept', 1, new Date('2025-01-01T00:00:00Z'));
    expect(() => verifyAction(secret, old, now)).toThrow(expect.objectContaining({ code: 'ACTION_EXPIRED' }));
  });
});
