import { describe, expect, it } from 'vitest';
import { parseFrequency, parseRegister, renderRegisterYaml, type Register } from '../../../../src/core/risk/index.js';
import { expectInputError } from '../error-contract.js';
import { inputError, risk } from './helpers.js';

// What a user sees from the register parser and writer at its edges: null and
// blank values, zero durations, factor and "may only lower" limits, the exact
// shape of what is parsed, YAML syntax errors, and the YAML written back.

const DOCS_HINT = 'see docs/risk.md#the-risk-register for the accepted fields';

/** One risk in flow style: `fields` (YAML values) replace the defaults; then the mitigations, if any. */
const register = (fields: Record<string, string> = {}, mitigations: string[] = []) => {
  const all = { name: 'r', service: 's', category: 'c', ettd: '5m', ettr: '30m', impact: '0.2', ettf: '90d', ...fields };
  const pairs = Object.entries(all).map(([k, v]) => `${k}: ${v}`);
  if (mitigations.length > 0) pairs.push(`mitigations: [${mitigations.join(', ')}]`);
  return `risks:\n  - {${pairs.join(', ')}}\n`;
};
const mitigations = (...ms: string[]) => parseRegister(register({}, ms), 'r.yaml').risks[0]!.mitigations;

describe('parseRegister values', () => {
  it.each([
    ['impact', '~', 'required: expected a fraction between 0 and 1 (or a percentage such as 20%)'],
    ['ettd', 'null', 'required: expected a duration such as 5m, 90s or 1h30m'],
    ['name', '~', 'required: expected a risk name such as cdn-edge-outage'],
    ['service', 'null', 'required: expected a service name such as playback'],
  ])('%s: %s is reported as missing', (field, value, message) => {
    const path = `risks[0].${field}`;
    const err = expectInputError(() => parseRegister(register({ [field]: value }), 'r.yaml'), path);
    expect(err.message).toBe(`r.yaml: ${path}: ${message}`);
    expect(err.suggestions).toEqual([DOCS_HINT]);
  });

  it('trims names and labels', () => {
    const r = parseRegister(register({ name: '" edge "', service: '" playback"', category: '"cdn "' }), 'r.yaml').risks[0]!;
    expect([r.name, r.service, r.category]).toEqual(['edge', 'playback', 'cdn']);
  });

  it('accepts zero detection and repair times', () => {
    const r = parseRegister(register({ ettd: '0m', ettr: '0s' }), 'r.yaml').risks[0]!;
    expect([r.ettdMinutes, r.ettrMinutes]).toEqual([0, 0]);
    expect(mitigations('{name: m, ettd: 0s, ettr: 0m}')[0]).toStrictEqual({ name: 'm', ettdMinutes: 0, ettrMinutes: 0 });
  });

  it('accepts factors 0 and 1 and rejects blank or out-of-range ones', () => {
    expect(mitigations('{name: a, ettdFactor: 1, ettrFactor: 0, impactFactor: " 0.5 "}')[0]).toStrictEqual({ name: 'a', ettdFactor: 1, ettrFactor: 0, impactFactor: 0.5 });
    for (const [value, shown] of [
      ['"  "', '"  "'],
      ['1.0000001', '1.0000001'],
      ['-0.1', '-0.1'],
    ]) {
      const err = inputError(() => mitigations(`{name: m, ettrFactor: ${value}}`));
      expect(err.message).toBe(`r.yaml: risks[0].mitigations[0].ettrFactor: expected a factor between 0 and 1 (a mitigation may only lower a value), got ${shown}`);
    }
  });

  it('a mitigation equal to the risk value, up to rounding, does not raise it', () => {
    // 0.2 × (1 + 1e-12) as a double: equal within the tolerance for rounding
    expect(mitigations('{name: m, impact: 0.20000000000020002}')[0]!.impact).toBe(0.20000000000020002);
    expect(() => mitigations('{name: m, impact: 0.2000000000003}')).toThrowError(/mitigations\[0\]\.impact: 0\.2000000000003 is larger than the risk's own value 0\.2/);
    expect(mitigations('{name: m, ettf: 90d}')[0]!.frequencyPerYear).toBe(365.25 / 90);
    // a risk at 0.0833…/month is 0.9999999999989999/y; an 8766 h (one year) ETTF is 1/y, just inside the tolerance
    const edge = parseRegister(
      'risks:\n  - {name: r, service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, frequency: 0.08333333333324999/month, mitigations: [{name: m, ettf: 8766h}]}\n',
      'r.yaml',
    );
    expect(edge.risks[0]!.frequencyPerYear).toBe(0.9999999999989999);
    expect(edge.risks[0]!.mitigations[0]!.frequencyPerYear).toBe(1);
  });

  it('parses exactly the fields given, no more', () => {
    const reg = parseRegister(register(), 'r.yaml');
    expect(reg).toStrictEqual({
      risks: [{ name: 'r', service: 's', category: 'c', ettdMinutes: 5, ettrMinutes: 30, impact: 0.2, frequencyPerYear: 365.25 / 90, mitigations: [] }],
    } satisfies Register);
    expect(mitigations('{name: a, ettrFactor: 0.5}', '{name: b, ettdFactor: 0.5}')).toStrictEqual([
      { name: 'a', ettrFactor: 0.5 },
      { name: 'b', ettdFactor: 0.5 },
    ]);
  });
});

describe('parseFrequency', () => {
  it('reads per-month rates and names the frequency field when a rate is not readable', () => {
    expect(parseFrequency(' 2 / mo ', false)).toBe(24);
    expect(parseFrequency('4/y', false)).toBeCloseTo(4, 12);
    expect(parseFrequency('0/month', true)).toBe(0);
    expectInputError(() => parseFrequency('4', false), 'frequency', ['"4"']);
    expect(() => parseFrequency('0/month', false)).toThrowError('bad frequency');
  });
});

describe('parseRegister file errors', () => {
  it('a YAML syntax error names the file and line, on one line, with the fix', () => {
    const err = inputError(() => parseRegister('risks:\n  - name: a\n   service: b\n', 'r.yaml'));
    expect(err.message).toMatch(/^r\.yaml line 3: not valid YAML: [A-Z][^\n]* at line 3, column \d+:$/);
    expect(err.file).toBe('r.yaml');
    expect(err.suggestions).toEqual(['fix the YAML syntax at that line (indentation, a missing colon, a duplicate key)', 'see docs/risk.md#the-risk-register for an example register']);
  });

  it('an alias without its anchor, or too many aliases, is refused with the fix', () => {
    const err = inputError(() => parseRegister('risks: *missing\n', 'r.yaml'));
    expect(err.message).toMatch(/^r\.yaml: not valid YAML: .*missing/);
    expect(err.file).toBe('r.yaml');
    expect(err.suggestions).toEqual(['define each anchor (&name) before its alias (*name), and do not nest aliases deeply']);
    // each level refers to the one below ten times: 10^4 nodes from a few lines
    const laughs = 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nrisks: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(() => parseRegister(laughs, 'r.yaml')).toThrowError(/^r\.yaml: not valid YAML: Excessive alias count/);
  });

  it.each(['', '~\n', 'null\n', '# nothing yet\n'])('an empty register (%j) says where to start', (text) => {
    const err = expectInputError(() => parseRegister(text, 'r.yaml'), 'risks');
    expect(err.message).toBe('r.yaml: the register is empty; expected a mapping with a "risks:" list');
    expect(err.file).toBe('r.yaml');
    expect(err.suggestions).toEqual(['start from docs/examples/risk-register.yaml (see docs/risk.md#the-risk-register)']);
  });
});

describe('renderRegisterYaml', () => {
  const two: Register = { risks: [risk({ name: 'a' }), risk({ name: 'toString', mitigations: [{ name: 'm', ettdFactor: 0.5 }] })] };

  it('writes mitigations only where there are some, and ettdFactor', () => {
    const yaml = renderRegisterYaml(two);
    expect(yaml.match(/mitigations:/g)).toHaveLength(1);
    expect(yaml).toMatch(/ettdFactor: 0\.5\n/);
    expect(parseRegister(yaml, 'r.yaml').risks[1]!.mitigations).toStrictEqual([{ name: 'm', ettdFactor: 0.5 }]);
  });

  it('writes no header for an empty one, and comments only the risks that have one', () => {
    expect(renderRegisterYaml(two, { header: [] })).toBe(renderRegisterYaml(two));
    const yaml = renderRegisterYaml(two, { riskComments: { a: 'from 2 incidents' } });
    expect(yaml.match(/#/g)).toHaveLength(1);
    expect(yaml).toMatch(/# from 2 incidents\n\s+- name: a\n/);
    // a risk named like an Object method gets no comment from the prototype
    expect(renderRegisterYaml(two, { riskComments: {} })).not.toMatch(/#/);
  });

  it('keeps a long description on one line', () => {
    const description = 'an outage of the CDN edge in one region, seen as playback start failures by every user there, until failover';
    const yaml = renderRegisterYaml({ risks: [risk({ name: 'a', description })] });
    expect(yaml).toContain(`description: ${description}\n`);
    expect(parseRegister(yaml, 'r.yaml').risks[0]!.description).toBe(description);
  });
});
