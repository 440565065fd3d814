/** fast-check: whatever the input, spec parsing answers with SLOs or an InputError, never a crash. */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { checkSpecs, loadSpecs } from '../../../../../src/core/budget/specs/index.js';
import { InputError } from '../../../../../src/core/errors.js';
import { example } from './helpers.js';

const VALID = ['checkout/relia.yaml', 'checkout/sloth.yaml', 'checkout/openslo.yaml'].map((f) => example(f));

/** loadSpecs either succeeds or throws an InputError. */
function loadsOrInputError(text: string): void {
  try {
    loadSpecs([{ file: 'p.yaml', text }]);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(/^(\d+ )?SLO spec problems?:\n {2}p\.yaml: /);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Replace or delete the value at a random path of `doc`. */
function mutate(doc: Json, choices: number[], replacement: Json, remove: boolean): Json {
  const clone = structuredClone(doc);
  let node: Json = clone;
  for (let depth = 0; depth < choices.length; depth++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(choices[depth] as number) % keys.length] as string & number;
    const last = depth === choices.length - 1 || node[key] === null || typeof node[key] !== 'object';
    if (last) {
      if (remove) {
        if (Array.isArray(node)) node.splice(key, 1);
        else delete (node as Record<string, Json>)[key];
      } else (node as Record<string, Json>)[key] = replacement;
      break;
    }
    node = node[key] as Json;
  }
  return clone;
}

const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string(), fc.constantFrom('30d', '1M', '99.9%', '{{.window}}', 'relia/v1', 'openslo/v1', 'prometheus/v1', 'SLO', 'SLI', ''));
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('value'), { maxKeys: 5 })),
})).value;

describe('spec parsing properties', () => {
  it('random text never crashes', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => loadsOrInputError(text)), { numRuns: 300 });
  });

  it('random YAML values never crash', () => {
    fc.assert(fc.property(json, (value) => loadsOrInputError(stringify(value))), { numRuns: 300 });
  });

  it('random documents with a known header never crash and report problems with a file and path', () => {
    const header = fc.constantFrom({ apiVersion: 'relia/v1', kind: 'SLO' }, { apiVersion: 'relia/v1' }, { apiVersion: 'openslo/v1', kind: 'SLO' }, { apiVersion: 'openslo/v1', kind: 'SLI' }, { version: 'prometheus/v1' });
    fc.assert(
      fc.property(header, fc.dictionary(fc.constantFrom('service', 'name', 'objective', 'window', 'sli', 'slos', 'metadata', 'spec', 'labels', 'budgeting', 'alerting', 'policy'), json, { maxKeys: 6 }), (h, body) => {
        const r = checkSpecs([{ file: 'p.yaml', text: stringify({ ...body, ...h }) }]);
        for (const p of r.problems) {
          expect(p.file).toBe('p.yaml');
          expect(typeof p.path).toBe('string');
          expect(p.message.length).toBeGreaterThan(0);
        }
        if (r.problems.length === 0) expect(r.slos.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('mutations of the valid examples parse or fail with an InputError', () => {
    const docs = VALID.map((t) => t.split(/^---$/m).map((d) => parse(d) as Json));
    fc.assert(
      fc.property(fc.nat(docs.length - 1), fc.array(fc.nat(20), { minLength: 1, maxLength: 6 }), json, fc.boolean(), (which, path, replacement, remove) => {
        const file = docs[which] as Json[];
        const target = path[0]! % file.length;
        const mutated = file.map((d, i) => (i === target ? mutate(d, path.slice(1), replacement, remove) : d));
        loadsOrInputError(mutated.map((d) => stringify(d)).join('---\n'));
      }),
      { numRuns: 500 },
    );
  });

  it('any objective between 1 and 100 (exclusive) reads as that percentage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1001, max: 99_999 }), fc.boolean(), (thousandths, asString) => {
        const percent = thousandths / 1000;
        const text = example('checkout/relia.yaml').replace('objective: 99.9 ', `objective: ${asString ? `"${percent}%"` : percent} `);
        const [slo] = loadSpecs([{ file: 'p.yaml', text }]);
        expect(slo!.objective).toBe(Number((percent / 100).toPrecision(12)));
        expect(slo!.objective).toBeGreaterThan(0.01);
        expect(slo!.objective).toBeLessThan(1);
      }),
      { numRuns: 200 },
    );
  });
});
