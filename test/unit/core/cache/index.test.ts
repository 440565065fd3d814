import { describe, expect, it } from 'vitest';
import * as api from '../../../../src/core/cache/index.js';
import { warm } from '../../../../src/core/cache/warm.js';
import { invalidate, planInvalidation } from '../../../../src/core/cache/invalidate.js';
import { cacheStats } from '../../../../src/core/cache/stats.js';
import { FakeClock, FakeHttp, FakeKv, seededRandom } from './fakes.js';

describe('src/core/cache public API', () => {
  it('re-exports what the commands wire up', () => {
    expect(api.warm).toBe(warm);
    expect(api.invalidate).toBe(invalidate);
    expect(api.planInvalidation).toBe(planInvalidation);
    expect(api.cacheStats).toBe(cacheStats);
    for (const name of [
      'parseKeyList',
      'parseSitemap',
      'collectSitemapUrls',
      'topPathsFromAccessLog',
      'AccessLogCounter',
      'popularKeysFromMetrics',
      'mergeSources',
      'parseShard',
      'applyShard',
      'parseVary',
      'classifyCacheStatus',
      'limitsFromFlags',
      'resolveLimits',
      'WarmStoppedError',
      'warmJobManifest',
      'warmCronJobManifest',
      'manifestsToYaml',
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('runs sources → merge → warm end to end through the index, most popular first', async () => {
    const clock = new FakeClock(0);
    const cache = new FakeKv(clock);
    const origin = new FakeHttp(clock, (req) => ({ status: 200, body: req.url, latencyMs: 3 }));
    const list = api.parseKeyList('# must-have\n/titles/9\n/titles/1\n');
    const log = api.topPathsFromAccessLog(
      ['GET /titles/1', 'GET /titles/2', 'GET /titles/2'].map((r) => `1.2.3.4 - - [01/Jan/2026:00:00:00 +0000] "${r} HTTP/1.1" 200 1 "-" "-"`).join('\n'),
      { top: 10 },
    ).entries;
    const keys = api.mergeSources([list, log]);
    expect(keys).toEqual(['/titles/2', '/titles/1', '/titles/9']);
    const result = await api.warm({
      keys,
      target: { kind: 'redis', mode: 'origin', cache, origin, originUrl: 'http://origin/items/{key}' },
      limits: api.limitsFromFlags({ concurrency: 1, rate: '100/s' }),
      clock,
      random: seededRandom(),
    });
    expect(result).toMatchObject({ warmed: 3, exitCode: 0 });
    expect(origin.requests.map((r) => r.url)).toEqual(['http://origin/items/%2Ftitles%2F2', 'http://origin/items/%2Ftitles%2F1', 'http://origin/items/%2Ftitles%2F9']);
    expect(cache.value('/titles/2')).toBe('http://origin/items/%2Ftitles%2F2');
  });
});
