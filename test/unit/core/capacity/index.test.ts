import { describe, expect, it } from 'vitest';
import * as capacity from '../../../../src/core/capacity/index.js';

describe('src/core/capacity public surface', () => {
  it('exports every engine the commands use', () => {
    for (const name of ['solveLittle', 'mmc', 'solveServers', 'erlangB', 'erlangC', 'fitUsl', 'parseUslCsv', 'asciiPlot', 'computePlan', 'parsePlan', 'emitScaling', 'forecastSeries', 'computeHeadroom', 'nelderMead', 'linearTrend']) {
      expect(typeof (capacity as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
