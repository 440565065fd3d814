// Loaded only by vitest.mutation.config.ts (StrykerJS). One fixed fast-check
// seed: every mutant then meets the same generated cases as the dry run that
// measured coverage, so a mutant is killed or not the same way on every run.
import fc from 'fast-check';

fc.configureGlobal({ seed: 20_261_203 });
