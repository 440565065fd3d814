import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { frequencyFields, parseRegister, renderRegisterYaml, type Register } from '../../../../src/core/risk/index.js';
import { example, inputError } from './helpers.js';

const MINIMAL = `
risks:
  - name: cdn-edge-outage
    service: playback
    category: dependency
    ettd: 5m
    ettr: 30m
    impact: 0.2      # fraction of users affected
    ettf: 90d        # or instead: frequency: 4/y
`;

/** A one-risk register with `extra` YAML lines appended to the risk (indented by the caller). */
const oneRisk = (extra: string, base = 'ettd: 5m\n    ettr: 30m\n    impact: 0.2\n    ettf: 90d') =>
  `risks:\n  - name: r\n    service: s\n    category: c\n    ${base}\n${extra}`;

describe('parseRegister', () => {
  it('accepts the minimal form and converts to minutes and occurrences per year', () => {
    const reg = parseRegister(MINIMAL, 'risk-register.yaml');
    expect(reg.objective).toBeUndefined();
    expect(reg.risks).toHaveLength(1);
    const r = reg.risks[0]!;
    expect(r).toMatchObject({ name: 'cdn-edge-outage', service: 'playback', category: 'dependency', ettdMinutes: 5, ettrMinutes: 30, impact: 0.2, mitigations: [] });
    // ettf 90d → 365.25 d / 90 d = 4.058333… per year
    expect(r.frequencyPerYear).toBeCloseTo(365.25 / 90, 12);
  });

  it('accepts frequency instead of ettf, percentages, an objective and compound durations', () => {
    const reg = parseRegister(
      `objective: 99.95\nrisks:\n  - {name: a, service: s, category: c, ettd: 90s, ettr: 1h30m, impact: 25%, frequency: 4/y, description: text}\n`,
      'r.yaml',
    );
    const r = reg.risks[0]!;
    expect(reg.objective).toBeCloseTo(0.9995, 12);
    expect(r.ettdMinutes).toBe(1.5); // 90 s = 1.5 min
    expect(r.ettrMinutes).toBe(90); // 1 h 30 m = 90 min
    expect(r.impact).toBe(0.25);
    expect(r.frequencyPerYear).toBeCloseTo(4, 12);
    expect(r.description).toBe('text');
  });

  it('normalizes mitigations: replacements become caps, ettf/frequency become a yearly cap', () => {
    const reg = parseRegister(
      oneRisk(`    mitigations:
      - name: m1
        description: why
        ettd: 2m
        ettrFactor: 0.5
        impact: 0.1
        ettf: 180d
      - name: m2
        ettdFactor: 0.5
        ettr: 10m
        impactFactor: 0.5
        frequencyFactor: 0.25
      - name: m3
        frequency: 1/y
`),
      'r.yaml',
    );
    const [m1, m2, m3] = reg.risks[0]!.mitigations;
    expect(m1).toEqual({ name: 'm1', description: 'why', ettdMinutes: 2, ettrFactor: 0.5, impact: 0.1, frequencyPerYear: 365.25 / 180 });
    expect(m2).toEqual({ name: 'm2', ettdFactor: 0.5, ettrMinutes: 10, impactFactor: 0.5, frequencyFactor: 0.25 });
    expect(m3?.frequencyPerYear).toBeCloseTo(1, 12);
  });

  it('names the file, the path and what was expected', () => {
    const risks = [0, 1, 2].map((i) => `  - {name: r${i}, service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d}`).join('\n');
    const err = inputError(() => parseRegister(`risks:\n${risks}\n  - {name: r3, service: s, category: c, ettd: 5m, ettr: 30m, impact: 1.5, ettf: 90d}\n`, 'risk-register.yaml'));
    expect(err.message).toBe('risk-register.yaml: risks[3].impact: expected a fraction between 0 and 1 (or a percentage such as 20%), got 1.5');
    expect(err.field).toBe('risks[3].impact');
    expect(err.file).toBe('risk-register.yaml');
    expect(err.exitCode).toBe(2);
    expect(err.suggestions.join(' ')).toMatch(/docs\/risk\.md/);
  });

  it.each([
    ['ettd: 5 minutes\n    ettr: 30m\n    impact: 0.2\n    ettf: 90d', /risks\[0\]\.ettd: expected a duration such as 5m/],
    ['ettd: 5m\n    ettr: 30m\n    impact: 0.2', /risks\[0\]\.ettf: required: give ettf \(e\.g\. 90d\) or frequency/],
    ['ettd: 5m\n    ettr: 30m\n    impact: 0.2\n    ettf: 90d\n    frequency: 4/y', /risks\[0\]\.frequency: give either ettf or frequency, not both/],
    ['ettd: 5m\n    ettr: 30m\n    impact: 0.2\n    frequency: 4', /risks\[0\]\.frequency: expected a rate such as 4\/y/],
    ['ettd: 5m\n    ettr: 30m\n    impact: 0.2\n    frequency: 0/y', /risks\[0\]\.frequency: expected a rate .*above zero/],
    ['ettd: 5m\n    ettr: 30m\n    impact: 0.2\n    ettf: 0d', /risks\[0\]\.ettf: expected a duration above zero/],
    ['ettd: 5m\n    ettr: [1]\n    impact: 0.2\n    ettf: 90d', /risks\[0\]\.ettr: expected a duration .*, got a list/],
    ['ettd: 5m\n    ettr: {a: 1}\n    impact: 0.2\n    ettf: 90d', /risks\[0\]\.ettr: expected a duration .*, got a mapping/],
    ['ettd: 5m\n    ettr: 30m\n    ettf: 90d', /risks\[0\]\.impact: required: expected a fraction/],
    ['ettd: 5m\n    ettr: 30m\n    impact: 0.2\n    ettf: 90d\n    owner: me', /risks\[0\]: unknown field "owner"/],
  ])('rejects %j', (base, message) => {
    expect(() => parseRegister(oneRisk('', base), 'r.yaml')).toThrowError(message);
  });

  it('rejects missing or empty labels and duplicate risk names', () => {
    expect(() => parseRegister('risks:\n  - {service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d}\n', 'r.yaml')).toThrowError(
      /risks\[0\]\.name: required: expected a risk name/,
    );
    expect(() => parseRegister('risks:\n  - {name: " ", service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d}\n', 'r.yaml')).toThrowError(
      /risks\[0\]\.name: expected a risk name .*empty/,
    );
    expect(() => parseRegister('risks:\n  - {name: 3, service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d}\n', 'r.yaml')).toThrowError(
      /risks\[0\]\.name: expected a risk name such as cdn-edge-outage, got 3/,
    );
    const dup = 'risks:\n' + [0, 1].map(() => '  - {name: same, service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d}').join('\n') + '\n';
    expect(() => parseRegister(dup, 'r.yaml')).toThrowError(/risks\[1\]\.name: duplicate risk name "same" \(also risks\[0\]\)/);
  });

  it('rejects an empty list, an empty file, a non-mapping root and broken YAML', () => {
    expect(() => parseRegister('risks: []\n', 'r.yaml')).toThrowError(/r\.yaml: risks: expected at least one risk/);
    const empty = inputError(() => parseRegister('', 'r.yaml'));
    expect(empty.message).toMatch(/the register is empty/);
    expect(empty.field).toBe('risks');
    expect(() => parseRegister('- a\n- b\n', 'r.yaml')).toThrowError(/r\.yaml: \(document\): expected object, got a list/);
    const broken = inputError(() => parseRegister('risks:\n  - name: a\n   service: b\n', 'r.yaml'));
    expect(broken.message).toMatch(/^r\.yaml line \d+: not valid YAML/);
    expect(() => parseRegister('a: 1\na: 2\n', 'r.yaml')).toThrowError(/not valid YAML/);
    expect(() => parseRegister('*!', 'r.yaml')).toThrowError(/r\.yaml: not valid YAML: Unresolved alias/);
    expect(() => parseRegister('objective: 100\nrisks: []\n', 'r.yaml')).toThrowError(/objective: expected an objective such as 99\.9/);
    expect(() => parseRegister('risks: 3\n', 'r.yaml')).toThrowError('r.yaml: risks: expected array, got 3');
    expect(() => parseRegister('risks:\n  - 3\n', 'r.yaml')).toThrowError('r.yaml: risks[0]: expected object, got 3');
  });

  it.each([
    ['      - {name: m, ettr: 45m}', /mitigations\[0\]\.ettr: 45m is longer than the risk's own value 30m; a mitigation may only lower a risk/],
    ['      - {name: m, ettd: 1h}', /mitigations\[0\]\.ettd: 1h is longer than the risk's own value 5m/],
    ['      - {name: m, impact: 0.5}', /mitigations\[0\]\.impact: 0\.5 is larger than the risk's own value 0\.2/],
    ['      - {name: m, ettf: 30d}', /mitigations\[0\]\.ettf: a shorter ETTF than the risk's own means failing more often/],
    ['      - {name: m, frequency: 12/y}', /mitigations\[0\]\.frequency: 12\/y is more frequent than the risk's own value 4\.05833\/y/],
    ['      - {name: m, ettrFactor: 1.5}', /mitigations\[0\]\.ettrFactor: expected a factor between 0 and 1 \(a mitigation may only lower a value\), got 1\.5/],
    ['      - {name: m, ettrFactor: ""}', /mitigations\[0\]\.ettrFactor: expected a factor between 0 and 1/],
    ['      - {name: m, ettr: 10m, ettrFactor: 0.5}', /mitigations\[0\]\.ettrFactor: give either ettr or ettrFactor, not both/],
    ['      - {name: m, ettf: 180d, frequencyFactor: 0.5}', /mitigations\[0\]\.frequencyFactor: give only one of ettf, frequency, frequencyFactor/],
    ['      - {name: m}', /mitigations\[0\]\.name: a mitigation needs at least one effect/],
    ['      - {name: m, ettrFactor: 0.5}\n      - {name: m, ettdFactor: 0.5}', /mitigations\[1\]\.name: duplicate mitigation name "m"/],
  ])('rejects the mitigation %j', (mitigation, message) => {
    expect(() => parseRegister(oneRisk(`    mitigations:\n${mitigation}\n`), 'r.yaml')).toThrowError(message);
  });

  it('accepts string factors and a mitigation equal to the risk value', () => {
    const reg = parseRegister(oneRisk('    mitigations:\n      - {name: m, ettrFactor: "0.5"}\n'), 'r.yaml');
    expect(reg.risks[0]!.mitigations[0]).toEqual({ name: 'm', ettrFactor: 0.5 });
    const same = parseRegister(oneRisk('    mitigations:\n      - {name: m, ettr: 30m}\n'), 'r.yaml');
    expect(same.risks[0]!.mitigations[0]!.ettrMinutes).toBe(30);
  });

  it('never throws anything but InputError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('r', 'i', 's', 'k', ':', ' ', '\n', '-', '*', '&', '{', '}', '[', ']', '5m', 'a') })), (s) => {
        try {
          parseRegister(s, 'r.yaml');
        } catch (err) {
          return err instanceof InputError;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('parses the shipped example register', () => {
    const reg = parseRegister(example('risk-register.yaml'), 'risk-register.yaml');
    expect(reg.objective).toBeCloseTo(0.999, 12);
    expect(reg.risks.length).toBeGreaterThanOrEqual(8);
    expect(reg.risks.length).toBeLessThanOrEqual(12);
    expect(new Set(reg.risks.map((r) => r.category))).toEqual(new Set(['cdn', 'database', 'cache', 'dependency']));
    expect(reg.risks.filter((r) => r.mitigations.length > 0).length).toBeGreaterThanOrEqual(3);
  });
});

describe('renderRegisterYaml', () => {
  /** Compare two registers, numbers to 12 significant digits. */
  const approx = (a: Register) => JSON.parse(JSON.stringify(a, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v))) as unknown;

  it('round-trips the example register and is a fixed point', () => {
    const reg = parseRegister(example('risk-register.yaml'), 'risk-register.yaml');
    const yaml = renderRegisterYaml(reg);
    const back = parseRegister(yaml, 'rendered.yaml');
    expect(approx(back)).toEqual(approx(reg));
    expect(renderRegisterYaml(back)).toBe(yaml);
  });

  it('writes round yearly rates as frequency and the rest as ettf', () => {
    expect(frequencyFields(4)).toEqual({ frequency: '4/y' });
    expect(frequencyFields(0.5)).toEqual({ frequency: '0.5/y' });
    expect(frequencyFields(0)).toEqual({ frequency: '0/y' });
    // 365.25 d / 90 d = 4.058333… /y → back to 90 days
    expect(frequencyFields(365.25 / 90)).toEqual({ ettf: '90d' });
    // 1/3 per year → 365.25 × 3 = 1095.75 days
    expect(frequencyFields(1 / 3)).toEqual({ ettf: '1095.75d' });
  });

  it('writes header and per-risk comments, and a zero-frequency cap', () => {
    const reg = parseRegister(oneRisk('    mitigations:\n      - {name: stop, frequencyFactor: 0}\n      - {name: cap, frequency: 0/y}\n'), 'r.yaml');
    reg.objective = 0.999;
    const yaml = renderRegisterYaml(reg, { header: ['first line', 'second line'], riskComments: { r: 'from 3 incidents', other: 'unused' } });
    expect(yaml.startsWith('# first line\n# second line\n')).toBe(true);
    expect(yaml).toMatch(/objective: 99\.9\n/);
    expect(yaml).toMatch(/# from 3 incidents\n\s+- name: r/);
    expect(yaml).toMatch(/frequency: 0\/y/);
    const back = parseRegister(yaml, 'r.yaml');
    expect(back.risks[0]!.mitigations).toEqual([
      { name: 'stop', frequencyFactor: 0 },
      { name: 'cap', frequencyPerYear: 0 },
    ]);
    expect(back.objective).toBeCloseTo(0.999, 12);
  });
});
