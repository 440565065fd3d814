// Two promises of docs/failover.md that the engine tests reach only on their
// happy path: a step waits for Route 53 to report INSYNC, polling, and gives up
// after the INSYNC timeout (exit 3 with the `aws route53 get-change` to run);
// and the `aws route53` restore command printed when a revert fails (exit 5)
// sets exactly the weights wanted, keeping each record's TTL, values, alias
// target and health check. Found by mutation testing
// (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { DependencyError } from '../../../../src/core/errors.js';
import { restoreCommand, waitInsync } from '../../../../src/core/failover/steps.js';
import type { RecordSet } from '../../../../src/ports/dns.js';
import { MemoryDns } from '../../../fakes/memory-dns.js';
import { FakeClock } from '../../../fakes/virtual-clock.js';

async function pendingChange(pendingPolls: number) {
  const dns = new MemoryDns({ pendingPolls });
  const zoneId = dns.addZone('example.com.').id;
  const out = await dns.change(zoneId, [{ action: 'CREATE', record: { name: 'a.example.com.', type: 'A', ttl: 60, values: ['192.0.2.1'] } }]);
  if (out.status !== 'applied') throw new Error('seeding failed');
  return { dns, changeId: out.changeId, clock: new FakeClock(0) };
}

describe('waitInsync', () => {
  it('polls every insyncPollMs while the change is PENDING, and returns at INSYNC', async () => {
    const { dns, changeId, clock } = await pendingChange(2);
    await waitInsync({ ports: { dns, clock }, insyncPollMs: 1000, insyncTimeoutMs: 60_000 }, changeId, undefined);
    expect(clock.sleeps).toEqual([1000, 1000]);
    expect(clock.now()).toBe(2000);
  });

  it('gives up once the timeout is reached: exit 3 naming the change and how to look at it', async () => {
    const { dns, changeId, clock } = await pendingChange(1000);
    const e = await waitInsync({ ports: { dns, clock }, insyncPollMs: 1000, insyncTimeoutMs: 3000 }, changeId, undefined).then(
      () => null,
      (error: unknown) => error,
    );
    expect(e).toBeInstanceOf(DependencyError);
    expect((e as DependencyError).message).toContain(`change ${changeId} is not INSYNC after 3 s`);
    expect((e as DependencyError).suggestions).toEqual([`aws route53 get-change --id ${changeId}`]);
    // polls at 0, 1 s, 2 s and 3 s: the last one is at the deadline
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
  });

  it('defaults: a poll every 2 s, for 10 minutes', async () => {
    const { dns, changeId, clock } = await pendingChange(100_000);
    const e = await waitInsync({ ports: { dns, clock } }, changeId, undefined).then(
      () => null,
      (error: unknown) => error,
    );
    expect((e as DependencyError).message).toContain('is not INSYNC after 600 s');
    expect(clock.sleeps).toHaveLength(300);
    expect(new Set(clock.sleeps)).toEqual(new Set([2000]));
  });
});

describe('restoreCommand', () => {
  const records: RecordSet[] = [
    { name: 'api.example.com.', type: 'A', setIdentifier: 'use1', weight: 0, ttl: 60, values: ['192.0.2.10', '192.0.2.11'] },
    { name: 'api.example.com.', type: 'A', setIdentifier: 'euw1', weight: 1, aliasTarget: { hostedZoneId: 'Z2', dnsName: 'lb.eu.example.com.', evaluateTargetHealth: true }, healthCheckId: 'hc-euw1' },
  ];
  const batch = (command: string) => {
    expect(command.startsWith("aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch '")).toBe(true);
    return JSON.parse(command.slice(command.indexOf("'") + 1, -1)) as unknown;
  };

  it('UPSERTs the records whose weight differs, each with its TTL and values, or alias target and health check', () => {
    expect(batch(restoreCommand('Z1', records, { use1: 100, euw1: 0 }))).toEqual({
      Changes: [
        { Action: 'UPSERT', ResourceRecordSet: { Name: 'api.example.com.', Type: 'A', SetIdentifier: 'use1', Weight: 100, TTL: 60, ResourceRecords: [{ Value: '192.0.2.10' }, { Value: '192.0.2.11' }] } },
        { Action: 'UPSERT', ResourceRecordSet: { Name: 'api.example.com.', Type: 'A', SetIdentifier: 'euw1', Weight: 0, AliasTarget: { HostedZoneId: 'Z2', DNSName: 'lb.eu.example.com.', EvaluateTargetHealth: true }, HealthCheckId: 'hc-euw1' } },
      ],
    });
    // only what differs: use1 is already at 0
    expect(batch(restoreCommand('Z1', records, { use1: 0, euw1: 100 }))).toEqual({
      Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'api.example.com.', Type: 'A', SetIdentifier: 'euw1', Weight: 100, AliasTarget: { HostedZoneId: 'Z2', DNSName: 'lb.eu.example.com.', EvaluateTargetHealth: true }, HealthCheckId: 'hc-euw1' } }],
    });
  });

  it('all: every record, even one already at its weight (a manual undo written before the change)', () => {
    const b = batch(restoreCommand('Z1', records, { use1: 0, euw1: 1 }, { all: true })) as { Changes: Array<{ ResourceRecordSet: { SetIdentifier: string; Weight: number } }> };
    expect(b.Changes.map((c) => [c.ResourceRecordSet.SetIdentifier, c.ResourceRecordSet.Weight])).toEqual([
      ['use1', 0],
      ['euw1', 1],
    ]);
  });
});
