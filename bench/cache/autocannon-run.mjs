#!/usr/bin/env node
/**
 * One autocannon run for bench/cache/http.mjs, in a process of its own (as a
 * user runs autocannon, and as relia runs: neither starts with a warmed-up
 * JIT): every URL of FILE once, over C connections.
 *
 *   node bench/cache/autocannon-run.mjs FILE C
 *
 * Prints {responses, ok, errors, non2xx, seconds}: seconds from autocannon's
 * start to its last response (its own `done` waits for a once-a-second tick).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [file, connections] = [process.argv[2], Number(process.argv[3] ?? 16)];
const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const origin = new URL(urls[0]).origin;
const paths = urls.map((x) => {
  const u = new URL(x);
  return `${u.pathname}${u.search}`;
});
// one shared request whose path advances: every URL once, whichever connection is free
// (a `requests` array of all URLs would make each connection start again from the first)
let next = 0;
const requests = [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }];
let responses = 0;
let last = 0;
const t0 = performance.now();
const instance = autocannon({ url: origin, connections, amount: urls.length, requests });
instance.on('response', () => {
  responses++;
  last = performance.now();
});
const r = await new Promise((resolve, reject) => {
  instance.on('done', resolve);
  instance.on('error', reject);
});
console.log(JSON.stringify({ responses, ok: r['2xx'], errors: r.errors, non2xx: r.non2xx, seconds: (last - t0) / 1000 }));
