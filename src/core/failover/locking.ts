/**
 * Taking, renewing and releasing the cross-machine lock (format: ./lock.ts).
 * - take: one CREATE; the server rejects it when the record exists. Then the
 *   holder is read back: the same operation (a resume after a crash) or, with
 *   `--break-lock`, a stale lock is replaced in one batch that DELETEs exactly
 *   the value read and CREATEs ours. A live lock held by another operation is
 *   exit 1 naming the holder.
 * - renew (before every step): read it back (still ours?), and once half its
 *   life is gone DELETE our exact value + CREATE a later expiry in one batch;
 *   a mismatch or a rejection means someone broke our lock: stop.
 * - confirm (after the pre-checks, before the first change): read it back.
 *   Route 53 rejects a second CREATE atomically, but a DNS service that
 *   checks and then writes (moto, and our adapter's own check on top of it)
 *   can let two takers both "win"; the record's final value names the one
 *   that did, and the other stops with nothing changed.
 * - release: DELETE our exact value. No abort signal: it runs during cleanup.
 */
import type { DnsPort, RecordSet } from '../../ports/dns.js';
import { CheckFailedError } from '../errors.js';
import { readLock } from './inspect.js';
import { describeLock, lockRecord, type LockInfo } from './lock.js';

export interface HeldLock {
  zoneId: string;
  record: string;
  info: LockInfo;
  rr: RecordSet;
}

export interface TakeLockOptions {
  zoneId: string;
  record: string;
  owner: string;
  operation: string;
  now: number;
  ttlMs: number;
  breakLock: boolean;
  signal?: AbortSignal;
  warn?: (line: string) => void;
}

export async function takeLock(dns: DnsPort, o: TakeLockOptions): Promise<HeldLock> {
  const info: LockInfo = { owner: o.owner, operation: o.operation, acquired: o.now, expires: o.now + o.ttlMs };
  const rr = lockRecord(o.record, info);
  const first = await dns.change(o.zoneId, [{ action: 'CREATE', record: rr }], `relia failover lock ${o.operation}`);
  if (first.status === 'applied') return { zoneId: o.zoneId, record: o.record, info, rr };
  const existing = await readLock({ dns, ...(o.signal ? { signal: o.signal } : {}) }, o.zoneId, o.record);
  if (!existing) {
    // Released between our CREATE and the read: try once more.
    const again = await dns.change(o.zoneId, [{ action: 'CREATE', record: rr }], `relia failover lock ${o.operation}`);
    if (again.status === 'applied') return { zoneId: o.zoneId, record: o.record, info, rr };
    throw new CheckFailedError(`cannot take the failover lock for ${o.record}: ${again.reason}`, { suggestions: ['retry in a moment; another operation is starting'] });
  }
  const held = existing.info;
  const same = held !== null && held.operation === o.operation;
  const stale = held === null || held.expires <= o.now;
  if (!same && !(stale && o.breakLock)) {
    const who = held ? describeLock(held, o.now) : 'held by an unreadable lock record';
    throw new CheckFailedError(`another failover holds the lock on ${o.record}: ${who}`, {
      suggestions: stale
        ? ['the lock is stale (its holder stopped without releasing it): re-run with --break-lock if that operation is really gone']
        : ['wait for that operation to finish (relia failover status on its machine)', 'a lock is broken only when stale, with --break-lock'],
    });
  }
  if (!same) o.warn?.(`breaking a stale lock: ${held ? describeLock(held, o.now) : 'unreadable lock record'}`);
  const swap = await dns.change(o.zoneId, [{ action: 'DELETE', record: existing.record }, { action: 'CREATE', record: rr }], `relia failover lock ${o.operation} (taking over)`);
  if (swap.status !== 'applied') throw new CheckFailedError(`cannot take over the failover lock on ${o.record}: ${swap.reason}`, { suggestions: ['another operation took it meanwhile: relia failover status'] });
  return { zoneId: o.zoneId, record: o.record, info, rr };
}

const ours = (held: { record: RecordSet } | null, lock: HeldLock): boolean => held !== null && JSON.stringify(held.record.values) === JSON.stringify(lock.rr.values);

/** Before the first change: the lock record must still carry our exact value; otherwise another taker won the race. */
export async function confirmLock(dns: DnsPort, lock: HeldLock, now: number): Promise<void> {
  const held = await readLock({ dns }, lock.zoneId, lock.record);
  if (ours(held, lock)) return;
  const who = held?.info ? describeLock(held.info, now) : 'the lock record is gone';
  throw new CheckFailedError(`another failover holds the lock on ${lock.record}: ${who}; it took the lock at the same moment as this run, and nothing was changed`, {
    suggestions: ['wait for that operation to finish (relia failover status on its machine), then run this again'],
  });
}

/**
 * Before a step: make sure the lock is still ours, and push its expiry
 * forward once half its life is gone (one DELETE+CREATE batch, rejected if
 * anyone changed it). Otherwise it is only read back and compared: renewing
 * within the same second would DELETE and CREATE an identical record.
 */
export async function renewLock(dns: DnsPort, lock: HeldLock, now: number, ttlMs: number): Promise<HeldLock> {
  if (lock.info.expires - now > ttlMs / 2) {
    const held = await readLock({ dns }, lock.zoneId, lock.record);
    if (ours(held, lock)) return lock;
    throw new CheckFailedError(`lost the failover lock on ${lock.record} (${held?.info ? describeLock(held.info, now) : 'it is gone'}); stopping before the next step`, { suggestions: ['someone broke the lock: relia failover status shows who holds it now'] });
  }
  const info: LockInfo = { ...lock.info, expires: now + ttlMs };
  const rr = lockRecord(lock.record, info);
  const out = await dns.change(lock.zoneId, [{ action: 'DELETE', record: lock.rr }, { action: 'CREATE', record: rr }], `relia failover lock ${info.operation} (renew)`);
  if (out.status !== 'applied') {
    throw new CheckFailedError(`lost the failover lock on ${lock.record} (${out.reason}); stopping before the next step`, { suggestions: ['someone broke the lock: relia failover status shows who holds it now'] });
  }
  return { ...lock, info, rr };
}

/** Delete our exact lock record; false when it was not there as we left it. */
export async function releaseLock(dns: DnsPort, lock: HeldLock): Promise<boolean> {
  const out = await dns.change(lock.zoneId, [{ action: 'DELETE', record: lock.rr }], `relia failover unlock ${lock.info.operation}`);
  return out.status === 'applied';
}
