/**
 * Policy parsing edges: every cross-field refusal with its field path, message
 * and fix, the boundaries (equal windows, equal quantiles), the re-check after
 * merging, and the defaults for empty files and omitted fields.
 */
import { describe, expect, it } from 'vitest';
import { inputError } from '../../../helpers/errors.js';
import { defaultPolicy, mergePolicy, parsePolicy, POLICY_DOCS, validatePolicyOverrides } from '../../../../src/core/budget/policy.js';

const SEE = `see ${POLICY_DOCS} for the policy fields`;

describe('validatePolicyOverrides: cross-field refusals name the field and the fix', () => {
  it.each([
    ['a window listed twice (5m and 300s)', { burnWindows: ['5m', '300s'] }, 'burnWindows[1]', 'duplicate window "300s"', 'list each window once'],
    [
      'a short window equal to the long one',
      { fastBurn: [{ long: '1h', short: '60m', factor: 14.4 }] },
      'fastBurn[0].short',
      'the short window 60m must be shorter than the long window 1h',
      'e.g. {long: 1h, short: 5m, factor: 14.4}',
    ],
    ['a low quantile equal to the peak', { dynamic: { peak: { quantile: 0.5 }, low: { quantile: 0.5 } } }, 'dynamic.low.quantile', 'the low quantile 0.5 must be below the peak quantile 0.5', 'e.g. low 0.1, peak 0.9'],
  ])('%s', (_name, data, path, message, suggestion) => {
    expect(validatePolicyOverrides(data, { file: 'p.yaml', path: '' })).toEqual([{ path, message, suggestion, file: 'p.yaml' }]);
    // Under an SLO, the path is prefixed with the SLO's policy path.
    expect(validatePolicyOverrides(data, { file: 's.yaml', path: 'slos[3].policy' })).toEqual([{ path: `slos[3].policy.${path}`, message, suggestion, file: 's.yaml' }]);
  });

  it.each([
    ['distinct windows', { burnWindows: ['5m', '1h'] }],
    ['a short window a hair shorter', { fastBurn: [{ long: '1h', short: '3599s', factor: 14.4 }] }],
    ['a low quantile just below the peak', { dynamic: { peak: { quantile: 0.5 }, low: { quantile: 0.49 } } }],
    ['only a low quantile (checked after merging)', { dynamic: { low: { quantile: 0.95 } } }],
    ['only a peak quantile', { dynamic: { peak: { quantile: 0.05 } } }],
  ])('accepts %s', (_name, data) => {
    expect(validatePolicyOverrides(data, { file: 'p.yaml', path: '' })).toEqual([]);
  });

  it.each([
    ['burnWindows', { burnWindows: ['5m', '0s'] }, 'burnWindows[1]'],
    ['fastBurn', { fastBurn: [{ long: '1h', short: '0m', factor: 14.4 }] }, 'fastBurn[0].short'],
    ['dynamic.currentWindow', { dynamic: { currentWindow: '0h0m' } }, 'dynamic.currentWindow'],
  ])('refuses a zero duration in %s, naming the field', (_name, data, path) => {
    const problems = validatePolicyOverrides(data, { file: 'p.yaml', path: '' });
    expect(problems.map((p) => [p.path, p.message, p.suggestion])).toEqual([[path, 'expected a duration above zero, in whole seconds, such as 30s, 5m, 1h, 3d', SEE]]);
  });

  it('gives schema problems the policy docs as their fix', () => {
    const problems = validatePolicyOverrides({ exceptions: [{ labels: {} }] }, { file: 'p.yaml', path: '' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: 'exceptions[0].labels', message: 'expected at least one label', file: 'p.yaml', suggestion: SEE });
  });
});

describe('mergePolicy: the merged result is re-checked', () => {
  it.each([
    // The defaults have peak 0.9: a low of 0.95 (or exactly 0.9) from the overrides collides with it.
    [0.95, 'p.yaml', 'slos[0].policy', 'p.yaml: dynamic.low.quantile (0.95) must be below dynamic.peak.quantile (0.9)', 'slos[0].policy.dynamic.low.quantile'],
    [0.9, 'p.yaml', '', 'p.yaml: dynamic.low.quantile (0.9) must be below dynamic.peak.quantile (0.9)', 'dynamic.low.quantile'],
    [0.9, undefined, undefined, '(policy): dynamic.low.quantile (0.9) must be below dynamic.peak.quantile (0.9)', 'dynamic.low.quantile'],
  ])('refuses low %d over the default peak (file %s, path %s)', (low, file, path, message, field) => {
    const where = { ...(file !== undefined ? { file } : {}), ...(path !== undefined ? { path } : {}) };
    const e = inputError(() => mergePolicy(defaultPolicy(), { dynamic: { low: { quantile: low } } }, where));
    expect(e.message).toBe(message);
    expect(e.field).toBe(field);
    expect(e.file).toBe(file);
    expect(e.suggestions).toEqual(['e.g. low 0.1, peak 0.9']);
  });

  it('accepts a low quantile just below the default peak', () => {
    expect(mergePolicy(defaultPolicy(), { dynamic: { low: { quantile: 0.89 } } }).dynamic.low.quantile).toBe(0.89);
  });

  it('names the file, the field and the docs for a bad override', () => {
    const e = inputError(() => mergePolicy(defaultPolicy(), { minEvents: -1 }, { file: 's.yaml', path: 'slos[1].policy' }));
    expect(e.message).toContain('slos[1].policy.minEvents');
    expect(e.message).toContain('s.yaml');
    expect(e.suggestions).toContain(SEE);
    const anonymous = inputError(() => mergePolicy(defaultPolicy(), { minEvents: -1 }));
    expect(anonymous.message).toContain('(policy)');
    expect(anonymous.message).toContain('minEvents');
  });

  it('ends every refusal with the policy docs, after the problem\'s own fix', () => {
    const e = inputError(() => mergePolicy(defaultPolicy(), { burnWindows: ['5m', '300s'] }, { file: 'p.yaml' }));
    expect(e.suggestions).toEqual(['list each window once', SEE]);
  });

  it('keeps the base where an override field is left undefined (as a caller building overrides in code may write it)', () => {
    const base = mergePolicy(defaultPolicy(), { minEvents: 5, dynamic: { currentWindow: '2h' } });
    expect(mergePolicy(base, { minEvents: undefined, dynamic: { enabled: undefined, currentWindow: undefined }, block: undefined })).toEqual(base);
  });

  it('returns a normalised copy for no overrides (undefined or null)', () => {
    const base = defaultPolicy();
    for (const none of [undefined, null]) {
      const out = mergePolicy(base, none);
      expect(out).toEqual(defaultPolicy());
      expect(out).not.toBe(base);
    }
  });
});

describe('parsePolicy: defaults and refusals of the whole file', () => {
  it.each([[''], ['# nothing but a comment\n'], ['null\n']])('an empty file (%j) gives the defaults', (text) => {
    expect(parsePolicy(text, 'p.yaml')).toEqual(defaultPolicy());
  });

  it.each([
    ['- 5m\n', 'p.yaml: expected a mapping of policy fields, got a list'],
    ['42\n', 'p.yaml: expected a mapping of policy fields, got 42'],
  ])('refuses a file that is not a mapping (%j) at --policy', (text, message) => {
    const e = inputError(() => parsePolicy(text, 'p.yaml'));
    expect(e.message).toBe(message);
    expect(e.field).toBe('--policy');
    expect(e.file).toBe('p.yaml');
    expect(e.suggestions).toEqual([SEE]);
  });

  it('refuses malformed YAML at --policy', () => {
    const e = inputError(() => parsePolicy('minEvents: [1, 2\n', 'p.yaml'));
    expect(e.field).toBe('--policy');
  });

  it('gives an exception without a name no name key, and bypasses budget-exhausted by default', () => {
    const p = parsePolicy('exceptions:\n  - labels: {type: security-fix}\n', 'p.yaml');
    expect(p.exceptions).toHaveLength(1);
    expect('name' in p.exceptions[0]!).toBe(false);
    expect(p.exceptions[0]).toEqual({ labels: { type: 'security-fix' }, bypass: ['budget-exhausted'] });
  });

  it('keeps every default the file leaves out, and replaces lists whole', () => {
    const p = parsePolicy('burnWindows: [60m]\nblock: {noData: false}\n', 'p.yaml');
    const d = defaultPolicy();
    expect(p.burnWindows).toEqual(['1h']);
    expect(p.block).toEqual({ ...d.block, noData: false });
    expect(p.minEvents).toBe(d.minEvents);
    expect(p.dynamic).toEqual(d.dynamic);
  });
});
