/**
 * The DnsPort contract. One suite, every implementation: the in-memory fake
 * and the Route 53 adapter on moto. Each test gets a fresh hosted zone.
 */
import { describe, expect, it } from 'vitest';
import type { DnsChange, DnsPort, HostedZone, RecordSet } from '../../../src/ports/dns.js';
import { expectDependencyError } from './dependency-error.js';

export interface DnsFixture {
  dns: DnsPort;
  /** Fresh for this test. */
  zone: HostedZone;
  /** Creates a health check; its id. */
  healthCheck(): Promise<string>;
}

const weighted = (zone: HostedZone, id: string, weight: number, value: string): RecordSet => ({
  name: `api.${zone.name}`,
  type: 'A',
  setIdentifier: id,
  weight,
  ttl: 60,
  values: [value],
});

async function insync(dns: DnsPort, changeId: string): Promise<void> {
  for (let i = 0; i < 50; i++) if ((await dns.changeStatus(changeId)) === 'INSYNC') return;
  throw new Error(`change ${changeId} never became INSYNC`);
}

export function dnsContract(name: string, make: () => Promise<DnsFixture>, options: { unreachable?: () => Promise<DnsPort> } = {}) {
  describe(`DnsPort contract: ${name}`, () => {
    it('finds a zone by name (with or without the dot) or id (with or without /hostedzone/); null when absent', async () => {
      const { dns, zone } = await make();
      expect(zone.name.endsWith('.')).toBe(true);
      expect(await dns.findZone(zone.name)).toEqual(zone);
      expect(await dns.findZone(zone.name.slice(0, -1))).toEqual(zone);
      expect(await dns.findZone(zone.id)).toEqual(zone);
      expect(await dns.findZone(`/hostedzone/${zone.id}`)).toEqual(zone);
      expect(await dns.findZone(`absent-${zone.name}`)).toBeNull();
      expect(await dns.findZone('Z0000NOSUCHZONE')).toBeNull();
      await dns.close();
    });

    it('creates weighted records in one batch; lists them fully qualified, every set identifier; the change gets INSYNC', async () => {
      const { dns, zone } = await make();
      const out = await dns.change(zone.id, [
        { action: 'CREATE', record: weighted(zone, 'use1', 100, '192.0.2.1') },
        { action: 'CREATE', record: weighted(zone, 'usw2', 0, '192.0.2.2') },
      ]);
      expect(out.status).toBe('applied');
      if (out.status === 'applied') await insync(dns, out.changeId);
      const records = await dns.listRecords(zone.id, `api.${zone.name.slice(0, -1)}`, 'A');
      expect(records.map((r) => [r.name, r.setIdentifier, r.weight, r.ttl, r.values]).sort()).toEqual([
        [`api.${zone.name}`, 'use1', 100, 60, ['192.0.2.1']],
        [`api.${zone.name}`, 'usw2', 0, 60, ['192.0.2.2']],
      ]);
      expect(await dns.listRecords(zone.id, `api.${zone.name}`, 'AAAA')).toEqual([]);
      expect(await dns.listRecords(zone.id, `nothing.${zone.name}`)).toEqual([]);
      await dns.close();
    });

    it('a CREATE of an existing record rejects the whole batch with the reason, and nothing changes', async () => {
      const { dns, zone } = await make();
      await dns.change(zone.id, [{ action: 'CREATE', record: weighted(zone, 'use1', 100, '192.0.2.1') }]);
      const out = await dns.change(zone.id, [
        { action: 'CREATE', record: weighted(zone, 'usw2', 50, '192.0.2.2') },
        { action: 'CREATE', record: weighted(zone, 'use1', 50, '192.0.2.9') },
      ]);
      expect(out.status).toBe('rejected');
      expect(out.status === 'rejected' && out.reason).toMatch(/already exists/);
      const records = await dns.listRecords(zone.id, `api.${zone.name}`);
      expect(records.map((r) => [r.setIdentifier, r.weight, r.values])).toEqual([['use1', 100, ['192.0.2.1']]]);
      await dns.close();
    });

    it('UPSERTs both weights at once', async () => {
      const { dns, zone } = await make();
      await dns.change(zone.id, [
        { action: 'CREATE', record: weighted(zone, 'use1', 100, '192.0.2.1') },
        { action: 'CREATE', record: weighted(zone, 'usw2', 0, '192.0.2.2') },
      ]);
      const out = await dns.change(zone.id, [
        { action: 'UPSERT', record: weighted(zone, 'use1', 50, '192.0.2.1') },
        { action: 'UPSERT', record: weighted(zone, 'usw2', 50, '192.0.2.2') },
      ], 'relia failover step 1');
      expect(out.status).toBe('applied');
      const weights = Object.fromEntries((await dns.listRecords(zone.id, `api.${zone.name}`, 'A')).map((r) => [r.setIdentifier, r.weight]));
      expect(weights).toEqual({ use1: 50, usw2: 50 });
      await dns.close();
    });

    it('a TXT lock: CREATE, a second CREATE is rejected, DELETE with the exact values frees it, a mismatched DELETE is rejected', async () => {
      const { dns, zone } = await make();
      const lock = (owner: string): DnsChange['record'] => ({ name: `_relia-lock.api.${zone.name}`, type: 'TXT', ttl: 60, values: [`"owner=${owner}"`, '"expires=2026-12-03T08:00:00Z"'] });
      expect((await dns.change(zone.id, [{ action: 'CREATE', record: lock('alice') }])).status).toBe('applied');
      const second = await dns.change(zone.id, [{ action: 'CREATE', record: lock('bob') }]);
      expect(second.status).toBe('rejected');
      const held = await dns.listRecords(zone.id, `_relia-lock.api.${zone.name}`, 'TXT');
      expect(held[0]?.values).toEqual(['"owner=alice"', '"expires=2026-12-03T08:00:00Z"']);
      expect((await dns.change(zone.id, [{ action: 'DELETE', record: lock('bob') }])).status).toBe('rejected');
      expect((await dns.change(zone.id, [{ action: 'DELETE', record: lock('alice') }])).status).toBe('applied');
      expect(await dns.listRecords(zone.id, `_relia-lock.api.${zone.name}`, 'TXT')).toEqual([]);
      expect((await dns.change(zone.id, [{ action: 'DELETE', record: lock('alice') }])).status).toBe('rejected');
      await dns.close();
    });

    it('an action other than CREATE, UPSERT or DELETE rejects the batch, and nothing changes (not read as a DELETE)', async () => {
      const { dns, zone } = await make();
      const record = weighted(zone, 'use1', 100, '192.0.2.1');
      await dns.change(zone.id, [{ action: 'CREATE', record }]);
      const out = await dns.change(zone.id, [{ action: 'REMOVE' as DnsChange['action'], record }]);
      expect(out.status).toBe('rejected');
      const records = await dns.listRecords(zone.id, `api.${zone.name}`);
      expect(records.map((r) => [r.setIdentifier, r.weight])).toEqual([['use1', 100]]);
      await dns.close();
    });

    it('a weight outside 0..255 is rejected', async () => {
      const { dns, zone } = await make();
      const out = await dns.change(zone.id, [{ action: 'CREATE', record: weighted(zone, 'use1', 256, '192.0.2.1') }]);
      expect(out.status).toBe('rejected');
      expect(await dns.listRecords(zone.id, `api.${zone.name}`)).toEqual([]);
      await dns.close();
    });

    it('health check status: null when absent; a known check reports its checkers', async () => {
      const { dns, healthCheck } = await make();
      const id = await healthCheck();
      const status = await dns.healthCheckStatus(id);
      expect(status).not.toBeNull();
      expect(status!.id).toBe(id);
      expect(typeof status!.healthy).toBe('boolean');
      expect(status!.checkers).toBeGreaterThan(0);
      expect(status!.healthyCheckers).toBeLessThanOrEqual(status!.checkers);
      expect(await dns.healthCheckStatus('00000000-0000-0000-0000-000000000000')).toBeNull();
      await dns.close();
    });

    it('an aborted signal rejects the call', async () => {
      const { dns, zone } = await make();
      const ac = new AbortController();
      ac.abort(new Error('stop now'));
      await expect(dns.listRecords(zone.id, zone.name, undefined, { signal: ac.signal })).rejects.toThrow();
      await dns.close();
    });

    if (options.unreachable) {
      it('an unreachable endpoint is a DependencyError (exit 3) naming the call', async () => {
        const dns = await options.unreachable!();
        await expectDependencyError(() => dns.findZone('example.com'), /route53/i);
        await dns.close();
      });
    }
  });
}
