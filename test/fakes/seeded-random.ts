/**
 * The Random port's fake for core tests: a seeded xorshift32 returning
 * [0, 1). The product's own seeded Random (`--seed`) is pure-rand's
 * xoroshiro128+ (src/core/cache/random.ts); this one is kept for the tests
 * because their expected values were worked out with its sequences. Both pass
 * the Random contract (test/contract/clock.contract.test.ts): values in
 * [0, 1), the same seed gives the same sequence, different seeds differ.
 */
import type { Random } from '../../src/ports/clock.js';

export function seededRandom(seed = 42): Random {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}
