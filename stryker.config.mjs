// StrykerJS (mutation testing), run per family: `npm run mutation -- budget`
// (see scripts/mutation.mjs and docs/testing.md). Not part of CI.
const family = process.env.RELIA_MUTATION_FAMILY ?? 'budget';

/**
 * What each family mutates. On this shared 2-core machine a mutant costs
 * about 5 s (vitest re-runs the tests that cover it), so the default families
 * are each family's safety-critical modules (the deploy gate and burn rates,
 * queueing math, risk scoring, the warm limits, the CLI's exit-code and
 * lifecycle code); `<family>-all` mutates the whole family.
 */
export const FAMILIES = {
  budget: ['src/core/budget/gate.ts', 'src/core/budget/burn.ts'],
  capacity: ['src/core/capacity/little.ts', 'src/core/capacity/erlang.ts'],
  risk: ['src/core/risk/score.ts'],
  cache: ['src/core/cache/limits.ts'],
  cli: ['src/cli/base-command.ts', 'src/cli/lifecycle.ts'],
  'budget-all': ['src/core/budget/**/*.ts'],
  'capacity-all': ['src/core/capacity/**/*.ts'],
  'risk-all': ['src/core/risk/**/*.ts'],
  'cache-all': ['src/core/cache/**/*.ts'],
  'config-all': ['src/core/config/**/*.ts'],
  'shared-all': ['src/core/*.ts'],
};

const mutate = FAMILIES[family];
if (!mutate) throw new Error(`unknown mutation family "${family}"; one of ${Object.keys(FAMILIES).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  checkers: [],
  mutate: [...mutate, '!**/index.ts'],
  // The machine is shared: two test processes at most.
  concurrency: Number(process.env.RELIA_MUTATION_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: `.relia-test/mutation/${family}.incremental.json`,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: `.relia-test/mutation/${family}.json` },
  tempDirName: `.relia-test/stryker-tmp-${family}`,
  cleanTempDir: 'always',
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 80, break: null },
  ignoreStatic: true,
  ignorePatterns: ['dist', 'plugins/*/dist', '.relia-test', '.relia-demo', 'bench', 'coverage'],
};
