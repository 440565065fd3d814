import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors.js';
import { parseConfig, redactText, redactedView, resolveConfig } from '../../../../src/core/config/resolve.js';
import { renderStarterConfig } from '../../../../src/core/config/starter.js';

const FILE = '/repo/relia.config.yaml';
const good = `
version: 1
defaultEnvironment: staging
environments:
  staging:
    metrics: { url: "http://prom.staging:9090", timeout: 5s }
    redis: { url: "redis://cache:6379/1" }
  prod:
    metrics:
      url: https://prom.prod:9090
      auth: { type: bearer, tokenEnv: PROM_TOKEN }
`;

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseConfig', () => {
  it('accepts a valid file and applies defaults', () => {
    const c = parseConfig(good, FILE);
    expect(c.environments.staging?.metrics).toEqual({ provider: 'prometheus', url: 'http://prom.staging:9090', timeout: '5s', retries: 2 });
  });

  it('names the file, the field path and what was expected', () => {
    const e = inputError(() => parseConfig('environments:\n  prod:\n    metrics:\n      url: prom:9090\n', FILE));
    expect(e.message).toBe(`${FILE}: environments.prod.metrics.url: expected an http(s) URL such as http://127.0.0.1:9090`);
    expect(e.field).toBe('environments.prod.metrics.url');
    expect(e.file).toBe(FILE);
    expect(e.exitCode).toBe(2);
    expect(e.suggestions.join(' ')).toMatch(/docs\/config\.md/);
  });

  it('lists every problem, not just the first', () => {
    const e = inputError(() => parseConfig('environments:\n  a:\n    metrics: { url: x, timeout: soon }\n    redsi: {}\n', FILE));
    expect(e.message).toMatch(/3 problems/);
    expect(e.message).toMatch(/environments\.a\.metrics\.url/);
    expect(e.message).toMatch(/environments\.a\.metrics\.timeout: expected a duration/);
    expect(e.message).toMatch(/environments\.a: unknown field "redsi"/);
  });

  it('refuses secrets in the file and says where they go', () => {
    const e = inputError(() => parseConfig('environments:\n  a:\n    redis: { url: "redis://h:1", password: hunter2 }\n', FILE));
    expect(e.field).toBe('environments.a.redis.password');
    expect(e.message).not.toMatch(/hunter2/);
    expect(e.suggestions[0]).toMatch(/passwordEnv/);
  });

  it('reports YAML syntax errors with a line number', () => {
    const e = inputError(() => parseConfig('environments:\n  a: [unclosed\n', FILE));
    expect(e.message).toMatch(/invalid YAML at line \d+/);
  });

  it('never throws anything but InputError, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseConfig(text, FILE);
          return true;
        } catch (e) {
          return e instanceof InputError && e.message.startsWith(FILE);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('resolveConfig: file → env → flags', () => {
  const file = { path: FILE, text: good };

  it('selects the default environment, then RELIA_ENV, then --env', () => {
    expect(resolveConfig({ file, env: {} }).environment).toBe('staging');
    expect(resolveConfig({ file, env: { RELIA_ENV: 'prod' } }).environment).toBe('prod');
    expect(resolveConfig({ file, env: { RELIA_ENV: 'prod' }, flags: { env: 'staging' } }).environment).toBe('staging');
  });

  it('an unknown environment lists the known ones', () => {
    const e = inputError(() => resolveConfig({ file, env: {}, flags: { env: 'qa' } }));
    expect(e.field).toBe('--env');
    expect(e.suggestions[0]).toBe('use one of: staging, prod');
  });

  it('env vars override the file and flags override env vars, with sources recorded', () => {
    const r1 = resolveConfig({ file, env: { RELIA_METRICS_URL: 'http://env:9090' } });
    expect(r1.settings.metrics?.url).toBe('http://env:9090');
    expect(r1.settings.metrics?.timeout).toBe('5s');
    expect(r1.sources['metrics.url']).toBe('env');
    const r2 = resolveConfig({ file, env: { RELIA_METRICS_URL: 'http://env:9090' }, flags: { metricsUrl: 'http://flag:9090' } });
    expect(r2.settings.metrics?.url).toBe('http://flag:9090');
    expect(r2.sources['metrics.url']).toBe('flag');
  });

  it('a bad override names the env var or flag', () => {
    expect(inputError(() => resolveConfig({ env: { RELIA_METRICS_URL: 'nope' } })).field).toBe('RELIA_METRICS_URL');
    expect(inputError(() => resolveConfig({ env: {}, flags: { metricsUrl: 'ftp://x' } })).field).toBe('--prometheus');
    expect(inputError(() => resolveConfig({ env: { RELIA_REDIS_URL: 'http://x' } })).field).toBe('RELIA_REDIS_URL');
  });

  it('reads secrets only from the environment, and redacts them', () => {
    const r = resolveConfig({ file, env: { PROM_TOKEN: 's3cret-token' }, flags: { env: 'prod' } });
    expect(r.secrets.metricsToken).toBe('s3cret-token');
    const view = JSON.stringify(redactedView(r));
    expect(view).not.toContain('s3cret-token');
    expect(view).toContain('PROM_TOKEN');
    expect(redactText('Authorization: Bearer s3cret-token', r.secrets, [])).toBe('Authorization: Bearer ***');
  });

  it('redacts a secret that holds another whole, leaving no tail of the longer one', () => {
    // the metrics token is the start of a header's value: replacing the token first would leave "***-extra"
    const text = 'header s3cret-extra and token s3cret';
    expect(redactText(text, { metricsToken: 's3cret', httpHeaders: { 'X-Api-Key': 's3cret-extra' } }, [])).toBe('header *** and token ***');
    expect(redactText(text, { redisPassword: 's3cret', metricsHeaders: { 'X-Scope': 's3cret-extra' } }, [])).toBe('header *** and token ***');
    // a command's own secrets (a chaos experiment's) and the config's, either holding the other
    expect(redactText(text, { metricsToken: 's3cret' }, ['s3cret-extra'])).toBe('header *** and token ***');
    expect(redactText(text, { metricsToken: 's3cret-extra' }, ['s3cret'])).toBe('header *** and token ***');
  });

  it('redacts passwords in URLs', () => {
    const r = resolveConfig({ env: { RELIA_REDIS_URL: 'redis://:pa55word@cache:6379/0' } });
    expect(JSON.stringify(redactedView(r))).not.toContain('pa55word');
  });

  it('works with no file at all', () => {
    const r = resolveConfig({ env: {} });
    expect(r.file).toBeNull();
    expect(r.environment).toBeNull();
    expect(r.settings).toEqual({});
  });
});

describe('starter config', () => {
  it('renders a file that parses back', () => {
    const text = renderStarterConfig({ environment: 'prod', prometheusUrl: 'http://p:9090', redisUrl: 'redis://r:6379/0', tokenEnv: 'PROM_TOKEN' });
    const c = parseConfig(text, 'x.yaml');
    expect(c.defaultEnvironment).toBe('prod');
    expect(c.environments.prod?.metrics?.auth).toEqual({ type: 'bearer', tokenEnv: 'PROM_TOKEN' });
  });
  it('names the init flag behind a bad value', () => {
    expect(inputError(() => renderStarterConfig({ environment: 'x', prometheusUrl: 'nope' })).field).toBe('--prometheus-url');
    expect(inputError(() => renderStarterConfig({ environment: 'x', redisUrl: 'nope' })).field).toBe('--redis-url');
  });
});
