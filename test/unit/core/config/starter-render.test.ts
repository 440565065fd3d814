/**
 * The file `relia init` writes (docs/config.md "relia init"): every line of
 * the starter config for the full set of answers, which paths are quoted, how
 * a value the schema would refuse names the init flag, the /api/v1 mistake,
 * and the quoting of a --config path in the next commands. Text by hand.
 */
import { describe, expect, it } from 'vitest';
import { checkStarterAnswer, exampleSloSpec, nextCommands, renderStarterConfig } from '../../../../src/core/config/starter.js';
import { expectInputError } from '../error-contract.js';

describe('renderStarterConfig', () => {
  it('every answer given: the whole file, line by line', () => {
    expect(renderStarterConfig({ environment: 'prod', prometheusUrl: 'http://prom:9090', tokenEnv: 'PROM_TOKEN', redisUrl: 'redis://cache:6379/0', sloDir: 'slos' })).toBe(
      [
        '# relia configuration. Reference: docs/config.md',
        '# Secrets never go here: name the environment variable that holds them (tokenEnv, passwordEnv).',
        'version: 1',
        'defaultEnvironment: prod',
        'environments:',
        '  prod:',
        '    metrics:',
        '      provider: prometheus',
        '      url: http://prom:9090',
        '      timeout: 10s',
        '      retries: 2',
        '      auth:',
        '        type: bearer',
        '        tokenEnv: PROM_TOKEN',
        '    redis:',
        '      url: redis://cache:6379/0',
        '      timeout: 5s',
        '    http:',
        '      timeout: 10s',
        '      userAgent: relia',
        'budget:',
        '  # SLO specs read by budget status/check/validate when --slo is not given (relative to this file).',
        '  slos:',
        '    - slos',
        '',
      ].join('\n'),
    );
  });
  it('no Prometheus: no metrics section, and no auth even with a token variable', () => {
    const text = renderStarterConfig({ environment: 'dev', tokenEnv: 'PROM_TOKEN' });
    expect(text).not.toMatch(/metrics:|auth:|PROM_TOKEN/);
    expect(renderStarterConfig({ environment: 'dev', prometheusUrl: 'http://p:9090' })).not.toContain('auth:');
  });
  it('an SLO path is written plain when YAML reads it back as the same text, else quoted', () => {
    const line = (sloDir: string) => renderStarterConfig({ environment: 'dev', sloDir }).trimEnd().split('\n').at(-1);
    expect([line('slos'), line('a/b_c-1.d'), line('../specs')]).toEqual(['    - slos', '    - a/b_c-1.d', '    - "../specs"']);
    expect([line('-x'), line('.hidden'), line('my slos'), line('x:y')]).toEqual(['    - "-x"', '    - ".hidden"', '    - "my slos"', '    - "x:y"']);
  });
  it('a value the config would refuse is exit 2 naming the init flag, not the file path', () => {
    const e = expectInputError(() => renderStarterConfig({ environment: 'dev', redisUrl: 'redis://cache:6379/0 x' }), '--redis-url');
    expect(e.message).toMatch(/^--redis-url: /);
    expect(e.message).not.toContain('relia.config.yaml');
    expectInputError(() => renderStarterConfig({ environment: 'dev', prometheusUrl: 'http://p:9090 x' }), '--prometheus-url', ['--prometheus-url: ']);
    expectInputError(() => renderStarterConfig({ environment: 'dev', prometheusUrl: 'http://p:9090', tokenEnv: 'not a name' }), '--token-env', ['--token-env: ']);
    expectInputError(() => renderStarterConfig({ environment: 'no spaces allowed' }), '--environment', ['--environment: ']);
  });
});

describe('checkStarterAnswer', () => {
  it('the /api/v1 mistake only at the end of the URL, with the URL to use instead', () => {
    expect(checkStarterAnswer('prometheusUrl', 'http://p:9090/api/v1/')).toBe('drop /api/v1 from the URL (relia adds /api/v1/query itself): http://p:9090');
    expect(checkStarterAnswer('prometheusUrl', 'http://p:9090/api/v1')).toBe('drop /api/v1 from the URL (relia adds /api/v1/query itself): http://p:9090');
    expect(checkStarterAnswer('prometheusUrl', 'http://p:9090/api/v1/x')).toBeNull();
    expect(checkStarterAnswer('redisUrl', 'redis://h:6379/api/v1')).toBeNull();
  });
  it('a token variable that looks like a token says to give the name', () => {
    expect(checkStarterAnswer('tokenEnv', 'eyJ.abc-def')).toMatch(/ \(the variable's name, not the token itself\)$/);
    expect(checkStarterAnswer('environment', ' prod ')).toBeNull();
  });
});

describe('exampleSloSpec and nextCommands', () => {
  it('the example spec starts with its three comment lines and its description', () => {
    const lines = exampleSloSpec().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      "# An example SLO in relia's native format (docs/budget-specs.md). Edit the service,",
      '# the objective and the two PromQL queries to match your metrics; {{.window}} is',
      '# replaced by each window relia evaluates.',
    ]);
    expect(lines).toContain('description: Requests that do not fail with a 5xx.');
  });
  it("a --config path with a quote is single-quoted with the quote escaped; --config goes after the command's two words", () => {
    expect(nextCommands({ bin: 'relia', configPath: "it's.yaml" })[0]).toBe("relia config validate --config 'it'\\''s.yaml'");
    expect(nextCommands({ bin: 'x relia', configPath: 'c.yaml' })[0]).toBe('x relia config validate --config c.yaml');
  });
});
