/**
 * The DNS fake (test/fakes/memory-dns.ts) inside its documented wrapper
 * HookedDns (test/fakes/hooked-dns.ts, contract-run with no hook set), with
 * every ChangeBatch comment recorded (Route 53's change history shows them).
 * `answer` is HookedDns's `before` hook seen from the changes alone: when it
 * returns an outcome, that outcome is answered instead of the fake's (a CREATE
 * refused in a race, a throttled call). Everything else is the fake's,
 * including its refusal, like Route 53's InvalidInput, of a change whose
 * Action is not CREATE, DELETE or UPSERT (memory-dns.ts `applyChange`).
 */
import type { ChangeOutcome, DnsCallOptions, DnsChange } from '../../../../src/ports/dns.js';
import { HookedDns } from '../../../fakes/hooked-dns.js';

export class Recording extends HookedDns {
  readonly comments: string[] = [];

  set answer(fn: ((changes: DnsChange[]) => ChangeOutcome | undefined) | null) {
    this.before = fn ? (_zoneId, changes) => fn(changes) : null;
  }

  override change(zoneId: string, changes: DnsChange[], comment?: string, options?: DnsCallOptions): Promise<ChangeOutcome> {
    this.comments.push(comment ?? '');
    return super.change(zoneId, changes, comment, options);
  }
}
