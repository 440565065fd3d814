import { defineConfig } from 'vitest/config';

// One config, three projects. `unit` needs nothing; `contract` and `e2e` use the
// real local servers that test/setup/servers.ts starts (and stops) once per run.
export default defineConfig({
  test: {
    disableConsoleIntercept: true,
    testTimeout: 20_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'src/**/*.tsx', 'commands/**/*.ts', 'plugins/*/src/**/*.ts'],
      reporter: ['text-summary', 'json-summary', 'html'],
      thresholds: { 'src/core/**': { lines: 90 } },
    },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] } },
    ],
  },
});
