import { describe, expect, it } from 'vitest';
import { throwProblems } from '../../../src/core/validation.js';
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
