#!/usr/bin/env node
/**
 * Redis warming throughput, copy mode (issue 6):
 *   relia cache warm --target redis://COLD --from redis://WARM   (500,000 keys, 200-byte values)
 * against what users reach for today, `redis-cli --pipe` loading the same keys
 * and values into the same (cold) server, and against the server's own SET
 * limit, `redis-benchmark -t set -P 16`. Target: relia ≥ 1.0× redis-cli --pipe.
 *
 *   node bench/cache/redis-copy.mjs [--keys 500000] [--rounds 3] [--json]
 *
 * Needs a build (npm run build) and redis-server, redis-cli, redis-benchmark.
 * Each round: FLUSHDB the cold DB, time `redis-cli --pipe`; FLUSHDB, time the
 * relia copy (whole process, SCAN of the source included). relia's engine-only
 * rate (its own durationSeconds: the copy, with the SCAN streamed into it,
 * after startup) is reported too.
 */
import { spawnSync } from 'node:child_process';
import { arg, median, portOf, RELIA, timed, withServers } from './common.mjs';

const N = Number(arg('--keys', '500000'));
const ROUNDS = Number(arg('--rounds', '3'));
const DB = 9;
const VALUE = 'v'.repeat(200);

function cli(port, ...args) {
  const r = spawnSync('redis-cli', ['-p', port, '-n', String(DB), ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`redis-cli ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** The RESP stream `redis-cli --pipe` reads: SET bench:N <200 bytes> for every key. */
function protocol() {
  const parts = [];
  for (let i = 0; i < N; i++) {
    const key = `bench:${i}`;
    parts.push(`*3\r\n$3\r\nSET\r\n$${Buffer.byteLength(key)}\r\n${key}\r\n$${VALUE.length}\r\n${VALUE}\r\n`);
  }
  return Buffer.from(parts.join(''));
}

await withServers('redis', async (s) => {
  const warm = portOf(s.redis[0].url);
  const cold = portOf(s.redis[1].url);
  const proto = protocol();
  cli(warm, 'FLUSHDB');
  const fill = await timed('redis-cli', ['-p', warm, '-n', String(DB), '--pipe'], { input: proto });
  if (fill.status !== 0) throw new Error(fill.stderr);
  if (Number(cli(warm, 'DBSIZE')) !== N) throw new Error('the warm server does not hold every key');

  const pipe = [];
  const reliaWall = [];
  const reliaEngine = [];
  for (let r = 0; r < ROUNDS; r++) {
    cli(cold, 'FLUSHDB');
    const p = await timed('redis-cli', ['-p', cold, '-n', String(DB), '--pipe'], { input: proto });
    if (p.status !== 0) throw new Error(p.stderr);
    pipe.push(N / p.seconds);
    cli(cold, 'FLUSHDB');
    const w = await timed('node', [RELIA, 'cache', 'warm', '--target', `${s.redis[1].url}/${DB}`, '--from', `${s.redis[0].url}/${DB}`, '--no-progress', '--no-lock', '--hit-ratio-sample', '0', '--json']);
    const out = JSON.parse(w.stdout);
    if (out.status !== 0 || out.result.warmed !== N) throw new Error(`relia copy failed: ${w.stdout.slice(0, 500)}\n${w.stderr}`);
    if (Number(cli(cold, 'DBSIZE')) !== N) throw new Error('relia did not copy every key');
    reliaWall.push(N / w.seconds);
    reliaEngine.push(N / out.result.durationSeconds);
  }
  const bench = spawnSync('redis-benchmark', ['-p', cold, '-t', 'set', '-P', '16', '-n', '1000000', '-d', '200', '-r', String(N), '-q'], { encoding: 'utf8' });
  const setPerS = Number(/SET: ([\d.]+) requests per second/.exec(bench.stdout)?.[1] ?? NaN);
  cli(warm, 'FLUSHDB');
  cli(cold, 'FLUSHDB');

  const res = {
    keys: N,
    valueBytes: 200,
    rounds: ROUNDS,
    redisCliPipeKeysPerS: Math.round(median(pipe)),
    reliaCopyKeysPerS: Math.round(median(reliaWall)),
    reliaCopyEngineKeysPerS: Math.round(median(reliaEngine)),
    redisBenchmarkSetP16PerS: Math.round(setPerS),
  };
  res.ratioVsRedisCliPipe = Number((res.reliaCopyKeysPerS / res.redisCliPipeKeysPerS).toFixed(2));
  res.ratioVsRedisBenchmark = Number((res.reliaCopyKeysPerS / res.redisBenchmarkSetP16PerS).toFixed(2));
  if (process.argv.includes('--json')) console.log(JSON.stringify(res, null, 2));
  else {
    console.log(`Redis copy of ${N} keys × 200 B (median of ${ROUNDS}):`);
    console.log(`  redis-cli --pipe                 ${res.redisCliPipeKeysPerS.toLocaleString('en')} keys/s`);
    console.log(`  relia cache warm --from          ${res.reliaCopyKeysPerS.toLocaleString('en')} keys/s (whole process; engine alone ${res.reliaCopyEngineKeysPerS.toLocaleString('en')} keys/s)`);
    console.log(`  redis-benchmark -t set -P 16     ${res.redisBenchmarkSetP16PerS.toLocaleString('en')} SET/s`);
    console.log(`  ratio vs redis-cli --pipe ${res.ratioVsRedisCliPipe}× (target ≥ 1.0×), vs redis-benchmark ${res.ratioVsRedisBenchmark}×`);
  }
});
