#!/usr/bin/env node
/**
 * HTTP warming throughput through nginx (issue 6): `relia cache warm --target
 * NGINX` over N URLs, against a load generator on the same URLs with the same
 * connection count. Target: relia ≥ 70% of the generator.
 *
 *   node bench/cache/http.mjs [--urls 5000] [--connections 16] [--rounds 3] [--json]
 *
 * The generator is autocannon (a devDependency) on the same URLs, each once,
 * in a process of its own like relia (bench/cache/autocannon-run.mjs), timed
 * from its start to its last response: autocannon's own `done` and duration
 * wait for its one-second tick, which made short runs look up to 3× slower
 * than they are. Without autocannon a bare undici loop
 * (keep-alive, the same connections, no pacing, no classification) stands
 * in, and the output says so. Both hit a warm cache (the URLs are fetched
 * once first), so the figure is the client's request throughput, not the
 * origin's. relia is timed as a whole process, startup included, and by its
 * own durationSeconds. relia's startup (about 0.3 s, mostly oclif and
 * config) is a large share of a 5,000-URL run; `--urls 50000` (the issue's
 * "top 50,000 titles") shows the steady state.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arg, median, RELIA, ROOT, timed, withServers } from './common.mjs';

const N = Number(arg('--urls', '5000'));
const C = Number(arg('--connections', '16'));
const ROUNDS = Number(arg('--rounds', '3'));

async function generator(urls, file) {
  let haveAutocannon = true;
  try {
    await import('autocannon');
  } catch {
    haveAutocannon = false;
  }
  if (haveAutocannon) {
    const run = await timed('node', [join(ROOT, 'bench/cache/autocannon-run.mjs'), file, String(C)]);
    if (run.status !== 0) throw new Error(`autocannon failed: ${run.stderr}`);
    const r = JSON.parse(run.stdout);
    if (r.non2xx > 0 || r.ok < urls.length * 0.99) throw new Error(`autocannon: ${r.ok} 2xx of ${urls.length}, ${r.non2xx} other answers, ${r.errors} errors`);
    // connection errors (nginx closes a keep-alive connection after 1000 requests) are retried by relia, not by autocannon: count answers
    return { name: 'autocannon', perS: r.ok / r.seconds };
  }
  const { Agent, request } = await import('undici');
  const agent = new Agent({ connections: C, pipelining: 1 });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (next < urls.length) {
        const res = await request(urls[next++], { dispatcher: agent });
        await res.body.arrayBuffer();
      }
    }),
  );
  const perS = urls.length / ((performance.now() - t0) / 1000);
  await agent.close();
  return { name: 'undici loop (autocannon not installed)', perS };
}

await withServers('origin,nginx', async (s) => {
  const dir = mkdtempSync(join(tmpdir(), 'relia-bench-http-'));
  const tag = `bench-${process.pid}-${Date.now()}`;
  const urls = Array.from({ length: N }, (_, i) => `${s.nginx.url}/items/${tag}-${i}`);
  const file = join(dir, 'urls.txt');
  writeFileSync(file, `${urls.join('\n')}\n`);
  const args = ['cache', 'warm', '--source', file, '--target', 'http', '--concurrency', String(C), '--no-adaptive', '--no-progress', '--no-lock', '--json'];
  // fill the cache once (cold warm: origin fetches), then measure on the warm cache
  const cold = await timed('node', [RELIA, ...args]);
  const coldOut = JSON.parse(cold.stdout);
  const reliaWall = [];
  const reliaEngine = [];
  const gen = [];
  let genName = '';
  for (let r = 0; r < ROUNDS; r++) {
    const w = await timed('node', [RELIA, ...args]);
    const out = JSON.parse(w.stdout);
    if (out.status !== 0 || out.result.alreadyHot !== N) throw new Error(`relia warm failed: ${w.stdout.slice(0, 400)}`);
    reliaWall.push(N / w.seconds);
    reliaEngine.push(N / out.result.durationSeconds);
    const g = await generator(urls, file);
    gen.push(g.perS);
    genName = g.name;
  }
  const res = {
    urls: N,
    connections: C,
    rounds: ROUNDS,
    generator: genName,
    generatorUrlsPerS: Math.round(median(gen)),
    reliaUrlsPerS: Math.round(median(reliaWall)),
    reliaEngineUrlsPerS: Math.round(median(reliaEngine)),
    reliaColdUrlsPerS: Math.round(N / coldOut.result.durationSeconds),
  };
  res.ratio = Number((res.reliaUrlsPerS / res.generatorUrlsPerS).toFixed(2));
  res.engineRatio = Number((res.reliaEngineUrlsPerS / res.generatorUrlsPerS).toFixed(2));
  if (process.argv.includes('--json')) console.log(JSON.stringify(res, null, 2));
  else {
    console.log(`HTTP warming through nginx, ${N} URLs, ${C} connections (median of ${ROUNDS}, warm cache):`);
    console.log(`  ${genName.padEnd(40)} ${res.generatorUrlsPerS.toLocaleString('en')} URLs/s`);
    console.log(`  relia cache warm (whole process)         ${res.reliaUrlsPerS.toLocaleString('en')} URLs/s (${res.ratio}×, target ≥ 0.7×)`);
    console.log(`  relia cache warm (engine only)           ${res.reliaEngineUrlsPerS.toLocaleString('en')} URLs/s (${res.engineRatio}×)`);
    console.log(`  relia, cold cache (origin fetches)       ${res.reliaColdUrlsPerS.toLocaleString('en')} URLs/s`);
  }
});
