import { defineConfig } from 'vitest/config';
import { FAMILIES } from './stryker.config.mjs';

// For StrykerJS only (`npm run mutation`): the unit tests of the family being
// mutated (RELIA_MUTATION_FAMILY, set by scripts/mutation.mjs), no servers, no
// coverage thresholds. RELIA_MUTATION=1 lets a long property test run fewer
// cases under instrumentation (test/unit/core/property-runs.ts); the setup file
// fixes fast-check's seed so every mutant meets the same cases as the dry run.
const family = (process.env.RELIA_MUTATION_FAMILY ?? 'budget') as keyof typeof FAMILIES;

export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    testTimeout: 120_000,
    include: FAMILIES[family].tests,
    env: { RELIA_MUTATION: '1' },
    setupFiles: ['test/unit/core/mutation-setup.ts'],
  },
});
