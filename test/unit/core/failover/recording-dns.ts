/**
 * The DNS fake (test/fakes/memory-dns.ts) with every ChangeBatch comment
 * recorded (Route 53's change history shows them) and, when `answer` returns
 * an outcome, that outcome instead of the fake's (a CREATE refused in a race).
 * Like Route 53 (InvalidInput), it refuses a change whose Action is not
 * CREATE, DELETE or UPSERT (the fake reads any other as a DELETE).
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
    const bad = changes.find((c) => !['CREATE', 'DELETE', 'UPSERT'].includes(c.action));
    if (bad) return { status: 'rejected', reason: `[Invalid Action ${JSON.stringify(bad.action)}: CREATE, DELETE or UPSERT]` };
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
