import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { inputError as errorOf } from '../../../helpers/errors.js';
import { DEFAULT_POLICY, defaultPolicy, mergePolicy, parsePolicy, policyJsonSchema, validatePolicyOverrides, type BudgetPolicy } from '../../../../src/core/budget/policy.js';
import { ReliaError } from '../../../../src/core/errors.js';

const SCHEMA_FILE = new URL('../../../../docs/schemas/budget-policy.schema.json', import.meta.url);
const EXAMPLE_FILE = new URL('../../../../docs/examples/budget-policy.yaml', import.meta.url);


describe('parsePolicy', () => {
  it('gives the built-in defaults for an empty file', () => {
    expect(parsePolicy('', 'p.yaml')).toEqual(DEFAULT_POLICY);
    expect(parsePolicy('# nothing\n', 'p.yaml')).toEqual(defaultPolicy());
    expect(defaultPolicy()).toEqual({
      burnWindows: ['5m', '1h', '6h', '1d', '3d'],
      block: { budgetExhausted: true, remainingAtOrBelow: 0, fastBurn: true, postmortem: false, noData: true, invalid: true },
      fastBurn: [
        { long: '1h', short: '5m', factor: 14.4 },
        { long: '6h', short: '30m', factor: 6 },
      ],
      postmortem: { incidentBudgetShare: 0.2, incidentBurn: 2 },
      minEvents: 100_000,
      dynamic: { enabled: true, currentWindow: '1h', peak: { quantile: 0.9, factor: 0.5 }, low: { quantile: 0.1, factor: 1 } },
      exceptions: [],
      resolution: 720,
    });
  });

  it('merges the file over the defaults and normalises durations', () => {
    const p = parsePolicy('burnWindows: [60m, 5m, 24h]\nblock: {noData: true}\nexceptions:\n  - labels: {type: security-fix}\n', 'p.yaml');
    expect(p.burnWindows).toEqual(['1h', '5m', '1d']);
    expect(p.block).toEqual({ ...DEFAULT_POLICY.block, noData: true });
    expect(p.exceptions).toEqual([{ labels: { type: 'security-fix' }, bypass: ['budget-exhausted'] }]);
    expect(p.fastBurn).toEqual(DEFAULT_POLICY.fastBurn);
  });

  it('accepts JSON too, with apiVersion/kind/$schema', () => {
    expect(parsePolicy('{"apiVersion":"relia/v1","kind":"BudgetPolicy","$schema":"x","minEvents":0}', 'p.json').minEvents).toBe(0);
  });

  it('reports every bad field with its path', () => {
    const e = errorOf(() => parsePolicy('minEvents: -1\nblock: {fastburn: true}\nfastBurn: [{long: 1h, short: 5m}]\nburnWindows: [5 minutes]\n', 'p.yaml'));
    expect(e.exitCode).toBe(2);
    expect(e.file).toBe('p.yaml');
    expect(e.message).toContain('p.yaml: burnWindows[0]: expected a duration');
    expect(e.message).toContain('p.yaml: block: unknown field "fastburn"');
    expect(e.message).toContain('p.yaml: fastBurn[0].factor: required');
    expect(e.message).toContain('p.yaml: minEvents: expected 0 or more');
  });

  it('checks cross-field rules', () => {
    expect(errorOf(() => parsePolicy('fastBurn: [{long: 5m, short: 1h, factor: 2}]', 'p.yaml')).message).toContain('fastBurn[0].short: the short window 1h must be shorter than the long window 5m');
    expect(errorOf(() => parsePolicy('burnWindows: [1h, 60m]', 'p.yaml')).message).toContain('burnWindows[1]: duplicate window "60m"');
    expect(errorOf(() => parsePolicy('dynamic: {low: {quantile: 0.9}, peak: {quantile: 0.5}}', 'p.yaml')).message).toContain('dynamic.low.quantile');
    // Across the file and an SLO override too.
    const base = parsePolicy('dynamic: {peak: {quantile: 0.3}}', 'p.yaml');
    expect(errorOf(() => mergePolicy(base, { dynamic: { low: { quantile: 0.5 } } }, { file: 's.yaml', path: 'slos[0].policy' })).field).toBe('slos[0].policy.dynamic.low.quantile');
  });

  it('rejects what is not a mapping or not YAML', () => {
    expect(errorOf(() => parsePolicy('- a\n- b\n', 'p.yaml')).message).toBe('p.yaml: expected a mapping of policy fields, got a list');
    expect(errorOf(() => parsePolicy('a: [1, 2', 'p.yaml')).message).toMatch(/^p\.yaml: not readable as YAML or JSON/);
    expect(errorOf(() => parsePolicy('42', 'p.yaml')).message).toBe('p.yaml: expected a mapping of policy fields, got 42');
  });
});

describe('validatePolicyOverrides and mergePolicy', () => {
  it('prefixes field paths for per-SLO overrides and never throws', () => {
    const problems = validatePolicyOverrides({ minEvent: 5, block: { noData: 'yes' } }, { file: 's.yaml', path: 'slos[1].policy' });
    expect(problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).sort()).toEqual([
      's.yaml: slos[1].policy.block.noData: expected boolean, got "yes"',
      's.yaml: slos[1].policy: unknown field "minEvent"',
    ]);
    expect(validatePolicyOverrides({ minEvents: 5 }, { file: 's.yaml', path: '' })).toEqual([]);
    expect(validatePolicyOverrides('nope', { file: 's.yaml', path: 'policy' })[0]?.path).toBe('policy');
  });

  it('merges objects field by field and replaces lists', () => {
    const base = parsePolicy('exceptions: [{labels: {a: b}}]\nblock: {noData: true}', 'p.yaml');
    const m = mergePolicy(base, { block: { fastBurn: false }, burnWindows: ['30m'], fastBurn: [{ long: '2h', short: '10m', factor: 10 }] });
    expect(m.block).toEqual({ ...DEFAULT_POLICY.block, noData: true, fastBurn: false });
    expect(m.burnWindows).toEqual(['30m']);
    expect(m.fastBurn).toEqual([{ long: '2h', short: '10m', factor: 10 }]);
    expect(m.exceptions).toEqual(base.exceptions);
    // The base is not modified.
    expect(base.block.fastBurn).toBe(true);
    expect(mergePolicy(base, undefined)).toEqual(base);
  });
});

// ---------------------------------------------------------------- properties

const durationArb = fc.tuple(fc.integer({ min: 1, max: 90 }), fc.constantFrom('s', 'm', 'h', 'd')).map(([n, u]) => `${n}${u}`);
const overridesArb = fc.record(
  {
    burnWindows: fc.uniqueArray(durationArb, { minLength: 1, maxLength: 5, selector: (d) => d }),
    block: fc.record({ budgetExhausted: fc.boolean(), remainingAtOrBelow: fc.double({ min: -2, max: 1, noNaN: true }), fastBurn: fc.boolean(), postmortem: fc.boolean(), noData: fc.boolean() }, { requiredKeys: [] }),
    minEvents: fc.nat(),
    postmortem: fc.record({ incidentBudgetShare: fc.double({ min: 0, max: 1, noNaN: true }), incidentBurn: fc.double({ min: 0.01, max: 1000, noNaN: true }) }, { requiredKeys: [] }),
    dynamic: fc.record({ enabled: fc.boolean(), peak: fc.record({ factor: fc.double({ min: 0.01, max: 10, noNaN: true }) }) }, { requiredKeys: [] }),
    exceptions: fc.array(fc.record({ labels: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), fc.string(), { minKeys: 1, maxKeys: 3 }), bypass: fc.subarray(['budget-exhausted', 'fast-burn', 'postmortem', 'no-data'] as const, { minLength: 1 }) }), { maxLength: 3 }),
    resolution: fc.integer({ min: 12, max: 10_000 }),
  },
  { requiredKeys: [] },
);

function canonicalWindows(ws: string[]): boolean {
  const seen = new Set<number>();
  for (const w of ws) {
    const n = Number(w.slice(0, -1)) * ({ s: 1, m: 60, h: 3600, d: 86_400 } as Record<string, number>)[w.slice(-1)]!;
    if (seen.has(n)) return false;
    seen.add(n);
  }
  return true;
}

describe('policy parsing properties', () => {
  it('valid overrides parse, merge over the defaults, and keep every given value', () => {
    fc.assert(
      fc.property(overridesArb, (o) => {
        fc.pre(o.burnWindows === undefined || canonicalWindows(o.burnWindows));
        expect(validatePolicyOverrides(o, { file: 'p', path: '' })).toEqual([]);
        const p = mergePolicy(defaultPolicy(), o);
        if (o.minEvents !== undefined) expect(p.minEvents).toBe(o.minEvents);
        if (o.block?.noData !== undefined) expect(p.block.noData).toBe(o.block.noData);
        if (o.exceptions) expect(p.exceptions).toHaveLength(o.exceptions.length);
        if (o.burnWindows) expect(p.burnWindows).toHaveLength(o.burnWindows.length);
        // Parsing the same document from YAML text gives the same policy.
        expect(parsePolicy(JSON.stringify(o), 'p.json')).toEqual(p);
        // Merging is idempotent.
        expect(mergePolicy(p, o)).toEqual(p);
      }),
      { numRuns: 200 },
    );
  });

  it('any input either parses or raises an InputError (exit 2), never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string(), overridesArb.map((o) => ({ ...o, extra: 1 }))), (data) => {
        const text = typeof data === 'string' ? data : JSON.stringify(data);
        try {
          const p: BudgetPolicy = parsePolicy(text, 'p.yaml');
          expect(p.burnWindows.length).toBeGreaterThan(0);
        } catch (error) {
          expect(ReliaError.is(error) && (error as ReliaError).exitCode === 2).toBe(true);
        }
        expect(() => validatePolicyOverrides(data, { file: 'p', path: 'policy' })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('docs/schemas/budget-policy.schema.json', () => {
  it('is the schema generated from the zod schema (no drift)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(policyJsonSchema());
  });

  it('accepts the example policy, which parses', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    const text = readFileSync(EXAMPLE_FILE, 'utf8');
    expect(validate(parseYaml(text)), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ minEvents: -1 })).toBe(false);
    expect(validate({ burnWindows: ['5 minutes'] })).toBe(false);
    const p = parsePolicy(text, 'budget-policy.yaml');
    expect(p.exceptions.map((e) => e.name)).toEqual(['security-fix', 'incident-mitigation']);
    expect(p.dynamic.low.factor).toBe(1.5);
  });
});
