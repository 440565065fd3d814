import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../property-runs.js';
import { inputError as errorOf } from '../../../helpers/errors.js';
import { ceilSafe, computePlan, flashCrowdFactor, grouped, instancesFor, type PlanReport } from '../../../../src/core/capacity/plan.js';
import { parsePlan, parseSize, planJsonSchema, PlanSchema, validatePlan } from '../../../../src/core/capacity/plan-schema.js';
import { InputError, ReliaError } from '../../../../src/core/errors.js';

const SCHEMA_FILE = new URL('../../../../docs/schemas/capacity-plan.schema.json', import.meta.url);
const STREAMING = new URL('../../../../docs/examples/capacity/streaming-plan.yaml', import.meta.url);
const SEED = new URL('../../../../docs/examples/capacity/seed-plan.yaml', import.meta.url);


const seed = () => ({
  name: 'seed',
  workload: { peakConcurrentSessions: 15_000_000, bitratePerSession: '3.5Mbps' },
  cache: { hitRatio: 0.95 },
  tiers: { edge: { perInstance: { bandwidth: '40Gbps' } } },
});

const plan = (data: unknown): PlanReport => computePlan(validatePlan(data, 'plan.yaml'));
const edge = (r: PlanReport) => r.tiers.find((t) => t.tier === 'edge');

describe('the seed model (issue 4)', () => {
  // Source: the seed model. 15,000,000 concurrent streams × 3.5 Mbps = 52,500 Gbps;
  // a 95% edge hit ratio leaves 5% = 2,625 Gbps to the origin and 49,875 Gbps at the edge;
  // at 40 Gbps per edge server 49,875 / 40 = 1,246.875 → 1,247 servers. No headroom policies.
  it('reproduces 52,500 / 2,625 / 49,875 Gbps and 1,247 edge servers', () => {
    const r = plan(seed());
    expect(r.demand.totalBps).toBe(52_500e9);
    expect(r.demand.originBps).toBeCloseTo(2_625e9, -3);
    expect(r.demand.edgeBps).toBeCloseTo(49_875e9, -3);
    expect(Number((r.demand.originBps! / 1e9).toPrecision(10))).toBe(2625);
    expect(Number((r.demand.edgeBps! / 1e9).toPrecision(10))).toBe(49875);
    expect(edge(r)?.instances).toBe(1247);
    expect(r.regions).toHaveLength(1);
    expect(r.regions[0]?.name).toBe('global');
    expect(r.regions[0]?.tiers[0]?.binding).toBe('peak');
    expect(r.regions[0]?.tiers[0]?.scenarios).toHaveLength(1);
    expect(r.regions[0]?.tiers[0]?.scenarios[0]?.dimension).toBe('bandwidth');
    expect(r.workload.sessionsFrom).toBe('given');
    expect(r.assumptions.join('\n')).toContain('15,000,000 sessions × 3.5 Mbps = 52,500 Gbps');
    expect(r.assumptions.join('\n')).toContain('2,625 Gbps');
    expect(r.assumptions.join('\n')).toContain('49,875 Gbps');
  });

  it('is what docs/examples/capacity/seed-plan.yaml says', () => {
    const r = computePlan(parsePlan(readFileSync(SEED, 'utf8'), 'seed-plan.yaml'));
    expect(edge(r)?.instances).toBe(1247);
    expect(r.demand.totalBps).toBe(52_500e9);
  });

  it("gets the same concurrency from arrivals × duration (Little's law)", () => {
    // L = λW: 7,500/s × 2,000 s = 15,000,000
    const data = { ...seed(), workload: { arrivalRate: '7500/s', sessionDuration: '2000s', bitratePerSession: '3.5Mbps' } };
    const r = plan(data);
    expect(r.workload.concurrentSessions).toBe(15_000_000);
    expect(r.workload.sessionsFrom).toBe('littles-law');
    expect(edge(r)?.instances).toBe(1247);
    expect(r.assumptions[0]).toContain("Little's law");
  });
});

describe('headroom policies', () => {
  const threeRegions = () => ({
    ...seed(),
    regions: [
      { name: 'us-east', share: 0.5, zones: 3 },
      { name: 'eu-west', share: '30%', zones: 3 },
      { name: 'ap-south', share: 0.2, zones: 3 },
    ],
  });

  it('target utilisation divides capacity', () => {
    const r = plan({ ...seed(), headroom: { targetUtilization: 0.7 } });
    // 49,875 / (40 × 0.7) = 1,781.25 → 1,782
    expect(edge(r)?.instances).toBe(1782);
    expect(r.regions[0]?.tiers[0]?.binding).toBe('target-utilization');
  });

  it('N+1 per zone: the other zones carry the region', () => {
    const r = plan({ ...seed(), regions: [{ name: 'r', share: 1, zones: 3 }], headroom: { nPlusOneZones: true } });
    // per zone ⌈49,875 / (2 × 40)⌉ = ⌈623.4⌉ = 624; × 3 zones = 1,872
    const t = r.regions[0]?.tiers[0];
    expect(t?.instances).toBe(1872);
    expect(t?.perZone).toBe(624);
    expect(t?.binding).toBe('n-plus-one-zone');
    expect(t?.steadyInstances).toBe(1247);
  });

  it("region loss: the largest other region's share spreads proportionally", () => {
    const r = plan({ ...threeRegions(), headroom: { surviveRegionLoss: true } });
    const [us, eu, ap] = r.regions;
    // us-east loses eu-west (0.3): 0.5 / 0.7 of 49,875 = 35,625 Gbps → 891 servers
    expect(us?.tiers[0]?.scenarios[1]?.demandFactor).toBeCloseTo(1 / 0.7, 12);
    expect(us?.tiers[0]?.instances).toBe(891);
    // eu-west loses us-east: 0.3 / 0.5 → 29,925 Gbps → 748.1 → 749
    expect(eu?.tiers[0]?.instances).toBe(749);
    // ap-south: 0.2 / 0.5 → 19,950 → 498.75 → 499
    expect(ap?.tiers[0]?.instances).toBe(499);
    expect(edge(r)?.instances).toBe(891 + 749 + 499);
    expect(edge(r)?.binding).toEqual(['region-loss']);
  });

  it('flash crowd multiplies the popular fraction of edge demand only', () => {
    const data = { ...seed(), tiers: { edge: { perInstance: { bandwidth: '40Gbps' } }, origin: { perInstance: { bandwidth: '25Gbps' } } }, headroom: { flashCrowd: { multiplier: 10, popularFraction: 0.05 } } };
    const r = plan(data);
    expect(flashCrowdFactor({ multiplier: 10, popularFraction: 0.05 })).toBeCloseTo(1.45, 12);
    // edge: 49,875 × 1.45 / 40 = 1,807.97 → 1,808
    expect(edge(r)?.instances).toBe(1808);
    expect(edge(r)?.binding).toEqual(['flash-crowd']);
    // origin: 2,625 / 25 = 105, no surge
    const origin = r.tiers.find((t) => t.tier === 'origin');
    expect(origin?.instances).toBe(105);
    expect(origin?.binding).toEqual(['peak']);
    const both = plan({ ...data, headroom: { flashCrowd: { multiplier: 10, tiers: ['edge', 'origin'] } } });
    expect(both.tiers.find((t) => t.tier === 'origin')?.instances).toBe(1050);
  });

  it('the demo streaming plan: each policy where it binds', () => {
    const r = computePlan(parsePlan(readFileSync(STREAMING, 'utf8'), 'streaming-plan.yaml'));
    expect(r.demand.totalBps).toBe(52_500e9);
    expect(r.demand.requestsPerSecond).toBe(7_500_000);
    const [us, eu, ap] = r.regions;
    // us-east edge: 24,937.5 Gbps. target 0.7 → 891; N+1: ⌈24,937.5/80⌉ = 312 × 3 = 936;
    // loses eu-west → /0.7 → 35,625 / 40 = 890.6 → 891; flash 1.45× → 904. N+1 binds.
    expect(us?.tiers[0]?.scenarios.map((s) => [s.policy, s.instances])).toEqual([
      ['target-utilization', 891],
      ['n-plus-one-zone', 936],
      ['region-loss', 891],
      ['flash-crowd', 904],
    ]);
    expect(us?.tiers[0]?.binding).toBe('n-plus-one-zone');
    // eu-west edge 14,962.5 Gbps; loses us-east → × 2 → 29,925 / 40 → 749 (region loss binds)
    expect(eu?.tiers[0]?.binding).toBe('region-loss');
    expect(eu?.tiers[0]?.instances).toBe(749);
    expect(ap?.tiers[0]?.instances).toBe(499);
    expect(edge(r)?.instances).toBe(936 + 749 + 499);
    expect(edge(r)?.binding).toEqual(['region-loss', 'n-plus-one-zone']);
    const originUs = us?.tiers[1];
    expect(originUs?.tier).toBe('origin');
    expect(originUs?.scenarios.some((s) => s.policy === 'flash-crowd')).toBe(false);
  });

  it('sizes on the dimension that needs the most instances', () => {
    const r = plan({
      name: 'api',
      workload: { peakRequestRate: '120000/s', bytesPerRequest: '64KB' },
      tiers: { origin: { perInstance: { bandwidth: '10Gbps', requests: '5000/s' } } },
    });
    // bandwidth: 120,000 × 64,000 × 8 = 61.44 Gbps → 7; requests: 24 → requests binds
    const s = r.regions[0]?.tiers[0]?.scenarios[0];
    expect(r.demand.totalBps).toBeCloseTo(61.44e9, 0);
    expect(s?.dimension).toBe('requests');
    expect(s?.instances).toBe(24);
    expect(r.assumptions.join('\n')).toContain('no cache in front');
  });

  it('sessions capacity and all-traffic edges', () => {
    const r = plan({
      name: 'ws',
      workload: { peakConcurrentSessions: 1_000_000, requestsPerSession: '0.1/s' },
      cache: { hitRatio: 0.5, edgeServes: 'all' },
      tiers: { edge: { perInstance: { sessions: 20_000, requests: 10_000 } } },
    });
    expect(r.regions[0]?.tiers[0]?.instances).toBe(50);
    expect(r.regions[0]?.tiers[0]?.scenarios[0]?.dimension).toBe('sessions');
    expect(r.demand.edgeRequestsPerSecond).toBe(100_000);
    expect(r.assumptions.join('\n')).toContain('all traffic');
    const noBandwidth = plan({ name: 'rq', workload: { peakRequestRate: 1000 }, cache: { hitRatio: 0.9 }, tiers: { edge: { perInstance: { requests: 100 } }, origin: { perInstance: { requests: 10 } } } });
    expect(noBandwidth.assumptions.join('\n')).toContain('the origin gets 10% of requests');
    expect(noBandwidth.tiers.map((t) => t.instances)).toEqual([9, 10]);
  });
});

describe('helpers', () => {
  it('ceilSafe ignores floating-point dust and stays monotone', () => {
    expect(ceilSafe(1246.875)).toBe(1247);
    expect(ceilSafe(1000 * (1 + 1e-15))).toBe(1000);
    expect(ceilSafe(1000.001)).toBe(1001);
    expect(ceilSafe(0)).toBe(0);
    expect(ceilSafe(-1)).toBe(0);
    expect(ceilSafe(Number.NaN)).toBe(0);
    expect(ceilSafe(0.3)).toBe(1);
  });

  it('grouped formats with thousands separators', () => {
    expect(grouped(49875)).toBe('49,875');
    expect(grouped(15_000_000)).toBe('15,000,000');
    expect(grouped(-1234.5)).toBe('-1,234.5');
    expect(grouped(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });

  it('instancesFor with no demand is zero', () => {
    expect(instancesFor({ bandwidthBps: 0, requestsPerSecond: null, sessions: null }, { bandwidthBps: 1, requestsPerSecond: null, sessions: null }, 1)).toEqual({ instances: 0, dimension: null });
  });

  it('parseSize', () => {
    expect(parseSize('64KB')).toBe(64_000);
    expect(parseSize('1.5 MiB')).toBe(1.5 * 1024 * 1024);
    expect(() => parseSize('12', 'x')).toThrow(InputError);
    expect(() => parseSize(12, 'x')).toThrow(/size above zero/);
    expect(() => parseSize('3 parsecs', 'x')).toThrow(InputError);
  });
});

describe('validation errors name the field and a fix (exit 2)', () => {
  it('region shares must sum to 1', () => {
    const e = errorOf(() => plan({ ...seed(), regions: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.4 }] }));
    expect(e.exitCode).toBe(2);
    expect(e.field).toBe('regions');
    expect(e.message).toContain('add up to 0.9');
    expect(e.suggestions.join(' ')).toContain('divide each by 0.9');
    // within tolerance is fine
    expect(() => plan({ ...seed(), regions: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.5004 }] })).not.toThrow();
  });

  it.each([
    [{ workload: { bitratePerSession: '3.5Mbps' } }, 'workload', 'no workload'],
    [{ workload: { peakConcurrentSessions: 1, peakRequestRate: 5, bitratePerSession: '1Mbps' } }, 'workload', 'exactly one'],
    [{ workload: { arrivalRate: '5/s', bitratePerSession: '1Mbps' } }, 'workload.sessionDuration', 'go together'],
    [{ workload: { peakConcurrentSessions: 1, bitratePerSession: '3.5 Mbit' } }, 'workload.bitratePerSession', 'bandwidth'],
    [{ workload: { peakConcurrentSessions: -5, bitratePerSession: '1Mbps' } }, 'workload.peakConcurrentSessions', 'above zero'],
    [{ workload: { peakRequestRate: '5/s', bitratePerSession: '1Mbps' } }, 'workload.bitratePerSession', 'session workload'],
    [{ workload: { peakRequestRate: '5/s', requestsPerSession: '1/s' }, tiers: { origin: { perInstance: { requests: 5 } } } }, 'workload.requestsPerSession', 'session workload'],
    [{ workload: { peakConcurrentSessions: 1, bytesPerRequest: '1KB' } }, 'workload.bytesPerRequest', 'needs a request rate'],
    [{ workload: { peakConcurrentSessions: 1, requestsPerSession: 1, bitratePerSession: '1Mbps', bytesPerRequest: '1KB' } }, 'workload.bytesPerRequest', 'one bandwidth cost'],
    [{ cache: { hitRatio: 1.5 } }, 'cache.hitRatio', 'fraction'],
    [{ cache: { hitRatio: '95 percent' } }, 'cache.hitRatio', 'fraction'],
    [{ cache: { hitRatio: '' } }, 'cache.hitRatio', 'fraction'],
    [{ regions: [{ name: 'a', share: '' }] }, 'regions[0].share', 'fraction'],
    [{ workload: { arrivalRate: '', sessionDuration: '3.5Mbps', bitratePerSession: '1Mbps' } }, 'workload.arrivalRate', 'rate'],
    [{ cache: undefined }, 'cache', 'hit ratio'],
    [{ tiers: {} }, 'tiers', 'no tier'],
    [{ tiers: { edge: { perInstance: {} } } }, 'tiers.edge.perInstance', 'no capacity'],
    [{ tiers: { edge: { perInstance: { requests: '5/s' } } } }, 'tiers.edge.perInstance.requests', 'no request rate'],
    [{ tiers: { origin: { perInstance: { sessions: 5 } } } }, 'tiers.origin.perInstance.sessions', 'sessions terminate at the edge'],
    [{ tiers: { edge: { perInstance: { bandwidth: '1Gbps' }, hpaMetric: { pods: 'rx', dimension: 'requests' } } } }, 'tiers.edge.hpaMetric.dimension', 'not given'],
    [{ tiers: { edge: { perInstance: { bandwidth: '1Gbps' }, extra: 1 } } }, 'tiers.edge', 'unknown field'],
    [{ regions: [{ name: 'a', share: 0.5 }, { name: 'a', share: 0.5 }] }, 'regions[1].name', 'duplicate'],
    [{ regions: [{ name: 'a', share: 0 }, { name: 'b', share: 1 }] }, 'regions[0].share', 'above 0'],
    [{ headroom: { nPlusOneZones: true } }, 'headroom.nPlusOneZones', 'zones'],
    [{ regions: [{ name: 'a', share: 1, zones: 1 }], headroom: { nPlusOneZones: true } }, 'regions[0].zones', 'at least 2 zones'],
    [{ headroom: { surviveRegionLoss: true } }, 'headroom.surviveRegionLoss', '2 or more regions'],
    [{ headroom: { targetUtilization: 0.9, maxUtilization: 0.8 } }, 'headroom.targetUtilization', 'above maxUtilization'],
    [{ headroom: { targetUtilization: 0 } }, 'headroom.targetUtilization', 'above 0'],
    [{ headroom: { flashCrowd: { multiplier: 0.5 } } }, 'headroom.flashCrowd.multiplier', 'at least 1'],
    [{ name: 'Bad Name' }, 'name', 'lowercase'],
    [{ kind: 'Plan' }, 'kind', 'CapacityPlan'],
  ])('%j → %s', (patch, field, text) => {
    const e = errorOf(() => plan({ ...seed(), ...(patch as object) }));
    expect(e.exitCode).toBe(2);
    expect(e.field).toBe(field);
    expect(e.message).toContain(text);
    expect(e.suggestions.length).toBeGreaterThan(0);
    expect(e.message).toContain('plan.yaml');
  });

  it('parsePlan rejects bad YAML and non-mappings', () => {
    expect(errorOf(() => parsePlan('name: [unclosed', 'p.yaml')).message).toContain('not readable as YAML');
    expect(errorOf(() => parsePlan('- a\n- b\n', 'p.yaml')).message).toContain('a list');
    expect(errorOf(() => parsePlan('', 'p.yaml')).message).toContain('expected a mapping');
  });

  it('never throws anything but an exit-2 InputError on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ name: fc.string(), workload: fc.jsonValue(), tiers: fc.jsonValue(), regions: fc.jsonValue() })), (data) => {
        try {
          computePlan(validatePlan(data, 'p.yaml'));
        } catch (error) {
          expect(ReliaError.is(error) && (error as ReliaError).exitCode === 2).toBe(true);
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('property: plan is monotone in traffic', () => {
  it('more sessions never need fewer instances, in any region, tier or policy', () => {
    const regionsArb = fc.integer({ min: 1, max: 4 }).chain((n) =>
      fc.tuple(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: n, maxLength: n }), fc.array(fc.integer({ min: 2, max: 5 }), { minLength: n, maxLength: n })),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        fc.double({ min: 1, max: 1e9, noNaN: true }),
        regionsArb,
        fc.record({ target: fc.double({ min: 0.1, max: 1, noNaN: true }), nPlusOne: fc.boolean(), regionLoss: fc.boolean(), flash: fc.boolean(), hit: fc.double({ min: 0, max: 1, noNaN: true }) }),
        (a, b, [weights, zones], p) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const total = weights.reduce((s, w) => s + w, 0);
          const regions = weights.map((w, i) => ({ name: `r${i}`, share: w / total, zones: zones[i] as number }));
          const mk = (sessions: number) =>
            plan({
              name: 'p',
              workload: { peakConcurrentSessions: sessions, bitratePerSession: '3.5Mbps', requestsPerSession: '0.5/s' },
              cache: { hitRatio: p.hit },
              tiers: { edge: { perInstance: { bandwidth: '40Gbps', sessions: 20000 } }, origin: { perInstance: { requests: '15000/s' } } },
              regions,
              headroom: { targetUtilization: p.target, nPlusOneZones: p.nPlusOne, surviveRegionLoss: p.regionLoss && regions.length > 1, ...(p.flash ? { flashCrowd: { multiplier: 10, popularFraction: 0.1 } } : {}) },
            });
          const small = mk(lo);
          const big = mk(hi);
          big.tiers.forEach((t, i) => expect(t.instances).toBeGreaterThanOrEqual(small.tiers[i]?.instances as number));
          big.regions.forEach((r, i) =>
            r.tiers.forEach((t, j) => {
              const s = small.regions[i]?.tiers[j];
              expect(t.instances).toBeGreaterThanOrEqual(s?.instances as number);
              t.scenarios.forEach((sc, k) => expect(sc.instances).toBeGreaterThanOrEqual(s?.scenarios[k]?.instances as number));
            }),
          );
        },
      ),
      { numRuns: propertyRuns(300) },
    );
  });
});

describe('docs/schemas/capacity-plan.schema.json', () => {
  it('is the schema generated from the zod schema (no drift)', () => {
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(planJsonSchema());
  });

  it('accepts the example plans and rejects bad ones, as zod does', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    for (const file of [STREAMING, SEED]) {
      const data = parseYaml(readFileSync(file, 'utf8')) as unknown;
      expect(validate(data), ajv.errorsText(validate.errors)).toBe(true);
    }
    expect(validate({ ...seed(), cache: { hitRatio: 2 } })).toBe(false);
    expect(validate({ ...seed(), tiers: { edge: { perInstance: { bandwidth: '40Gbps' }, extra: 1 } } })).toBe(false);
    expect(validate({ ...seed(), regions: [{ name: 'a', share: 1, zones: 0 }] })).toBe(false);
    expect(validate({ ...seed(), name: undefined })).toBe(false);
  });

  it('property: whatever the zod schema accepts, the JSON Schema accepts too (editors never flag a valid plan)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as object);
    const unitish = fc.oneof(
      fc.constantFrom('3.5Mbps', '40 Gbps', '1e3bps', '10Tb/s', '7500/s', '200/h', '100/30m', '64KB', '1.5MiB', '33m', '2h', '95%', '0.95', '1', ' 12 ', 'x', '', '5/fortnight'),
      fc.double({ min: -1, max: 2e6, noNaN: true }),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(unitish, unitish, unitish, unitish, unitish, (a, b, c, d, e) => {
        const data = {
          name: 'p',
          workload: { arrivalRate: a, sessionDuration: b, bitratePerSession: c },
          cache: { hitRatio: d },
          tiers: { edge: { perInstance: { bandwidth: c, requests: a } } },
          headroom: { targetUtilization: e },
        };
        if (PlanSchema.safeParse(data).success) expect(validate(data), ajv.errorsText(validate.errors)).toBe(true);
      }),
      { numRuns: propertyRuns(500) },
    );
  });
});
