/**
 * Policy scenarios at their edges (docs/capacity-planning.md#policies and the model table): N+1 with
 * exactly 2 zones, region loss with exactly 2 regions and against the largest other region wherever it
 * is listed, ties (the first capacity dimension and the first policy in scenario order win), and the
 * region demand split between edge and origin. Figures worked by hand.
 */
import { describe, expect, it } from 'vitest';
import { computePlan, instancesFor, type PlanReport } from '../../../../src/core/capacity/plan.js';
import { validatePlan } from '../../../../src/core/capacity/plan-schema.js';

const plan = (data: unknown): PlanReport => computePlan(validatePlan(data, 'plan.yaml'));
// 1,000 sessions × 1 Mbps = 1 Gbps; hit ratio 0.75: edge 0.75 Gbps, origin 0.25 Gbps
const small = (extra: object) => ({ name: 's', workload: { peakConcurrentSessions: 1000, bitratePerSession: '1Mbps' }, cache: { hitRatio: 0.75 }, tiers: { edge: { perInstance: { bandwidth: '10Mbps' } } }, ...extra });

describe('N+1 per zone with the fewest zones allowed', () => {
  it('2 zones: one zone carries the whole region', () => {
    // edge 750 Mbps / 10 Mbps = 75 at peak; N+1: each zone ⌈750 / (1 × 10)⌉ = 75, × 2 = 150
    const r = plan(small({ regions: [{ name: 'a', share: 1, zones: 2 }], headroom: { nPlusOneZones: true } }));
    const t = r.regions[0]?.tiers[0];
    expect(t?.scenarios.map((s) => [s.policy, s.instances])).toEqual([['peak', 75], ['n-plus-one-zone', 150]]);
    expect(t?.scenarios[1]?.description).toBe('one of 2 zones lost: 1 zones carry the region at ≤ 100%');
    expect(t?.perZone).toBe(75);
    // a session workload without requestsPerSession has no request demand: null, not 0, in every scenario
    expect(t?.scenarios.map((s) => s.demand.requestsPerSecond)).toEqual([null, null]);
    expect(t?.scenarios[1]?.demand.bandwidthBps).toBeCloseTo(750e6, 3);
  });
});

describe('region loss', () => {
  it('with exactly 2 regions, each takes the other', () => {
    // a (0.6) loses b (0.4): factor 1 / 0.6; 0.6 × 750 / 0.6 = 750 Mbps → 75. b loses a: 0.4 × 750 / 0.4 = 750 → 75
    const r = plan(small({ regions: [{ name: 'a', share: 0.6 }, { name: 'b', share: 0.4 }], headroom: { surviveRegionLoss: true } }));
    const [a, b] = r.regions;
    expect(a?.tiers[0]?.scenarios[1]?.description).toBe('region b (share 0.4) lost: this region takes share 1 at ≤ 100%');
    expect(b?.tiers[0]?.scenarios[1]?.description).toBe('region a (share 0.6) lost: this region takes share 1 at ≤ 100%');
    expect(a?.tiers[0]?.instances).toBe(75);
    expect(b?.tiers[0]?.instances).toBe(75);
  });

  it('sizes for the largest other region even when it is listed last', () => {
    // a (0.2) loses c (0.5), not b: factor 2, 0.2 × 750 × 2 = 300 Mbps → 30
    const r = plan(small({ regions: [{ name: 'a', share: 0.2 }, { name: 'b', share: 0.3 }, { name: 'c', share: 0.5 }], headroom: { surviveRegionLoss: true } }));
    const s = r.regions[0]?.tiers[0]?.scenarios[1];
    expect(s?.description).toBe('region c (share 0.5) lost: this region takes share 0.4 at ≤ 100%');
    expect(s?.demandFactor).toBe(2);
    expect(s?.instances).toBe(30);
  });

  it('between two equally large other regions, the first listed is named', () => {
    const r = plan(small({ regions: [{ name: 'a', share: 0.4 }, { name: 'b', share: 0.3 }, { name: 'c', share: 0.3 }], headroom: { surviveRegionLoss: true } }));
    expect(r.regions[0]?.tiers[0]?.scenarios[1]?.description).toMatch(/^region b \(share 0\.3\) lost/);
  });
});

describe('ties', () => {
  it('equal needs on two dimensions report the first (bandwidth, requests, sessions)', () => {
    // 100 Mbps / 10 Mbps = 10 and 100 req/s / 10 req/s = 10
    expect(instancesFor({ bandwidthBps: 100e6, requestsPerSecond: 100, sessions: 10 }, { bandwidthBps: 10e6, requestsPerSecond: 10, sessions: 1 }, 1)).toEqual({ instances: 10, dimension: 'bandwidth' });
    expect(instancesFor({ bandwidthBps: null, requestsPerSecond: 100, sessions: 10 }, { bandwidthBps: 10e6, requestsPerSecond: 10, sessions: 1 }, 1)).toEqual({ instances: 10, dimension: 'requests' });
  });

  it('a policy that needs no more than peak does not bind: the first in scenario order does', () => {
    // a 1× flash crowd needs exactly the peak's 75
    const r = plan(small({ headroom: { flashCrowd: { multiplier: 1 } } }));
    const t = r.regions[0]?.tiers[0];
    expect(t?.scenarios.map((s) => s.instances)).toEqual([75, 75]);
    expect(t?.binding).toBe('peak');
    expect(r.tiers[0]?.binding).toEqual(['peak']);
  });
});

describe('region demand', () => {
  it('splits a region’s bandwidth between the edge (hits) and the origin (misses)', () => {
    // region b, share 0.4 of 1 Gbps = 400 Mbps: edge 0.75 × 400 = 300, origin 0.25 × 400 = 100
    const r = plan(small({ regions: [{ name: 'a', share: 0.6 }, { name: 'b', share: 0.4 }] }));
    const d = r.regions[1]?.demand;
    expect(d?.totalBps).toBeCloseTo(400e6, 3);
    expect(d?.edgeBps).toBeCloseTo(300e6, 3);
    expect(d?.originBps).toBeCloseTo(100e6, 3);
    expect(d?.requestsPerSecond).toBeNull();
    expect(d?.sessions).toBeCloseTo(400, 9);
  });
});
