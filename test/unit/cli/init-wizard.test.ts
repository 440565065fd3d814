import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleSloSpec } from '../../../src/core/config/starter.js';
import { runWizard, type Ask } from '../../../src/cli/init/wizard.js';
import { answersFromFlags, writeStarter } from '../../../src/cli/init/write.js';
import { parseConfig } from '../../../src/core/config/resolve.js';

/**
 * A scripted Ask: each text question takes a list of attempts; every attempt
 * goes through the question's validate, as inquirer does on Enter, and the
 * first accepted one is the answer. What each rejected attempt was told is kept.
 */
function scripted(script: Array<string | string[]>): { ask: Ask; asked: string[]; rejected: Array<[string, string]> } {
  const asked: string[] = [];
  const rejected: Array<[string, string]> = [];
  const next = () => {
    const step = script.shift();
    if (step === undefined) throw new Error(`no scripted answer left for: ${asked.at(-1)}`);
    return step;
  };
  const ask: Ask = {
    async text(o) {
      asked.push(o.message);
      const step = next();
      for (const attempt of Array.isArray(step) ? step : [step]) {
        const value = attempt === '' && o.default !== undefined ? o.default : attempt;
        const verdict = await o.validate(value);
        if (verdict === true) return value;
        rejected.push([attempt, verdict]);
      }
      throw new Error(`every attempt at "${o.message}" was rejected`);
    },
    async choose(message, choices) {
      asked.push(message);
      const step = next() as string;
      const choice = choices.find((c) => c.value === step);
      if (!choice) throw new Error(`${message}: no choice ${step}`);
      return choice.value;
    },
  };
  return { ask, asked, rejected };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'relia-wizard-'));

describe('the init wizard', () => {
  it('checks each answer as it is given: a bad one is told why and asked again; skip writes nothing for that part', async () => {
    const dir = tmp();
    const notes: string[] = [];
    const { ask, asked, rejected } = scripted(['', 'url', ['prometheus:9090', 'http://127.0.0.1:9090/api/v1', 'http://127.0.0.1:9090'], 'yes', ['ey.J9-token', 'PROM_TOKEN'], 'example', 'skip']);
    const answers = await runWizard({ ask, configPath: join(dir, 'relia.config.yaml'), cwd: dir, env: {}, probe: async () => ({ note: 'Prometheus answers' }), note: (l) => notes.push(l) }, { environment: 'local' });
    expect(answers).toEqual({ environment: 'local', prometheusUrl: 'http://127.0.0.1:9090', tokenEnv: 'PROM_TOKEN', sloDir: 'slos', exampleSlo: true });
    expect(rejected).toEqual([
      ['prometheus:9090', 'expected an http(s) URL such as http://127.0.0.1:9090'],
      ['http://127.0.0.1:9090/api/v1', 'drop /api/v1 from the URL (relia adds /api/v1/query itself): http://127.0.0.1:9090'],
      ['ey.J9-token', "expected an environment variable name such as PROM_TOKEN (the variable's name, not the token itself)"],
    ]);
    expect(notes).toEqual(['Prometheus answers', 'PROM_TOKEN is not set in this shell: export it before running budget commands']);
    expect(asked).toEqual([
      'Environment name',
      'Prometheus, for budget and capacity commands',
      'Prometheus URL',
      'Does Prometheus need a bearer token?',
      'Environment variable holding the token (its name, not the token)',
      'SLO specs, for a first budget check',
      'Redis, for cache commands',
    ]);
  });

  it('a URL that answers but is not a Prometheus is rejected with the probe\'s reason', async () => {
    const dir = tmp();
    const { ask, rejected } = scripted(['dev', 'url', ['http://127.0.0.1:8080', 'http://127.0.0.1:9090'], 'no', 'skip', 'skip']);
    const probe = async (url: string) => (url.endsWith(':8080') ? { problem: 'http://127.0.0.1:8080 does not look like a Prometheus HTTP API' } : { note: 'ok' });
    const answers = await runWizard({ ask, configPath: join(dir, 'relia.config.yaml'), cwd: dir, env: {}, probe, note: () => undefined }, { environment: 'local' });
    expect(rejected).toEqual([['http://127.0.0.1:8080', 'http://127.0.0.1:8080 does not look like a Prometheus HTTP API']]);
    expect(answers).toEqual({ environment: 'dev', prometheusUrl: 'http://127.0.0.1:9090', exampleSlo: false });
  });

  it('an SLO directory must exist and hold specs that parse; it is written relative to the config file', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'empty'));
    mkdirSync(join(dir, 'specs'));
    writeFileSync(join(dir, 'specs', 'a.yaml'), exampleSloSpec());
    mkdirSync(join(dir, 'conf'));
    const notes: string[] = [];
    const { ask, rejected } = scripted(['', 'skip', 'dir', ['nowhere', 'empty', 'specs'], 'url', ['http://cache:6379', 'redis://cache:6379/0']]);
    const answers = await runWizard({ ask, configPath: join(dir, 'conf', 'relia.config.yaml'), cwd: dir, env: {}, probe: async () => ({ note: '' }), note: (l) => notes.push(l) }, { environment: 'local' });
    expect(rejected.map(([a, m]) => [a, m.split(':')[0]])).toEqual([
      ['nowhere', join(dir, 'nowhere')],
      ['empty', `--slo ${join(dir, 'empty')}`],
      ['http://cache:6379', 'expected a redis URL such as redis'],
    ]);
    expect(rejected[0]?.[1]).toContain('no such directory (choose "Create an example spec" to start one)');
    expect(notes).toEqual([`1 SLO in ${join(dir, 'specs')}`]);
    expect(answers).toMatchObject({ sloDir: '../specs', redisUrl: 'redis://cache:6379/0', exampleSlo: false });
  });
});

describe('relia init from flags, and the writing', () => {
  it('no answer flags: null (ask, or --yes); bad answers name their flag', () => {
    const dir = tmp();
    const path = join(dir, 'relia.config.yaml');
    expect(answersFromFlags({}, dir, path)).toBeNull();
    expect(() => answersFromFlags({ 'token-env': 'PROM_TOKEN' }, dir, path)).toThrow(/--token-env: names the token of a Prometheus/);
    expect(() => answersFromFlags({ 'prometheus-url': 'http://p/api/v1' }, dir, path)).toThrow(/^--prometheus-url: drop \/api\/v1/);
    expect(() => answersFromFlags({ 'slo-dir': 'none' }, dir, path)).toThrow(/^--slo-dir: .*no such directory/);
  });

  it('writes the example spec and the config; the config names the directory', () => {
    const dir = tmp();
    const path = join(dir, 'relia.config.yaml');
    const answers = answersFromFlags({ 'example-slo': true, 'redis-url': 'redis://r:6379/0' }, dir, path);
    expect(answers).toEqual({ environment: 'local', exampleSlo: true, sloDir: 'slos', redisUrl: 'redis://r:6379/0' });
    const example = writeStarter(path, answers!);
    expect(example).toBe(join(dir, 'slos', 'example.yaml'));
    expect(readFileSync(example!, 'utf8')).toBe(exampleSloSpec());
    expect(parseConfig(readFileSync(path, 'utf8'), path)).toMatchObject({ budget: { slos: ['slos'] }, environments: { local: { redis: { url: 'redis://r:6379/0' } } } });
    // A second --example-slo keeps the spec that is there.
    expect(answersFromFlags({ 'example-slo': true }, dir, path)?.exampleSlo).toBe(false);
  });
});

describe('relia init in-process (no terminal here)', () => {
  it('--yes writes a starter; the next commands name --config when relia would not find the file; no answers is exit 2', async () => {
    const { runInProcess } = await import('../../helpers/in-process.js');
    const { default: Init } = await import('../../../commands/init.js');
    const dir = tmp();
    const path = join(dir, 'conf', 'relia.config.yaml');
    mkdirSync(join(dir, 'conf'));
    const ok = await runInProcess(Init, ['--path', path, '--yes', '--json']);
    expect(ok.exitCode).toBe(0);
    const result = ok.json<{ result: { path: string; sloDir: string | null; next: string[] } }>().result;
    expect(result.path).toBe(path);
    expect(result.sloDir).toBeNull();
    expect(result.next[0]).toMatch(/^relia config validate --config \S*conf\/relia\.config\.yaml$/);
    const none = await runInProcess(Init, ['--path', join(dir, 'other.yaml'), '--json']);
    expect(none.exitCode).toBe(2);
    expect(none.json<{ error: { message: string } }>().error.message).toContain('asks its questions only on a terminal');
  });
});
