import { describe, expect, it } from 'vitest';
import * as capacity from '../../../../src/core/capacity/index.js';

describe('src/core/capacity public surface', () => {
  it('exports the engines of capacity little, queue and usl', () => {
    for (const name of ['solveLittle', 'mmc', 'solveServers', 'erlangB', 'erlangC', 'fitUsl', 'parseUslCsv']) {
      expect(typeof (capacity as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('does not re-export the plan, forecast and headroom modules (imported from their own files, as the index says)', () => {
    for (const name of ['asciiPlot', 'computePlan', 'parsePlan', 'emitScaling', 'forecastSeries', 'computeHeadroom', 'nelderMead', 'linearTrend']) {
      expect((capacity as Record<string, unknown>)[name], name).toBeUndefined();
    }
  });
});
