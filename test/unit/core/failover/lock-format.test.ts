// The lock and freeze TXT values (docs/failover.md "Locking"), as Route 53
// may hand them back: split into several quoted strings, with extra spaces,
// with a quote inside, without values; what is not a lock; a field missing;
// a reason too long for one TXT string; operation ids padded to 4 hex digits.
// Found by mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { freezeRecord, lockRecord, operationId, parseFreeze, parseLock } from '../../../../src/core/failover/lock.js';
import type { RecordSet } from '../../../../src/ports/dns.js';

const T0 = Date.parse('2026-12-03T07:10:00Z');
const txt = (...values: string[]): RecordSet => ({ name: '_relia-lock.api.example.com.', type: 'TXT', ttl: 60, values });
const LOCK = 'relia-lock v1 owner=ci@runner-7:4242 op=20261203T0710-ab12 acquired=2026-12-03T07:10:00Z expires=2026-12-03T07:40:00Z';
const info = { owner: 'ci@runner-7:4242', operation: '20261203T0710-ab12', acquired: T0, expires: T0 + 30 * 60_000 };

describe('parseLock', () => {
  it('reads a value split into several quoted strings, joined without the separators', () => {
    expect(parseLock(txt('"relia-lock v1 owner=ci@runner-7:4242 op=20261203T0710-ab12 acq"  "uired=2026-12-03T07:10:00Z expires=2026-12-03T07:40:00Z"'))).toEqual(info);
    expect(parseLock(txt('"relia-lock v1 owner=ci@runner-7:4242 op=20261203T0710-ab12"', '" acquired=2026-12-03T07:10:00Z expires=2026-12-03T07:40:00Z"'))).toEqual(info);
  });
  it('extra spaces between fields are not part of the values', () => {
    expect(parseLock(txt(`"${LOCK.replace(' op=', '   op=').replace(' expires=', '  expires=')}"`))).toEqual(info);
  });
  it('only the enclosing quotes are dropped', () => {
    expect(parseLock(txt(`"${LOCK.replace('owner=ci@runner-7:4242', 'owner=ci"x')}"`))?.owner).toBe('ci"x');
  });
  it('text that is not a relia lock, or a lock missing a field, is no lock', () => {
    expect(parseLock(txt(`"${LOCK.replace('relia-lock v1', 'other-lock v1')}"`))).toBeNull();
    for (const field of ['owner=ci@runner-7:4242 ', 'op=20261203T0710-ab12 ', 'acquired=2026-12-03T07:10:00Z ']) {
      expect(parseLock(txt(`"${LOCK.replace(field, '')}"`))).toBeNull();
    }
    expect(parseLock(txt(`"${LOCK.replace('expires=2026-12-03T07:40:00Z', 'expires=soon')}"`))).toBeNull();
    expect(parseLock(txt(`"${LOCK}"`))).toEqual(info);
  });
});

describe('parseFreeze', () => {
  it('a freeze value split into two quoted strings', () => {
    const split = { name: '_relia-freeze.api.example.com.', type: 'TXT' as const, values: ['"relia-freeze v1 by=alice at=2026-12-03T07:10:00Z"', '" reason=game day"'] };
    expect(parseFreeze(split)).toEqual({ by: 'alice', at: T0, reason: 'game day' });
  });
  it('a record without values: unknown author, at 0, empty reason', () => {
    expect(parseFreeze({ name: '_relia-freeze.api.example.com.', type: 'TXT' })).toEqual({ by: 'unknown', at: 0, reason: '' });
  });
  it('a reason longer than a TXT string allows is cut to fit (250 characters of text)', () => {
    const r = freezeRecord('api.example.com.', { by: 'alice', at: T0, reason: 'x'.repeat(400) });
    const value = r.values![0]!;
    expect(value.length).toBe(252); // 250 + the two quotes
    expect(parseFreeze(r).reason).toBe('x'.repeat(250 - 'relia-freeze v1 by=alice at=2026-12-03T07:10:00Z reason='.length));
  });
  it('round-trips a lock record', () => {
    expect(parseLock(lockRecord('api.example.com.', info))).toEqual(info);
  });
});

describe('operationId', () => {
  it('the time stamp, then 4 hex digits, zero-padded', () => {
    expect(operationId(T0, () => 0)).toBe('20261203T071000-0000');
    expect(operationId(T0, () => 0.999_99)).toBe('20261203T071000-ffff');
  });
});
