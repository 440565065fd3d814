import { defineConfig } from 'vitest/config';

// The unit project alone, for StrykerJS (`npm run mutation`): no servers, no
// coverage thresholds. Stryker's vitest runner runs only the tests related to
// each mutated file.
export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    // instrumented code with per-test coverage runs several times slower (the Erlang property test)
    testTimeout: 180_000,
    include: ['test/unit/**/*.test.{ts,tsx}'],
  },
});
