/**
 * The fault proxy's decisions, pure: parse what the user asks for into
 * Toxics, decide each new connection (forward, refuse, hold until timeout),
 * and schedule each chunk (latency ± jitter, bandwidth, order kept, reset
 * after N bytes). The adapter (plugins/local) only moves bytes at the times
 * these functions give it.
 */
import { InputError } from '../errors.js';
import { parseBandwidth, parseDuration, parseFraction } from '../units.js';
import type { ConnectionDecision, ToxicDecisions, Toxics } from '../../ports/proxy.js';

export const NO_TOXICS: Toxics = { latencyMs: 0, jitterMs: 0, loss: 0, bandwidthBytesPerSecond: 0, resetAfterBytes: 0, timeoutMs: 0 };

export interface ToxicsInput {
  latency?: string | number | undefined;
  jitter?: string | number | undefined;
  loss?: string | number | undefined;
  bandwidth?: string | number | undefined;
  resetAfter?: string | number | undefined;
  timeout?: string | number | undefined;
}

function ms(value: string | number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new InputError(`${field}: expected a duration such as 300ms, got ${value}`, { field, suggestions: ['write it like 300ms'] });
    return value;
  }
  return Math.round(parseDuration(value, field, { allowZero: true }) * 1000);
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Bytes: `65536`, `64KB`, `1MiB`. */
export function parseBytes(value: string | number, field: string): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
  const unit = m ? BYTE_UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new InputError(`${field}: expected a byte count such as 65536, 64KB or 1MiB, got ${JSON.stringify(value)}`, { field, suggestions: ['write it like 64KB'] });
  return Math.round(Number(m[1]) * unit);
}

/**
 * Bytes per second: `1MB/s`, `512KB/s`, `1MiB/s`, `100B/s`, or a bit rate
 * (`8Mbps`, divided by 8). A bare number is bytes per second.
 */
export function parseByteRate(value: string | number, field: string): number {
  const fail = (): never => {
    throw new InputError(`${field}: expected a bandwidth such as 1MB/s, 512KB/s or 8Mbps, got ${JSON.stringify(value)}`, { field, suggestions: ['write it like 1MB/s (bytes) or 8Mbps (bits)'] });
  };
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : fail();
  const text = value.trim();
  if (/bps$/i.test(text)) return parseBandwidth(text, field) / 8;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) > 0 ? Number(text) : fail();
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]i?)?B\/s$/.exec(text);
  if (!m) return fail();
  const rate = Number(m[1]) * (BYTE_UNITS[`${(m[2] ?? '').toLowerCase()}b`] as number);
  return rate > 0 ? rate : fail();
}

/**
 * Parse the user's words into Toxics. Errors name each field as
 * `${prefix}${name}`, or as `names[field]` when given (flags: `--reset-after`).
 */
export function parseToxics(input: ToxicsInput, prefix = '', names: Partial<Record<keyof ToxicsInput, string>> = {}): Toxics {
  const f = (k: keyof ToxicsInput) => names[k] ?? `${prefix}${k}`;
  const toxics: Toxics = {
    latencyMs: ms(input.latency, f('latency')),
    jitterMs: ms(input.jitter, f('jitter')),
    loss: input.loss === undefined ? 0 : parseFraction(input.loss, f('loss')),
    bandwidthBytesPerSecond: input.bandwidth === undefined ? 0 : parseByteRate(input.bandwidth, f('bandwidth')),
    resetAfterBytes: input.resetAfter === undefined ? 0 : parseBytes(input.resetAfter, f('resetAfter')),
    timeoutMs: ms(input.timeout, f('timeout')),
  };
  if (toxics.jitterMs > 0 && toxics.latencyMs === 0) {
    throw new InputError(`${f('jitter')}: jitter needs a latency to vary around`, { field: f('jitter'), suggestions: ['add a latency, e.g. latency: 300ms, jitter: 50ms'] });
  }
  return toxics;
}

export function isPassThrough(t: Toxics | null): boolean {
  return t === null || (t.latencyMs === 0 && t.jitterMs === 0 && t.loss === 0 && t.bandwidthBytesPerSecond === 0 && t.resetAfterBytes === 0 && t.timeoutMs === 0);
}

/** One line, for plans, logs and the journal. */
export function describeToxics(t: Toxics | null): string {
  const on = t ?? NO_TOXICS;
  if (isPassThrough(on)) return 'pass-through';
  const parts: string[] = [];
  if (on.latencyMs > 0) parts.push(`latency ${on.latencyMs}ms${on.jitterMs > 0 ? ` ±${on.jitterMs}ms` : ''}`);
  if (on.loss > 0) parts.push(`loss ${Number((on.loss * 100).toPrecision(6))}%`);
  if (on.bandwidthBytesPerSecond > 0) parts.push(`bandwidth ${on.bandwidthBytesPerSecond} B/s`);
  if (on.resetAfterBytes > 0) parts.push(`reset after ${on.resetAfterBytes} B`);
  if (on.timeoutMs > 0) parts.push(`timeout ${on.timeoutMs}ms`);
  return parts.join(', ');
}

/**
 * What to do with a new connection. Loss draws once per connection (so a
 * seeded Random refuses a reproducible share); timeout holds it, forwards
 * nothing, and closes it after `timeoutMs`.
 */
export function decideConnection(t: Toxics | null, random: () => number): ConnectionDecision {
  if (t === null) return { kind: 'forward' };
  if (t.loss > 0 && random() < t.loss) return { kind: 'refuse' };
  if (t.timeoutMs > 0) return { kind: 'timeout', afterMs: t.timeoutMs };
  return { kind: 'forward' };
}

/** Latency plus uniform jitter in [-jitter, +jitter], never below zero. */
export function chunkDelay(t: Toxics | null, random: () => number): number {
  if (t === null) return 0;
  const jitter = t.jitterMs > 0 ? (random() * 2 - 1) * t.jitterMs : 0;
  return Math.max(0, t.latencyMs + jitter);
}

/** Largest slice to write at once, so a bandwidth limit is smooth rather than bursty. */
export function sliceSize(t: Toxics | null): number {
  if (t === null || t.bandwidthBytesPerSecond === 0) return 64 * 1024;
  return Math.max(1, Math.min(16 * 1024, Math.floor(t.bandwidthBytesPerSecond / 20)));
}

/**
 * One direction of one connection: when each chunk may be written. Times are
 * epoch milliseconds from the adapter's clock. Order is kept (a chunk never
 * overtakes an earlier one, even when jitter draws a shorter delay), and with
 * a bandwidth limit a chunk of n bytes takes n / rate seconds of the pipe.
 */
export class PipeSchedule {
  private lastAt = -Infinity;
  private pipeFreeAt = -Infinity;
  private forwarded = 0;

  constructor(private readonly direction: 'up' | 'down') {}

  /** Bytes forwarded so far in this direction. */
  get bytes(): number {
    return this.forwarded;
  }

  /**
   * Schedule a chunk of `bytes` that arrived at `now`. Returns when to write
   * how many of its bytes, and whether to reset the connection after them
   * (reset-after counts downstream bytes only).
   */
  schedule(now: number, bytes: number, t: Toxics | null, random: () => number): { at: number; bytes: number; resetAfter: boolean } {
    let take = bytes;
    let reset = false;
    if (t !== null && t.resetAfterBytes > 0 && this.direction === 'down') {
      const left = t.resetAfterBytes - this.forwarded;
      if (left <= take) {
        take = Math.max(0, left);
        reset = true;
      }
    }
    let at = now + chunkDelay(t, random);
    if (t !== null && t.bandwidthBytesPerSecond > 0) {
      const start = Math.max(at, this.pipeFreeAt);
      this.pipeFreeAt = start + (take / t.bandwidthBytesPerSecond) * 1000;
      at = this.pipeFreeAt;
    }
    at = Math.max(at, this.lastAt);
    this.lastAt = at;
    this.forwarded += take;
    return { at, bytes: take, resetAfter: reset };
  }
}

/** What the proxy adapter is handed (ProxyStartOptions.decisions). */
export const toxicDecisions: ToxicDecisions = {
  connection: decideConnection,
  pipe: (direction) => new PipeSchedule(direction),
  sliceSize,
};
