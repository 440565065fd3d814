import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { inputError } from '../../../helpers/errors.js';
import { InputError } from '../../../../src/core/errors.js';
import { checkDirection, failoverPlanJsonSchema, parseFailoverPlan } from '../../../../src/core/failover/plan-schema.js';

const SCHEMA_FILE = new URL('../../../../docs/schemas/failover-plan.schema.json', import.meta.url);
const EXAMPLE = new URL('../../../../docs/examples/failover/playback-api.yaml', import.meta.url);

const minimal = (extra = '') => `name: api
dns: { zone: example.com., record: api.example.com }
regions:
  us-east-1: { setIdentifier: use1, capacity: [{ asg: api-use1 }] }
  eu-west-1: { setIdentifier: euw1, capacity: [{ asg: api-euw1 }] }
${extra}`;

describe('failover plan file', () => {
  it('reads the documented example with every field', () => {
    const plan = parseFailoverPlan(readFileSync(EXAMPLE, 'utf8'), 'playback-api.yaml');
    expect(plan.name).toBe('playback-api');
    expect(plan.record).toBe('api.example.com.');
    expect(plan.steps).toEqual([25, 50, 100]);
    expect(plan.bakeMs).toBe(300_000);
    expect(plan.guardIntervalMs).toBe(30_000);
    expect(plan.capacity).toEqual({ percentToMatch: 100, timeoutMs: 900_000, scaleBackOnRollback: true });
    expect(plan.safety).toEqual({ minHealthyRegions: 1, maxStepPercent: 50, approval: 'tty' });
    expect(plan.regions['us-east-1']!.capacity).toEqual([
      { kind: 'asg', name: 'playback-us-east-1', region: 'us-east-1', field: 'regions.us-east-1.capacity[0].asg' },
      { kind: 'deployment', context: 'prod-use1', namespace: 'playback', name: 'api', field: 'regions.us-east-1.capacity[1].kubernetes' },
    ]);
  });

  it('applies the defaults', () => {
    const plan = parseFailoverPlan(minimal(), 'p.yaml');
    expect(plan).toMatchObject({ type: 'A', steps: [25, 50, 100], bakeMs: 300_000, lockTtlMs: 1_800_000, safety: { minHealthyRegions: 1, maxStepPercent: 50, approval: 'tty' } });
    expect(parseFailoverPlan(minimal('bake: 0s'), 'p.yaml').bakeMs).toBe(0);
  });

  it.each([
    ['steps that do not increase', 'steps: [50, 25, 100]', 'steps[1]', /steps must increase/],
    ['steps that do not end at 100', 'steps: [25, 50]', 'steps', /last step must be 100/],
    ['a step above 100', 'steps: [50, 150]', 'steps[1]', /at most 100/],
    ['an unknown field', 'stepz: [50]', '', /unknown field "stepz"/],
    ['a bad duration', 'bake: 5 minutes', 'bake', /duration/],
    ['a bad approval', 'safety: { approval: always }', 'safety.approval', /tty/],
    ['too many healthy regions', 'safety: { minHealthyRegions: 3 }', 'safety.minHealthyRegions', /3 healthy regions are required but the plan has 2/],
    ['a capacity plan without tiers', 'capacity: { plan: cap.yaml }', 'regions.us-east-1.capacity[0].tier', /must name its capacity-plan tier/],
  ])('refuses %s (exit 2 naming the field)', (_what, extra, field, message) => {
    const e = inputError(() => parseFailoverPlan(minimal(extra), 'p.yaml'));
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/p\.yaml: /);
    if (field) expect(e.field).toBe(field);
  });

  it('refuses two regions on one set identifier, and malformed YAML', () => {
    expect(inputError(() => parseFailoverPlan(minimal().replace('euw1', 'use1'), 'p.yaml')).field).toBe('regions.eu-west-1.setIdentifier');
    expect(inputError(() => parseFailoverPlan('name: [', 'p.yaml')).message).toMatch(/not readable as YAML/);
    expect(inputError(() => parseFailoverPlan('- a', 'p.yaml')).message).toMatch(/expected a mapping/);
  });

  it('checks --from and --to: known regions, not equal', () => {
    const plan = parseFailoverPlan(minimal(), 'p.yaml');
    expect(inputError(() => checkDirection(plan, 'us-west-2', 'eu-west-1'))).toMatchObject({ field: '--from', suggestions: ['use one of: us-east-1, eu-west-1'] });
    expect(inputError(() => checkDirection(plan, 'us-east-1', 'us-east-1')).field).toBe('--to');
    expect(() => checkDirection(plan, 'us-east-1', 'eu-west-1')).not.toThrow();
  });

  it('property: any plan data is either accepted or an InputError, never a crash', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        try {
          parseFailoverPlan(JSON.stringify({ ...(parseYaml(minimal()) as object), steps: junk }), 'p.json');
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('docs/schemas/failover-plan.schema.json', () => {
  it('is generated from the zod schema (no drift)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(failoverPlanJsonSchema());
  });

  it('accepts the example and rejects a plan with one region', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    expect(validate(parseYaml(readFileSync(EXAMPLE, 'utf8')))).toBe(true);
    expect(validate({ name: 'x', dns: { zone: 'z', record: 'r' }, regions: { 'us-east-1': { setIdentifier: 'a' } }, unknown: 1 })).toBe(false);
  });
});
