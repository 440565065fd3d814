/**
 * Config resolution as docs/config.md promises it: which environment is used
 * and how an unknown one is named (--env, RELIA_ENV, defaultEnvironment, the
 * only one), file → env → flags for each setting with its source recorded,
 * secrets read only from the environment variables the file names (or the
 * RELIA_* defaults), and what `config show` prints of them. Values by hand.
 */
import { describe, expect, it } from 'vitest';
import { redactedView, resolveConfig } from '../../../../src/core/config/resolve.js';
import { expectInputError } from '../error-contract.js';

const FILE = '/repo/relia.config.yaml';
const two = `
version: 1
environments:
  staging:
    metrics: { url: "http://prom.staging:9090" }
  prod:
    metrics: { url: "https://prom.prod:9090", timeout: 5s }
    redis: { url: "redis://cache:6379/1", passwordEnv: CACHE_PW, usernameEnv: CACHE_USER }
    http: { headersFromEnv: { X-Api-Key: CDN_KEY, X-Empty: EMPTY_VAR } }
`;
const file = (text: string) => ({ path: FILE, text });

describe('which environment', () => {
  it('--env, else RELIA_ENV, else defaultEnvironment, else the only one, else none', () => {
    expect(resolveConfig({ file: file(two), env: { RELIA_ENV: 'staging' }, flags: { env: 'prod' } }).environment).toBe('prod');
    expect(resolveConfig({ file: file(two), env: { RELIA_ENV: 'staging' } }).environment).toBe('staging');
    expect(resolveConfig({ file: file(`defaultEnvironment: prod\n${two}`), env: {} }).environment).toBe('prod');
    expect(resolveConfig({ file: file('environments:\n  only:\n    metrics: { url: "http://p:9090" }\n'), env: {} }).environment).toBe('only');
    expect(resolveConfig({ file: file(two), env: {} })).toMatchObject({ environment: null, settings: {}, sources: {} });
    expect(resolveConfig({ file: file(two), env: { RELIA_ENV: '' } }).environment).toBeNull();
  });
  it('an unknown one is exit 2 naming where the name came from and the names there are', () => {
    const e = expectInputError(() => resolveConfig({ file: file(two), env: {}, flags: { env: 'qa' } }), '--env', [`--env: no environment named "qa" in ${FILE}`]);
    expect(e.suggestions).toEqual(['use one of: staging, prod']);
    expectInputError(() => resolveConfig({ file: file(two), env: { RELIA_ENV: 'qa' } }), 'RELIA_ENV', ['RELIA_ENV: no environment named "qa"']);
    expectInputError(() => resolveConfig({ file: file(`defaultEnvironment: qa\n${two}`), env: {} }), `${FILE}: defaultEnvironment`, [`${FILE}: defaultEnvironment: no environment named "qa" in ${FILE}`]);
    const none = expectInputError(() => resolveConfig({ env: {}, flags: { env: 'prod' } }), '--env', ['--env: no environment named "prod" (no config file found)']);
    expect(none.suggestions).toEqual(['create one with `relia init`, or drop --env']);
  });
});

describe('file → environment variables → flags', () => {
  it('the file first, each key recorded as "file"', () => {
    const r = resolveConfig({ file: file(two), env: {}, flags: { env: 'prod' } });
    expect(r.settings.metrics).toEqual({ provider: 'prometheus', url: 'https://prom.prod:9090', timeout: '5s', retries: 2 });
    expect(r.sources).toMatchObject({ 'metrics.url': 'file', 'metrics.timeout': 'file', 'redis.url': 'file', 'http.headersFromEnv': 'file' });
  });
  it('RELIA_METRICS_URL over RELIA_PROMETHEUS_URL over the file, --prometheus over all; the rest of the section is kept', () => {
    const env = { RELIA_METRICS_URL: 'http://env-a:9090', RELIA_PROMETHEUS_URL: 'http://env-b:9090' };
    const r = resolveConfig({ file: file(two), env, flags: { env: 'prod' } });
    expect([r.settings.metrics?.url, r.settings.metrics?.timeout, r.sources['metrics.url']]).toEqual(['http://env-a:9090', '5s', 'env']);
    expect(resolveConfig({ file: file(two), env: { RELIA_PROMETHEUS_URL: 'http://env-b:9090' }, flags: { env: 'prod' } }).settings.metrics?.url).toBe('http://env-b:9090');
    const f = resolveConfig({ file: file(two), env, flags: { env: 'prod', metricsUrl: 'http://flag:9090' } });
    expect([f.settings.metrics?.url, f.sources['metrics.url']]).toEqual(['http://flag:9090', 'flag']);
    // no file: the URL alone makes a metrics section with the defaults
    expect(resolveConfig({ env: { RELIA_METRICS_URL: 'http://p:9090' } }).settings.metrics).toEqual({ provider: 'prometheus', url: 'http://p:9090', timeout: '10s', retries: 2 });
  });
  it('a bad override is exit 2 naming the variable or flag and how to write it', () => {
    const e = expectInputError(() => resolveConfig({ env: { RELIA_METRICS_URL: 'prom:9090' } }), 'RELIA_METRICS_URL', ['RELIA_METRICS_URL: expected an http(s) URL', 'got "prom:9090"']);
    expect(e.suggestions).toEqual(['set it like http://127.0.0.1:9090']);
    expectInputError(() => resolveConfig({ env: { RELIA_PROMETHEUS_URL: 'x' } }), 'RELIA_PROMETHEUS_URL');
    // a space anywhere is no URL (the URL parser would quietly encode it into the path)
    expectInputError(() => resolveConfig({ env: { RELIA_METRICS_URL: 'http://p:9090/prom etheus' } }), 'RELIA_METRICS_URL');
    expectInputError(() => resolveConfig({ env: { RELIA_REDIS_URL: 'redis://cache:6379/0 x' } }), 'RELIA_REDIS_URL');
    expectInputError(() => resolveConfig({ env: {}, flags: { metricsUrl: 'x' } }), '--prometheus');
    expect(expectInputError(() => resolveConfig({ env: { RELIA_REDIS_URL: 'cache:6379' } }), 'RELIA_REDIS_URL').suggestions).toEqual(['set it like redis://127.0.0.1:6379/0']);
    expectInputError(() => resolveConfig({ env: {}, flags: { redisUrl: 'x' } }), '--redis');
    expect(expectInputError(() => resolveConfig({ env: { RELIA_HTTP_TIMEOUT: 'soon' } }), 'RELIA_HTTP_TIMEOUT').suggestions).toEqual(['set it like 10s']);
    expectInputError(() => resolveConfig({ env: { RELIA_METRICS_URL: 'http://p:9090', RELIA_METRICS_TIMEOUT: 'soon' } }), 'RELIA_METRICS_TIMEOUT');
    expectInputError(() => resolveConfig({ env: { RELIA_AWS_ENDPOINT: 'localstack' } }), 'RELIA_AWS_ENDPOINT');
  });
  it('the provider needs a metrics URL; flag over variable', () => {
    const e = expectInputError(() => resolveConfig({ env: { RELIA_METRICS_PROVIDER: 'prometheus' } }), 'metrics.url', ['RELIA_METRICS_PROVIDER is set but no metrics URL is configured']);
    expect(e.suggestions).toEqual(['set RELIA_METRICS_URL, pass --prometheus URL, or add metrics.url to the environment']);
    const r = resolveConfig({ env: { RELIA_METRICS_URL: 'http://p:9090', RELIA_METRICS_PROVIDER: 'env-provider' }, flags: { metricsProvider: 'flag-provider' } });
    expect([r.settings.metrics?.provider, r.sources['metrics.provider']]).toEqual(['flag-provider', 'flag']);
    expect(resolveConfig({ env: { RELIA_METRICS_URL: 'http://p:9090', RELIA_METRICS_PROVIDER: 'datadog' } }).sources['metrics.provider']).toBe('env');
    const url = { RELIA_METRICS_URL: 'http://p:9090' };
    expect(expectInputError(() => resolveConfig({ env: { ...url, RELIA_METRICS_PROVIDER: 'Bad Name' } }), 'RELIA_METRICS_PROVIDER').suggestions).toEqual(['set it like prometheus']);
    expectInputError(() => resolveConfig({ env: { ...url, RELIA_METRICS_PROVIDER: 'ok' }, flags: { metricsProvider: 'Bad Name' } }), '--metrics-provider', ['--metrics-provider: expected a provider name such as prometheus, got "Bad Name"']);
  });
  it('timeouts, Redis, AWS and Kubernetes from the environment, each recorded', () => {
    const r = resolveConfig({
      file: file(two),
      flags: { env: 'prod' },
      env: { RELIA_METRICS_TIMEOUT: '3s', RELIA_REDIS_URL: 'redis://other:6379/2', RELIA_HTTP_TIMEOUT: '2s', RELIA_AWS_REGION: 'eu-west-1', RELIA_AWS_ENDPOINT: 'http://127.0.0.1:5000', RELIA_KUBE_CONTEXT: 'kind', RELIA_KUBE_NAMESPACE: 'shop' },
    });
    expect([r.settings.metrics?.timeout, r.settings.redis?.url, r.settings.redis?.passwordEnv, r.settings.http?.timeout, r.settings.http?.headersFromEnv]).toEqual(['3s', 'redis://other:6379/2', 'CACHE_PW', '2s', { 'X-Api-Key': 'CDN_KEY', 'X-Empty': 'EMPTY_VAR' }]);
    expect([r.settings.aws, r.settings.kubernetes]).toEqual([{ region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000' }, { context: 'kind', namespace: 'shop' }]);
    expect([r.sources['metrics.timeout'], r.sources['redis.url'], r.sources['http.timeout']]).toEqual(['env', 'env', 'env']);
    // no metrics section: the metrics timeout has nothing to change
    expect(resolveConfig({ env: { RELIA_METRICS_TIMEOUT: '3s' } }).settings.metrics).toBeUndefined();
    expect(resolveConfig({ env: { RELIA_HTTP_TIMEOUT: '2s', RELIA_REDIS_URL: 'redis://r:6379/0' } }).settings).toMatchObject({ http: { timeout: '2s' }, redis: { url: 'redis://r:6379/0' } });
    expect(expectInputError(() => resolveConfig({ env: { RELIA_METRICS_URL: 'http://p:9090', RELIA_METRICS_TIMEOUT: 'x' } }), 'RELIA_METRICS_TIMEOUT').suggestions).toEqual(['set it like 10s']);
    expect(expectInputError(() => resolveConfig({ env: { RELIA_AWS_ENDPOINT: 'x' } }), 'RELIA_AWS_ENDPOINT').suggestions).toEqual(['set it like http://127.0.0.1:5000']);
    const flagged = resolveConfig({ env: { RELIA_REDIS_URL: 'redis://env:6379/0' }, flags: { redisUrl: 'redis://flag:6379/0' } });
    expect([flagged.settings.redis?.url, flagged.sources['redis.url']]).toEqual(['redis://flag:6379/0', 'flag']);
  });
});

describe('secrets: only from the environment variables named', () => {
  it('the file names them: Redis user and password, credential headers (an empty value is left out)', () => {
    const r = resolveConfig({ file: file(two), flags: { env: 'prod' }, env: { CACHE_PW: 'pw-1', CACHE_USER: 'warmer', CDN_KEY: 'k-123', EMPTY_VAR: '' } });
    expect(r.secrets).toEqual({ redisPassword: 'pw-1', redisUsername: 'warmer', httpHeaders: { 'X-Api-Key': 'k-123' } });
    expect(r.secretEnvNames).toEqual(['RELIA_METRICS_TOKEN', 'RELIA_METRICS_PASSWORD', 'CACHE_PW', 'CACHE_USER', 'CDN_KEY', 'EMPTY_VAR']);
    expect(r.secretsSet).toEqual(['CACHE_PW', 'CACHE_USER', 'CDN_KEY']);
  });
  it('without auth in the file: RELIA_METRICS_TOKEN, or RELIA_METRICS_USERNAME/PASSWORD (the user may be empty)', () => {
    expect(resolveConfig({ env: { RELIA_METRICS_TOKEN: 'tok' } }).secrets).toEqual({ metricsToken: 'tok' });
    expect(resolveConfig({ env: { RELIA_METRICS_TOKEN: '' } }).secrets).toEqual({});
    expect(resolveConfig({ env: { RELIA_METRICS_PASSWORD: 'pw', RELIA_METRICS_USERNAME: 'ops' } }).secrets).toEqual({ metricsBasic: { username: 'ops', password: 'pw' } });
    expect(resolveConfig({ env: { RELIA_METRICS_PASSWORD: 'pw' } }).secrets).toEqual({ metricsBasic: { username: '', password: 'pw' } });
    expect(resolveConfig({ env: { RELIA_REDIS_PASSWORD: 'r', RELIA_REDIS_USERNAME: 'u' } }).secrets).toEqual({ redisPassword: 'r', redisUsername: 'u' });
  });
  it('bearer and basic auth read only the variables they name', () => {
    const bearer = 'environments:\n  p:\n    metrics: { url: "http://p:9090", auth: { type: bearer, tokenEnv: PROM_TOKEN } }\n';
    expect(resolveConfig({ file: file(bearer), env: { PROM_TOKEN: 't', RELIA_METRICS_TOKEN: 'other' } }).secrets).toEqual({ metricsToken: 't' });
    expect(resolveConfig({ file: file(bearer), env: {} }).secretEnvNames).toEqual(['PROM_TOKEN', 'RELIA_REDIS_PASSWORD', 'RELIA_REDIS_USERNAME']);
    const basic = (user: string) => `environments:\n  p:\n    metrics: { url: "http://p:9090", auth: { type: basic, ${user}passwordEnv: PROM_PW } }\n`;
    expect(resolveConfig({ file: file(basic('username: ops, ')), env: { PROM_PW: 'pw', PROM_USER: 'x' } }).secrets).toEqual({ metricsBasic: { username: 'ops', password: 'pw' } });
    expect(resolveConfig({ file: file(basic('usernameEnv: PROM_USER, ')), env: { PROM_PW: 'pw', PROM_USER: 'env-user' } }).secrets).toEqual({ metricsBasic: { username: 'env-user', password: 'pw' } });
    expect(resolveConfig({ file: file(basic('')), env: { PROM_PW: 'pw' } }).secrets).toEqual({ metricsBasic: { username: '', password: 'pw' } });
    expect(resolveConfig({ file: file(basic('')), env: {} }).secrets).toEqual({});
  });
});

describe('what config show prints (redactedView)', () => {
  it('credentials by kind, never their value; URL passwords and credential headers as ***; where each secret comes from', () => {
    const text = `environments:\n  p:\n    metrics: { url: "http://ops:pw@p:9090", headers: { Accept: json }, headersFromEnv: { X-Api-Key: PROM_KEY } }\n    redis: { url: "redis://:rpw@cache:6379/0" }\n    http: { headers: { Accept: html }, headersFromEnv: { X-Cdn-Token: CDN } }\n`;
    const r = resolveConfig({ file: file(text), env: { RELIA_METRICS_PASSWORD: 'mpw-value', RELIA_REDIS_PASSWORD: 'rpw-value', PROM_KEY: 'k', CDN: 'c' } });
    const v = redactedView(r);
    expect(v).toMatchObject({ file: FILE, environment: 'p', environments: ['p'] });
    expect((v.settings as Record<string, unknown>).metrics).toMatchObject({ url: 'http://ops:***@p:9090/', credentials: 'basic: (no user):***', headers: { Accept: 'json' }, credentialHeaders: ['X-Api-Key: ***'] });
    expect((v.settings as Record<string, unknown>).redis).toMatchObject({ url: 'redis://:***@cache:6379/0', credentials: 'password: ***' });
    expect((v.settings as Record<string, unknown>).http).toMatchObject({ headers: { Accept: 'html' }, credentialHeaders: ['X-Cdn-Token: ***'] });
    expect(v.secretsFrom).toEqual({ RELIA_METRICS_TOKEN: 'unset', RELIA_METRICS_PASSWORD: 'set', RELIA_REDIS_PASSWORD: 'set', RELIA_REDIS_USERNAME: 'unset', PROM_KEY: 'set', CDN: 'set' });
    expect(JSON.stringify(v)).not.toMatch(/mpw-value|rpw-value|:rpw@|:pw@/);
  });
  it('a bearer token shows as such; a basic user is named', () => {
    const text = 'environments:\n  p:\n    metrics: { url: "http://p:9090" }\n';
    const m = (env: Record<string, string>) => (redactedView(resolveConfig({ file: file(text), env })).settings as { metrics: { credentials?: string } }).metrics.credentials;
    expect([m({ RELIA_METRICS_TOKEN: 'tok' }), m({ RELIA_METRICS_PASSWORD: 'pw', RELIA_METRICS_USERNAME: 'ops' }), m({})]).toEqual(['bearer token: ***', 'basic: ops:***', undefined]);
  });
});
