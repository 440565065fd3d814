import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestCommand, editDistance } from '../../../src/core/suggest.js';

const IDS = ['cache:invalidate', 'cache:warm', 'cache:stats', 'capacity:little', 'budget:check', 'init'];

describe('closestCommand', () => {
  it('suggests the command one typo away, and nothing for noise', () => {
    expect(closestCommand('cache:invalidat', IDS)).toBe('cache:invalidate');
    expect(closestCommand('capacity:littl', IDS)).toBe('capacity:little');
    expect(closestCommand('zzzzzzzzzz', IDS)).toBeUndefined();
  });
  it('edit distance is a metric: symmetric, zero only on equal strings, triangle inequality', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
      }),
    );
  });
  it('a known name is its own closest', () => {
    fc.assert(fc.property(fc.constantFrom(...IDS), (id) => {
        expect(closestCommand(id, IDS)).toBe(id);
      }),
    );
  });
});
