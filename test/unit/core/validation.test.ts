import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseWithSchema, throwProblems } from '../../../src/core/validation.js';
import { inputError as thrown } from '../../helpers/errors.js';

describe('throwProblems', () => {
  it('one problem: its line is the message; field and file come from it; its fix, then the fallback', () => {
    const e = thrown(() => throwProblems([{ path: 'slos[0].objective', message: 'expected a number', suggestion: 'objective: 99.9', file: 'slo.yaml' }], 'see docs/budget.md'));
    expect(e.field).toBe('slos[0].objective');
    expect(e.file).toBe('slo.yaml');
    expect(e.suggestions).toEqual(['objective: 99.9', 'see docs/budget.md']);
  });

  it('each suggestion appears once, even when a problem carries the fallback text itself', () => {
    const e = thrown(() =>
      throwProblems(
        [
          { path: 'a', message: 'bad a', suggestion: 'see docs/budget.md' },
          { path: 'b', message: 'bad b', suggestion: 'b: 1' },
          { path: 'c', message: 'bad c', suggestion: 'b: 1' },
        ],
        'see docs/budget.md',
      ),
    );
    expect(e.message.split('\n')[0]).toBe('3 problems:');
    expect(e.suggestions).toEqual(['see docs/budget.md', 'b: 1']);
  });
});

describe('parseWithSchema', () => {
  const Schema = z.strictObject({ url: z.string(), method: z.enum(['GET', 'POST']), retries: z.number().int(), tags: z.array(z.string()).optional() });
  const message = (data: unknown) => thrown(() => parseWithSchema(Schema, data, { file: 'x.yaml', docs: 'docs/x.md' })).message;

  it('names the value a user wrote when it has the wrong type or is not one of the choices, and "required" only when it is missing', () => {
    expect(message({ url: 5, method: 'GET', retries: 1 })).toBe('x.yaml: url: expected string, got 5');
    expect(message({ url: 'u', method: 'FETCH', retries: 1 })).toBe('x.yaml: method: expected one of "GET", "POST", got "FETCH"');
    expect(message({ url: 'u', method: 'GET', retries: 1.5 })).toBe('x.yaml: retries: expected int, got 1.5');
    expect(message({ url: 'u', method: 'GET', retries: 1, tags: 'a' })).toBe('x.yaml: tags: expected array, got "a"');
    expect(message(null)).toBe('x.yaml: (document): expected object, got null');
    expect(message({ method: 'GET', retries: 1 })).toBe('x.yaml: url: required: expected string');
    const e = thrown(() => parseWithSchema(Schema, { url: null, method: 'GET', retries: 1 }, { file: 'x.yaml', docs: 'docs/x.md' }));
    expect([e.message, e.field, e.suggestions]).toEqual(['x.yaml: url: expected string, got null', 'url', ['see docs/x.md for the accepted fields']]);
  });
});
