/**
 * The fault proxy's toxics at their edges, against what docs/chaos-faults.md
 * promises and what Toxiproxy (github.com/Shopify/toxiproxy, toxics/*.go) does
 * with the same attributes: latency ± jitter (uniform, never below zero),
 * bandwidth (n bytes take n / rate seconds of the pipe), limit_data (the
 * client gets exactly N bytes, the connection closes as the N-th byte goes),
 * timeout (hold, forward nothing, close). Expected figures are worked by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  chunkDelay,
  decideConnection,
  describeToxics,
  isPassThrough,
  NO_TOXICS,
  parseByteRate,
  parseBytes,
  parseToxics,
  PipeSchedule,
  sliceSize,
  toxicDecisions,
} from '../../../../src/core/chaos/toxics.js';
import type { Toxics } from '../../../../src/ports/proxy.js';
import { expectInputError } from '../error-contract.js';

const toxics = (t: Partial<Toxics>): Toxics => ({ ...NO_TOXICS, ...t });
/** A random source that always answers `r` and counts its draws. */
const fixed = (r: number): (() => number) & { draws: number } => {
  const f = Object.assign(() => {
    f.draws++;
    return r;
  }, { draws: 0 });
  return f;
};

describe('durations (latency, jitter, timeout)', () => {
  it('a number is milliseconds; 0 and "0ms" mean off; text is rounded to whole milliseconds', () => {
    expect(parseToxics({ latency: 250, timeout: 0 })).toMatchObject({ latencyMs: 250, timeoutMs: 0 });
    expect(parseToxics({ latency: '0ms', timeout: '0s' })).toMatchObject({ latencyMs: 0, timeoutMs: 0 });
    expect(parseToxics({ latency: '1.5s', jitter: '0.4ms' })).toMatchObject({ latencyMs: 1500, jitterMs: 0 });
    expect(parseToxics({})).toEqual(NO_TOXICS);
  });

  it.each([
    ['a negative number', -5, '-5'],
    ['NaN', Number.NaN, 'NaN'],
    ['infinity', Number.POSITIVE_INFINITY, 'Infinity'],
  ])('%s is exit 2 naming the field, with an example', (_what, value, shown) => {
    for (const key of ['latency', 'timeout'] as const) {
      const e = expectInputError(() => parseToxics({ [key]: value }, 'arguments.'), `arguments.${key}`, [`arguments.${key}`, shown, '300ms']);
      expect(e.suggestions).toEqual(['write it like 300ms']);
    }
  });

  it('each field is named by the prefix, or by the flag name when given', () => {
    expectInputError(() => parseToxics({ latency: '10ms', jitter: 'lots' }, 'method[0].args.'), 'method[0].args.jitter');
    expectInputError(() => parseToxics({ timeout: 'forever' }, 'method[0].args.'), 'method[0].args.timeout');
    expectInputError(() => parseToxics({ resetAfter: 'many' }, '', { resetAfter: '--reset-after' }), '--reset-after', ['--reset-after']);
  });

  it('jitter without latency is exit 2 naming jitter, and says to add a latency', () => {
    const e = expectInputError(() => parseToxics({ jitter: '50ms' }, 'args.'), 'args.jitter', ['args.jitter', 'latency']);
    expect(e.suggestions.join(' ')).toMatch(/add a latency/);
    expectInputError(() => parseToxics({ jitter: '50ms' }, '', { jitter: '--jitter' }), '--jitter', ['--jitter']);
  });
});

describe('byte counts (resetAfter)', () => {
  it.each([
    ['65536', 65536],
    [' 64KB ', 64_000],
    ['64 kb', 64_000],
    ['1.25KB', 1250],
    ['1.5MiB', 1.5 * 1024 ** 2],
    ['2GiB', 2 * 1024 ** 3],
    ['1GB', 1e9],
    ['12B', 12],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseBytes(text, 'resetAfter')).toBe(bytes);
  });

  it.each(['12 apples', 'x64KB', '64KB!', '1.KB', '-5', '', '1e3'])('%j is exit 2 naming the field and the value, with an example', (text) => {
    const e = expectInputError(() => parseBytes(text, 'arguments.resetAfter'), 'arguments.resetAfter', ['arguments.resetAfter', JSON.stringify(text), '64KB']);
    expect(e.suggestions).toEqual(['write it like 64KB']);
  });
});

describe('rates (bandwidth)', () => {
  it.each([
    ['1MB/s', 1e6],
    [' 1MB/s ', 1e6],
    ['1.25MB/s', 1.25e6],
    ['512KiB/s', 512 * 1024],
    ['2 GB/s', 2e9],
    ['100B/s', 100],
    ['2048', 2048],
    ['1536.75', 1536.75],
    ['8Mbps', 1e6],
    [' 8Kbps', 1000],
  ])('%j is %d bytes per second', (text, rate) => {
    expect(parseByteRate(text, 'bandwidth')).toBe(rate);
  });

  it('a number is bytes per second and must be above zero and finite', () => {
    expect(parseByteRate(1, 'bandwidth')).toBe(1);
    for (const bad of [0, -5, Number.POSITIVE_INFINITY, Number.NaN]) {
      expectInputError(() => parseByteRate(bad, 'bandwidth'), 'bandwidth', ['1MB/s', '8Mbps']);
    }
  });

  // Toxiproxy reads a rate of 0 as "no limit"; relia refuses it, so a typo never silently lifts the limit.
  it.each(['0', '0B/s', '0.0KB/s', 'fast', 'x1MB/s', '1MB/sec', '.5', '1.MB/s', '10bpsx', '1MB'])('%j is exit 2 naming the field and both ways to write it', (text) => {
    const e = expectInputError(() => parseByteRate(text, 'arguments.bandwidth'), 'arguments.bandwidth', ['arguments.bandwidth', JSON.stringify(text), '1MB/s', '8Mbps']);
    expect(e.suggestions).toEqual(['write it like 1MB/s (bytes) or 8Mbps (bits)']);
  });
});

describe('pass-through and the one-line description', () => {
  it('no toxics (or null) is pass-through; any single toxic is not', () => {
    expect(isPassThrough(null)).toBe(true);
    expect(isPassThrough(NO_TOXICS)).toBe(true);
    expect(describeToxics(NO_TOXICS)).toBe('pass-through');
    for (const key of Object.keys(NO_TOXICS) as Array<keyof Toxics>) {
      expect(isPassThrough(toxics({ [key]: 1 })), key).toBe(false);
    }
  });

  it('names every toxic that is on, in a fixed order, with its unit', () => {
    expect(describeToxics(parseToxics({ latency: '300ms', jitter: '50ms', loss: '1%', bandwidth: '1MB/s', resetAfter: '64KB', timeout: '2s' }))).toBe(
      'latency 300ms ±50ms, loss 1%, bandwidth 1000000 B/s, reset after 64000 B, timeout 2000ms',
    );
    expect(describeToxics(toxics({ bandwidthBytesPerSecond: 125 }))).toBe('bandwidth 125 B/s');
    expect(describeToxics(toxics({ resetAfterBytes: 10 }))).toBe('reset after 10 B');
    expect(describeToxics(toxics({ timeoutMs: 5000 }))).toBe('timeout 5000ms');
    expect(describeToxics(toxics({ latencyMs: 300 }))).toBe('latency 300ms');
  });
});

describe('connections', () => {
  it('refuses when the draw is below the loss share, so a uniform [0, 1) draw refuses exactly that share', () => {
    expect(decideConnection(toxics({ loss: 0.25 }), fixed(0.2499))).toEqual({ kind: 'refuse' });
    expect(decideConnection(toxics({ loss: 0.25 }), fixed(0.25))).toEqual({ kind: 'forward' });
    expect(decideConnection(toxics({ loss: 1 }), fixed(0.999999))).toEqual({ kind: 'refuse' });
  });

  it('forwards when no connection toxic is on, whatever else is', () => {
    for (const t of [NO_TOXICS, toxics({ latencyMs: 300, jitterMs: 50, bandwidthBytesPerSecond: 100, resetAfterBytes: 10 })]) {
      expect(decideConnection(t, fixed(0))).toEqual({ kind: 'forward' });
    }
  });

  it('timeout holds the connection for its milliseconds (Toxiproxy timeout: forward nothing, then close)', () => {
    expect(decideConnection(toxics({ timeoutMs: 1 }), fixed(0))).toEqual({ kind: 'timeout', afterMs: 1 });
  });

  // The seeded random is shared by loss (per connection) and jitter (per chunk): a toxic that is off
  // must not spend it, or turning loss on or off would shift every jittered delay of a seeded run.
  it('a toxic that is off draws nothing from the seeded random', () => {
    const r = fixed(0.5);
    decideConnection(toxics({ timeoutMs: 500, latencyMs: 300 }), r);
    chunkDelay(toxics({ latencyMs: 300 }), r);
    new PipeSchedule('down').schedule(0, 100, toxics({ latencyMs: 300, bandwidthBytesPerSecond: 1000 }), r);
    expect(r.draws).toBe(0);
    decideConnection(toxics({ loss: 0.5 }), r);
    chunkDelay(toxics({ latencyMs: 300, jitterMs: 50 }), r);
    expect(r.draws).toBe(2);
  });
});

describe('chunk delay: latency ± jitter, never below zero', () => {
  it.each([
    // [latency, jitter, draw, delay]: the draw maps [0, 1) onto [-jitter, +jitter)
    [300, 50, 0, 250],
    [300, 50, 0.5, 300],
    [300, 50, 0.75, 325],
    [300, 50, 0.25, 275],
    [300, 0, 0.9, 300],
    [10, 50, 0, 0],
    [0, 50, 0.75, 25],
    [0, 0, 0.75, 0],
  ])('latency %d, jitter %d, draw %d: %d ms', (latencyMs, jitterMs, draw, delay) => {
    expect(chunkDelay(toxics({ latencyMs, jitterMs }), fixed(draw))).toBe(delay);
  });

  it('no toxics: no delay', () => {
    expect(chunkDelay(null, fixed(0.9))).toBe(0);
  });
});

describe('slices', () => {
  it('without a bandwidth limit, 64 KiB; with one, a twentieth of a second of it, within 1 B .. 16 KiB', () => {
    expect(sliceSize(NO_TOXICS)).toBe(65536);
    expect(sliceSize(toxics({ latencyMs: 300 }))).toBe(65536);
    expect(sliceSize(toxics({ bandwidthBytesPerSecond: 1e9 }))).toBe(16384);
    expect(toxicDecisions.sliceSize(toxics({ bandwidthBytesPerSecond: 2000 }))).toBe(100);
  });
});

describe('the schedule of one direction', () => {
  it('with a bandwidth limit, n bytes take n / rate seconds of the pipe, and a busy pipe makes the next chunk wait', () => {
    const pipe = toxicDecisions.pipe('up');
    const t = toxics({ bandwidthBytesPerSecond: 1000 });
    expect(pipe.schedule(0, 500, t, fixed(0.5))).toEqual({ at: 500, bytes: 500, resetAfter: false });
    expect(pipe.schedule(100, 500, t, fixed(0.5))).toEqual({ at: 1000, bytes: 500, resetAfter: false });
    // the pipe is idle again by 5000: the chunk starts when it arrives
    expect(pipe.schedule(5000, 250, t, fixed(0.5))).toEqual({ at: 5250, bytes: 250, resetAfter: false });
  });

  it('latency then bandwidth: the chunk enters the pipe after its delay', () => {
    const pipe = new PipeSchedule('down');
    expect(pipe.schedule(1000, 100, toxics({ latencyMs: 300, bandwidthBytesPerSecond: 1000 }), fixed(0.5))).toEqual({ at: 1400, bytes: 100, resetAfter: false });
  });

  it('with no toxics (or null), every chunk goes at once, whole, and the connection is never cut', () => {
    for (const t of [null, NO_TOXICS]) {
      const down = new PipeSchedule('down');
      expect(down.schedule(1000, 4096, t, fixed(0.5))).toEqual({ at: 1000, bytes: 4096, resetAfter: false });
      expect(down.schedule(1001, 4096, t, fixed(0.5))).toEqual({ at: 1001, bytes: 4096, resetAfter: false });
      expect(down.bytes).toBe(8192);
    }
  });

  it('a chunk that would overtake an earlier one under jitter waits for it', () => {
    const pipe = new PipeSchedule('up');
    const t = toxics({ latencyMs: 100, jitterMs: 50 });
    expect(pipe.schedule(0, 1, t, fixed(0.99)).at).toBeCloseTo(149, 9);
    expect(pipe.schedule(10, 1, t, fixed(0)).at).toBeCloseTo(149, 9);
  });

  it('reset-after: a chunk that brings the count exactly to N is the last one, and says reset (Toxiproxy limit_data)', () => {
    const down = new PipeSchedule('down');
    const t = toxics({ resetAfterBytes: 100 });
    expect(down.schedule(0, 60, t, fixed(0.5))).toEqual({ at: 0, bytes: 60, resetAfter: false });
    expect(down.schedule(0, 40, t, fixed(0.5))).toEqual({ at: 0, bytes: 40, resetAfter: true });
    const cut = new PipeSchedule('down');
    expect(cut.schedule(0, 150, t, fixed(0.5))).toEqual({ at: 0, bytes: 100, resetAfter: true });
  });
});
