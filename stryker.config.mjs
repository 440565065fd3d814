// StrykerJS (mutation testing), run per family: `npm run mutation -- capacity`
// (scripts/mutation.mjs drives it; docs/testing.md#mutation-testing). Not part of CI.
const family = process.env.RELIA_MUTATION_FAMILY ?? 'budget';

/**
 * Each family: the source it mutates (all of it, minus the re-export barrels in BARRELS)
 * and the unit tests that run against it (only that family's, so a run on this
 * shared 2-core machine stays in minutes). `--files` in scripts/mutation.mjs
 * narrows a run to some files of a family (the safety-critical ones first).
 */
export const FAMILIES = {
  budget: { mutate: ['src/core/budget/**/*.ts'], tests: ['test/unit/core/budget/**/*.test.ts'] },
  capacity: { mutate: ['src/core/capacity/**/*.ts'], tests: ['test/unit/core/capacity/**/*.test.ts'] },
  risk: { mutate: ['src/core/risk/**/*.ts'], tests: ['test/unit/core/risk/**/*.test.ts'] },
  cache: { mutate: ['src/core/cache/**/*.ts'], tests: ['test/unit/core/cache/**/*.test.ts'] },
  chaos: { mutate: ['src/core/chaos/**/*.ts'], tests: ['test/unit/core/chaos/**/*.test.ts'] },
  failover: { mutate: ['src/core/failover/**/*.ts'], tests: ['test/unit/core/failover/**/*.test.ts'] },
  config: { mutate: ['src/core/config/**/*.ts'], tests: ['test/unit/core/config/**/*.test.ts'] },
  shared: { mutate: ['src/core/*.ts'], tests: ['test/unit/core/*.test.ts'] },
  cli: { mutate: ['src/cli/base-command.ts', 'src/cli/lifecycle.ts'], tests: ['test/unit/cli/**/*.test.ts'] },
};

/**
 * Not mutated: each family's root index.ts, which only re-exports (nothing to mutate). An index.ts deeper down holds
 * code (budget's specs/index.ts reads and classifies SLO files; chaos's actions/index.ts registers the faults) and
 * is mutated like any other file.
 */
export const BARRELS = 'src/core/*/index.ts';

const spec = FAMILIES[family];
if (!spec) throw new Error(`unknown mutation family "${family}"; one of ${Object.keys(FAMILIES).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // vitest.mutation.config.ts reads RELIA_MUTATION_FAMILY and includes only FAMILIES[family].tests;
  // related: of those, only the test files that import the mutated files (directly or not) run.
  vitest: { configFile: 'vitest.mutation.config.ts', related: true },
  plugins: ['@stryker-mutator/vitest-runner'],
  checkers: [],
  mutate: [...spec.mutate, `!${BARRELS}`],
  coverageAnalysis: 'perTest',
  // The machine is shared: two test processes at most (RELIA_MUTATION_CONCURRENCY=1 for one).
  concurrency: Number(process.env.RELIA_MUTATION_CONCURRENCY ?? 2),
  // scripts/mutation.mjs keeps one merged results file per family and hands it to Stryker as this file.
  incremental: true,
  incrementalFile: `.relia-test/mutation/${family}.stryker-incremental.json`,
  reporters: ['progress-append-only', 'json'],
  jsonReporter: { fileName: `.relia-test/mutation/${family}.run.json` },
  tempDirName: `.relia-test/stryker-tmp-${family}`,
  cleanTempDir: 'always',
  // Added to 1.5 × a mutant's tests' own time: a mutant that loops for ever costs this much, so keep it short.
  timeoutMS: 10_000,
  // The dry run runs every related test of the family once, instrumented: the budget family's took over Stryker's
  // default 5 minutes on the loaded shared machine (2026-12-03), so it gets 20.
  dryRunTimeoutMinutes: 20,
  thresholds: { high: 90, low: 80, break: null },
  ignoreStatic: true,
  ignorePatterns: ['dist', 'plugins/*/dist', '.relia-test', '.relia-demo', 'bench', 'coverage'],
};
