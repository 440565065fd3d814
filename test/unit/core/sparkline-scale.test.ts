/**
 * Pins src/core/sparkline.ts as its doc comment states it: eight bars ▁..█, one character per value, bar index
 * floor((v - min) / (max - min) * 8) capped at 7, values clamped to a pinned min/max, non-finite values (and
 * buckets with none finite) as a space, a flat series as the middle bar ▄, and series longer than `width`
 * averaged into `width` buckets (bucket i covers values floor(i·n/w) .. floor((i+1)·n/w) - 1). Expected strings
 * are hand arithmetic from that rule.
 */
import { describe, expect, it } from 'vitest';
import { sparkline } from '../../../src/core/sparkline.js';

describe('sparkline scale', () => {
  it('spreads min..max over the eight bars (offset values, so the span is max - min)', () => {
    // span 7: floor(k * 8 / 7) = 0, 1, 2, 3, 4, 5, 6, 8→7
    expect(sparkline([10, 11, 12, 13, 14, 15, 16, 17])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([17, 10])).toBe('█▁');
  });

  it('a pinned min and max fix the scale and clamp values outside it', () => {
    expect(sparkline([0.5], { min: 0, max: 1 })).toBe('▅'); // floor(0.5 * 8) = 4
    expect(sparkline([2, -1, 0.25], { min: 0, max: 1 })).toBe('█▁▃'); // clamped to 1 and 0; floor(2) = 2
    expect(sparkline([6, 10], { min: 2 })).toBe('▅█'); // span 8: floor(4 / 8 * 8) = 4
    expect(sparkline([0, 2], { max: 4 })).toBe('▁▅'); // floor(2 / 4 * 8) = 4
  });

  it('non-finite values are spaces; an all-non-finite series is all spaces', () => {
    expect(sparkline([1, Number.NaN, 3, Number.POSITIVE_INFINITY])).toBe('▁ █ ');
    expect(sparkline([Number.NaN, Number.NEGATIVE_INFINITY])).toBe('  ');
    expect(sparkline([])).toBe('');
  });

  it('a flat series, or an empty scale, is the middle bar', () => {
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([1], { min: 2, max: 1 })).toBe('▄');
  });
});

describe('sparkline downsampling to width', () => {
  it('averages equal buckets', () => {
    expect(sparkline([0, 0, 10, 10], { width: 2 })).toBe('▁█');
  });

  it('uneven buckets: 5 values into 2 are [0, 2) and [2, 5)', () => {
    // averages 1 and 6 on a pinned 0..8 scale: bars 1 and 6
    expect(sparkline([0, 2, 4, 6, 8], { width: 2, min: 0, max: 8 })).toBe('▂▇');
    // 3 values into 2: [0, 1) and [1, 3): 8 and (0 + 4) / 2 = 2
    expect(sparkline([8, 0, 4], { width: 2, min: 0, max: 8 })).toBe('█▃');
  });

  it('a bucket averages only its finite values, and is a space when it has none', () => {
    expect(sparkline([Number.NaN, 4, Number.NaN, Number.NaN], { width: 2, min: 0, max: 8 })).toBe('▅ ');
  });

  it('a series no longer than width is drawn as is', () => {
    expect(sparkline([0, 8, 4], { width: 5, min: 0, max: 8 })).toBe('▁█▅');
    expect(sparkline([0, 8, 4], { width: 3, min: 0, max: 8 })).toBe('▁█▅');
  });
});
