// Reading the live record set, and refusing the sets failover cannot shift
// (docs/failover.md: absence of something the plan names is exit 2 naming the
// plan field, with a fix): every refusal of resolveTarget and regionHealth
// with its exact message, field and suggestion; the record listing filtered
// to the plan's name and type (Route 53 lists onward from a name, other
// names and types included); the caller's abort signal reaching every read.
// Expected text written by hand. Found by mutation testing
// (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { readRecords, regionHealth, resolveTarget } from '../../../../src/core/failover/inspect.js';
import type { SloVerdict } from '../../../../src/core/failover/ports.js';
import { MemoryDns } from '../../../fakes/memory-dns.js';
import { rejection } from '../../../helpers/errors.js';
import { planText, RECORD, T0, world } from './world.js';

const region = (w: ReturnType<typeof world>, name: string) => {
  const r = w.plan.regions[name];
  if (!r) throw new Error(`no region ${name}`);
  return r;
};

describe('resolveTarget refusals', () => {
  it('no hosted zone: names dns.zone and how to list the zones', async () => {
    const w = world({ plan: planText().replace('zone: example.com.', 'zone: other.example.') });
    const e = await rejection(resolveTarget(w.plan, w.ports()), InputError);
    expect(e.message).toBe('api.yaml: dns.zone: no hosted zone "other.example."');
    expect(e.field).toBe('dns.zone');
    expect(e.suggestions).toEqual(['check the zone name (with the trailing dot) or its id: aws route53 list-hosted-zones']);
  });

  it('no record of that name and type: names dns.record', async () => {
    const w = world({ plan: planText().replace(`record: ${RECORD}`, `record: ${RECORD}, type: AAAA`) });
    const e = await rejection(resolveTarget(w.plan, w.ports()), InputError);
    expect(e.message).toBe(`api.yaml: dns.record: no AAAA record named ${RECORD} in zone example.com.`);
    expect(e.field).toBe('dns.record');
    expect(e.suggestions).toEqual(['check dns.record and dns.type against the zone’s records']);
  });

  it('a set with a record that carries no weight is not a weighted set', async () => {
    const w = world();
    w.memDns.addRecords(w.zoneId, { name: RECORD, type: 'A', setIdentifier: 'plain', ttl: 60, values: ['203.0.113.1'] });
    const e = await rejection(resolveTarget(w.plan, w.ports()), InputError);
    expect(e.message).toBe(`api.yaml: dns.record: ${RECORD} A is not a weighted record set (1 of 3 records carry no weight)`);
    expect(e.field).toBe('dns.record');
    expect(e.suggestions).toEqual(['failover shifts weights: make every record of the set a weighted record (SetIdentifier + Weight)']);
  });

  it('a simple record (no set identifier, no weight) is not a weighted set either', async () => {
    const dns = new MemoryDns();
    const zone = dns.addZone('example.com.');
    dns.addRecords(zone.id, { name: RECORD, type: 'A', ttl: 60, values: ['192.0.2.10'] });
    const w = world();
    const e = await rejection(resolveTarget(w.plan, { dns }), InputError);
    expect(e.message).toBe(`api.yaml: dns.record: ${RECORD} A is not a weighted record set (1 of 1 records carry no weight)`);
  });

  it('a region whose set identifier is missing: names the region field and lists the set identifiers there are', async () => {
    const w = world({ plan: planText().replace('setIdentifier: euw1', 'setIdentifier: euw2') });
    const e = await rejection(resolveTarget(w.plan, w.ports()), InputError);
    expect(e.message).toBe(`api.yaml: regions.eu-west-1.setIdentifier: ${RECORD} has no weighted record "euw2"`);
    expect(e.field).toBe('regions.eu-west-1.setIdentifier');
    expect(e.suggestions).toEqual(['use one of: euw1, use1']);
  });

  it('a good set resolves to its zone, records, weights and the region ↔ set identifier maps', async () => {
    const w = world({ weights: [70, 30] });
    const t = await resolveTarget(w.plan, w.ports());
    expect(t).toMatchObject({ zoneId: w.zoneId, zoneName: 'example.com.', weights: { use1: 70, euw1: 30 }, regionOf: { use1: 'us-east-1', euw1: 'eu-west-1' }, idOf: { 'us-east-1': 'use1', 'eu-west-1': 'euw1' } });
    expect(t.records).toHaveLength(2);
  });

  it('an aborted signal stops the reads', async () => {
    const w = world();
    w.controller.abort(new Error('stop'));
    expect((await rejection(resolveTarget(w.plan, w.ports()))).message).toBe('stop');
    expect(w.memDns.calls).not.toContain('findZone');
    expect((await rejection(readRecords(w.ports(), w.zoneId, RECORD, 'A'))).message).toBe('stop');
    expect((await rejection(regionHealth(w.plan, region(w, 'eu-west-1'), w.ports(), T0, { slos: false }))).message).toBe('stop');
  });
});

describe('a weight without a set identifier (from an adapter that lets one through)', () => {
  it('is not a weighted set', async () => {
    const w = world();
    const listed = [...w.memDns.records(w.zoneId), { name: RECORD, type: 'A', weight: 10, ttl: 60, values: ['203.0.113.1'] }];
    const dns = Object.assign(Object.create(w.memDns) as MemoryDns, { listRecords: async () => listed });
    const e = await rejection(resolveTarget(w.plan, { dns }), InputError);
    expect(e.message).toBe(`api.yaml: dns.record: ${RECORD} A is not a weighted record set (1 of 3 records carry no weight)`);
  });
});

describe('readRecords keeps only the plan’s name and type', () => {
  it('from a listing that runs on to other names and types (as Route 53 lists onward from a name)', async () => {
    const w = world();
    w.memDns.addRecords(
      w.zoneId,
      { name: RECORD, type: 'TXT', ttl: 60, values: ['"v=1"'] },
      { name: `www.${RECORD}`, type: 'A', setIdentifier: 'use1', weight: 5, ttl: 60, values: ['192.0.2.99'] },
    );
    const all = w.memDns.records(w.zoneId);
    const onward = { ...w.ports(), dns: Object.assign(Object.create(w.memDns) as MemoryDns, { listRecords: async () => all }) };
    const got = await readRecords(onward, w.zoneId, RECORD, 'A');
    expect(got.map((r) => `${r.name} ${r.type} ${r.setIdentifier}`).sort()).toEqual([`${RECORD} A euw1`, `${RECORD} A use1`]);
    expect((await readRecords(onward, w.zoneId, RECORD, 'TXT')).map((r) => r.values)).toEqual([['"v=1"']]);
  });
});

describe('regionHealth refusals and problems', () => {
  it('a health check that does not exist: names the region field', async () => {
    const w = world({ plan: planText().replace('healthCheck: hc-euw1', 'healthCheck: hc-gone') });
    const e = await rejection(regionHealth(w.plan, region(w, 'eu-west-1'), w.ports(), T0, { slos: false }), InputError);
    expect(e.message).toBe('api.yaml: regions.eu-west-1.healthCheck: no health check hc-gone');
    expect(e.field).toBe('regions.eu-west-1.healthCheck');
    expect(e.suggestions).toEqual(['check the id: aws route53 list-health-checks']);
  });

  it('an alarm that does not exist: names the alarm by index and how to list them in its region', async () => {
    const w = world({ plan: planText().replace('alarms: [api-euw1-5xx]', 'alarms: [api-euw1-5xx, ghost]') });
    const e = await rejection(regionHealth(w.plan, region(w, 'eu-west-1'), w.ports(), T0, { slos: false }), InputError);
    expect(e.message).toBe('api.yaml: regions.eu-west-1.alarms[1]: no alarm "ghost" in eu-west-1');
    expect(e.field).toBe('regions.eu-west-1.alarms[1]');
    expect(e.suggestions).toEqual(['check the name: aws cloudwatch describe-alarms --region eu-west-1']);
  });

  it('alarms in the plan and no alarms provider: names the field and what is missing', async () => {
    const w = world();
    const { alarms: _none, ...ports } = w.ports();
    const e = await rejection(regionHealth(w.plan, region(w, 'eu-west-1'), ports, T0, { slos: false }), InputError);
    expect(e.message).toBe('regions.eu-west-1.alarms: the plan needs CloudWatch alarms, and no provider is configured for it');
    expect(e.field).toBe('regions.eu-west-1.alarms');
  });

  it('an alarm not OK is a problem, with its reason when it has one', async () => {
    const w = world();
    w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'ALARM', '');
    expect((await regionHealth(w.plan, region(w, 'eu-west-1'), w.ports(), T0, { slos: false })).problems).toEqual(['alarm api-euw1-5xx is ALARM']);
    w.alarms.setAlarm('eu-west-1', 'api-euw1-5xx', 'INSUFFICIENT_DATA', 'no datapoints');
    expect((await regionHealth(w.plan, region(w, 'eu-west-1'), w.ports(), T0, { slos: false })).problems).toEqual(['alarm api-euw1-5xx is INSUFFICIENT_DATA (no datapoints)']);
  });

  it('no alarms in the plan: no alarms provider needed, none reported', async () => {
    const w = world({ plan: planText().replace('alarms: [api-euw1-5xx]', 'alarms: []') });
    const { alarms: _none, ...ports } = w.ports();
    const h = await regionHealth(w.plan, region(w, 'eu-west-1'), ports, T0, { slos: false });
    expect(h).toMatchObject({ region: 'eu-west-1', healthy: true, alarms: [], problems: [] });
  });

  it('SLOs are read only when asked, only for a region with SLOs, only with a guard', async () => {
    const w = world({ plan: planText().replace('alarms: [api-euw1-5xx]', 'alarms: [api-euw1-5xx]\n    slos: [a.yaml]') });
    const calls: string[] = [];
    const verdicts: SloVerdict[] = [{ id: 'web/avail', ok: false, reasons: ['fast burn', 'budget exhausted'] }];
    const ports = { ...w.ports(), sloGuard: async (r: string): Promise<SloVerdict[]> => (calls.push(r), verdicts) };
    expect((await regionHealth(w.plan, region(w, 'eu-west-1'), ports, T0, { slos: false })).slos).toEqual([]);
    expect((await regionHealth(w.plan, region(w, 'us-east-1'), ports, T0, { slos: true })).slos).toEqual([]);
    expect(calls).toEqual([]);
    const h = await regionHealth(w.plan, region(w, 'eu-west-1'), ports, T0, { slos: true });
    expect(calls).toEqual(['eu-west-1']);
    expect(h.problems).toEqual(['SLO web/avail: fast burn; budget exhausted']);
    expect(h.healthy).toBe(false);
    // no guard at all: no SLOs, healthy
    expect((await regionHealth(w.plan, region(w, 'eu-west-1'), w.ports(), T0, { slos: true })).healthy).toBe(true);
  });
});
