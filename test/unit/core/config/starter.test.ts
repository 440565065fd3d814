import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/core/config/resolve.js';
import { checkStarterAnswer, exampleSloSpec, nextCommands, renderStarterConfig } from '../../../../src/core/config/starter.js';
import { loadSpecs } from '../../../../src/core/budget/specs/index.js';

describe('checkStarterAnswer: the config schema\'s own field checks, per answer', () => {
  it('accepts what the schema accepts', () => {
    expect(checkStarterAnswer('environment', 'prod-eu.1')).toBeNull();
    expect(checkStarterAnswer('prometheusUrl', 'http://127.0.0.1:9090')).toBeNull();
    expect(checkStarterAnswer('prometheusUrl', ' https://prom.example.com/prefix ')).toBeNull();
    expect(checkStarterAnswer('redisUrl', 'rediss://cache:6380/2')).toBeNull();
    expect(checkStarterAnswer('tokenEnv', 'PROM_TOKEN')).toBeNull();
    expect(checkStarterAnswer('sloDir', 'slos')).toBeNull();
  });

  it('rejects with the schema\'s message, and the mistakes people make', () => {
    expect(checkStarterAnswer('environment', 'my env')).toBe('expected an environment name of letters, digits, . _ -');
    expect(checkStarterAnswer('prometheusUrl', 'prometheus:9090')).toBe('expected an http(s) URL such as http://127.0.0.1:9090');
    expect(checkStarterAnswer('prometheusUrl', 'http://p:9090/api/v1')).toBe('drop /api/v1 from the URL (relia adds /api/v1/query itself): http://p:9090');
    expect(checkStarterAnswer('redisUrl', 'http://cache:6379')).toMatch(/^expected a redis URL/);
    expect(checkStarterAnswer('tokenEnv', 'eyJhbGciOi.J9.x-y')).toBe("expected an environment variable name such as PROM_TOKEN (the variable's name, not the token itself)");
    expect(checkStarterAnswer('sloDir', '  ')).toBe('expected a directory, e.g. slos');
  });
});

describe('renderStarterConfig', () => {
  it('writes budget.slos, quoting a path only when it must', () => {
    expect(parseConfig(renderStarterConfig({ environment: 'local', sloDir: 'slos' }), 'f').budget?.slos).toEqual(['slos']);
    expect(parseConfig(renderStarterConfig({ environment: 'local', sloDir: 'my slos: #1' }), 'f').budget?.slos).toEqual(['my slos: #1']);
    expect(parseConfig(renderStarterConfig({ environment: 'local', sloDir: '../specs' }), 'f').budget?.slos).toEqual(['../specs']);
    expect(renderStarterConfig({ environment: 'local' })).not.toContain('budget:');
  });
});

describe('exampleSloSpec', () => {
  it('is a spec budget check reads', () => {
    const slos = loadSpecs([{ file: 'slos/example.yaml', text: exampleSloSpec() }]);
    expect(slos.map((s) => s.id)).toEqual(['example/availability']);
  });
});

describe('nextCommands: three, tailored to the answers', () => {
  it('Prometheus and SLOs: validate, status, check', () => {
    expect(nextCommands({ bin: 'relia', prometheusUrl: 'http://p:9090', sloDir: 'slos', redisUrl: 'redis://r:6379/0', configPath: null })).toEqual(['relia config validate', 'relia budget status', 'relia budget check']);
  });
  it('SLOs without Prometheus: validate the specs, then say how to point at one', () => {
    expect(nextCommands({ bin: 'relia', sloDir: 'slos', configPath: null })).toEqual(['relia config validate', 'relia budget validate', 'relia budget status --prometheus http://HOST:9090']);
  });
  it('Prometheus without SLOs, with Redis', () => {
    expect(nextCommands({ bin: 'relia', prometheusUrl: 'http://p:9090', redisUrl: 'redis://r:6379/0', configPath: null })).toEqual(['relia config validate', 'relia budget status --slo SLO_DIR', 'relia cache stats']);
  });
  it('nothing configured: still three, none needing a server', () => {
    expect(nextCommands({ bin: 'relia', configPath: null })).toEqual(['relia config validate', 'relia capacity little --arrival-rate 7500/s --time-in-system 180ms', 'relia help']);
  });
  it('a config relia would not find by itself is named with --config (quoted when needed)', () => {
    expect(nextCommands({ bin: 'relia', redisUrl: 'redis://r:6379/0', configPath: 'conf/relia.yaml' })).toEqual(['relia config validate --config conf/relia.yaml', 'relia cache stats --config conf/relia.yaml', 'relia capacity little --arrival-rate 7500/s --time-in-system 180ms']);
    expect(nextCommands({ bin: 'relia', configPath: 'my conf.yaml' })[0]).toBe("relia config validate --config 'my conf.yaml'");
  });
});
