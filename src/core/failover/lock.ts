/**
 * The cross-machine lock and the freeze, as TXT records in the record's own
 * hosted zone. Route 53 is the coordination service: a lock is taken with a
 * ChangeBatch CREATE, which the server rejects when the record exists, so two
 * CI runners cannot hold it at once; it is renewed with one batch that
 * DELETEs the exact old value and CREATEs the new one (rejected if anyone
 * changed it). Pure: record names, values and their parsing.
 *
 *   _relia-lock.api.example.com.   TXT "relia-lock v1 owner=ci@runner-7:4242 op=20261203T0710-ab12 acquired=2026-12-03T07:10:00Z expires=2026-12-03T07:40:00Z"
 *   _relia-freeze.api.example.com. TXT "relia-freeze v1 by=alice@laptop at=2026-12-03T07:10:00Z reason=game day in eu-west-1"
 */
import type { RecordSet } from '../../ports/dns.js';

export const LOCK_PREFIX = '_relia-lock.';
export const FREEZE_PREFIX = '_relia-freeze.';
export const MARKER_TTL = 60;

export interface LockInfo {
  owner: string;
  operation: string;
  /** Epoch ms. */
  acquired: number;
  expires: number;
}

export interface FreezeInfo {
  by: string;
  at: number;
  reason: string;
}

export const lockName = (record: string): string => `${LOCK_PREFIX}${record}`;
export const freezeName = (record: string): string => `${FREEZE_PREFIX}${record}`;

// Stryker disable next-line Regex: equivalent, toISOString has one '.sssZ', at its end
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** TXT values travel quoted; a value may not hold a raw quote or backslash. */
function quote(text: string): string {
  return `"${text.replace(/["\\]/g, "'").slice(0, 250)}"`;
}

function unquote(value: string): string {
  return value
    .split(/"\s+"/)
    .join('')
    .replace(/^"|"$/g, '');
}

function fields(text: string, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  // Values run to the next ` key=` (the freeze reason may hold spaces).
  const re = new RegExp(`(?:^|\\s)(${keys.join('|')})=`, 'g');
  const hits = [...text.matchAll(re)];
  hits.forEach((m, i) => {
    const start = (m.index ?? 0) + m[0].length;
    const end = hits[i + 1]?.index ?? text.length;
    out[m[1] as string] = text.slice(start, end).trim();
  });
  return out;
}

export function lockRecord(record: string, lock: LockInfo): RecordSet {
  const text = `relia-lock v1 owner=${lock.owner} op=${lock.operation} acquired=${iso(lock.acquired)} expires=${iso(lock.expires)}`;
  return { name: lockName(record), type: 'TXT', ttl: MARKER_TTL, values: [quote(text)] };
}

export function parseLock(r: RecordSet): LockInfo | null {
  // Stryker disable next-line ArrayDeclaration: equivalent, a record without values is no lock, and neither is one whose text is 'Stryker was here'
  const text = unquote((r.values ?? []).join(' '));
  if (!text.startsWith('relia-lock ')) return null;
  const f = fields(text, ['owner', 'op', 'acquired', 'expires']);
  // Stryker disable next-line StringLiteral: equivalent, Date.parse of any text that is no date is NaN, like that of ''
  const acquired = Date.parse(f.acquired ?? '');
  // Stryker disable next-line StringLiteral: equivalent, Date.parse of any text that is no date is NaN, like that of ''
  const expires = Date.parse(f.expires ?? '');
  if (!f.owner || !f.op || !Number.isFinite(acquired) || !Number.isFinite(expires)) return null;
  return { owner: f.owner, operation: f.op, acquired, expires };
}

export function freezeRecord(record: string, freeze: FreezeInfo): RecordSet {
  const text = `relia-freeze v1 by=${freeze.by} at=${iso(freeze.at)} reason=${freeze.reason}`;
  return { name: freezeName(record), type: 'TXT', ttl: MARKER_TTL, values: [quote(text)] };
}

export function parseFreeze(r: RecordSet): FreezeInfo {
  const text = unquote((r.values ?? []).join(' '));
  const f = fields(text, ['by', 'at', 'reason']);
  // Stryker disable next-line StringLiteral: equivalent, Date.parse of any text that is no date is NaN, like that of ''
  const at = Date.parse(f.at ?? '');
  return { by: f.by ?? 'unknown', at: Number.isFinite(at) ? at : 0, reason: f.reason ?? text };
}

export function describeLock(lock: LockInfo, now: number): string {
  const stale = lock.expires <= now;
  return `held by ${lock.owner} (operation ${lock.operation}) since ${iso(lock.acquired)}, ${stale ? `stale since ${iso(lock.expires)}` : `expires ${iso(lock.expires)}`}`;
}

/** Operation ids sort by time: `20261203T071000-3f2a`. */
export function operationId(now: number, random: () => number): string {
  const stamp = iso(now)
    .replace(/[-:]/g, '')
    .replace(
      // Stryker disable next-line Regex: equivalent, the ISO stamp has one Z, at its end
      /Z$/,
      '',
    );
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}
