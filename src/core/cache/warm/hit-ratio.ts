/**
 * Redis hit ratio before and after a warm run: read an even sample of the
 * run's keys (getMany) between two `stats()` calls; the keyspace hit/miss
 * deltas give the ratio (see HitRatioMeasurement). A cache whose stats fail
 * falls back to the sample's own count.
 */
import type { KeyValueCache } from '../../../ports/cache.js';
import type { HitRatioMeasurement } from './types.js';

/** Measure with the keys at `sample` (indices into `keys`); null for an empty sample. */
export async function sampleHitRatio(cache: KeyValueCache, keys: readonly string[], sample: readonly number[]): Promise<HitRatioMeasurement | null> {
  if (sample.length === 0) return null;
  const stats = (): Promise<{ hits: number; misses: number } | null> => cache.stats().then(
    (s) => ({ hits: s.hits, misses: s.misses }),
    // Stryker disable next-line ArrowFunction: equivalent, null and undefined are both only tested for truthiness below
    () => null,
  );
  const before = await stats();
  let present = 0;
  for (let i = 0; i < sample.length; i += 1000) {
    const batch = sample.slice(i, i + 1000).map((j) => keys[j] as string);
    for (const v of await cache.getMany(batch)) if (v !== null) present++;
  }
  const after = before ? await stats() : null;
  const own = present / sample.length;
  if (!before || !after) return { method: 'sample', sampled: sample.length, present, keyspaceHits: null, keyspaceMisses: null, exact: false, ratio: own };
  const dh = after.hits - before.hits;
  const dm = after.misses - before.misses;
  const exact = dh === present && dm === sample.length - present;
  // deltas that do not even cover the sample (counters reset, a proxy without INFO): use the sample's own count
  const usable = dh >= 0 && dm >= 0 && dh + dm >= sample.length;
  return {
    method: usable ? 'info-delta' : 'sample',
    sampled: sample.length,
    present,
    keyspaceHits: dh,
    keyspaceMisses: dm,
    exact,
    ratio: usable ? dh / (dh + dm) : own,
  };
}
