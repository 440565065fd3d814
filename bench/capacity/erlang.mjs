#!/usr/bin/env node
/**
 * How long `relia capacity queue`'s core takes at internet scale, in process:
 * evaluating M/M/c (Erlang C through the Erlang B recursion, O(c)) and sizing
 * (the upward scan that carries Erlang B along, O(answer)), for c = 1,000,
 * 10,000 and 100,000 servers at occupancy 0.9 and at a load a hair below c.
 * No servers.
 *
 *   npm run build && node bench/capacity/erlang.mjs [--rounds 21] [--json]
 *
 * Figures: the median and the max over the rounds, after one warm-up.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { mmc, solveServers } = await import(pathToFileURL(join(ROOT, 'dist/src/core/capacity/erlang.js')).href);

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const ROUNDS = Number(arg('--rounds', '21'));
const JSON_OUT = process.argv.includes('--json');

function time(fn) {
  fn(); // warm-up
  const ms = [];
  let out;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    out = fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)], maxMs: ms[ms.length - 1], out };
}

const rows = [];
for (const c of [1_000, 10_000, 100_000]) {
  for (const rho of [0.9, 1 - 1e-9]) {
    const load = c * rho;
    const e = time(() => mmc({ arrivalRate: load, serviceTime: 1, servers: c, targetWait: 0.1 }));
    rows.push({ what: 'evaluate', servers: c, occupancy: rho, medianMs: e.medianMs, maxMs: e.maxMs, probabilityOfWait: e.out.probabilityOfWait });
  }
  const s = time(() => solveServers({ arrivalRate: c * 0.95, serviceTime: 1, targetServiceLevel: 0.99, targetWait: 0.01 }));
  rows.push({ what: 'size SL 99% in 10ms', servers: s.out.servers, occupancy: s.out.occupancy, medianMs: s.medianMs, maxMs: s.maxMs, probabilityOfWait: s.out.probabilityOfWait });
}

if (JSON_OUT) console.log(JSON.stringify({ node: process.version, rounds: ROUNDS, rows }, null, 2));
else {
  console.log(`node ${process.version}, ${ROUNDS} rounds (median / max ms)`);
  for (const r of rows) {
    console.log(`${r.what.padEnd(20)} c=${String(r.servers).padStart(7)}  ρ=${r.occupancy.toPrecision(10).padEnd(12)}  ${r.medianMs.toFixed(3).padStart(8)} / ${r.maxMs.toFixed(3).padStart(8)} ms  P(wait)=${r.probabilityOfWait.toPrecision(6)}`);
  }
}
