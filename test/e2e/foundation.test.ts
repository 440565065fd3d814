import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, relia, reliaJson } from '../helpers/relia.js';

const HEAVY = /node_modules\/(ioredis|undici|@aws-sdk|@smithy|@kubernetes|ink|react|@inquirer)\/|plugins\/(prometheus|redis|http)\/dist\/adapter|plugins\/aws\/dist\/(?!hooks\/)|plugins\/kubernetes\/dist\/(?!hooks\/)/;

async function loadedModules(args: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'relia-trace-'));
  const file = join(dir, 'modules.txt');
  const r = await relia(args, { env: { RELIA_TRACE_FILE: file }, nodeOptions: ['--import', join(ROOT, 'test/fixtures/trace-modules.mjs')] });
  expect(r.exitCode).toBe(0);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

describe('lazy loading', () => {
  it.each([[['--help']], [['--version']], [['budget', '--help']], [['cache', '--help']], [['capacity', '--help']], [['risk', '--help']], [['capacity', 'queue', '--help']], [['config', 'show']], [['providers', 'list']]])('relia %j loads no adapter SDK, UI or prompt library', async (args) => {
    const modules = await loadedModules(args);
    expect(modules.length).toBeGreaterThan(10); // the trace works: oclif itself was seen
    expect(modules.some((m) => m.includes('@oclif/core'))).toBe(true);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it('`providers list` runs the aws and kubernetes hooks without loading their SDKs', async () => {
    const modules = await loadedModules(['providers', 'list']);
    expect(modules.some((m) => m.includes('plugins/aws/dist/hooks/providers.js'))).toBe(true);
    expect(modules.some((m) => m.includes('plugins/kubernetes/dist/hooks/providers.js'))).toBe(true);
    expect(modules.filter((m) => /@aws-sdk|@smithy|@kubernetes/.test(m))).toEqual([]);
  });

  it.each([[['chaos', '--help']], [['chaos', 'validate', '--help']], [['chaos', 'run', '--help']], [['failover', '--help']], [['failover', 'apply', '--help']], [['failover', 'evaluate', '--help']]])('relia %j loads no @aws-sdk, @smithy or @kubernetes module, nor the aws/kubernetes adapters', async (args) => {
    const modules = await loadedModules(args);
    expect(modules.some((m) => m.includes('@oclif/core'))).toBe(true);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });
});

describe('output and exit-code contract', () => {
  it('--json prints exactly one envelope on success', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-cfg-'));
    const { json, exitCode, stderr } = await reliaJson(['config', 'validate'], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(json).toEqual({ status: 0, result: { file: null, environments: [], environment: null, valid: true }, warnings: [] });
  });

  it('a bad config gives exit 2, the file and the field path, and a suggestion', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-cfg-'));
    writeFileSync(join(dir, 'relia.config.yaml'), 'environments:\n  prod:\n    metrics:\n      url: prometheus:9090\n');
    const human = await relia(['config', 'validate'], { cwd: dir });
    expect(human.exitCode).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(`${join(dir, 'relia.config.yaml')}: environments.prod.metrics.url: expected an http(s) URL`);
    expect(human.stderr).toMatch(/Try this: /);
    expect(human.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    const { json } = await reliaJson(['config', 'validate'], { cwd: dir });
    expect(json.status).toBe(2);
    expect(json.error?.field).toBe('environments.prod.metrics.url');
    expect(json.error?.suggestions.length).toBeGreaterThan(0);
  });

  it('the config is found upward from the working directory, and --config overrides it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-cfg-'));
    writeFileSync(join(dir, 'relia.config.yaml'), 'environments:\n  a:\n    metrics: { url: "http://127.0.0.1:1" }\n');
    const sub = join(dir, 'deep', 'er');
    (await import('node:fs')).mkdirSync(sub, { recursive: true });
    const { json } = await reliaJson(['config', 'show'], { cwd: sub });
    expect(json.result).toMatchObject({ file: join(dir, 'relia.config.yaml'), environment: 'a' });
    writeFileSync(join(dir, 'other.yaml'), 'environments:\n  b: {}\n');
    const other = await reliaJson(['config', 'show', '--config', join(dir, 'other.yaml')], { cwd: sub });
    expect(other.json.result).toMatchObject({ environment: 'b' });
  });

  it('a bad flag gives exit 2 and the help pointer, as JSON too', async () => {
    const r = await relia(['config', 'show', '--nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown flag --nope/);
    expect(r.stderr).toMatch(/relia config show --help/);
    const j = await reliaJson(['config', 'show', '--nope']);
    expect(j.json.status).toBe(2);
    expect(j.json.error?.name).toBe('InputError');
    const typo = await relia(['config', 'show', '--confgi', 'x.yaml']);
    expect(typo.stderr).toContain('did you mean --config?');
  });

  it('never prints secrets, even in config show', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-cfg-'));
    writeFileSync(join(dir, 'relia.config.yaml'), 'environments:\n  p:\n    metrics:\n      url: "http://127.0.0.1:1"\n      auth: { type: bearer, tokenEnv: PROM_TOKEN }\n');
    const r = await relia(['config', 'show', '--verbose'], { cwd: dir, env: { PROM_TOKEN: 'tok-very-secret' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('tok-very-secret');
    expect(r.stdout).toContain('PROM_TOKEN');
  });

  it('colour only on a TTY: piped output has no escape codes even with colour-capable TERM', async () => {
    const r = await relia(['config', 'validate', '--nope'], { env: { NO_COLOR: undefined, TERM: 'xterm-256color' } });
    expect(r.stderr.includes('\u001b[')).toBe(false);
  });
});

describe('relia init', () => {
  it('writes a starter config from flags without prompting when not on a TTY', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-init-'));
    const { json, exitCode } = await reliaJson(['init', '--prometheus-url', 'http://127.0.0.1:9090', '--environment', 'dev'], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ environment: 'dev', written: true });
    expect(readFileSync(join(dir, 'relia.config.yaml'), 'utf8')).toContain('url: http://127.0.0.1:9090');
    const validate = await reliaJson(['config', 'validate'], { cwd: dir });
    expect(validate.json.result).toMatchObject({ environment: 'dev' });
  });

  it('refuses to overwrite, and a bad value writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-init-'));
    expect((await relia(['init', '--yes'], { cwd: dir })).exitCode).toBe(0);
    const again = await relia(['init', '--yes'], { cwd: dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    const dir2 = mkdtempSync(join(tmpdir(), 'relia-init-'));
    const bad = await relia(['init', '--redis-url', 'http://nope'], { cwd: dir2 });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--redis-url: expected a redis URL/);
    expect(existsSync(join(dir2, 'relia.config.yaml'))).toBe(false);
  });

  it('off a TTY with no answers: exit 2 naming the flags to pass, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-init-'));
    const r = await relia(['init'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('asks its questions only on a terminal');
    expect(r.stderr).toContain('--prometheus-url http://HOST:9090 --slo-dir slos');
    expect(r.stderr).toContain('relia init --yes');
    expect(existsSync(join(dir, 'relia.config.yaml'))).toBe(false);
  });

  it('flags: --slo-dir with --example-slo writes budget.slos and a spec budget validate reads, and prints the next commands', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-init-'));
    const { json, exitCode } = await reliaJson(['init', '--prometheus-url', 'http://127.0.0.1:9', '--token-env', 'PROM_TOKEN', '--example-slo'], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(json.result).toMatchObject({ sloDir: 'slos', exampleSlo: join(dir, 'slos', 'example.yaml'), next: ['relia config validate', 'relia budget status', 'relia budget check'] });
    const validate = await reliaJson(['budget', 'validate'], { cwd: dir });
    expect(validate.exitCode).toBe(0);
    expect(validate.json.result).toMatchObject({ slos: [{ id: 'example/availability' }] });
    const missing = await relia(['init', '--slo-dir', 'nowhere', '--path', 'other.yaml'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/--slo-dir: .*nowhere: no such directory/);
    expect(existsSync(join(dir, 'other.yaml'))).toBe(false);
  });
});
