import { describe, expect, it } from 'vitest';
import { describeLock, freezeRecord, lockRecord, operationId, parseFreeze, parseLock } from '../../../../src/core/failover/lock.js';

const T = Date.parse('2026-12-03T07:10:00Z');

describe('lock and freeze records', () => {
  it('round-trips a lock through its TXT value', () => {
    const info = { owner: 'ci@runner-7:4242', operation: '20261203T071000-ab12', acquired: T, expires: T + 30 * 60_000 };
    const rr = lockRecord('api.example.com.', info);
    expect(rr).toMatchObject({ name: '_relia-lock.api.example.com.', type: 'TXT', ttl: 60 });
    expect(rr.values![0]).toBe('"relia-lock v1 owner=ci@runner-7:4242 op=20261203T071000-ab12 acquired=2026-12-03T07:10:00Z expires=2026-12-03T07:40:00Z"');
    expect(parseLock(rr)).toEqual(info);
    expect(describeLock(info, T)).toBe('held by ci@runner-7:4242 (operation 20261203T071000-ab12) since 2026-12-03T07:10:00Z, expires 2026-12-03T07:40:00Z');
    expect(describeLock(info, T + 31 * 60_000)).toMatch(/stale since 2026-12-03T07:40:00Z/);
  });

  it('does not take an unrelated TXT value for a lock', () => {
    expect(parseLock({ name: 'x.', type: 'TXT', values: ['"v=spf1 -all"'] })).toBeNull();
  });

  it('keeps spaces in a freeze reason and never writes a raw quote', () => {
    const rr = freezeRecord('api.example.com.', { by: 'alice@laptop', at: T, reason: 'game day "eu" prep' });
    expect(rr.values![0]!.split('"')).toHaveLength(3); // only the enclosing quotes
    expect(parseFreeze(rr)).toEqual({ by: 'alice@laptop', at: T, reason: "game day 'eu' prep" });
  });

  it('makes time-ordered operation ids', () => {
    expect(operationId(T, () => 0.5)).toBe('20261203T071000-8000');
    expect(operationId(T + 1000, () => 0) > operationId(T, () => 0.99)).toBe(true);
  });
});
