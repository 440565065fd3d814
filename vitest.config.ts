import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Three projects. `unit` needs nothing. `contract` and `e2e` use the real
// local servers (Prometheus with backfilled history, Redis, nginx + origin),
// which test/setup/servers.ts starts on free loopback ports and stops after —
// or reuses when RELIA_TEST_SERVERS names a running set (scripts/test.sh does
// that, so both projects share one set). e2e runs the BUILT CLI (npm run build).
const serversSetup = existsSync('test/setup/servers.ts') ? ['test/setup/servers.ts'] : [];

export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 180_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'src/**/*.tsx', 'commands/**/*.ts', 'plugins/*/src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.relia-test/coverage',
      // Lines, per tree, measured 2026-12-03 14:20 UTC from the unit project alone (`npx vitest run --project
      // unit --coverage`: 96.8 %, 69.4 %, 85.8 %, 64.6 %) and set under it (core 94, the others about 1.5 points),
      // so they hold for that run and for the full run scripts/test.sh makes (contract tests drive the adapters
      // in-process too, adding to plugins/). Raise them as in-process tests are added (docs/testing.md#coverage-thresholds).
      thresholds: { 'src/core/**': { lines: 94 }, 'src/cli/**': { lines: 68 }, 'commands/**': { lines: 84 }, 'plugins/*/src/**': { lines: 63 } },
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] } },
      { extends: true, test: { name: 'contract', include: ['test/contract/**/*.test.ts'], globalSetup: serversSetup, fileParallelism: true } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: serversSetup, setupFiles: ['test/setup/exit-codes.ts'] } },
    ],
  },
});
