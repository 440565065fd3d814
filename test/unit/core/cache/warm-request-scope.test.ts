/**
 * A warm run releases each request's cancellation scope when the request ends (src/core/cache/run.ts
 * RunControl.requestScope: "call `release` when the request is over"; signals of requests that ended are
 * handed to later requests). A scope never released stays in the run's set until the run ends: one
 * AbortController kept per request (hundreds of thousands on a large key list), and all of them aborted
 * when a stopped run's grace period runs out. Pinned through what the origin sees: at concurrency 1 the
 * requests follow one another, so every request of the warm pass and of the verify pass gets the same signal.
 */
import { describe, expect, it } from 'vitest';
import { warm } from '../../../../src/core/cache/warm.js';
import { FakeClock, FakeHttp, seededRandom } from './fakes.js';

const PATHS = Array.from({ length: 8 }, (_, i) => `/titles/${i}`);

describe('request scopes of a warm run', () => {
  it('one request after another: the warm pass and the verify pass reuse one released signal', async () => {
    const clock = new FakeClock(0);
    const signals: Array<AbortSignal | undefined> = [];
    const http = new FakeHttp(clock, (req) => {
      signals.push(req.signal);
      return { status: 200, headers: { 'X-Cache-Status': signals.length > PATHS.length ? 'HIT' : 'MISS' }, latencyMs: 5 };
    });
    const r = await warm({
      keys: PATHS,
      target: { kind: 'http', http, baseUrl: 'http://cdn.local', verify: true },
      clock,
      random: seededRandom(1),
      limits: { concurrency: 1, adaptive: false },
    });
    expect(r).toMatchObject({ warmed: 8, failed: 0, hitRatioAfter: 1 });
    expect(r.verify).toMatchObject({ requests: 8, hit: 8, errors: 0 });
    expect(http.maxInFlight).toBe(1);
    expect(signals).toHaveLength(16);
    expect(signals.every((s) => s instanceof AbortSignal && !s.aborted)).toBe(true);
    expect(new Set(signals.slice(0, 8)).size).toBe(1); // warm pass
    expect(new Set(signals.slice(8)).size).toBe(1); // verify pass
  });
});
