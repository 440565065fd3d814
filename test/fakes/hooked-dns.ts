/**
 * A documented wrapper around the contract-checked DNS fake (memory-dns.ts)
 * for the failover engine's tests. With no hook set it answers exactly as the
 * fake does (the DNS contract runs it so, test/contract/dns.contract.test.ts);
 * it adds:
 *  - `before(zoneId, changes)`: test code before a change batch reaches the
 *    fake; returning an outcome answers instead of the fake (reject a revert,
 *    interrupt an operation between steps);
 *  - `after(zoneId, changes, outcome)`: test code after the fake applied it;
 *  - `weightBatches`: the applied batches that changed weights, in order.
 */
import type { ChangeOutcome, DnsCallOptions, DnsChange, DnsPort, HealthCheckStatus, HostedZone, RecordSet, RecordType } from '../../src/ports/dns.js';
import type { MemoryDns } from './memory-dns.js';

type ChangeHook = (zoneId: string, changes: DnsChange[], outcome: ChangeOutcome | null) => ChangeOutcome | void;

/** MemoryDns plus hooks around `change` (before: may answer instead of the fake; after: sees the outcome). */
export class HookedDns implements DnsPort {
  readonly kind = 'hooked-dns';
  before: ChangeHook | null = null;
  after: ChangeHook | null = null;
  /** Batches that changed weights of the record under test, in order. */
  readonly weightBatches: DnsChange[][] = [];

  constructor(readonly inner: MemoryDns) {}

  findZone(nameOrId: string, options?: DnsCallOptions): Promise<HostedZone | null> {
    return this.inner.findZone(nameOrId, options);
  }
  listRecords(zoneId: string, name: string, type?: RecordType, options?: DnsCallOptions): Promise<RecordSet[]> {
    return this.inner.listRecords(zoneId, name, type, options);
  }
  async change(zoneId: string, changes: DnsChange[], comment?: string, options?: DnsCallOptions): Promise<ChangeOutcome> {
    const early = this.before?.(zoneId, changes, null);
    if (early) return early;
    const out = await this.inner.change(zoneId, changes, comment, options);
    if (out.status === 'applied' && changes.some((c) => c.record.weight !== undefined)) this.weightBatches.push(changes);
    this.after?.(zoneId, changes, out);
    return out;
  }
  changeStatus(changeId: string, options?: DnsCallOptions): Promise<'PENDING' | 'INSYNC'> {
    return this.inner.changeStatus(changeId, options);
  }
  healthCheckStatus(id: string, options?: DnsCallOptions): Promise<HealthCheckStatus | null> {
    return this.inner.healthCheckStatus(id, options);
  }
  async close(): Promise<void> {}
}
