#!/usr/bin/env node
/**
 * `relia budget check` over N SLOs (default 200) on the 30-day history,
 * against the floor: the very PromQL relia sends (taken from relia's own
 * planner, dist/src/core/budget planAll), sent straight to Prometheus with the
 * same concurrency. Target (issue 3): relia ≤ 2× the floor.
 *
 *   npm run build && node bench/budget/run.mjs [--slos 200] [--rounds 5] [--concurrency 8] [--json]
 *
 * Servers: RELIA_TEST_SERVERS=<servers.json> reuses a running set; otherwise
 * Prometheus alone is started with scripts/servers.mjs (and always stopped).
 *
 * Figures (medians over the rounds, after one warm-up of each):
 *   relia    the whole `relia budget check --json` process (node startup,
 *            oclif, spec parsing, providers, queries, evaluation, output):
 *            what a CI pipeline pays.
 *   engine   relia's evaluateSlos in this process with the real adapter
 *            (no process startup): the engine's own overhead.
 *   floor    the same queries over plain fetch, same concurrency, answers
 *            parsed as JSON and nothing else.
 *   startup  `relia --version`, for scale.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RELIA = join(ROOT, 'bin', 'run.js');

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const SLOS = Number(arg('--slos', '200'));
const ROUNDS = Number(arg('--rounds', '5'));
const CONCURRENCY = Number(arg('--concurrency', '8'));
const JSON_OUT = process.argv.includes('--json');

const SERVICES = ['checkout', 'search', 'playback', 'billing', 'recommendations'];
const OBJECTIVES = [99, 99.5, 99.9, 99.95, 99.99];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timed(cmd, args) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), seconds: (performance.now() - t0) / 1000 }));
  });
}

async function withPrometheus(fn) {
  const given = process.env.RELIA_TEST_SERVERS;
  if (given) return fn(JSON.parse(readFileSync(given, 'utf8')));
  const state = mkdtempSync(join(tmpdir(), 'relia-bench-budget-'));
  const up = spawnSync(process.execPath, [join(ROOT, 'scripts/servers.mjs'), 'up', '--state', state, '--only', 'prometheus'], { encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`servers did not start:\n${up.stderr}`);
  try {
    return await fn(JSON.parse(readFileSync(join(state, 'servers.json'), 'utf8')));
  } finally {
    spawnSync(process.execPath, [join(ROOT, 'scripts/servers.mjs'), 'down', '--state', state], { encoding: 'utf8' });
    rmSync(state, { recursive: true, force: true });
  }
}

/** N SLOs over the five services: objectives and SLI forms vary, all 30d windows. */
function specs(n) {
  const docs = [];
  for (let i = 0; i < n; i++) {
    const service = SERVICES[i % SERVICES.length];
    const objective = OBJECTIVES[Math.floor(i / SERVICES.length) % OBJECTIVES.length];
    const sli =
      i % 2 === 0
        ? `  bad: sum(rate(http_requests_total{service="${service}",code="500"}[{{.window}}]))\n  total: sum(rate(http_requests_total{service="${service}"}[{{.window}}]))`
        : `  good: sum(rate(http_requests_total{service="${service}",code!="500"}[{{.window}}]))\n  total: sum(rate(http_requests_total{service="${service}"}[{{.window}}]))`;
    docs.push(`apiVersion: relia/v1\nkind: SLO\nservice: ${service}\nname: slo-${String(i).padStart(3, '0')}\nobjective: ${objective}\nwindow: 30d\nsli:\n${sli}\n`);
  }
  return docs.join('---\n');
}

async function pool(items, limit, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function post(base, path, params) {
  const res = await fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`Prometheus: ${body.error}`);
  return body;
}

/** The floor: relia's planned queries, sent directly, SLOs `limit` at a time, the two queries of an SLO in parallel. */
async function floor(base, plans, limit) {
  const t0 = performance.now();
  await pool(plans, limit, (p) =>
    Promise.all([
      post(base, 'api/v1/query', { query: p.instant.query, time: (p.instant.time / 1000).toFixed(3), timeout: '10s' }),
      post(base, 'api/v1/query_range', { query: p.range.query, start: (p.range.start / 1000).toFixed(3), end: (p.range.end / 1000).toFixed(3), step: String(p.range.step), timeout: '10s' }),
    ]),
  );
  return (performance.now() - t0) / 1000;
}

await withPrometheus(async (info) => {
  const prom = info.prometheus.url;
  const expected = JSON.parse(readFileSync(info.history.expectedFile, 'utf8'));
  const END = expected.end;
  const tmp = mkdtempSync(join(tmpdir(), 'relia-bench-budget-specs-'));
  try {
    const file = join(tmp, 'slos.yaml');
    writeFileSync(file, specs(SLOS));

    const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
    const { loadSpecs } = await dist('src/core/budget/specs/index.js');
    const { planAll, evaluateSlos, defaultPolicy, validatePolicyOverrides } = await dist('src/core/budget/index.js');
    const { createPrometheusSource } = await import(pathToFileURL(join(ROOT, 'plugins/prometheus/dist/adapter.js')).href);
    const { makeKit } = await dist('src/cli/providers.js');
    const slos = loadSpecs([{ file, text: readFileSync(file, 'utf8') }], { validatePolicy: validatePolicyOverrides });
    const at = Date.parse(END);
    const plans = planAll(slos, defaultPolicy(), at);
    const queries = plans.length * 2;

    const reliaArgs = [RELIA, 'budget', 'check', '--slo', file, '--prometheus', prom, '--at', END, '--concurrency', String(CONCURRENCY), '--json'];
    const engineRun = async () => {
      const source = createPrometheusSource({ url: prom, timeoutMs: 10_000, retries: 2 }, makeKit('bench'));
      const t0 = performance.now();
      const ev = await evaluateSlos(slos, source, { at, policy: defaultPolicy(), concurrency: CONCURRENCY });
      const s = (performance.now() - t0) / 1000;
      await source.close();
      if (ev.queries !== queries) throw new Error(`engine sent ${ev.queries} queries, planned ${queries}`);
      return s;
    };

    // Warm-up (page cache, Prometheus' chunk cache, node's compile cache), and a sanity check.
    const warm = await timed(process.execPath, reliaArgs);
    if (warm.status !== 0 && warm.status !== 1) throw new Error(`relia budget check failed (${warm.status}):\n${warm.stderr || warm.stdout}`);
    const result = JSON.parse(warm.stdout).result;
    if (result.queries !== queries || result.slos.length !== SLOS) throw new Error(`relia sent ${result.queries} queries for ${result.slos.length} SLOs; planned ${queries} for ${SLOS}`);
    await floor(prom, plans, CONCURRENCY);
    await engineRun();
    await timed(process.execPath, [RELIA, '--version']);

    const t = { relia: [], engine: [], floor: [], startup: [] };
    for (let r = 0; r < ROUNDS; r++) {
      t.floor.push(await floor(prom, plans, CONCURRENCY));
      const run = await timed(process.execPath, reliaArgs);
      if (run.status !== 0 && run.status !== 1) throw new Error(`relia budget check failed (${run.status})`);
      t.relia.push(run.seconds);
      t.engine.push(await engineRun());
      t.startup.push((await timed(process.execPath, [RELIA, '--version'])).seconds);
    }
    const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
    const out = {
      slos: SLOS,
      queries,
      queriesPerSlo: queries / SLOS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      at: END,
      seconds: m,
      all: t,
      ratio: m.relia / m.floor,
      engineRatio: m.engine / m.floor,
      target: 2,
      verdicts: { pass: result.summary.pass, fail: result.summary.fail, noData: result.summary.noData },
    };
    if (JSON_OUT) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else {
      const f = (s) => `${s.toFixed(3)} s`;
      console.log(`relia budget check: ${SLOS} SLOs × 30 d, ${queries} queries (${queries / SLOS} per SLO), concurrency ${CONCURRENCY}, median of ${ROUNDS}`);
      console.log(`  floor (same PromQL, plain fetch)   ${f(m.floor)}`);
      console.log(`  relia engine (in-process)          ${f(m.engine)}   ${(m.engine / m.floor).toFixed(2)}× floor`);
      console.log(`  relia budget check (whole process) ${f(m.relia)}   ${(m.relia / m.floor).toFixed(2)}× floor   (target ≤ 2×)`);
      console.log(`  relia --version (startup, for scale) ${f(m.startup)}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
