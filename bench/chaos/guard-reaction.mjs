#!/usr/bin/env node
/**
 * Guard reaction time (issue 12): from the first sample over the threshold to
 * the fault removed, over N runs (default 20). Target: at most one guard
 * interval plus the rollback's own time.
 *
 *   npm run build && node bench/chaos/guard-reaction.mjs [--runs 20] [--interval 200] [--json]
 *
 * Real time, real sockets, relia's real engine (dist/src/core/chaos/engine.js)
 * with the system clock. The origin is a node:http server on 127.0.0.1 (a
 * free port); the fault is 300 ms of latency added by the origin itself
 * (a bench-local action that registers its undo on injection, as every relia
 * action does); the userImpact guard samples it every 20 ms through fetch and
 * counts a response slower than 200 ms as bad, max 1 %. Each run:
 * inject → the first slow sample → the next guard check trips → the method
 * aborts → the undo removes the latency. The journal's abort record gives
 * firstOverAt, trippedAt, removedAt and reactionMs.
 */
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { z } = await import('zod');
const { ActivityRegistry } = await dist('src/core/chaos/activity.js');
const { ChaosRun } = await dist('src/core/chaos/engine.js');
const { parseNative } = await dist('src/core/chaos/native.js');
const { checkExperiment } = await dist('src/core/chaos/validate.js');
const { systemClock } = await dist('src/cli/base-command.js');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const RUNS = Number(arg('--runs', '20'));
const INTERVAL = Number(arg('--interval', '200'));
const JSON_OUT = process.argv.includes('--json');

let delayMs = 0;
const server = createServer((req, res) => {
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok');
  }, delayMs);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const registry = new ActivityRegistry();
registry.addAction({
  type: 'bench.origin-latency',
  summary: 'adds latency at the origin',
  args: z.strictObject({ ms: z.number() }),
  plan: async (a) => ({ targets: [{ kind: 'url', id: url }], does: `add ${a.ms} ms`, undo: 'remove it' }),
  run: async (a, ctx) => {
    delayMs = a.ms;
    ctx.inject({ description: `origin latency ${a.ms} ms`, manualUndo: 'restart the bench', undo: async () => void (delayMs = 0) });
    return { delayMs };
  },
});
registry.addProbe({
  type: 'bench.get',
  summary: 'GET the origin',
  args: z.strictObject({}),
  plan: async () => ({ targets: [{ kind: 'url', id: url }], does: `GET ${url}`, undo: 'nothing to undo' }),
  run: async (_a, ctx) => {
    const t0 = performance.now();
    const res = await fetch(url, { signal: ctx.signal });
    await res.text();
    return { status: res.status, latencyMs: performance.now() - t0 };
  },
});

const exp = parseNative(
  {
    title: 'guard reaction bench',
    method: [{ name: 'slow origin', action: 'bench.origin-latency', args: { ms: 300 } }, { pause: '60s' }],
    guards: [{ type: 'userImpact', name: 'users', probe: { probe: 'bench.get' }, every: '20ms', slowerThan: '200ms', max: '1%', window: '10s' }],
  },
  { file: 'bench', env: {}, vars: {} },
);
const args = checkExperiment(exp, registry, 'bench');
const ports = { get: async (p) => Promise.reject(new Error(`no ${p} port in the bench`)) };

const rows = [];
for (let i = 0; i < RUNS; i++) {
  delayMs = 0;
  const run = new ChaosRun(exp, {
    registry,
    args,
    ports,
    clock: systemClock,
    random: Math.random,
    policy: { allowKubeContexts: [], allowAwsAccounts: [], protectedNamespaces: [], protectedLabels: {} },
    signal: new AbortController().signal,
    guardIntervalMs: INTERVAL,
    halt: async () => null,
  });
  const { journal, exitCode } = await run.run();
  const a = journal.relia.abort;
  if (exitCode !== 4 || !a || a.reactionMs === undefined) throw new Error(`run ${i}: expected a guard abort, got exit ${exitCode}: ${journal.relia.reason}`);
  const tripped = Date.parse(a.trippedAt);
  const first = Date.parse(a.firstOverAt);
  const removed = Date.parse(a.removedAt);
  rows.push({ reactionMs: a.reactionMs, detectMs: tripped - first, rollbackMs: removed - tripped, withinTarget: a.reactionMs <= INTERVAL + (removed - tripped) });
}
server.close();

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
  console.log(`guard reaction over ${RUNS} runs, guard interval ${INTERVAL} ms (first sample over the threshold → fault removed):`);
  console.log(`  reaction  min ${summary.reaction.min} ms, median ${summary.reaction.median} ms, p95 ${summary.reaction.p95} ms, max ${summary.reaction.max} ms`);
  console.log(`  detect    (first bad sample → guard tripped) median ${summary.detect.median} ms, max ${summary.detect.max} ms`);
  console.log(`  rollback  (tripped → fault removed) median ${summary.rollback.median} ms, max ${summary.rollback.max} ms`);
  console.log(`  every run within one guard interval + its rollback time: ${summary.allWithinTarget ? 'yes' : 'NO'}`);
}
process.exit(summary.allWithinTarget ? 0 : 1);
