// StrykerJS (mutation testing), run per family: `npm run mutation -- budget`
// (see scripts/mutation.mjs and docs/testing.md). Not part of CI.
const family = process.env.RELIA_MUTATION_FAMILY ?? 'budget';

/** What each family mutates. `cli` is the safety-critical shared CLI code. */
export const FAMILIES = {
  budget: ['src/core/budget/**/*.ts'],
  capacity: ['src/core/capacity/**/*.ts'],
  risk: ['src/core/risk/**/*.ts'],
  cache: ['src/core/cache/**/*.ts'],
  config: ['src/core/config/**/*.ts'],
  shared: ['src/core/*.ts'],
  cli: ['src/cli/base-command.ts', 'src/cli/lifecycle.ts', 'src/cli/files.ts'],
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
