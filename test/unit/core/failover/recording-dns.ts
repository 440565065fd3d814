/**
 * The DNS fake (test/fakes/memory-dns.ts) with every ChangeBatch comment
 * recorded (Route 53's change history shows them) and, when `answer` returns
 * an outcome, that outcome instead of the fake's (a CREATE refused in a race).
 */
import type { ChangeOutcome, DnsCallOptions, DnsChange, DnsPort } from '../../../../src/ports/dns.js';
import type { MemoryDns } from '../../../fakes/memory-dns.js';

export class Recording implements DnsPort {
  readonly kind = 'recording-dns';
  readonly comments: string[] = [];
  answer: ((changes: DnsChange[]) => ChangeOutcome | undefined) | null = null;
  constructor(readonly inner: MemoryDns) {}
  findZone(nameOrId: string, options?: DnsCallOptions) {
    return this.inner.findZone(nameOrId, options);
  }
  listRecords(...args: Parameters<DnsPort['listRecords']>) {
    return this.inner.listRecords(...args);
  }
  async change(zoneId: string, changes: DnsChange[], comment?: string, options?: DnsCallOptions): Promise<ChangeOutcome> {
    this.comments.push(comment ?? '');
    return this.answer?.(changes) ?? this.inner.change(zoneId, changes, comment, options);
  }
  changeStatus(...args: Parameters<DnsPort['changeStatus']>) {
    return this.inner.changeStatus(...args);
  }
  healthCheckStatus(...args: Parameters<DnsPort['healthCheckStatus']>) {
    return this.inner.healthCheckStatus(...args);
  }
  async close(): Promise<void> {}
}
