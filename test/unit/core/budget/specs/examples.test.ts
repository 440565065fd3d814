/**
 * docs/examples/slo: the checkout SLO in all three formats parses to the same
 * definition; the demo services directory is valid; docs/schemas/slo.schema.json
 * is generated from the zod schema (drift check) and accepts the native examples.
 *
 * Regenerate the JSON Schema: RELIA_WRITE_SLO_SCHEMA=1 npx vitest run test/unit/core/budget/specs/examples.test.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkSpecs, nativeSpecJsonSchema } from '../../../../../src/core/budget/specs/index.js';
import type { SloDefinition } from '../../../../../src/core/budget/model.js';
import { generateRules } from '../../../../../src/core/budget/rules.js';
import { example } from './helpers.js';

const SCHEMA_FILE = new URL('../../../../../docs/schemas/slo.schema.json', import.meta.url);
const schemaText = () => `${JSON.stringify(nativeSpecJsonSchema(), null, 2)}\n`;

function load(name: string): SloDefinition {
  const r = checkSpecs([{ file: name, text: example(name) }]);
  expect(r.problems).toEqual([]);
  expect(r.slos).toHaveLength(1);
  return r.slos[0]!;
}

/** The definition without where it came from. */
const essence = ({ source: _s, alerting: _a, ...rest }: SloDefinition) => rest;

describe('docs/examples/slo', () => {
  it('the checkout SLO is the same definition in all three formats', () => {
    const [relia, openslo, sloth] = ['checkout/relia.yaml', 'checkout/openslo.yaml', 'checkout/sloth.yaml'].map(load) as [SloDefinition, SloDefinition, SloDefinition];
    expect(essence(openslo)).toEqual(essence(relia));
    expect(essence(sloth)).toEqual(essence(relia));
    expect([relia.source.format, openslo.source.format, sloth.source.format]).toEqual(['relia', 'openslo', 'sloth']);
    // relia and Sloth both name the alerts; OpenSLO cannot.
    expect(sloth.alerting).toEqual(relia.alerting);
    expect(openslo.alerting).toBeUndefined();
  });

  it('the three formats generate the same recording rules and alert expressions', () => {
    const [relia, openslo, sloth] = ['checkout/relia.yaml', 'checkout/openslo.yaml', 'checkout/sloth.yaml'].map(load);
    const exprs = (s: SloDefinition) => generateRules([s], { page: true, ticket: true }).groups[0]!.rules.map((r) => r.expr);
    expect(exprs(openslo!)).toEqual(exprs(relia!));
    expect(exprs(sloth!)).toEqual(exprs(relia!));
  });

  it('the services directory holds one valid SLO per demo service', () => {
    const dir = new URL('../../../../../docs/examples/slo/services/', import.meta.url);
    const files = readdirSync(dir).sort();
    const r = checkSpecs(files.map((f) => ({ file: f, text: readFileSync(new URL(f, dir), 'utf8') })));
    expect(r.problems).toEqual([]);
    expect(r.slos.map((s) => [s.service, s.objective])).toEqual([
      ['billing', 0.999],
      ['checkout', 0.999],
      ['playback', 0.995],
      ['recommendations', 0.999],
      ['search', 0.9995],
    ]);
    expect(essence(r.slos[1]!)).toEqual({ ...essence(load('checkout/relia.yaml')), description: undefined } as never);
  });
});

describe('docs/schemas/slo.schema.json', () => {
  it('is generated from the zod schema (no drift)', () => {
    if (process.env.RELIA_WRITE_SLO_SCHEMA === '1') writeFileSync(SCHEMA_FILE, schemaText());
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'docs/schemas/slo.schema.json is stale: run RELIA_WRITE_SLO_SCHEMA=1 npx vitest run test/unit/core/budget/specs/examples.test.ts').toBe(schemaText());
  });

  it('accepts the native examples and rejects what the parser rejects structurally', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    for (const f of ['checkout/relia.yaml', 'services/checkout.yaml', 'services/billing.yaml']) {
      expect(validate(parse(example(f))), `${f}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    const list = { apiVersion: 'relia/v1', service: 'x', slos: [{ name: 'a', objective: '99.9%', window: { calendar: 'month' }, sli: { errorRatio: 'r[{{.window}}]' } }] };
    expect(validate(list)).toBe(true);
    for (const bad of [
      { ...list, slos: [] },
      { ...list, extra: 1 },
      { ...list, labels: { 'bad-name': 'x' } },
      { apiVersion: 'relia/v1', kind: 'SLO', service: 'x', name: 'a', objective: 0.999, window: '30d', sli: { errorRatio: 'r' } },
      { apiVersion: 'relia/v1', kind: 'SLO', service: 'x', name: 'a', objective: 99.9, window: '1M', sli: { errorRatio: 'r' } },
    ]) {
      expect(validate(bad)).toBe(false);
    }
  });
});
