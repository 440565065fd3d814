#!/usr/bin/env node
// `npm run mutation [-- family ...]`: StrykerJS per family, one after the
// other (stryker.config.mjs lists the families), then the score of each.
// Incremental: each family keeps its results in
// .relia-test/mutation/<family>.incremental.json, so a re-run tests only the
// mutants whose code or tests changed. Not part of CI (it takes minutes).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { FAMILIES } from '../stryker.config.mjs';

const args = process.argv.slice(2);
const summaryOnly = args.includes('--summary');
const asked = args.filter((a) => !a.startsWith('--'));
const families = asked.length > 0 ? asked : Object.keys(FAMILIES).filter((f) => !f.endsWith('-all'));
for (const f of families) {
  if (!FAMILIES[f]) {
    console.error(`unknown family "${f}"; one of ${Object.keys(FAMILIES).join(', ')}`);
    process.exit(2);
  }
}

let failed = false;
if (!summaryOnly) {
  for (const family of families) {
    console.log(`== mutation: ${family}`);
    const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { stdio: 'inherit', env: { ...process.env, RELIA_MUTATION_FAMILY: family } });
    if (run.status !== 0) failed = true;
  }
}

/** Score = killed (incl. timeouts) / (all valid mutants − ignored), as Stryker reports it. */
function score(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const count = {};
  for (const f of Object.values(report.files)) for (const m of f.mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const detected = (count.Killed ?? 0) + (count.Timeout ?? 0);
  const undetected = (count.Survived ?? 0) + (count.NoCoverage ?? 0);
  return { detected, undetected, survived: count.Survived ?? 0, noCoverage: count.NoCoverage ?? 0, score: detected + undetected === 0 ? NaN : (100 * detected) / (detected + undetected) };
}

console.log('\nfamily      score   killed  survived  no-coverage');
for (const family of families) {
  const file = `.relia-test/mutation/${family}.json`;
  if (!existsSync(file)) {
    console.log(`${family.padEnd(10)}  (no report)`);
    continue;
  }
  const s = score(file);
  console.log(`${family.padEnd(10)}  ${s.score.toFixed(1).padStart(5)} %  ${String(s.detected).padStart(6)}  ${String(s.survived).padStart(8)}  ${String(s.noCoverage).padStart(11)}`);
}
process.exit(failed ? 1 : 0);
