// `relia failover freeze|unfreeze` (docs/failover.md "Freeze"), outcome by
// outcome: a fresh freeze writes one TXT record; freezing a frozen record
// writes nothing and keeps the first freeze, also when another freeze won a
// race; a refusal without a freeze is an error with its reason; unfreeze
// deletes exactly the record read. With the ChangeBatch comments. Found by
// mutation testing (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../../src/core/errors.js';
import { freeze, unfreeze } from '../../../../src/core/failover/freeze.js';
import { freezeRecord, parseFreeze, type FreezeInfo } from '../../../../src/core/failover/lock.js';
import { RECORD, T0, world } from './world.js';
import { Recording } from './recording-dns.js';
import { rejection } from '../../../helpers/errors.js';

const alice: FreezeInfo = { by: 'alice@laptop', at: T0, reason: 'premiere night' };
const bob: FreezeInfo = { by: 'bob@ci', at: T0 + 1000, reason: 'game day' };

function setup() {
  const w = world();
  const dns = new Recording(w.memDns);
  const ports = { ...w.ports(), dns };
  const marker = () => w.memDns.records(w.zoneId).find((r) => r.type === 'TXT');
  return { w, dns, ports, marker };
}


describe('freeze', () => {
  it('a fresh freeze: one CREATE of the marker, commented with who froze it', async () => {
    const s = setup();
    expect(await freeze(s.w.plan, s.ports, alice)).toEqual({ record: RECORD, frozen: true, changed: true, freeze: alice });
    expect(parseFreeze(s.marker()!)).toEqual(alice);
    expect(s.dns.comments).toEqual(['relia failover freeze by alice@laptop']);
  });

  it('already frozen: nothing is written, the first freeze is kept and reported', async () => {
    const s = setup();
    s.w.memDns.addRecords(s.w.zoneId, freezeRecord(RECORD, alice));
    expect(await freeze(s.w.plan, s.ports, bob)).toEqual({ record: RECORD, frozen: true, changed: false, freeze: alice });
    expect(s.dns.comments).toEqual([]);
  });

  it('another freeze landing between the read and the CREATE wins: reported, not an error', async () => {
    const s = setup();
    s.dns.answer = () => {
      s.w.memDns.addRecords(s.w.zoneId, freezeRecord(RECORD, bob));
      return { status: 'rejected', reason: '[Tried to create a resource record set that already exists]' };
    };
    expect(await freeze(s.w.plan, s.ports, alice)).toEqual({ record: RECORD, frozen: true, changed: false, freeze: bob });
  });

  it('a CREATE refused for another reason is an error naming it', async () => {
    const s = setup();
    s.dns.answer = () => ({ status: 'rejected', reason: '[Throttling]' });
    const e = await rejection(freeze(s.w.plan, s.ports, alice), CheckFailedError);
    expect(e.message).toBe('Route 53 rejected the freeze: [Throttling]');
    expect(e.suggestions).toEqual(['relia failover evaluate --plan FILE']);
    expect(s.marker()).toBeUndefined();
  });
});

describe('unfreeze', () => {
  it('deletes exactly the marker read, commented, and reports the freeze it lifted', async () => {
    const s = setup();
    s.w.memDns.addRecords(s.w.zoneId, freezeRecord(RECORD, alice));
    expect(await unfreeze(s.w.plan, s.ports)).toEqual({ record: RECORD, frozen: false, changed: true, freeze: alice });
    expect(s.marker()).toBeUndefined();
    expect(s.dns.comments).toEqual(['relia failover unfreeze']);
  });

  it('not frozen: nothing to do, nothing written', async () => {
    const s = setup();
    expect(await unfreeze(s.w.plan, s.ports)).toEqual({ record: RECORD, frozen: false, changed: false, freeze: null });
    expect(s.dns.comments).toEqual([]);
  });

  it('a DELETE refused (the freeze changed meanwhile) is an error with the reason', async () => {
    const s = setup();
    s.w.memDns.addRecords(s.w.zoneId, freezeRecord(RECORD, alice));
    s.dns.answer = () => ({ status: 'rejected', reason: '[Tried to delete a resource record set that does not exist]' });
    const e = await rejection(unfreeze(s.w.plan, s.ports), CheckFailedError);
    expect(e.message).toBe('Route 53 rejected the unfreeze (the freeze changed meanwhile?): [Tried to delete a resource record set that does not exist]');
    expect(e.suggestions).toEqual(['run it again']);
  });
});
