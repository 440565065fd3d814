/**
 * The assumption lines of `relia capacity plan` (docs/capacity-planning.md#plan: "the assumptions, one per
 * line, in the order they are used") and the JSON result fields the same section lists (`workload`,
 * `cache`, `demand`, `headroom` with the flash-crowd demandFactor, `tiers[].steadyInstances`, region
 * `demand`, scenario `description`/`demand`). Figures are worked by hand from the model table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computePlan, grouped, type PlanReport } from '../../../../src/core/capacity/plan.js';
import { parsePlan, validatePlan } from '../../../../src/core/capacity/plan-schema.js';

const STREAMING = new URL('../../../../docs/examples/capacity/streaming-plan.yaml', import.meta.url);
const streaming = (): PlanReport => computePlan(parsePlan(readFileSync(STREAMING, 'utf8'), 'streaming-plan.yaml'));
const plan = (data: unknown): PlanReport => computePlan(validatePlan(data, 'plan.yaml'));

describe('the demo streaming plan', () => {
  it('states every assumption in the order it is used', () => {
    expect(streaming().assumptions).toEqual([
      'peak concurrent sessions: 15,000,000 (given)',
      // R = S × requestsPerSession = 15,000,000 × 0.5
      'peak request rate: 15,000,000 sessions × 0.5 req/s = 7,500,000 req/s',
      // B = S × bitrate = 15e6 × 3.5e6 bit/s = 52,500 Gbps
      'peak bandwidth: 15,000,000 sessions × 3.5 Mbps = 52,500 Gbps',
      // origin (1 − 0.95) × 52,500 = 2,625; edge 0.95 × 52,500 = 49,875
      'cache hit ratio 95%: origin bandwidth = 52,500 Gbps × (1 − 0.95) = 2,625 Gbps; edge bandwidth (hits) = 52,500 Gbps × 0.95 = 49,875 Gbps',
      'the edge tier is sized for cache hits; misses are sized at the origin',
      'edge instance capacity at 100% utilisation: 40 Gbps, 20,000 req/s',
      'origin instance capacity at 100% utilisation: 25 Gbps, 15,000 req/s',
      'regions: us-east 50% over 3 zones; eu-west 30% over 3 zones; ap-south 20% over 3 zones',
      'target utilisation 70% at peak',
      'failures and flash crowds may run instances at up to 100% (maxUtilization); one event at a time',
      'N+1 per zone: losing any one zone leaves enough instances in the others (instances spread evenly over zones)',
      "region loss: a lost region's traffic spreads over the rest in proportion to their shares; each region is sized for the loss of the largest other region",
      // 1 + 0.05 × (10 − 1) = 1.45
      'flash crowd: 10× on the popular 5% of demand → demand × 1.45 on tier edge',
      'instances = ⌈demand / (per-instance capacity × utilisation)⌉, the largest over the capacity dimensions given',
    ]);
  });

  it('describes each scenario of us-east edge', () => {
    const us = streaming().regions[0]?.tiers[0];
    expect(us?.scenarios.map((s) => s.description)).toEqual([
      'peak demand at 70% utilisation',
      'one of 3 zones lost: 2 zones carry the region at ≤ 100%',
      // us-east loses eu-west (0.3): 0.5 / 0.7 = 0.714286 (6 significant figures)
      'region eu-west (share 0.3) lost: this region takes share 0.714286 at ≤ 100%',
      '10× on 5% of demand = 1.45× at ≤ 100%',
    ]);
  });

  it('reports the global and regional demand, the cache, the policies and the steady-state totals', () => {
    const r = streaming();
    expect(r.cache).toEqual({ hitRatio: 0.95, edgeServes: 'hits' });
    expect(r.demand.requestsPerSecond).toBe(7_500_000);
    // 0.95 × 7.5M = 7,125,000 at the edge, 0.05 × 7.5M = 375,000 to the origin
    expect(r.demand.edgeRequestsPerSecond).toBeCloseTo(7_125_000, 3);
    expect(r.demand.originRequestsPerSecond).toBeCloseTo(375_000, 3);
    expect(r.headroom.flashCrowd).toEqual({ multiplier: 10, popularFraction: 0.05, tiers: ['edge'], demandFactor: expect.closeTo(1.45, 12) as number });
    // eu-west, share 0.3: 15,750 Gbps total, 0.3 × 49,875 = 14,962.5 edge, 0.3 × 2,625 = 787.5 origin
    const eu = r.regions[1];
    expect(eu?.demand.totalBps).toBeCloseTo(15_750e9, -3);
    expect(eu?.demand.edgeBps).toBeCloseTo(14_962.5e9, -3);
    expect(eu?.demand.originBps).toBeCloseTo(787.5e9, -3);
    expect(eu?.demand.requestsPerSecond).toBeCloseTo(2_250_000, 3);
    expect(eu?.demand.sessions).toBeCloseTo(4_500_000, 3);
    // steady (target 0.7) edge: us ⌈24,937.5/28⌉ = 891, eu ⌈14,962.5/28⌉ = 535, ap ⌈9,975/28⌉ = 357
    expect(r.tiers[0]?.steadyInstances).toBe(891 + 535 + 357);
  });
});

describe('the other wordings', () => {
  it("a request workload behind no cache, in one implicit region, with no target", () => {
    // 120,000 req/s × 64,000 B × 8 = 61.44 Gbps
    const r = plan({ name: 'api', workload: { peakRequestRate: '120000/s', bytesPerRequest: '64KB' }, tiers: { origin: { perInstance: { bandwidth: '10Gbps', requests: '5000/s' } } } });
    expect(r.assumptions).toEqual([
      'peak request rate: 120,000 req/s (given)',
      'peak bandwidth: 120,000 req/s × 64,000 B × 8 = 61.44 Gbps',
      'no cache in front: the origin carries all traffic',
      'origin instance capacity at 100% utilisation: 10 Gbps, 5,000 req/s',
      'one region (global), one zone',
      'no target utilisation: instances may run at 100% at peak',
      'instances = ⌈demand / (per-instance capacity × utilisation)⌉, the largest over the capacity dimensions given',
    ]);
    expect(r.workload).toEqual({ concurrentSessions: null, sessionsFrom: null, arrivalRate: null, sessionDuration: null, requestRate: 120_000, bitratePerSession: null, bytesPerRequest: 64_000 });
    expect(r.demand.sessions).toBeNull();
    expect(r.regions[0]?.demand.sessions).toBeNull();
    expect(r.regions[0]?.tiers[0]?.scenarios[0]?.description).toBe('peak demand at 100% utilisation');
  });

  it("Little's law, sessions capacity, an all-traffic edge, one zone, a surge on both tiers", () => {
    // S = 50/s × 120 s = 6,000; R = 6,000 × 2 = 12,000 req/s; no bandwidth
    const r = plan({
      name: 'ws',
      workload: { arrivalRate: '50/s', sessionDuration: '120s', requestsPerSession: '2/s' },
      cache: { hitRatio: 0.5, edgeServes: 'all' },
      tiers: { edge: { perInstance: { sessions: 1000 } }, origin: { perInstance: { requests: 1000 } } },
      regions: [{ name: 'solo', share: 1 }],
      headroom: { flashCrowd: { multiplier: 2, popularFraction: 0.5, tiers: ['edge', 'origin'] } },
    });
    expect(r.assumptions).toEqual([
      "peak concurrent sessions: L = λW = 50/s × 120 s = 6,000 (Little's law)",
      'peak request rate: 6,000 sessions × 2 req/s = 12,000 req/s',
      'cache hit ratio 50%: the origin gets 50% of requests',
      'the edge tier is sized for all traffic (it also relays misses)',
      'edge instance capacity at 100% utilisation: 1,000 sessions',
      'origin instance capacity at 100% utilisation: 1,000 req/s',
      'regions: solo 100% over 1 zone',
      'no target utilisation: instances may run at 100% at peak',
      'failures and flash crowds may run instances at up to 100% (maxUtilization); one event at a time',
      // 1 + 0.5 × (2 − 1) = 1.5
      'flash crowd: 2× on the popular 50% of demand → demand × 1.5 on tiers edge, origin',
      'instances = ⌈demand / (per-instance capacity × utilisation)⌉, the largest over the capacity dimensions given',
    ]);
    expect(r.workload.sessionsFrom).toBe('littles-law');
    // edge serves all: 12,000 req/s at the edge; origin 0.5 × 12,000 = 6,000
    expect(r.demand.edgeRequestsPerSecond).toBe(12_000);
    expect(r.demand.originRequestsPerSecond).toBe(6_000);
    expect(r.demand.totalBps).toBeNull();
    expect(r.regions[0]?.demand).toEqual({ totalBps: null, edgeBps: null, originBps: null, requestsPerSecond: 12_000, sessions: 6_000 });
    const [edge, origin] = r.regions[0]?.tiers ?? [];
    // the edge carries sessions; bandwidth stays null (not 0) when scaled by the surge
    expect(edge?.scenarios[1]?.demand).toEqual({ bandwidthBps: null, requestsPerSecond: 18_000, sessions: 9_000 });
    // flash crowd: 6,000 × 1.5 = 9,000 sessions → 9 edge servers; origin 6,000 × 1.5 / 1,000 = 9
    expect(edge?.scenarios.map((s) => [s.policy, s.instances])).toEqual([['peak', 6], ['flash-crowd', 9]]);
    // the origin sees no sessions (they terminate at the edge)
    expect(origin?.scenarios[0]?.demand).toEqual({ bandwidthBps: null, requestsPerSecond: 6_000, sessions: null });
    expect(origin?.instances).toBe(9);
  });

  it('a one-tier surge says "tier"; every policy line appears only when its policy is on', () => {
    const base = { name: 's', workload: { peakConcurrentSessions: 1000, bitratePerSession: '1Mbps' }, cache: { hitRatio: 0.5 }, tiers: { edge: { perInstance: { bandwidth: '1Gbps' } } }, regions: [{ name: 'a', share: 0.5, zones: 2 }, { name: 'b', share: 0.5, zones: 2 }] };
    const lines = (headroom: object) => plan({ ...base, headroom }).assumptions.filter((l) => /^(failures|N\+1|region loss|flash crowd)/.test(l)).map((l) => l.split(':')[0]);
    expect(lines({})).toEqual([]);
    expect(lines({ nPlusOneZones: true })).toEqual(['failures and flash crowds may run instances at up to 100% (maxUtilization); one event at a time', 'N+1 per zone']);
    expect(lines({ surviveRegionLoss: true })).toEqual(['failures and flash crowds may run instances at up to 100% (maxUtilization); one event at a time', 'region loss']);
    expect(lines({ flashCrowd: { multiplier: 3 } })).toEqual(['failures and flash crowds may run instances at up to 100% (maxUtilization); one event at a time', 'flash crowd']);
    expect(plan({ ...base, headroom: { flashCrowd: { multiplier: 3 } } }).assumptions).toContain('flash crowd: 3× on the popular 100% of demand → demand × 3 on tier edge');
  });
});

describe('the cache line', () => {
  const seed = { name: 'seed', workload: { peakConcurrentSessions: 15_000_000, bitratePerSession: '3.5Mbps' } };
  const cacheLine = (r: PlanReport) => r.assumptions.find((l) => l.startsWith('cache hit ratio') || l.startsWith('no cache'));

  it('an edge that relays all traffic carries the whole 52,500 Gbps', () => {
    const r = plan({ ...seed, cache: { hitRatio: 0.95, edgeServes: 'all' }, tiers: { edge: { perInstance: { bandwidth: '40Gbps' } } } });
    expect(cacheLine(r)).toBe('cache hit ratio 95%: origin bandwidth = 52,500 Gbps × (1 − 0.95) = 2,625 Gbps; edge bandwidth (all traffic) = 52,500 Gbps');
    // 52,500 / 40 = 1,312.5 → 1,313
    expect(r.tiers[0]?.instances).toBe(1313);
  });

  it('an edge with a 0 hit ratio still has a cache line; only an origin without an edge and without hits has none', () => {
    const edge0 = plan({ ...seed, cache: { hitRatio: 0 }, tiers: { edge: { perInstance: { bandwidth: '40Gbps' } } } });
    expect(cacheLine(edge0)).toBe('cache hit ratio 0%: origin bandwidth = 52,500 Gbps × (1 − 0) = 52,500 Gbps; edge bandwidth (hits) = 52,500 Gbps × 0 = 0 Gbps');
    // an origin behind a CDN that is not sized here: 10% of 52,500 Gbps reaches it
    const originOnly = plan({ ...seed, cache: { hitRatio: 0.9 }, tiers: { origin: { perInstance: { bandwidth: '25Gbps' } } } });
    expect(cacheLine(originOnly)).toBe('cache hit ratio 90%: origin bandwidth = 52,500 Gbps × (1 − 0.9) = 5,250 Gbps; edge bandwidth (hits) = 52,500 Gbps × 0.9 = 47,250 Gbps');
    expect(originOnly.assumptions.some((l) => l.startsWith('the edge tier'))).toBe(false);
    // 5,250 / 25 = 210
    expect(originOnly.tiers[0]?.instances).toBe(210);
  });
});

describe('grouped', () => {
  it('rounds a million and more to whole numbers, keeps six significant figures below', () => {
    expect(grouped(1_234_567.8)).toBe('1,234,568');
    expect(grouped(1234.5678)).toBe('1,234.57');
    expect(grouped(0)).toBe('0');
  });
});
