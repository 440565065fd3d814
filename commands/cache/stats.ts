import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { Clients } from '../../src/cli/cache/warm.js';
import { cacheFromUrl } from '../../src/cli/providers.js';
import { renderPairs, renderTable } from '../../src/cli/style.js';
import { cacheStats, type CacheStatsReport } from '../../src/core/cache/stats.js';
import { InputError } from '../../src/core/errors.js';
import { parseDuration } from '../../src/core/units.js';

export interface CacheStatsResult extends CacheStatsReport {
  target: string;
}

const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
const ratio = (x: number | null): string => (x === null ? 'no lookups yet' : `${(x * 100).toFixed(2)}%`);

export default class CacheStats extends ReliaCommand<typeof CacheStats> {
  static override summary = 'Cache efficiency: hit ratio (lifetime and over a window), evictions, memory against maxmemory, keys by prefix.';
  static override description = 'Reads INFO and samples key names with SCAN (never KEYS). --window measures the hit ratio now (two INFO reads apart), which is what tells whether a warm paid off. Exit 0, 2 bad input, 3 Redis unreachable.';
  static override examples = [
    '<%= config.bin %> cache stats --target redis://127.0.0.1:6379/0',
    "<%= config.bin %> cache stats --window 30s --pattern 'title:*' --depth 2 --json",
  ];
  static override flags = {
    target: Flags.string({ char: 't', description: "Redis URL (default: the config's redis.url)." }),
    sample: Flags.integer({ description: 'Key names sampled with SCAN for the prefix breakdown (0 skips).', default: 1000, min: 0 }),
    pattern: Flags.string({ description: 'SCAN MATCH pattern of the sample.', default: '*' }),
    separator: Flags.string({ description: 'Prefix separator.', default: ':' }),
    depth: Flags.integer({ description: 'Prefix = this many segments.', default: 1, min: 1 }),
    top: Flags.integer({ description: 'Prefixes listed.', default: 10, min: 1 }),
    window: Flags.string({ description: 'Also measure hits and misses over this long, e.g. 30s.' }),
  };

  async run(): Promise<CacheStatsResult> {
    const f = this.flags;
    const url = f.target ?? this.resolved.settings.redis?.url;
    if (!url) throw new InputError('--target: which Redis?', { field: '--target', suggestions: ['--target redis://HOST:6379/0', 'or set environments.<name>.redis.url in relia.config.yaml'] });
    const clients = new Clients();
    this.lifecycle.defer('close connections', () => clients.closeAll());
    const cache = clients.track(await cacheFromUrl(await this.providers(), url, this.resolved, '--target'));
    const s = await cacheStats({
      cache, sampleSize: f.sample, pattern: f.pattern, separator: f.separator, depth: f.depth, top: f.top, signal: this.lifecycle.signal, clock: this.clock,
      ...(f.window !== undefined ? { windowSeconds: parseDuration(f.window, '--window') } : {}),
    });
    const result: CacheStatsResult = { target: url.replace(/\/\/([^@/]*):[^@/]*@/, '//$1:***@'), ...s };
    if (!this.jsonEnabled()) {
      const pairs: Array<[string, string | number]> = [
        ['target', result.target],
        ['hit ratio', `${ratio(s.hitRatio)} (${s.hits} hits, ${s.misses} misses since the counters were reset)`],
      ];
      if (s.window) pairs.push([`last ${f.window}`, `${ratio(s.window.hitRatio)} (${s.window.hits} hits, ${s.window.misses} misses, ${s.window.lookupsPerSecond.toFixed(1)} lookups/s, ${s.window.evictedKeys} evicted)`]);
      pairs.push(
        ['evicted', `${s.evictedKeys} keys${s.evictedKeys > 0 && s.memory.maxBytes > 0 ? ' (maxmemory reached: warming beyond it evicts other keys)' : ''}`],
        ['expired', `${s.expiredKeys} keys`],
        ['memory', s.memory.maxBytes > 0 ? `${mib(s.memory.usedBytes)} of ${mib(s.memory.maxBytes)} (${(s.memory.usedPercent ?? 0).toFixed(1)}%)` : `${mib(s.memory.usedBytes)} (no maxmemory)`],
        ['keys', s.keys],
      );
      this.log(renderPairs(pairs, this.style));
      if (s.prefixes.length > 0) {
        this.log(`\n${renderTable(
          [
            { header: 'prefix', value: (p) => p.prefix },
            { header: 'in sample', value: (p) => p.sampleCount, align: 'right' },
            { header: 'share', value: (p) => `${(p.share * 100).toFixed(1)}%`, align: 'right' },
            { header: s.sample.complete ? 'keys' : 'keys (est.)', value: (p) => p.estimatedKeys ?? '–', align: 'right' },
          ],
          s.prefixes,
          this.style,
        )}\n${this.style.dim(`${s.sample.complete ? 'all' : 'a sample of'} ${s.sample.size} keys matching ${s.sample.pattern}`)}`);
      }
    }
    return result;
  }
}
