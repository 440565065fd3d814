/**
 * Pins what `config show` may print and what the config refuses (docs/config.md "Secrets", "Environments";
 * src/core/config/resolve.ts redactedView/redactUrl, schema.ts, starter.ts): a secret whose variable is unset
 * or empty is no secret and is not shown as one; literal credential headers are redacted even when they reach
 * the view (defence in depth); a URL without a password or one that does not parse is printed as it is; with
 * several environments and none chosen nothing of any is used; an empty section is
 * refused by the schema, not a crash; URLs must start with their scheme; the starter
 * config's refusals name the flag and keep the schema's words. Values by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, redactedView, redactUrl, resolveConfig } from '../../../../src/core/config/resolve.js';
import { checkStarterAnswer, renderStarterConfig } from '../../../../src/core/config/starter.js';
import { expectInputError } from '../error-contract.js';

const file = (text: string) => ({ path: '/repo/relia.config.yaml', text });
type View = { settings: { metrics?: Record<string, unknown>; http?: Record<string, unknown>; redis?: Record<string, unknown> }; secretsFrom: Record<string, string> };
const view = (r: ReturnType<typeof resolveConfig>) => redactedView(r) as unknown as View;

describe('unset secrets are no secrets', () => {
  it('an empty token variable gives no token, and config show claims none', () => {
    const text = 'environments:\n  prod:\n    metrics: { url: "http://p:9090", auth: { type: bearer, tokenEnv: PROM_TOKEN } }\n';
    const r = resolveConfig({ file: file(text), env: { PROM_TOKEN: '' } });
    expect(r.secrets).toStrictEqual({});
    expect(view(r).settings.metrics?.credentials).toBeUndefined();
  });

  it('basic auth with no user name anywhere reads no variable for it', () => {
    const text = 'environments:\n  prod:\n    metrics: { url: "http://p:9090", auth: { type: basic, passwordEnv: PROM_PW } }\n';
    const r = resolveConfig({ file: file(text), env: { PROM_PW: 'pw' } });
    expect(r.secretEnvNames).toEqual(['PROM_PW', 'RELIA_REDIS_PASSWORD', 'RELIA_REDIS_USERNAME']);
    expect(view(r).secretsFrom).toEqual({ PROM_PW: 'set', RELIA_REDIS_PASSWORD: 'unset', RELIA_REDIS_USERNAME: 'unset' });
  });

  it('a credential header whose variable is unset is neither sent nor listed', () => {
    const text = 'environments:\n  prod:\n    metrics: { url: "http://p:9090", headersFromEnv: { X-Scope-OrgID: ORG } }\n    http: { headersFromEnv: { X-Api-Key: CDN_KEY } }\n';
    const r = resolveConfig({ file: file(text), env: {} });
    expect([r.secrets.metricsHeaders, r.secrets.httpHeaders]).toEqual([{}, {}]);
    expect([view(r).settings.metrics?.credentialHeaders, view(r).settings.http?.credentialHeaders]).toEqual([[], []]);
  });

  it('nothing set: the secrets hold no key at all, and a Redis or HTTP section shows no credentials', () => {
    const r = resolveConfig({ env: { RELIA_HTTP_TIMEOUT: '2s', RELIA_REDIS_URL: 'redis://r:6379/0' } });
    expect(r.secrets).toStrictEqual({});
    expect(view(r).settings).toStrictEqual({ redis: { url: 'redis://r:6379/0', timeout: '5s' }, http: { timeout: '2s', userAgent: 'relia' } });
  });
});

describe('defence in depth: literal credential headers never printed', () => {
  it('a credential header that reached the settings is shown as ***; others as they are', () => {
    const r = resolveConfig({ env: { RELIA_METRICS_URL: 'http://p:9090', RELIA_HTTP_TIMEOUT: '2s' } });
    // refused at load, so only a hand-built or later-changed settings object can carry one
    (r.settings.metrics as Record<string, unknown>).headers = { Authorization: 'Bearer abc123', 'X-Trace': 'on' };
    (r.settings.http as Record<string, unknown>).headers = { Cookie: 'session=abc123', Accept: 'text/plain' };
    const v = view(r);
    expect([v.settings.metrics?.headers, v.settings.http?.headers]).toEqual([
      { Authorization: '***', 'X-Trace': 'on' },
      { Cookie: '***', Accept: 'text/plain' },
    ]);
  });
});

describe('redactUrl', () => {
  it('only a password is replaced; a URL without one, or text that is no URL, is returned as it is', () => {
    expect(redactUrl('redis://:pw@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactUrl('redis://cache:6379/0')).toBe('redis://cache:6379/0');
    expect(redactUrl('http://ops@p:9090')).toBe('http://ops@p:9090');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});

describe('which environment', () => {
  it('several environments and none chosen: nothing of any is used, not even one named "null"', () => {
    const r = resolveConfig({ file: file('environments:\n  "null": { http: { timeout: 3s } }\n  prod: {}\n'), env: {} });
    expect([r.environment, r.settings]).toEqual([null, {}]);
  });
});

describe('empty sections', () => {
  it('an empty environments: or headers: (YAML null) is exit 2 naming it, not a crash of the credential-header check', () => {
    expectInputError(() => parseConfig('environments:\n', 'c.yaml'), 'environments', ['c.yaml: environments: expected record, got null']);
    expectInputError(() => parseConfig('environments:\n  prod:\n    metrics: { url: "http://p:9090", headers: }\n', 'c.yaml'), 'environments.prod.metrics.headers', [
      'c.yaml: environments.prod.metrics.headers: expected record, got null',
    ]);
  });
});

describe('URLs start with their scheme', () => {
  it('a scheme that merely ends in http or redis is refused', () => {
    expectInputError(() => resolveConfig({ env: { RELIA_METRICS_URL: 'xhttp://p:9090' } }), 'RELIA_METRICS_URL', ['expected an http(s) URL', '"xhttp://p:9090"']);
    expectInputError(() => resolveConfig({ env: { RELIA_REDIS_URL: 'myredis://cache:6379/0' } }), 'RELIA_REDIS_URL', ['expected a redis URL', '"myredis://cache:6379/0"']);
  });
});

describe('starter config', () => {
  it('only a trailing /api/v1 is dropped from the suggested URL', () => {
    expect(checkStarterAnswer('prometheusUrl', 'http://gw:8080/api/v1/prom/api/v1')).toBe('drop /api/v1 from the URL (relia adds /api/v1/query itself): http://gw:8080/api/v1/prom');
  });

  it("a refusal is the flag, then the schema's words without file and field", () => {
    expect(expectInputError(() => renderStarterConfig({ environment: 'dev', prometheusUrl: 'http://p:9090 x' }), '--prometheus-url').message).toBe(
      '--prometheus-url: expected an http(s) URL such as http://127.0.0.1:9090',
    );
  });

  it('several problems keep each line whole, file and field included', () => {
    const e = expectInputError(() => renderStarterConfig({ environment: 'dev', prometheusUrl: 'x', redisUrl: 'y' }), '--prometheus-url');
    expect(e.message).toBe(
      [
        '--prometheus-url: 2 problems:',
        '  relia.config.yaml: environments.dev.metrics.url: expected an http(s) URL such as http://127.0.0.1:9090',
        '  relia.config.yaml: environments.dev.redis.url: expected a redis URL such as redis://127.0.0.1:6379/0 (rediss:// for TLS)',
      ].join('\n'),
    );
  });
});
