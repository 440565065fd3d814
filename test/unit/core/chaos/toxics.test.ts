import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/core/cache/random.js';
import { chunkDelay, decideConnection, describeToxics, NO_TOXICS, parseByteRate, parseBytes, parseToxics, PipeSchedule, sliceSize } from '../../../../src/core/chaos/toxics.js';
import type { Toxics } from '../../../../src/ports/proxy.js';
import { inputError } from '../../../helpers/errors.js';

const toxics = (t: Partial<Toxics>): Toxics => ({ ...NO_TOXICS, ...t });

describe('parsing', () => {
  it('reads what the user types', () => {
    expect(parseToxics({ latency: '300ms', jitter: '50ms', loss: '1%', bandwidth: '1MB/s', resetAfter: '64KB', timeout: '2s' })).toEqual({
      latencyMs: 300,
      jitterMs: 50,
      loss: 0.01,
      bandwidthBytesPerSecond: 1e6,
      resetAfterBytes: 64_000,
      timeoutMs: 2000,
    });
    expect(parseByteRate('512KiB/s', 'b')).toBe(512 * 1024);
    expect(parseByteRate('8Mbps', 'b')).toBe(1e6);
    expect(parseByteRate('100B/s', 'b')).toBe(100);
    expect(parseByteRate(2048, 'b')).toBe(2048);
    expect(parseBytes('1MiB', 'r')).toBe(1024 ** 2);
    expect(parseBytes(500, 'r')).toBe(500);
  });
  it('bad values are exit 2 naming the field', () => {
    expect(inputError(() => parseToxics({ latency: 'slow' }, 'arguments.')).field).toBe('arguments.latency');
    expect(inputError(() => parseToxics({ loss: '150%' })).field).toBe('loss');
    expect(inputError(() => parseToxics({ bandwidth: 'fast' })).field).toBe('bandwidth');
    expect(inputError(() => parseToxics({ bandwidth: '0B/s' })).field).toBe('bandwidth');
    expect(inputError(() => parseToxics({ resetAfter: '12 apples' })).field).toBe('resetAfter');
    expect(inputError(() => parseToxics({ jitter: '5ms' })).message).toMatch(/needs a latency/);
  });
  it('describes toxics in one line', () => {
    expect(describeToxics(null)).toBe('pass-through');
    expect(describeToxics(parseToxics({ latency: '300ms', jitter: '50ms', loss: '1%' }))).toBe('latency 300ms ±50ms, loss 1%');
  });
});

describe('decisions', () => {
  it('loss refuses about its share of connections, reproducibly with a seed (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (loss, seed) => {
        const t = toxics({ loss });
        const a = seededRandom(seed);
        const b = seededRandom(seed);
        const n = 1000;
        let refused = 0;
        const differing: number[] = [];
        for (let i = 0; i < n; i++) {
          const d = decideConnection(t, a);
          // One expect per property run, not per connection: 15,000 deep-equal expects timed out under load.
          if (JSON.stringify(decideConnection(t, b)) !== JSON.stringify(d)) differing.push(i);
          if (d.kind === 'refuse') refused++;
        }
        expect(differing, 'the same seed decides the same').toEqual([]);
        // 5 standard deviations of a binomial share.
        expect(Math.abs(refused / n - loss)).toBeLessThanOrEqual(5 * Math.sqrt((loss * (1 - loss)) / n) + 1e-9);
      }),
      { numRuns: 15 },
    );
  });
  it('timeout holds connections that loss lets through; null forwards everything', () => {
    expect(decideConnection(toxics({ timeoutMs: 500 }), () => 0.9)).toEqual({ kind: 'timeout', afterMs: 500 });
    expect(decideConnection(toxics({ timeoutMs: 500, loss: 0.5 }), () => 0.1)).toEqual({ kind: 'refuse' });
    expect(decideConnection(null, () => 0)).toEqual({ kind: 'forward' });
  });
  it('delay stays within latency ± jitter and never below zero (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (lat, jit, r) => {
        const d = chunkDelay(toxics({ latencyMs: lat, jitterMs: jit }), () => r);
        expect(d).toBeGreaterThanOrEqual(Math.max(0, lat - jit));
        expect(d).toBeLessThanOrEqual(lat + jit);
      }),
    );
  });
  it('slices are small enough for a smooth bandwidth limit', () => {
    expect(sliceSize(null)).toBe(65536);
    expect(sliceSize(toxics({ bandwidthBytesPerSecond: 100_000 }))).toBe(5000);
    expect(sliceSize(toxics({ bandwidthBytesPerSecond: 3 }))).toBe(1);
  });
});

describe('PipeSchedule', () => {
  const chunks = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 200 }), bytes: fc.integer({ min: 1, max: 20_000 }) }), { minLength: 1, maxLength: 60 });

  it('keeps order and never writes a chunk before its latency has passed (property)', () => {
    fc.assert(
      fc.property(chunks, fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer(), (cs, lat, jit, seed) => {
        const t = toxics({ latencyMs: lat, jitterMs: jit });
        const pipe = new PipeSchedule('up');
        const random = seededRandom(seed);
        let now = 0;
        let last = -Infinity;
        for (const c of cs) {
          now += c.gap;
          const s = pipe.schedule(now, c.bytes, t, random);
          expect(s.at).toBeGreaterThanOrEqual(last);
          expect(s.at).toBeGreaterThanOrEqual(now + Math.max(0, lat - jit));
          expect(s.bytes).toBe(c.bytes);
          last = s.at;
        }
      }),
    );
  });

  it('under a bandwidth limit, bytes written by any time never exceed rate × time (property)', () => {
    fc.assert(
      fc.property(chunks, fc.integer({ min: 100, max: 1_000_000 }), (cs, rate) => {
        const t = toxics({ bandwidthBytesPerSecond: rate });
        const pipe = new PipeSchedule('down');
        let now = 0;
        let total = 0;
        for (const c of cs) {
          now += c.gap;
          const s = pipe.schedule(now, c.bytes, t, () => 0.5);
          total += s.bytes;
          // Everything written by `s.at` fits in the time since the first byte could go.
          expect(total).toBeLessThanOrEqual((rate * s.at) / 1000 + 1e-6);
        }
      }),
    );
  });

  it('reset-after forwards exactly N bytes downstream, then says reset; upstream is never cut', () => {
    fc.assert(
      fc.property(chunks, fc.integer({ min: 1, max: 100_000 }), (cs, n) => {
        const t = toxics({ resetAfterBytes: n });
        const down = new PipeSchedule('down');
        const up = new PipeSchedule('up');
        let sent = 0;
        let reset = false;
        for (const c of cs) {
          expect(up.schedule(0, c.bytes, t, () => 0.5).resetAfter).toBe(false);
          if (reset) break;
          const s = down.schedule(0, c.bytes, t, () => 0.5);
          sent += s.bytes;
          reset = s.resetAfter;
        }
        const total = cs.reduce((a, c) => a + c.bytes, 0);
        expect(sent).toBe(Math.min(n, total));
        expect(reset).toBe(total >= n);
        expect(down.bytes).toBe(sent);
      }),
    );
  });
});
