import { describe, expect, it } from 'vitest';
import { Availability, isUnavailable } from '../../prisma/availability.ts';

function recorder() {
  const lines: string[] = [];
  return { lines, log: { error: (_o: object, m: string) => lines.push(`error ${m.split(':')[0]}`), info: (_o: object, m: string) => lines.push(`info ${m}`) } };
}
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('database availability as operators see it', () => {
  it('logs an outage once when it starts and once when it ends, however many calls fail', () => {
    let t = 0;
    const r = recorder();
    const a = new Availability('pg', r.log, () => t);
    for (let i = 0; i < 100; i++) expect(a.failed(refused)).toBe(true);
    t = 4_000;
    a.succeeded();
    a.succeeded();
    expect(r.lines).toEqual(['error database unreachable', 'info database reachable again']);
  });

  it('treats a stale connection failing right after recovery as the same outage, and a later one as new', () => {
    let t = 0;
    const r = recorder();
    const a = new Availability('pg', r.log, () => t);
    a.failed(refused);
    t = 4_000;
    a.succeeded();
    t = 5_000;
    expect(a.failed(refused)).toBe(true);
    expect(a.down).toBe(true);
    t = 5_100;
    a.succeeded();
    expect(r.lines).toHaveLength(2);
    t = 120_000;
    a.failed(refused);
    expect(r.lines.at(-1)).toBe('error database unreachable');
  });

  it('does not count a failing statement as an outage', () => {
    const r = recorder();
    const a = new Availability('pg', r.log);
    expect(a.failed(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(r.lines).toEqual([]);
  });
});
