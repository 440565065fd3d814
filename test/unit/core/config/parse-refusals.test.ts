/**
 * What parseConfig refuses before the schema (docs/config.md "Secrets" and
 * "Errors"): YAML syntax and alias errors with line and column, a secret
 * written in the file (anywhere, lists included), and a literal credential
 * header. Each names the file, the field and the fix. Texts by hand.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, resolveConfig } from '../../../../src/core/config/resolve.js';
import { inputError } from '../../../helpers/errors.js';

const FILE = '/repo/relia.config.yaml';

describe('YAML errors', () => {
  it('a syntax error names the line and column, one line of reason, and the fix', () => {
    const e = inputError(() => parseConfig('environments:\n  prod:\n\tmetrics: {}\n', FILE));
    expect(e.message).toMatch(/^\/repo\/relia\.config\.yaml: invalid YAML at line 3, column 1: \S[^\n]{10,}$/);
    expect([e.file, e.suggestions]).toEqual([FILE, ['check indentation and quoting at that line; YAML uses spaces, not tabs']]);
  });
  it('a duplicate key is an error, not the last one winning', () => {
    expect(inputError(() => parseConfig('version: 1\nversion: 1\n', FILE)).message).toMatch(/^\/repo\/relia\.config\.yaml: invalid YAML at line 2, column 1: /);
  });
  it('an alias without its anchor, or an alias bomb, is refused with the anchors fix', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 6 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const e = inputError(() => parseConfig(bomb, FILE));
    expect(e.message).toMatch(/^\/repo\/relia\.config\.yaml: invalid YAML: \S[^\n]{10,}$/);
    expect(e.suggestions).toEqual(['check anchors (&name) and aliases (*name): every alias needs an anchor defined before it']);
  });
  it('an empty file is the defaults', () => {
    expect(parseConfig('', FILE).environments).toEqual({});
    expect(resolveConfig({ file: { path: FILE, text: '# nothing yet\n' }, env: {} }).environment).toBeNull();
  });
});

describe('secrets written in the file', () => {
  it('anywhere, lists included: exit 2 naming the path, with the variable to use instead', () => {
    const e = inputError(() => parseConfig('environments:\n  prod:\n    metrics: { url: "http://p:9090", auth: { type: bearer, token: abc } }\n', FILE));
    expect([e.message, e.field, e.file, e.suggestions]).toEqual([
      `${FILE}: environments.prod.metrics.auth.token: secrets are never read from the config file`,
      'environments.prod.metrics.auth.token',
      FILE,
      ['put the secret in an environment variable and name it instead, e.g. tokenEnv: MY_SECRET_VAR'],
    ]);
    const list = inputError(() => parseConfig('budget:\n  slos:\n    - { password: x }\n', FILE));
    expect([list.field, list.suggestions]).toEqual(['budget.slos[0].password', ['put the secret in an environment variable and name it instead, e.g. passwordEnv: MY_SECRET_VAR']]);
  });
});

describe('credential headers written in the file', () => {
  it('a literal Authorization (metrics) or API key (http) header is exit 2 naming it, with headersFromEnv as the fix', () => {
    const e = inputError(() => parseConfig('environments:\n  prod:\n    metrics: { url: "http://p:9090", headers: { Accept: json, Authorization: "Bearer x" } }\n', FILE));
    expect([e.message, e.field, e.file, e.suggestions]).toEqual([
      `${FILE}: environments.prod.metrics.headers.Authorization: a credential header is never read from the config file`,
      'environments.prod.metrics.headers.Authorization',
      FILE,
      ['put the value in an environment variable and name it: environments.prod.metrics.headersFromEnv: {Authorization: MY_SECRET_VAR}'],
    ]);
    expect(inputError(() => parseConfig('environments:\n  qa:\n    http: { headers: { X-Cdn-Token: t } }\n', FILE)).field).toBe('environments.qa.http.headers.X-Cdn-Token');
  });
  it('ordinary headers, and shapes the schema refuses itself, are left to the schema', () => {
    expect(parseConfig('environments:\n  prod:\n    http: { headers: { Accept: html } }\n', FILE).environments.prod?.http?.headers).toEqual({ Accept: 'html' });
    for (const odd of ['environments: 3\n', 'environments:\n  prod: null\n', 'environments:\n  prod:\n    http: { headers: 5 }\n']) {
      expect(inputError(() => parseConfig(odd, FILE)).message).not.toContain('credential header');
    }
  });
});
