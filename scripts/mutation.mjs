#!/usr/bin/env node
// `npm run mutation -- [--family] <family> [...] [--files a.ts,b.ts] [--summary]`
// StrykerJS per family (stryker.config.mjs lists the families: what each
// mutates and which unit tests run), one family after the other, then each
// family's score. Not part of CI: a whole family takes tens of minutes here.
//
// Incremental: each family's results live in one merged file,
// .relia-test/mutation/<family>.json (gitignored). Before a run it is handed to
// Stryker as its incremental file, so only mutants whose code or covering
// tests changed are tested again; after the run the files Stryker reported
// replace their old entries and the others are kept. `--files` therefore adds
// to a family's results file by file (the safety-critical files first).
// `--summary` only prints the scores; a file whose source changed since it was
// measured is marked stale. `--survivors` lists each surviving / uncovered
// mutant (file:line, mutator, the original code and its replacement).
// `--equivalents` lists the mutants judged equivalent: the source marks each
// with `// Stryker disable next-line <Mutator>: <reason>`, Stryker reports them
// as Ignored with that reason, and the score leaves them out (as Stryker's does).
// `--import a.json[,b.json]` takes into the family's results file, file by
// file, the results another worktree measured, where they were measured on the
// source that is here now (results for other versions of a file are left out;
// where both sides measured this source, the result that detects more is kept).
// Static mutants (module-level constants, regexes built at load) are also
// Ignored, because `ignoreStatic` skips them (each would re-load the module for
// every test): the summary counts them apart, as "static", never as equivalent.
// `--retest-timeouts` tests again the mutants a run reported as Timeout (in the
// --files given, or the whole family): on a loaded machine a correct but slow
// test run times out too, and Timeout counts as detected; the re-run, on a
// quieter machine, tells a real endless loop from a slow run.
// `--survivors` and `--markdown` only report, as `--summary` does: none of the
// three starts a Stryker run (two runs at once starve each other's timeouts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BARRELS, FAMILIES } from '../stryker.config.mjs';

const DIR = '.relia-test/mutation';
const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const listSurvivors = args.includes('--survivors');
const listEquivalents = args.includes('--equivalents');
const retestTimeouts = args.includes('--retest-timeouts');
let files = [];
let imports = [];
const asked = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--files') files = (args[++i] ?? '').split(',').filter(Boolean);
  else if (args[i] === '--import') imports = (args[++i] ?? '').split(',').filter(Boolean);
  else if (args[i] === '--family') asked.push(args[++i]);
  else if (!args[i].startsWith('--')) asked.push(args[i]);
}
const summaryOnly = args.includes('--summary') || markdown || listSurvivors || listEquivalents || imports.length > 0;
const families = asked.length > 0 ? asked : Object.keys(FAMILIES);
for (const f of families) {
  if (!FAMILIES[f]) {
    console.error(`unknown family "${f}"; one of ${Object.keys(FAMILIES).join(', ')} (try: npm run mutation -- capacity)`);
    process.exit(2);
  }
}
for (const f of files) {
  if (!existsSync(f)) {
    console.error(`--files: no such file "${f}" (paths from the repo root, e.g. src/core/capacity/erlang.ts)`);
    process.exit(2);
  }
}

/** The files a family's globs name (only `**`, `*` and plain paths are used there; fs.globSync needs Node 22). */
function expand(glob) {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${escaped.split('**/').map((part) => part.replace(/\*/g, '[^/]*')).join('(?:.*/)?')}$`);
  const root = glob.split('*')[0].replace(/[^/]*$/, '') || '.';
  return readdirSync(root, { recursive: true }).map((f) => `${root}${f}`).filter((f) => re.test(f));
}

const storeOf = (family) => `${DIR}/${family}.json`;
const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined);

/** The family's results with the run's files replacing theirs; test files merged the same way. */
function merge(store, run) {
  if (!store) return run;
  return { ...run, files: { ...store.files, ...run.files }, testFiles: { ...(store.testFiles ?? {}), ...(run.testFiles ?? {}) } };
}

if (imports.length > 0) {
  if (families.length !== 1) {
    console.error('--import: name one family (try: npm run mutation -- cache --import ../wt/x/.relia-test/mutation/cache.json)');
    process.exit(2);
  }
  const family = families[0];
  let store = readJson(storeOf(family));
  for (const file of imports) {
    const other = readJson(file);
    if (!other) {
      console.error(`--import: no such results file "${file}"`);
      process.exit(2);
    }
    const current = (f, r) => existsSync(f) && readFileSync(f, 'utf8') === r.source;
    const detected = (r) => r.mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
    // Where both results were measured on this source, the one that detects more wins: tests are only added,
    // so the later run of the two detects at least as many.
    const better = (f, r) => !(store?.files[f] && current(f, store.files[f]) && detected(store.files[f]) >= detected(r));
    const fresh = Object.fromEntries(Object.entries(other.files).filter(([f, r]) => current(f, r) && better(f, r)));
    console.log(`--import ${file}: ${Object.keys(fresh).length} of ${Object.keys(other.files).length} files measured on the source here and not bettered: ${Object.keys(fresh).join(' ')}`);
    store = merge(store, { ...other, files: fresh });
  }
  mkdirSync(DIR, { recursive: true });
  writeFileSync(storeOf(family), JSON.stringify(store));
}

/** The results with the Timeout mutants of `only` (all files when empty) left out, so Stryker tests them again. */
function withoutTimeouts(store, only) {
  const retest = (f) => only.length === 0 || only.includes(f);
  const files = Object.fromEntries(
    Object.entries(store.files).map(([f, r]) => [f, retest(f) ? { ...r, mutants: r.mutants.filter((m) => m.status !== 'Timeout') } : r]),
  );
  return { ...store, files };
}

let failed = false;
if (!summaryOnly) {
  mkdirSync(DIR, { recursive: true });
  for (const family of families) {
    console.log(`== mutation: ${family}${files.length > 0 ? ` (${files.join(', ')})` : ''}`);
    const store = readJson(storeOf(family));
    const incremental = `${DIR}/${family}.stryker-incremental.json`;
    const runReport = `${DIR}/${family}.run.json`;
    if (store) writeFileSync(incremental, JSON.stringify(retestTimeouts ? withoutTimeouts(store, files) : store));
    else rmSync(incremental, { force: true });
    rmSync(runReport, { force: true });
    const cli = ['stryker', 'run', 'stryker.config.mjs'];
    if (files.length > 0) cli.push('--mutate', files.join(','));
    const run = spawnSync('npx', cli, { stdio: 'inherit', env: { ...process.env, RELIA_MUTATION_FAMILY: family } });
    if (run.status !== 0 || !existsSync(runReport)) {
      failed = true;
      continue;
    }
    writeFileSync(storeOf(family), JSON.stringify(merge(store, readJson(runReport))));
  }
}

/** A mutant `ignoreStatic` skipped (not tested), as opposed to one the source marks equivalent. */
const isStatic = (m) => m.status === 'Ignored' && /static mutant/i.test(m.statusReason ?? '');

/** Counts per status (Ignored: marked equivalent; Static: skipped untested); score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker reports it. */
function tally(report) {
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, Static: 0, CompileError: 0, RuntimeError: 0 };
  for (const f of Object.values(report.files)) {
    for (const m of f.mutants) {
      const status = m.status === 'Ignored' && isStatic(m) ? 'Static' : m.status;
      count[status] = (count[status] ?? 0) + 1;
    }
  }
  const detected = count.Killed + count.Timeout;
  const valid = detected + count.Survived + count.NoCoverage;
  return { ...count, score: valid === 0 ? NaN : (100 * detected) / valid };
}

const rows = [];
const barrels = new Set(expand(BARRELS));
for (const family of families) {
  const store = readJson(storeOf(family));
  const all = FAMILIES[family].mutate.flatMap((g) => expand(g)).filter((f) => !barrels.has(f)).sort();
  if (!store) {
    rows.push({ family, missing: true, all });
    continue;
  }
  const measured = Object.keys(store.files).sort();
  const stale = measured.filter((f) => !existsSync(f) || readFileSync(f, 'utf8') !== store.files[f].source);
  rows.push({ family, ...tally(store), measured, stale, notMeasured: all.filter((f) => !measured.includes(f)) });
}

if (markdown) {
  console.log('| Family | Files | Score | Killed | Timeout | Survived | No coverage | Equivalent | Static (not tested) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    if (r.missing) console.log(`| ${r.family} | 0 of ${r.all.length} | not measured | | | | | | |`);
    else console.log(`| ${r.family} | ${r.measured.length} of ${r.measured.length + r.notMeasured.length} | ${r.score.toFixed(1)} % | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${r.Ignored} | ${r.Static} |`);
  }
} else {
  console.log('\nfamily      score   killed  timeout  survived  no-cov  equiv  static  files');
  for (const r of rows) {
    if (r.missing) {
      console.log(`${r.family.padEnd(10)}  (not measured)`);
      continue;
    }
    const filesInfo = `${r.measured.length} of ${r.measured.length + r.notMeasured.length}${r.stale.length > 0 ? `, stale: ${r.stale.join(' ')}` : ''}`;
    console.log(`${r.family.padEnd(10)}  ${r.score.toFixed(1).padStart(5)} %  ${String(r.Killed).padStart(6)}  ${String(r.Timeout).padStart(7)}  ${String(r.Survived).padStart(8)}  ${String(r.NoCoverage).padStart(6)}  ${String(r.Ignored).padStart(5)}  ${String(r.Static).padStart(6)}  ${filesInfo}`);
    if (r.notMeasured.length > 0) console.log(`            not measured: ${r.notMeasured.join(' ')}`);
  }
}
if (listSurvivors || listEquivalents) {
  const wanted = listSurvivors ? ['Survived', 'NoCoverage'] : ['Ignored'];
  for (const family of families) {
    const store = readJson(storeOf(family));
    if (!store) continue;
    for (const [file, f] of Object.entries(store.files)) {
      const lines = f.source.split('\n');
      for (const m of f.mutants) {
        if (!wanted.includes(m.status) || isStatic(m)) continue;
        const { start, end } = m.location;
        const original = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : `${lines[start.line - 1].slice(start.column - 1)}…`;
        const why = m.status === 'Ignored' ? ` (${m.statusReason ?? 'no reason given'})` : '';
        console.log(`${file}:${start.line}:${start.column} ${m.status} ${m.mutatorName}: ${original.slice(0, 100)} → ${(m.replacement ?? '').slice(0, 100)}${why}`);
      }
    }
  }
}
process.exit(failed ? 1 : 0);
