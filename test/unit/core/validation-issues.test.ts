/**
 * Pins the zod issues validation.ts words itself and the YAML syntax errors of parseYamlInput
 * (src/core/validation.ts; docs/contributing.md "Bad input"): a bad record key with the key check's own
 * reason, and a fixed wording when zod gives none; an exclusive union (z.xor) that matched two forms is
 * not reported as matching none; a YAML syntax error says where (line, column), as config files do;
 * the yaml library prints no warning of its own. Expected strings by hand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { parseWithSchema, parseYamlInput, schemaProblems } from '../../../src/core/validation.js';
import { inputError as thrown } from '../../helpers/errors.js';

describe('zod issues relia words itself', () => {
  it("a bad record key: the key, then the key check's own reason", () => {
    const e = thrown(() => parseWithSchema(z.record(z.string().min(3, 'at least 3 characters'), z.number()), { ab: 1 }, { file: 'c.yaml' }));
    expect(e.message).toBe('c.yaml: ab: invalid key "ab": at least 3 characters');
  });

  it("a bad key with no reason from zod says 'not accepted'", () => {
    // zod always nests the key's own issues; a hand-made issue without them is the defensive case
    const issue = { code: 'invalid_key', origin: 'record', issues: [], input: 'ab', path: ['ab'], message: 'Invalid key in record' } as unknown as z.core.$ZodIssue;
    expect(schemaProblems(new z.ZodError([issue]))).toStrictEqual([{ path: 'ab', message: 'invalid key "ab": not accepted' }]);
  });

  it('an exclusive union that matched two forms says so (bug fixed: it read "does not match any accepted form")', () => {
    const xor = z.xor([z.object({ a: z.number() }), z.object({ b: z.number() })]);
    expect(thrown(() => parseWithSchema(xor, { a: 1, b: 2 })).message).toBe('(document): Invalid input: more than one option matched');
    expect(thrown(() => parseWithSchema(xor, {})).message).toBe('(document): does not match any accepted form, got a mapping');
  });
});

describe('parseYamlInput: syntax errors', () => {
  const where = { file: 'slo.yaml', field: '--spec', docs: 'docs/budget.md' };
  afterEach(() => vi.restoreAllMocks());

  it('name the line and column of the error (bug fixed: the position was left out)', () => {
    // the flow sequence opened on line 1 is still open when line 2 starts at column 1
    expect(thrown(() => parseYamlInput('a: [1, 2\nb: 3\n', where)).message).toBe(
      'slo.yaml: not readable as YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1',
    );
    expect(thrown(() => parseYamlInput('{"a": 1,}x', where)).message).toBe('slo.yaml: not readable as YAML or JSON: Unexpected scalar at node end at line 1, column 10');
  });

  it('an error with no position is printed whole', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(thrown(() => parseYamlInput(bomb, where)).message).toBe('slo.yaml: not readable as YAML or JSON: Excessive alias count indicates a resource exhaustion attack');
  });

  it('an unknown tag is read as plain text, and the yaml library prints no warning of its own on stderr', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(parseYamlInput('x: !foo 1\n', where)).toEqual({ x: '1' });
    expect([emit.mock.calls.length, warn.mock.calls.length]).toEqual([0, 0]);
  });
});
