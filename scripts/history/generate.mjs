#!/usr/bin/env node
/**
 * Deterministic 30-day Prometheus history (docs/test-servers.md#history).
 *
 *   node scripts/history/generate.mjs                 # build (or reuse) the cached TSDB blocks; print the cache dir
 *   node scripts/history/generate.mjs --out DIR       # only write the OpenMetrics chunks + expected.json into DIR
 *
 * Steps: model.mjs yields per-minute integer counts; expected.mjs derives the
 * exact expected numbers from them; openmetrics.mjs writes OpenMetrics chunks
 * of 54 h (2.25 days); `promtool tsdb create-blocks-from openmetrics
 * --max-block-duration=54h` turns each chunk into exactly one TSDB block, two
 * processes at a time. (54 h is one of Prometheus' block ranges, and the
 * chunks start on multiples of it, so promtool reads each input once: 2-day
 * chunks gave 18 h blocks, 3 reads per chunk, 6.1 s instead of 3.9 s.)
 * The blocks and expected.json are cached in
 * .relia-test/cache/history-<hash of these sources + promtool version>/, so
 * later runs only copy them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeExpected } from './expected.mjs';
import { MINUTES, buildSeries } from './model.mjs';
import { chunkRanges, openMetricsChunk } from './openmetrics.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(HERE, '..', '..');
/** Chunk length = promtool block length; chunk boundaries are multiples of it since the epoch. */
const CHUNK_SECONDS = 54 * 3600;
const PARALLEL = 2;
const SOURCES = ['model.mjs', 'expected.mjs', 'openmetrics.mjs', 'generate.mjs'];

function promtoolVersion() {
  const r = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`promtool not found or not working (${r.error?.message ?? r.stderr}); install the Debian package "prometheus" (bash scripts/setup.sh does)`);
  return (r.stdout || r.stderr).split('\n')[0].trim();
}

/** Hash of the generator's source and the promtool version: the cache key. */
export function historyHash() {
  const h = createHash('sha256');
  for (const f of SOURCES) h.update(f).update(readFileSync(join(HERE, f)));
  h.update(promtoolVersion());
  return h.digest('hex').slice(0, 16);
}

/** Write the OpenMetrics chunks into omDir and expected.json into expectedDir; returns the chunk file paths. */
export function writeOpenMetrics(omDir, expectedDir = omDir) {
  mkdirSync(omDir, { recursive: true });
  const series = buildSeries();
  const expected = computeExpected(series);
  writeFileSync(join(expectedDir, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
  const files = [];
  chunkRanges(MINUTES, CHUNK_SECONDS).forEach(([from, to], k) => {
    const file = join(omDir, `chunk-${String(k).padStart(2, '0')}.om`);
    writeFileSync(file, openMetricsChunk(series, from, to));
    files.push(file);
  });
  return files;
}

const running = new Set();

/** Kill the promtool processes of a backfill in progress (for a caller that is being interrupted). */
export function stopBackfill() {
  for (const child of running) child.kill('SIGTERM');
}

function run(cmd, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      if (code === 0) resolvePromise();
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim().slice(-2000)}`));
    });
  });
}

/** Backfill each chunk into its own directory, PARALLEL promtool processes at a time; collect the blocks into blocksDir. */
async function backfill(files, workDir, blocksDir) {
  mkdirSync(blocksDir, { recursive: true });
  const queue = files.map((file, k) => ({ file, out: join(workDir, `out-${k}`) }));
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      mkdirSync(job.out, { recursive: true });
      await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${CHUNK_SECONDS / 3600}h`, job.file, job.out]);
      rmSync(job.file);
      for (const block of readdirSync(job.out)) renameSync(join(job.out, block), join(blocksDir, block));
      rmSync(job.out, { recursive: true, force: true });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

/**
 * Make sure the cached history exists; returns { dir, blocksDir, expectedFile, cached, seconds }.
 * Safe when several processes race: each builds in its own temp dir and the first rename wins.
 */
export async function ensureHistory({ cacheRoot = join(REPO_ROOT, '.relia-test', 'cache'), log = () => {} } = {}) {
  const started = performance.now();
  const hash = historyHash();
  const dir = join(cacheRoot, `history-${hash}`);
  const result = (cached) => ({ dir, blocksDir: join(dir, 'blocks'), expectedFile: join(dir, 'expected.json'), cached, seconds: (performance.now() - started) / 1000 });
  if (existsSync(join(dir, 'COMPLETE'))) {
    pruneOld(cacheRoot, dir);
    return result(true);
  }

  mkdirSync(cacheRoot, { recursive: true });
  const tmp = join(cacheRoot, `.tmp-history-${hash}-${process.pid}-${Date.now()}`);
  try {
    log(`history: generating 30 days of samples (cache ${dir} is cold)`);
    const files = writeOpenMetrics(join(tmp, 'openmetrics'), tmp);
    log(`history: backfilling ${files.length} chunks with promtool, ${PARALLEL} at a time`);
    await backfill(files, tmp, join(tmp, 'blocks'));
    rmSync(join(tmp, 'openmetrics'), { recursive: true, force: true });
    writeFileSync(join(tmp, 'COMPLETE'), `${hash}\n`);
    try {
      renameSync(tmp, dir);
    } catch (error) {
      if (!existsSync(join(dir, 'COMPLETE'))) throw error;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  pruneOld(cacheRoot, dir);
  return result(false);
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/**
 * Remove caches of older generator versions, and temp dirs of builds whose
 * process is gone (an interrupted run). Only our own names in our cache root.
 */
function pruneOld(cacheRoot, keep) {
  for (const name of readdirSync(cacheRoot)) {
    const full = join(cacheRoot, name);
    const tmp = /^\.tmp-history-[0-9a-f]{16}-(\d+)-\d+$/.exec(name);
    if (tmp && !alive(Number(tmp[1]))) {
      rmSync(full, { recursive: true, force: true });
      continue;
    }
    if (full === keep || !/^history-[0-9a-f]{16}$/.test(name)) continue;
    try {
      if (statSync(full).isDirectory()) rmSync(full, { recursive: true, force: true });
    } catch {
      // another process may be removing it too
    }
  }
}

async function main(argv) {
  const outIdx = argv.indexOf('--out');
  if (outIdx >= 0) {
    const out = resolve(argv[outIdx + 1] ?? '');
    const files = writeOpenMetrics(out);
    console.log(`wrote ${files.length} OpenMetrics chunks and expected.json to ${out}`);
    return;
  }
  const h = await ensureHistory({ log: (m) => console.error(m) });
  console.log(JSON.stringify(h, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`history: ${error.message}`);
    process.exit(1);
  });
}
