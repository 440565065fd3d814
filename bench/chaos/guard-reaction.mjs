#!/usr/bin/env node
/**
 * Guard reaction time (issue 12): from the first sample over the threshold to
 * the fault removed, over N runs (default 20). Target: at most one guard
 * interval plus the rollback's own time.
 *
 *   npm run build && node bench/chaos/guard-reaction.mjs [--runs 20] [--interval 200] [--json]
 *
 * What users run, in-process: relia's engine (dist/src/core/chaos/engine.js)
 * with the system clock, relia's own activities (the default registry:
 * `network.latency`, `http.request`), relia's TCP fault proxy
 * (plugins/local) and its undici HTTP client (plugins/http), as `chaos run`
 * wires them. The origin is a node:http server on a free loopback port;
 * each run starts the fault proxy in pass-through in front of it (as
 * `chaos run` does before the hypothesis), the method adds 300 ms of latency
 * through the proxy, and the userImpact guard samples the origin THROUGH the
 * proxy every 20 ms with `http.request`, counting a response slower than
 * 200 ms as bad, max 1 %. A random pause (0..interval) before the fault puts
 * the first slow sample at a random moment of the guard cycle. inject → the first slow sample → the next guard
 * check trips → the method aborts → the undo clears the proxy's latency. The
 * journal's abort record gives firstOverAt, trippedAt, removedAt and
 * reactionMs.
 */
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = (p) => import(pathToFileURL(join(ROOT, p)).href);
const { defaultRegistry } = await load('dist/src/core/chaos/actions/index.js');
const { startProxiesFor } = await load('dist/src/core/chaos/actions/network.js');
const { allActivities } = await load('dist/src/core/chaos/model.js');
const { ChaosRun } = await load('dist/src/core/chaos/engine.js');
const { parseNative } = await load('dist/src/core/chaos/native.js');
const { checkExperiment } = await load('dist/src/core/chaos/validate.js');
const { systemClock } = await load('dist/src/cli/base-command.js');
const { makeKit } = await load('dist/src/cli/providers.js');
const { createFaultProxy } = await load('plugins/local/dist/proxy.js');
const { createHttpClient } = await load('plugins/http/dist/adapter.js');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const RUNS = Number(arg('--runs', '20'));
const INTERVAL = Number(arg('--interval', '200'));
const JSON_OUT = process.argv.includes('--json');

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const origin = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
await new Promise((r) => origin.listen(0, '127.0.0.1', r));
const upstream = `127.0.0.1:${origin.address().port}`;

const kit = makeKit('bench');
const registry = defaultRegistry();
const policy = { allowKubeContexts: [], allowAwsAccounts: [], protectedNamespaces: [], protectedLabels: {} };

const rows = [];
for (let i = 0; i < RUNS; i++) {
  const listen = `127.0.0.1:${await freePort()}`;
  const exp = parseNative(
    {
      title: 'guard reaction bench',
      // A random pause first, so the first slow sample lands at a random moment of the guard cycle.
      method: [{ pause: `${Math.floor(Math.random() * INTERVAL)}ms` }, { name: 'add 300 ms', action: 'network.latency', args: { listen, upstream, latency: '300ms' } }, { pause: '60s' }],
      guards: [{ type: 'userImpact', name: 'users', probe: { probe: 'http.request', args: { url: `http://${listen}/` } }, every: '20ms', slowerThan: '200ms', max: '1%', window: '10s' }],
    },
    { file: 'bench', env: {}, vars: {} },
  );
  const args = checkExperiment(exp, registry, 'bench');
  // One set of ports per run, closed after it, as one `chaos run` process has.
  const proxy = createFaultProxy(kit);
  const http = createHttpClient({ timeoutMs: 10_000, userAgent: 'relia-bench' }, kit);
  const ports = { get: async (p) => (p === 'proxy' ? proxy : p === 'http' ? http : Promise.reject(new Error(`no ${p} port in the bench`))) };
  await startProxiesFor(allActivities(exp).map((a) => ({ type: a.type, args: a.args })), ports, Math.random);
  const run = new ChaosRun(exp, { registry, args, ports, clock: systemClock, random: Math.random, policy, signal: new AbortController().signal, guardIntervalMs: INTERVAL, halt: async () => null });
  const { journal, exitCode } = await run.run();
  await proxy.close();
  await http.close();
  const a = journal.relia.abort;
  if (exitCode !== 4 || !a || a.reactionMs === undefined) throw new Error(`run ${i}: expected a guard abort, got exit ${exitCode}: ${journal.relia.reason}`);
  const tripped = Date.parse(a.trippedAt);
  const first = Date.parse(a.firstOverAt);
  const removed = Date.parse(a.removedAt);
  rows.push({ reactionMs: a.reactionMs, detectMs: tripped - first, rollbackMs: removed - tripped, withinTarget: a.reactionMs <= INTERVAL + (removed - tripped) });
}
origin.close();

const pick = (k) => rows.map((r) => r[k]).sort((x, y) => x - y);
const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const summary = {
  runs: RUNS,
  guardIntervalMs: INTERVAL,
  reaction: { min: pick('reactionMs')[0], median: q(pick('reactionMs'), 0.5), p95: q(pick('reactionMs'), 0.95), max: pick('reactionMs').at(-1) },
  detect: { median: q(pick('detectMs'), 0.5), max: pick('detectMs').at(-1) },
  rollback: { median: q(pick('rollbackMs'), 0.5), max: pick('rollbackMs').at(-1) },
  allWithinTarget: rows.every((r) => r.withinTarget),
};
if (JSON_OUT) console.log(JSON.stringify({ summary, rows }, null, 2));
else {
  console.log(`guard reaction over ${RUNS} runs, guard interval ${INTERVAL} ms, 300 ms injected through relia's fault proxy (first sample over the threshold → fault removed):`);
  console.log(`  reaction  min ${summary.reaction.min} ms, median ${summary.reaction.median} ms, p95 ${summary.reaction.p95} ms, max ${summary.reaction.max} ms`);
  console.log(`  detect    (first bad sample → guard tripped) median ${summary.detect.median} ms, max ${summary.detect.max} ms`);
  console.log(`  rollback  (tripped → fault removed) median ${summary.rollback.median} ms, max ${summary.rollback.max} ms`);
  console.log(`  every run within one guard interval + its rollback time: ${summary.allWithinTarget ? 'yes' : 'NO'}`);
}
process.exit(summary.allWithinTarget ? 0 : 1);
