/**
 * The ASCII plot's layout (src/core/capacity/ascii-plot.ts contract: points placed on a width × height grid
 * scaled from the data's ranges, y from min(0, data) up, later series over earlier ones, non-finite points
 * skipped, the y range labelled top and bottom, the x range under the axis with the x label centred between,
 * the y label above). Every grid position below is worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { asciiPlot } from '../../../../src/core/capacity/ascii-plot.js';

describe('asciiPlot', () => {
  it('places points from offset ranges, labels both axes and skips non-finite points', () => {
    // x 10..19 over 10 columns (span 9): x = 13 → column 3. y −1..2 over 4 rows (span 3): y = 0 → row 2.
    const lines = asciiPlot(
      [
        { points: [[10, -1], [13, 0], [19, 2], [Number.NaN, 5], [5, Number.NaN]], mark: '●' },
        { points: [[19, 2]], mark: '·' },
      ],
      { width: 10, height: 4, xLabel: 'x', yLabel: 'y' },
    );
    expect(lines).toEqual([
      '    y',
      ' 2 │         ·',
      '   │',
      '   │   ●',
      '-1 │●',
      '   └──────────',
      // gap = 10 − 2 − 2 − 1 = 5: 2 spaces before the label, 3 after
      '    10  x   19',
    ]);
  });

  it('writes very large and very small range ends in exponent form, and no label lines when none are given', () => {
    // y from 0 (always included) to 0.0005; x from 0.001 (still plain) to 1e6 (exponent)
    const lines = asciiPlot([{ points: [[0.001, 0.0005], [1e6, 0]], mark: '●' }], { width: 10, height: 4 });
    expect(lines).toEqual([
      '5.00e-4 │●',
      '        │',
      '        │',
      '      0 │         ●',
      '        └──────────',
      // gap = max(1, 10 − 5 − 7) = 1: none before the (empty) label, one after
      '         0.001 1.00e+6',
    ]);
  });

  it('draws nothing when no point is finite', () => {
    expect(asciiPlot([{ points: [[Number.NaN, 1]], mark: '●' }])).toEqual([]);
  });
});
