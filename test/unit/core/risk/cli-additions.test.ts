/**
 * Core pieces added for the `relia risk` commands: `mapFallback` (one --map
 * over several exports), the mitigated ETTF of a removed risk (null, not
 * Infinity, so --json stays valid), and the shipped docs/examples/risk files.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyzeHistory, parseFrequency, parseIncidents, parseRegister, scoreRisks } from '../../../../src/core/risk/index.js';
import { example, inputError, t } from './helpers.js';

const STANDARD = 'id,service,category,severity,started,detected,resolved,impact\nA-1,playback,cdn,SEV2,2026-01-01T00:00:00Z,2026-01-01T00:05:00Z,2026-01-01T00:35:00Z,0.2\n';
const EXPORT = 'id,service,category,urgency,created_at,ack_at,resolved,impact\nB-1,playback,cdn,high,2026-02-01T00:00:00Z,2026-02-01T00:10:00Z,2026-02-01T01:00:00Z,30%\n';
const MAP = 'severity=urgency,started=created_at,detected=ack_at';

describe('parseIncidents mapFallback', () => {
  it('reads the standard column where a mapped one is absent', () => {
    const a = parseIncidents(STANDARD, 'a.csv', { map: MAP, mapFallback: true });
    expect(a.columns).toMatchObject({ severity: 'severity', started: 'started', detected: 'detected' });
    expect(a.incidents[0]).toMatchObject({ id: 'A-1', severity: 'SEV2', started: t('2026-01-01T00:00:00Z'), detected: t('2026-01-01T00:05:00Z') });
    const b = parseIncidents(EXPORT, 'b.csv', { map: MAP, mapFallback: true });
    expect(b.columns).toMatchObject({ severity: 'urgency', started: 'created_at', detected: 'ack_at' });
    // 00:00 → 00:10 detected, → 01:00 resolved; impact 30 % = 0.3
    expect(b.incidents[0]).toMatchObject({ severity: 'high', detected: t('2026-02-01T00:10:00Z'), resolved: t('2026-02-01T01:00:00Z'), impact: 0.3 });
  });

  it('without it, a mapped column that is absent is an error naming --map', () => {
    const e = inputError(() => parseIncidents(STANDARD, 'a.csv', { map: MAP }));
    expect(e.message).toContain('a.csv: --map severity=urgency: there is no column "urgency"; columns are');
    expect(e.field).toBe('--map');
  });

  it('an optional field with neither column is left empty; a required one is an error naming both', () => {
    const noSeverity = 'id,service,category,created_at,detected,resolved,impact\nC-1,s,c,2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,,0.1\n';
    const c = parseIncidents(noSeverity, 'c.csv', { map: MAP, mapFallback: true });
    expect(c.columns.severity).toBeNull();
    expect(c.incidents[0]?.severity).toBeNull();
    const noStart = 'id,service,category,begin,detected,resolved,impact\nD-1,s,c,2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,,0.1\n';
    const e = inputError(() => parseIncidents(noStart, 'd.csv', { map: MAP, mapFallback: true }));
    expect(e.message).toContain('d.csv: --map started=created_at: there is no column "created_at" (nor "started")');
  });
});

describe('a mitigation that removes a risk', () => {
  it('reports the mitigated ETTF as null, which JSON can carry', () => {
    const reg = parseRegister(
      'risks:\n  - {name: r, service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, ettf: 90d, mitigations: [{name: redesign, frequencyFactor: 0}]}\n',
      'r.yaml',
    );
    const risk = scoreRisks(reg, { objective: 0.999, mitigated: true }).risks[0];
    expect(risk?.ettfDays).toBeCloseTo(90, 9);
    expect(risk?.mitigated?.ettfDays).toBeNull();
    expect(risk?.mitigated?.badMinutesPerYear).toBe(0);
    // (5 + 30) × 0.2 × 365.25/90 = 7 × 4.058333 = 28.408333 saved
    expect(risk?.mitigated?.savedMinutesPerYear).toBeCloseTo(28.408333, 5);
  });
});

describe('docs/examples/risk', () => {
  it('the register parses and scores as docs/risk.md says', () => {
    const reg = parseRegister(example('risk/register.yaml'), 'register.yaml');
    expect(reg.risks).toHaveLength(11);
    expect(new Set(reg.risks.map((r) => r.category))).toEqual(new Set(['cdn', 'database', 'cache', 'dependency']));
    const s = scoreRisks(reg, { objective: reg.objective as number });
    // cloud-region-outage: (10 + 600) × 1.0 = 610 min per occurrence > 525.96 → untenable; × 1/3 per year = 203.33
    expect(s.risks[0]).toMatchObject({ name: 'cloud-region-outage', untenable: true });
    expect(s.risks[0]?.badMinutesPerYear).toBeCloseTo(203.3333, 3);
    expect(s.overBudgetSet).toEqual(['cloud-region-outage', 'cdn-edge-outage', 'drm-license-outage', 'account-schema-migration-lock', 'origin-shield-overload']);
    expect(s.acceptableCount).toBe(9);
    expect(s.totalBadMinutesPerYear).toBeCloseTo(735.2327, 3);
  });

  it('the minimal register is the issue example', () => {
    const s = scoreRisks(parseRegister(example('risk/minimal.yaml'), 'minimal.yaml'), { objective: 0.999 });
    // (5 + 30) × 0.2 × 365.25 / 90 = 28.4083
    expect(s.risks[0]?.badMinutesPerYear).toBeCloseTo(28.408333, 5);
  });

  it('the incident history has a year of incidents, open ones, an overlap and an improving MTTD', () => {
    const file = parseIncidents(example('risk/incidents.csv'), 'incidents.csv');
    expect(file.incidents.length).toBeGreaterThanOrEqual(40);
    expect(file.incidents.length).toBeLessThanOrEqual(80);
    for (const i of file.incidents) {
      expect(i.started).toBeGreaterThanOrEqual(t('2025-11-01T00:00:00Z'));
      expect(i.started).toBeLessThan(t('2026-11-01T00:00:00Z'));
    }
    const h = analyzeHistory(file.incidents);
    expect(h.open).toBeGreaterThanOrEqual(1);
    expect(h.overall.overlapCount).toBeGreaterThanOrEqual(1);
    expect(h.overall.trend.mttdMinutes.direction).toBe('improving');
    const pd = parseIncidents(example('risk/incidents-pagerduty.csv'), 'incidents-pagerduty.csv', { map: 'severity=urgency,started=created_at,detected=acknowledged_at,resolved=resolved_at' });
    // 21:40+01:00 = 20:40Z
    expect(pd.incidents[0]).toMatchObject({ id: 'PD-Q1F7X2', started: t('2025-12-06T20:40:00Z'), impact: 0.3 });
  });
});

describe('frequency per month', () => {
  it('accepts N/month as documented (a month is 1/12 of a 365.25-day year)', () => {
    const reg = parseRegister('risks:\n  - {name: r, service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, frequency: 2/month}\n', 'r.yaml');
    expect(reg.risks[0]?.frequencyPerYear).toBe(24);
    expect(parseFrequency('0.5 / mo', false)).toBe(6);
    expect(parseFrequency('4/y', false)).toBeCloseTo(4, 12);
    expect(() => parseFrequency('0/month', false)).toThrow();
    expect(parseFrequency('0/month', true)).toBe(0);
    const e = inputError(() => parseRegister('risks:\n  - {name: r, service: s, category: c, ettd: 5m, ettr: 30m, impact: 0.2, frequency: 2/fortnight}\n', 'r.yaml'));
    expect(e.message).toContain('risks[0].frequency: expected a rate such as 4/y, 1/90d or 2/month');
  });
});

describe('docs/schemas/risk-register.schema.json', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../../docs/schemas/risk-register.schema.json', import.meta.url), 'utf8')) as object);

  it('accepts the example registers and a generated one, rejects what relia rejects structurally', () => {
    for (const name of ['risk/register.yaml', 'risk/minimal.yaml', 'risk-register.yaml']) {
      expect(validate(parseYaml(example(name))), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    const base = { name: 'r', service: 's', category: 'c', ettd: '5m', ettr: '30m', impact: 0.2, ettf: '90d' };
    expect(validate({ risks: [base] })).toBe(true);
    expect(validate({ risks: [] })).toBe(false);
    expect(validate({ risks: [{ ...base, ettf: undefined }] })).toBe(false); // neither ettf nor frequency
    expect(validate({ risks: [{ ...base, frequency: '4/y' }] })).toBe(false); // both
    expect(validate({ risks: [{ ...base, impact: 1.5 }] })).toBe(false);
    expect(validate({ risks: [{ ...base, ettd: 5 }] })).toBe(false); // a unit is required
    expect(validate({ risks: [{ ...base, colour: 'red' }] })).toBe(false);
    expect(validate({ risks: [{ ...base, mitigations: [{ name: 'm' }] }] })).toBe(false); // no effect
    expect(validate({ risks: [{ ...base, mitigations: [{ name: 'm', ettr: '5m', ettrFactor: 0.5 }] }] })).toBe(false);
    expect(validate({ risks: [{ ...base, mitigations: [{ name: 'm', ettf: '180d', frequencyFactor: 0.5 }] }] })).toBe(false);
  });

  it('property: whatever parseRegister accepts, the JSON Schema accepts too', () => {
    const junk = fc.constantFrom<unknown>('x', '', '5', 5, -1, 1.5, ' 0.5 ', '1e-2', '20%', '4/y', '2/month', '5m');
    const pick = <T>(valid: T[]) => fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 6 }, { arbitrary: junk, weight: 1 });
    const duration = pick(['5m', '90s', '1h30m', '0s', '3y', '90d', ' 2m ', '1.5h']);
    const fractionish = pick<unknown>([0, 0.2, 1, '20%', '0.2', ' 1 ', '1e-2', '0%']);
    const rate = pick(['4/y', '1/90d', '2/month', '0.5 / mo', '6/year', '12 / 30d']);
    let accepted = 0;
    fc.assert(
      fc.property(duration, duration, fractionish, fc.boolean(), rate, duration, duration, fractionish, (ettd, ettr, impact, useEttf, freq, ettf, mit, factor) => {
        const data = {
          objective: '99.9%',
          risks: [{ name: 'r', service: 's', category: 'c', ettd, ettr, impact, ...(useEttf ? { ettf } : { frequency: freq }), mitigations: [{ name: 'm', ettd: mit, impactFactor: factor }] }],
        };
        try {
          parseRegister(JSON.stringify(data), 'r.yaml');
        } catch {
          return;
        }
        accepted++;
        expect(validate(data), ajv.errorsText(validate.errors)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
