/**
 * The chaos commands in-process (oclif's runner, captured output): exit
 * codes and the JSON envelope of validate, plan, journal and run's plan mode
 * and flag checks, measured by coverage. Nothing here injects a fault: run is
 * exercised off a TTY without --yes (the plan), with bad input (exit 2) and
 * while halted (exit 4); halt and unhalt write and clear the file, the Redis
 * key and the ConfigMap (MemoryCache and MemoryCluster behind the hook).
 * The subprocess e2e tests (test/e2e/chaos-*.test.ts) run the built binary.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import ChaosHalt, { type ChaosHaltResult } from '../../../commands/chaos/halt.js';
import ChaosJournal, { type ChaosJournalResult } from '../../../commands/chaos/journal.js';
import ChaosPlan, { type ChaosPlanResult } from '../../../commands/chaos/plan.js';
import ChaosRun, { type ChaosRunResult } from '../../../commands/chaos/run.js';
import ChaosUnhalt, { type ChaosUnhaltResult } from '../../../commands/chaos/unhalt.js';
import ChaosValidate, { type ChaosValidateResult } from '../../../commands/chaos/validate.js';
import type { ProviderRegistration } from '../../../src/ports/providers.js';
import { MemoryCache } from '../../fakes/memory-cache.js';
import { MemoryCluster } from '../../fakes/memory-cluster.js';
import { fakeProvider, runInProcess } from '../../helpers/in-process.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'relia-chaos-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// the halt switch lives under the config dir: an empty one of our own
const env = { XDG_CONFIG_HOME: join(dir, 'config') };

interface Env<R> {
  status: number;
  result?: R;
  error?: { name: string; message: string; field?: string; suggestions: string[] };
  warnings: string[];
}

function file(name: string, data: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof data === 'string' ? data : stringify(data));
  return path;
}

const probe = { name: 'health', probe: 'http.request', args: { url: 'http://127.0.0.1:1/health' }, tolerance: 200 };
const latency = { name: 'add 300 ms', action: 'network.latency', args: { listen: '127.0.0.1:1', upstream: '127.0.0.1:2', latency: '300ms' } };

describe('chaos validate in-process', () => {
  it('the docs example: exit 0, the envelope with every activity, guard and the registered types', async () => {
    const r = await runInProcess(ChaosValidate, [join(ROOT, 'docs/examples/chaos/latency.yaml'), '--json'], { env });
    expect(r.exitCode).toBe(0);
    const e = r.json<Env<ChaosValidateResult>>();
    expect(e.status).toBe(0);
    expect(e.warnings).toEqual([]);
    expect(e.result).toMatchObject({ valid: true, format: 'relia', title: 'Checkout survives 300 ms of origin latency', rollbacks: 0 });
    expect(e.result?.activities.map((a) => [a.path, a.type])).toEqual([
      ['steadyState.probes[0]', 'http.request'],
      ['method[0]', 'network.latency'],
      ['guards[0].probe', 'http.request'],
    ]);
    expect(e.result?.guards.map((g) => [g.name, g.type, g.onError])).toEqual([
      ['users', 'userImpact', 'abort'],
      ['maxDuration#2', 'maxDuration', 'abort'], // an unnamed guard is named by its type and place
    ]);
    expect(e.result?.registered.probes).toContain('process.run');
  });

  it('an unknown action: exit 2, InputError naming the file and the field path, with a suggestion', async () => {
    const path = file('unknown.yaml', { title: 't', method: [{ name: 'x', action: 'network.latencyy', args: {} }] });
    const r = await runInProcess(ChaosValidate, [path, '--json'], { env });
    expect(r.exitCode).toBe(2);
    const e = r.json<Env<never>>();
    expect(e.status).toBe(2);
    expect(e.error?.name).toBe('InputError');
    expect(e.error?.message).toContain(path);
    expect(e.error?.message).toMatch(/method\[0\].*unknown action type "network\.latencyy"/);
    expect(e.error?.suggestions.join(' ')).toMatch(/did you mean network\./);
  });

  it('a tolerance probe that cannot take the measured value: exit 2 naming ...tolerance', async () => {
    const path = file('tol.yaml', { title: 't', steadyState: { probes: [{ ...probe, tolerance: { type: 'probe', probe: 'prometheus.query', args: { query: 'up' } } }] }, method: [latency] });
    const r = await runInProcess(ChaosValidate, [path, '--json'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.json<Env<never>>().error?.message).toMatch(/steadyState\.probes\[0\]\.tolerance.*prometheus\.query cannot be a tolerance probe/s);
  });

  it('a missing secret env var, and a percent over 100: exit 2 each, nothing else printed on stdout in human mode', async () => {
    const secret = file('secret.yaml', { title: 't', secrets: { api: { token: { type: 'env', key: 'RELIA_TEST_UNSET_TOKEN' } } }, method: [latency] });
    const r1 = await runInProcess(ChaosValidate, [secret], { env: { ...env, RELIA_TEST_UNSET_TOKEN: undefined } });
    expect(r1.exitCode).toBe(2);
    expect(r1.stderr).toMatch(/RELIA_TEST_UNSET_TOKEN/);
    expect(r1.stdout).toBe('');
    const pct = file('pct.yaml', { title: 't', method: [{ name: 'kill', action: 'kubernetes.pod-kill', args: { namespace: 'shop', selector: 'app=api', mode: { percent: 150 } } }] });
    const r2 = await runInProcess(ChaosValidate, [pct, '--json'], { env });
    expect(r2.exitCode).toBe(2);
    expect(r2.json<Env<never>>().error?.message).toMatch(/method\[0\]\.args\.mode/);
  });
});

describe('chaos plan in-process', () => {
  it('resolves every step read-only, in run order, with how each is undone: exit 0', async () => {
    const path = file('plan.yaml', { title: 'plan me', steadyState: { probes: [probe] }, method: [latency, { pause: '5s' }], rollbacks: [{ name: 'note', action: 'process.run', args: { path: 'true' } }] });
    const r = await runInProcess(ChaosPlan, [path, '--json'], { env });
    expect(r.exitCode).toBe(0);
    const e = r.json<Env<ChaosPlanResult>>();
    expect(e.status).toBe(0);
    expect(e.result?.halted).toBeNull();
    expect(e.result?.steps.map((s) => [s.phase, s.path, s.kind])).toEqual([
      ['steady-state', 'steadyState.probes[0]', 'probe'],
      ['method', 'method[0]', 'action'],
      ['method', 'method[1]', 'pause'],
      ['rollbacks', 'rollbacks[0]', 'action'],
    ]);
    expect(e.result?.steps[1]?.undo).toMatch(/clear the toxics/);
    const human = await runInProcess(ChaosPlan, [path], { env });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/method\[0\] action add 300 ms \(network\.latency\)/);
  });

  it('bad input is exit 2 before anything is resolved', async () => {
    const r = await runInProcess(ChaosPlan, [file('bad-plan.yaml', { title: 't', method: [] }), '--json'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.json<Env<never>>().error?.name).toBe('InputError');
  });
});

describe('chaos run in-process (nothing injected)', () => {
  it('off a TTY without --yes: the plan, mode plan, exit 0, and a warning that nothing was done', async () => {
    const path = file('run-plan.yaml', { title: 'run me', steadyState: { probes: [probe] }, method: [latency] });
    const r = await runInProcess(ChaosRun, [path, '--json', '--journal', join(dir, 'never.json')], { env });
    expect(r.exitCode).toBe(0);
    const e = r.json<Env<ChaosRunResult>>();
    expect(e.result).toMatchObject({ mode: 'plan', exitCode: 0, status: null, journalPath: null });
    expect(e.warnings.join(' ')).toMatch(/nothing was done: pass --yes/);
  });

  it('--hypothesis-frequency or --fail-fast without --hypothesis-strategy continuously, or continuously with no steady state: exit 2 naming the flag', async () => {
    const withSteady = file('ss.yaml', { title: 't', steadyState: { probes: [probe] }, method: [latency] });
    const r1 = await runInProcess(ChaosRun, [withSteady, '--hypothesis-frequency', '2s', '--json'], { env });
    expect(r1.exitCode).toBe(2);
    expect(r1.json<Env<never>>().error).toMatchObject({ name: 'InputError', field: '--hypothesis-frequency' });
    const r2 = await runInProcess(ChaosRun, [withSteady, '--fail-fast', '--json'], { env });
    expect(r2.json<Env<never>>().error?.field).toBe('--fail-fast');
    const noSteady = file('nss.yaml', { title: 't', method: [latency] });
    const r3 = await runInProcess(ChaosRun, [noSteady, '--hypothesis-strategy', 'continuously', '--json'], { env });
    expect(r3.exitCode).toBe(2);
    expect(r3.json<Env<never>>().error?.field).toBe('--hypothesis-strategy');
    const r4 = await runInProcess(ChaosRun, [withSteady, '--hypothesis-strategy', 'continuously', '--hypothesis-frequency', 'often', '--json'], { env });
    expect(r4.exitCode).toBe(2);
    expect(r4.json<Env<never>>().error?.field).toBe('--hypothesis-frequency');
  });
});

describe('chaos journal in-process', () => {
  const run = (name: string, met?: boolean) => ({ activity: { name }, status: 'succeeded', output: { status: 200 }, start: '2026-12-03T10:00:00.000Z', end: '2026-12-03T10:00:00.100Z', duration: 0.1, ...(met === undefined ? {} : { tolerance_met: met }) });
  const state = (met: boolean) => ({ steady_state_met: met, probes: [run('health', met)] });
  // a chaostoolkit journal (no relia section) with two checks during the method
  const journal = {
    experiment: { title: 'ctk run' },
    status: 'completed',
    deviated: false,
    start: '2026-12-03T10:00:00.000Z',
    end: '2026-12-03T10:00:05.000Z',
    duration: 5,
    steady_states: { before: state(true), after: state(true), during: [state(true), state(false)] },
    run: [run('add latency')],
    rollbacks: [],
  };

  it('renders a chaostoolkit journal: exit 0, rows by phase, the during checks, Markdown and JUnit files', async () => {
    const path = file('journal.json', JSON.stringify(journal));
    const md = join(dir, 'report.md');
    const junit = join(dir, 'report.xml');
    const r = await runInProcess(ChaosJournal, [path, '--markdown', md, '--junit', junit, '--json'], { env });
    expect(r.exitCode).toBe(0);
    const e = r.json<Env<ChaosJournalResult>>();
    expect(e.status).toBe(0);
    expect(e.result).toMatchObject({ title: 'ctk run', status: 'completed', exitCode: 0, during: { checks: 2, met: 1 }, reports: { markdown: md, junit } });
    expect(e.result?.rows.map((x) => [x.phase, x.name])).toEqual([
      ['before', 'health'],
      ['method', 'add latency'],
      ['after', 'health'],
    ]);
    expect(readFileSync(md, 'utf8')).toMatch(/Hypothesis during the method: 1 of 2 checks met/);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testsuite name="ctk run" tests="4" failures="0"/);
    const human = await runInProcess(ChaosJournal, [path], { env });
    expect(human.stdout).toMatch(/hypothesis during the method: 1 of 2 checks met/);
  });

  it('not JSON, or JSON that is not a journal: exit 2 naming FILE', async () => {
    const r1 = await runInProcess(ChaosJournal, [file('not.json', '{oops'), '--json'], { env });
    expect(r1.exitCode).toBe(2);
    expect(r1.json<Env<never>>().error).toMatchObject({ name: 'InputError', field: 'FILE' });
    const r2 = await runInProcess(ChaosJournal, [file('other.json', '{"hello": 1}'), '--json'], { env });
    expect(r2.exitCode).toBe(2);
    expect(r2.json<Env<never>>().error?.message).toMatch(/not a chaos journal/);
  });
});

describe('chaos halt and unhalt in-process', () => {
  /** A config whose prod environment has Redis at `redisUrl`, and the halt's places (`extra`: more of chaos.halt). */
  const haltConfig = (name: string, redisUrl: string, haltFile: string, extra = '') =>
    file(`${name}.yaml`, `version: 1\ndefaultEnvironment: prod\nenvironments:\n  prod:\n    redis: { url: "${redisUrl}" }\nchaos:\n  halt: { file: ${JSON.stringify(haltFile)}, redisKey: "relia:chaos:halt"${extra} }\n`);

  it('halt writes the record to the file, the Redis key and the ConfigMap configured; unhalt clears all three; unhalt again says none was set', async () => {
    const redis = new MemoryCache();
    const cluster = new MemoryCluster();
    const haltFile = join(dir, 'halt', 'chaos-halt.json');
    const cfg = haltConfig('halt-config', 'redis://halt.test:6379/0', haltFile, ', configMap: chaos/relia-halt');
    const providers = [fakeProvider('cache', 'redis', () => redis), fakeProvider('cluster', 'kubernetes', () => cluster)];
    const run = <R>(Cmd: Parameters<typeof runInProcess>[0], argv: string[]) => runInProcess<R>(Cmd, [...argv, '--config', cfg], { env, providers });
    const places = [`file ${haltFile}`, 'redis key relia:chaos:halt', 'configmap chaos/relia-halt'];

    const h = await run<ChaosHaltResult>(ChaosHalt, ['--reason', 'incident 4711', '--json']);
    expect(h.exitCode, h.stdout + h.stderr).toBe(0);
    expect(h.json<Env<ChaosHaltResult>>().result).toMatchObject({ halted: true, reason: 'incident 4711', places });
    expect(JSON.parse(readFileSync(haltFile, 'utf8'))).toMatchObject({ reason: 'incident 4711' });
    expect(JSON.parse(redis.value('relia:chaos:halt') ?? '{}')).toMatchObject({ reason: 'incident 4711' });
    expect(await cluster.getConfigMap('chaos', 'relia-halt')).toMatchObject({ reason: 'incident 4711' });

    // a halt blocks new runs: exit 4, nothing injected (docs/chaos.md#halt)
    const path = file('halted-run.yaml', { title: 'halted', method: [latency] });
    const refused = await run<ChaosRunResult>(ChaosRun, [path, '--yes', '--json', '--journal', join(dir, 'halted-journal.json')]);
    expect(refused.exitCode, refused.stdout + refused.stderr).toBe(4);
    expect(refused.stdout).toMatch(/incident 4711/);

    const u = await run<ChaosUnhaltResult>(ChaosUnhalt, []);
    expect(u.exitCode).toBe(0);
    expect(u.stdout).toBe(`cleared the halt (incident 4711): ${places.join(', ')}\n`);
    expect(existsSync(haltFile)).toBe(false);
    expect(redis.has('relia:chaos:halt')).toBe(false);
    expect(await cluster.getConfigMap('chaos', 'relia-halt')).toBeNull();
    const again = await run<ChaosUnhaltResult>(ChaosUnhalt, ['--json']);
    expect(again.json<Env<ChaosUnhaltResult>>().result).toEqual({ halted: false, cleared: null, places });
  });

  it('a configured Redis that cannot be reached: halt is exit 3 (the file is still written first)', async () => {
    const haltFile = join(dir, 'halt-down', 'chaos-halt.json');
    const cfg = haltConfig('halt-down', 'redis://down.test:6379/0', haltFile);
    const down = { port: 'cache', scheme: 'redis', create: async (_s, kit) => Promise.reject(new kit.errors.DependencyError('redis', 'cannot connect to Redis at redis://down.test:6379/0: ECONNREFUSED')) } satisfies ProviderRegistration<'cache'>;
    const r = await runInProcess(ChaosHalt, ['--config', cfg, '--json'], { env, providers: [down] });
    expect(r.exitCode).toBe(3);
    expect(r.json<Env<never>>().error?.message).toMatch(/ECONNREFUSED/);
    expect(existsSync(haltFile)).toBe(true);
  });
});
