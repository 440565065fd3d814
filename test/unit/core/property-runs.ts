/**
 * numRuns for a property test: `n` in every normal run; under StrykerJS
 * (vitest.mutation.config.ts sets RELIA_MUTATION=1) at most `underMutation`,
 * because instrumented code runs several times slower and each mutant re-runs
 * the test. The seed is fixed there (mutation-setup.ts), so the smaller run is
 * the same cases every time. Never lowers the count outside mutation runs.
 */
export function propertyRuns(n: number, underMutation = 20): number {
  return process.env.RELIA_MUTATION === '1' ? Math.min(n, underMutation) : n;
}
