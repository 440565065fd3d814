// The cross-machine lock (docs/failover.md "Locking"), call by call against the
// contract-checked Route 53 fake: taking it fresh, on resume, over a stale or
// unreadable record (with --break-lock only), when it was released meanwhile,
// when a take-over loses the race; renewing it (read back before half its
// life, pushed forward after); confirming and releasing it. Each refusal is
// checked word for word with its "try this", and each ChangeBatch comment,
// which is what Route 53's change history shows. Found by mutation testing
// (docs/testing.md#mutation-testing).
import { describe, expect, it } from 'vitest';
import { CheckFailedError } from '../../../../src/core/errors.js';
import { lockRecord, parseLock, type LockInfo } from '../../../../src/core/failover/lock.js';
import { confirmLock, releaseLock, renewLock, takeLock, type HeldLock, type TakeLockOptions } from '../../../../src/core/failover/locking.js';
import type { RecordSet } from '../../../../src/ports/dns.js';
import { MemoryDns } from '../../../fakes/memory-dns.js';
import { Recording } from './recording-dns.js';
import { rejection } from '../../../helpers/errors.js';

const T0 = Date.parse('2026-12-03T07:00:00Z');
const RECORD = 'api.example.com.';
const TTL = 30 * 60_000;

function setup(held?: LockInfo | RecordSet) {
  const mem = new MemoryDns();
  const zoneId = mem.addZone('example.com.').id;
  if (held) mem.addRecords(zoneId, 'owner' in held ? lockRecord(RECORD, held) : held);
  const dns = new Recording(mem);
  const lockValue = () => mem.records(zoneId).find((r) => r.type === 'TXT');
  const warnings: string[] = [];
  const opts = (over: Partial<TakeLockOptions> = {}): TakeLockOptions => ({ zoneId, record: RECORD, owner: 'ci@runner:1', operation: 'op-1', now: T0, ttlMs: TTL, breakLock: false, warn: (l) => void warnings.push(l), ...over });
  return { mem, zoneId, dns, lockValue, warnings, opts };
}

const other: LockInfo = { owner: 'bob@laptop:7', operation: 'op-other', acquired: T0 - 60_000, expires: T0 + 60_000 };
const mine = (expires = T0 + TTL): LockInfo => ({ owner: 'ci@runner:1', operation: 'op-1', acquired: T0, expires });


describe('takeLock', () => {
  it('a free lock: one CREATE of our record, commented with the operation', async () => {
    const s = setup();
    const lock = await takeLock(s.dns, s.opts());
    expect(lock).toEqual({ zoneId: s.zoneId, record: RECORD, info: mine(), rr: lockRecord(RECORD, mine()) });
    expect(parseLock(s.lockValue()!)).toEqual(mine());
    expect(s.dns.comments).toEqual(['relia failover lock op-1']);
    expect(s.warnings).toEqual([]);
  });

  it('our own operation holds it (a resume after a crash): taken over in one batch, without a warning', async () => {
    const s = setup({ ...mine(T0 - 1000), acquired: T0 - 5000 });
    const lock = await takeLock(s.dns, s.opts());
    expect(lock.info).toEqual(mine());
    expect(parseLock(s.lockValue()!)).toEqual(mine());
    expect(s.dns.comments).toEqual(['relia failover lock op-1', 'relia failover lock op-1 (taking over)']);
    expect(s.warnings).toEqual([]);
  });

  it('a live lock of another operation is refused, naming it, with what to do', async () => {
    const s = setup(other);
    const e = await rejection(takeLock(s.dns, s.opts({ breakLock: true })), CheckFailedError);
    expect(e.message).toBe(`another failover holds the lock on ${RECORD}: held by bob@laptop:7 (operation op-other) since 2026-12-03T06:59:00Z, expires 2026-12-03T07:01:00Z`);
    expect(e.suggestions).toEqual(['wait for that operation to finish (relia failover status on its machine)', 'a lock is broken only when stale, with --break-lock']);
    expect(parseLock(s.lockValue()!)).toEqual(other);
  });

  it('a lock expiring this very instant is stale: refused without --break-lock, broken with it (and a warning)', async () => {
    const stale = { ...other, expires: T0 };
    const s = setup(stale);
    const e = await rejection(takeLock(s.dns, s.opts()), CheckFailedError);
    expect(e.message).toContain('stale since 2026-12-03T07:00:00Z');
    expect(e.suggestions).toEqual(['the lock is stale (its holder stopped without releasing it): re-run with --break-lock if that operation is really gone']);
    const lock = await takeLock(s.dns, s.opts({ breakLock: true }));
    expect(lock.info).toEqual(mine());
    expect(parseLock(s.lockValue()!)).toEqual(mine());
    expect(s.warnings).toEqual(['breaking a stale lock: held by bob@laptop:7 (operation op-other) since 2026-12-03T06:59:00Z, stale since 2026-12-03T07:00:00Z']);
    expect(s.dns.comments.at(-1)).toBe('relia failover lock op-1 (taking over)');
  });

  it('breaking a stale lock needs no warn callback', async () => {
    const s = setup({ ...other, expires: T0 - 1 });
    const { warn: _unused, ...quiet } = s.opts({ breakLock: true });
    expect((await takeLock(s.dns, quiet)).info).toEqual(mine());
    expect(parseLock(s.lockValue()!)).toEqual(mine());
  });

  it('an unreadable lock record counts as stale', async () => {
    const garbage: RecordSet = { name: `_relia-lock.${RECORD}`, type: 'TXT', ttl: 60, values: ['"relia-lock v1 garbage"'] };
    const s = setup(garbage);
    const e = await rejection(takeLock(s.dns, s.opts()), CheckFailedError);
    expect(e.message).toBe(`another failover holds the lock on ${RECORD}: held by an unreadable lock record`);
    expect(e.suggestions[0]).toMatch(/^the lock is stale/);
    await takeLock(s.dns, s.opts({ breakLock: true }));
    expect(s.warnings).toEqual(['breaking a stale lock: unreadable lock record']);
    expect(parseLock(s.lockValue()!)).toEqual(mine());
  });

  it('released between our CREATE and the read: one more CREATE; refused again, it names the reason', async () => {
    const s = setup();
    let calls = 0;
    s.dns.answer = () => (++calls === 1 ? { status: 'rejected', reason: '[Tried to create a resource record set that already exists]' } : undefined);
    const lock = await takeLock(s.dns, s.opts());
    expect(lock.info).toEqual(mine());
    expect(parseLock(s.lockValue()!)).toEqual(mine());
    expect(s.dns.comments).toEqual(['relia failover lock op-1', 'relia failover lock op-1']);

    const t = setup();
    t.dns.answer = () => ({ status: 'rejected', reason: '[Throttling]' });
    const e = await rejection(takeLock(t.dns, t.opts()), CheckFailedError);
    expect(e.message).toBe(`cannot take the failover lock for ${RECORD}: [Throttling]`);
    expect(e.suggestions).toEqual(['retry in a moment; another operation is starting']);
  });

  it('a take-over that loses the race is refused, naming the reason', async () => {
    const s = setup({ ...other, expires: T0 - 1 });
    s.dns.answer = (changes) => (changes.length === 2 ? { status: 'rejected', reason: '[Tried to delete a resource record set that does not exist]' } : undefined);
    const e = await rejection(takeLock(s.dns, s.opts({ breakLock: true })), CheckFailedError);
    expect(e.message).toBe(`cannot take over the failover lock on ${RECORD}: [Tried to delete a resource record set that does not exist]`);
    expect(e.suggestions).toEqual(['another operation took it meanwhile: relia failover status']);
  });

  it('the read-back after a refused CREATE is cancelled by the signal', async () => {
    const s = setup(other);
    const stop = new AbortController();
    stop.abort(new Error('stopped by SIGINT'));
    await expect(takeLock(s.dns, s.opts({ signal: stop.signal }))).rejects.toThrow('stopped by SIGINT');
  });
});

describe('renewLock, confirmLock, releaseLock', () => {
  const held = (s: ReturnType<typeof setup>, info = mine()): HeldLock => ({ zoneId: s.zoneId, record: RECORD, info, rr: lockRecord(RECORD, info) });

  it('with more than half its life left it is only read back: still ours, nothing written', async () => {
    const s = setup(mine());
    const lock = held(s);
    expect(await renewLock(s.dns, lock, T0 + TTL / 2 - 1, TTL)).toBe(lock);
    expect(s.dns.comments).toEqual([]);
  });

  it('read back and found changed or gone: stop before the next step, saying so', async () => {
    const s = setup(other);
    const e = await rejection(renewLock(s.dns, held(s), T0, TTL), CheckFailedError);
    expect(e.message).toBe(`lost the failover lock on ${RECORD} (held by bob@laptop:7 (operation op-other) since 2026-12-03T06:59:00Z, expires 2026-12-03T07:01:00Z); stopping before the next step`);
    expect(e.suggestions).toEqual(['someone broke the lock: relia failover status shows who holds it now']);
    const gone = setup();
    expect((await rejection(renewLock(gone.dns, held(gone), T0, TTL), CheckFailedError)).message).toBe(`lost the failover lock on ${RECORD} (it is gone); stopping before the next step`);
  });

  it('with exactly half its life left it is pushed forward to now + TTL in one batch', async () => {
    const s = setup(mine());
    const now = T0 + TTL / 2;
    const renewed = await renewLock(s.dns, held(s), now, TTL);
    expect(renewed.info).toEqual({ ...mine(), expires: now + TTL });
    expect(parseLock(s.lockValue()!)).toEqual({ ...mine(), expires: now + TTL });
    expect(s.dns.comments).toEqual(['relia failover lock op-1 (renew)']);
  });

  it('a renewal Route 53 rejects (someone replaced it) stops, with the reason', async () => {
    const s = setup(other);
    const e = await rejection(renewLock(s.dns, held(s), T0 + TTL, TTL), CheckFailedError);
    expect(e.message).toMatch(new RegExp(`^lost the failover lock on ${RECORD.replace(/\./g, '\\.')} \\(\\[.+\\]\\); stopping before the next step$`));
    expect(e.suggestions).toEqual(['someone broke the lock: relia failover status shows who holds it now']);
    expect(parseLock(s.lockValue()!)).toEqual(other);
  });

  it('confirm: ours passes; another holder or no record at all stops the run', async () => {
    const ok = setup(mine());
    await expect(confirmLock(ok.dns, held(ok), T0)).resolves.toBeUndefined();
    const lost = setup(other);
    const e = await rejection(confirmLock(lost.dns, held(lost), T0), CheckFailedError);
    expect(e.message).toBe(`another failover holds the lock on ${RECORD}: held by bob@laptop:7 (operation op-other) since 2026-12-03T06:59:00Z, expires 2026-12-03T07:01:00Z; it took the lock at the same moment as this run, and nothing was changed`);
    expect(e.suggestions).toEqual(['wait for that operation to finish (relia failover status on its machine), then run this again']);
    const gone = setup();
    expect((await rejection(confirmLock(gone.dns, held(gone), T0), CheckFailedError)).message).toContain(': the lock record is gone; it took the lock');
  });

  it('release deletes exactly our record (true); a record that is not ours stays (false)', async () => {
    const s = setup(mine());
    expect(await releaseLock(s.dns, held(s))).toBe(true);
    expect(s.lockValue()).toBeUndefined();
    expect(s.dns.comments).toEqual(['relia failover unlock op-1']);
    const t = setup(other);
    expect(await releaseLock(t.dns, held(t))).toBe(false);
    expect(parseLock(t.lockValue()!)).toEqual(other);
  });
});
