/**
 * Pins closestCommand's documented rules (src/core/suggest.ts doc comment): the default distance limit is a
 * third of the typed length, at least 2, inclusive; the closest name wins, not the first or the last one
 * within the limit; ties go to the alphabetically first name whatever the order given. Distances by hand
 * (one substitution = 1).
 */
import { describe, expect, it } from 'vitest';
import { closestCommand } from '../../../src/core/suggest.js';

describe('closestCommand limits and ties', () => {
  it('the limit is at least 2, even for a short name', () => {
    expect(closestCommand('ab', ['xy'])).toBe('xy'); // 2 substitutions, floor(2 / 3) = 0 → 2
    expect(closestCommand('ab', ['xyz'])).toBeUndefined(); // 3
  });

  it('the limit is a third of the typed length, inclusive', () => {
    expect(closestCommand('abcdefghi', ['abcdefxyz'])).toBe('abcdefxyz'); // 3 = floor(9 / 3)
    expect(closestCommand('abcdefghi', ['abcdewxyz'])).toBeUndefined(); // 4
    expect(closestCommand('abcdefghi', ['abcdewxyz'], 4)).toBe('abcdewxyz'); // explicit limit
  });

  it('the closest name wins over a farther one within the limit', () => {
    expect(closestCommand('cat', ['cat', 'cbx'])).toBe('cat');
    expect(closestCommand('cat', ['cbx', 'cat'])).toBe('cat');
    // the closer name is the later one alphabetically: 'cat' is 2 away (within the limit 2), 'cbx' 0
    expect(closestCommand('cbx', ['cat', 'cbx'])).toBe('cbx');
    expect(closestCommand('cbx', ['cbx', 'cat'])).toBe('cbx');
  });

  it('ties go to the alphabetically first name, whatever the order', () => {
    expect(closestCommand('cat', ['cut', 'cot'])).toBe('cot');
    expect(closestCommand('cat', ['cot', 'cut'])).toBe('cot');
  });
});
