/**
 * The plan file's refusals and defaults (docs/capacity-planning.md "The plan file", "Cross-field checks"):
 * every refusal names the field, says what is wrong and suggests a fix (exit 2); the defaults the table
 * promises (tier names `<name>-<tier>`, the cpu HPA metric, one region `global`, policies off) hold.
 * Units of sizes: KB = 10³ B, KiB = 2¹⁰ B, the unit required.
 */
import { describe, expect, it } from 'vitest';
import { inputError as errorOf } from '../../../helpers/errors.js';
import { computePlan } from '../../../../src/core/capacity/plan.js';
import { PLAN_DOCS, parsePlan, parseSize, planProblems, PlanSchema, validatePlan } from '../../../../src/core/capacity/plan-schema.js';

const seed = () => ({
  name: 'seed',
  workload: { peakConcurrentSessions: 15_000_000, bitratePerSession: '3.5Mbps' } as Record<string, unknown>,
  cache: { hitRatio: 0.95 } as Record<string, unknown> | undefined,
  tiers: { edge: { perInstance: { bandwidth: '40Gbps' } } } as Record<string, unknown>,
});
const HINT = `see ${PLAN_DOCS} for the plan fields`;

describe('each cross-field refusal: field, message and the suggested fix', () => {
  it.each([
    [{ workload: { bitratePerSession: '3.5Mbps' } }, 'workload', 'no workload', 'e.g. workload: {peakConcurrentSessions: 15000000, bitratePerSession: 3.5Mbps}'],
    [{ workload: { peakConcurrentSessions: 1, peakRequestRate: 5 }, cache: undefined, tiers: { origin: { perInstance: { requests: 5 } } } }, 'workload', 'exactly one workload form', 'keep one of them and remove the others'],
    [{ workload: { sessionDuration: '33m', bitratePerSession: '1Mbps' } }, 'workload.arrivalRate', 'go together', 'e.g. arrivalRate: 7500/s and sessionDuration: 33m'],
    [{ workload: { peakRequestRate: '5/s', bitratePerSession: '1Mbps' } }, 'workload.bitratePerSession', 'needs a session workload', 'use bytesPerRequest for request-driven services'],
    [{ workload: { peakRequestRate: '5/s', requestsPerSession: '1/s' }, tiers: { origin: { perInstance: { requests: 5 } } } }, 'workload.requestsPerSession', 'needs a session workload', 'remove it; peakRequestRate is the request rate already'],
    [{ workload: { peakConcurrentSessions: 1, requestsPerSession: 1, bitratePerSession: '1Mbps', bytesPerRequest: '1KB' } }, 'workload.bytesPerRequest', 'one bandwidth cost', 'remove one of them'],
    [{ workload: { peakConcurrentSessions: 1, bytesPerRequest: '1KB' }, tiers: { edge: { perInstance: { sessions: 5 } } } }, 'workload.bytesPerRequest', 'needs a request rate', 'give peakRequestRate, or requestsPerSession with a session workload'],
    [{ tiers: {} }, 'tiers', 'no tier to size', 'e.g. tiers: {edge: {perInstance: {bandwidth: 40Gbps}}}'],
    [{ tiers: { edge: { perInstance: {} } } }, 'tiers.edge.perInstance', 'no capacity given', 'give bandwidth (e.g. 40Gbps), requests (e.g. 50000/s) or sessions (e.g. 20000)'],
    // a request workload without bytesPerRequest has requests but no bandwidth
    [{ workload: { peakRequestRate: '5/s' }, tiers: { edge: { perInstance: { bandwidth: '1Gbps' } } } }, 'tiers.edge.perInstance.bandwidth', 'no bandwidth to size on', 'add workload.bitratePerSession (or bytesPerRequest), or size on requests/sessions'],
    [{ tiers: { edge: { perInstance: { requests: '5/s' } } } }, 'tiers.edge.perInstance.requests', 'no request rate to size on', 'add workload.peakRequestRate or workload.requestsPerSession'],
    [{ tiers: { origin: { perInstance: { sessions: 5 } } } }, 'tiers.origin.perInstance.sessions', 'sessions terminate at the edge', 'size the origin on bandwidth or requests'],
    // a request workload has no sessions
    [{ workload: { peakRequestRate: '5/s' }, tiers: { edge: { perInstance: { sessions: 5 } } } }, 'tiers.edge.perInstance.sessions', 'no sessions to size on', 'give peakConcurrentSessions or arrivalRate + sessionDuration'],
    [{ tiers: { edge: { perInstance: { bandwidth: '1Gbps' }, hpaMetric: { pods: 'rx', dimension: 'sessions' } } } }, 'tiers.edge.hpaMetric.dimension', 'perInstance.sessions is not given', 'add tiers.edge.perInstance.sessions or choose another dimension'],
    [{ cache: undefined }, 'cache', 'needs the cache hit ratio', 'add cache: {hitRatio: 0.95} (or size only tiers.origin when there is no cache)'],
    [{ regions: [{ name: 'a', share: 0.5 }, { name: 'a', share: 0.5 }] }, 'regions[1].name', 'duplicate region "a"', 'give each region a unique name'],
    [{ headroom: { nPlusOneZones: true } }, 'headroom.nPlusOneZones', 'N+1 per zone needs regions', 'add regions: [{name: ..., share: 1, zones: 3}]'],
    [{ regions: [{ name: 'a', share: 1, zones: 1 }], headroom: { nPlusOneZones: true } }, 'regions[0].zones', 'at least 2 zones in region a', 'set zones: 2 or more, or turn off headroom.nPlusOneZones'],
    [{ headroom: { surviveRegionLoss: true } }, 'headroom.surviveRegionLoss', 'needs 2 or more regions', 'add regions, or turn off headroom.surviveRegionLoss'],
    [{ headroom: { targetUtilization: 0.9, maxUtilization: 0.8 } }, 'headroom.targetUtilization', 'targetUtilization 0.9 is above maxUtilization 0.8', 'targetUtilization must be at most maxUtilization, e.g. 0.7 and 1'],
  ])('%j → %s', (patch, field, text, fix) => {
    const e = errorOf(() => validatePlan({ ...seed(), ...(patch as object) }, 'plan.yaml'));
    expect(e.exitCode).toBe(2);
    expect(e.field).toBe(field);
    expect(e.message).toContain(text);
    // the problem's own fix first, the pointer to the docs last
    expect(e.suggestions).toEqual([fix, HINT]);
  });

  it('a session duration alongside peakConcurrentSessions is a second workload form', () => {
    const e = errorOf(() => validatePlan({ ...seed(), workload: { peakConcurrentSessions: 1, sessionDuration: '33m', bitratePerSession: '1Mbps' } }, 'plan.yaml'));
    expect(e.message).toContain('exactly one workload form');
    expect(e.message).toContain('go together');
  });

  it('a problem carries the file only when there is one', () => {
    const input = PlanSchema.parse({ ...seed(), tiers: {} });
    expect(planProblems(input)).toStrictEqual([{ path: 'tiers', message: 'no tier to size', suggestion: 'e.g. tiers: {edge: {perInstance: {bandwidth: 40Gbps}}}' }]);
    expect(planProblems(input, 'p.yaml')[0]?.file).toBe('p.yaml');
  });

  it('a wrong value is reported as wrong, not as missing', () => {
    const e = errorOf(() => validatePlan({ ...seed(), name: 5 }, 'plan.yaml'));
    expect(e.field).toBe('name');
    expect(e.message).not.toContain('required');
  });
});

describe('what the checks let through', () => {
  it('an arrival-rate workload has sessions, so requestsPerSession gives it a request rate', () => {
    // L = λW = 100/s × 60 s = 6,000 sessions; × 0.5 req/s = 3,000 req/s → 3,000 / 1,000 = 3 instances
    const p = validatePlan({ name: 'x', workload: { arrivalRate: '100/s', sessionDuration: '60s', requestsPerSession: '0.5/s' }, tiers: { origin: { perInstance: { requests: 1000, sessions: undefined } } } });
    expect(computePlan(p).tiers[0]?.instances).toBe(3);
    const edgeSessions = validatePlan({ name: 'x', workload: { arrivalRate: '100/s', sessionDuration: '60s' }, cache: { hitRatio: 0 }, tiers: { edge: { perInstance: { sessions: 1000 } } } });
    expect(computePlan(edgeSessions).tiers[0]?.instances).toBe(6);
  });

  it('a Pods metric on a dimension that is given is fine', () => {
    const p = validatePlan({ ...seed(), tiers: { edge: { perInstance: { bandwidth: '40Gbps' }, hpaMetric: { pods: 'rx_bytes', dimension: 'bandwidth' } } } });
    expect(p.tiers[0]?.hpaMetric).toEqual({ pods: 'rx_bytes', dimension: 'bandwidth' });
  });

  it('targetUtilization may equal maxUtilization', () => {
    expect(validatePlan({ ...seed(), headroom: { targetUtilization: 0.8, maxUtilization: 0.8 } }).headroom).toMatchObject({ targetUtilization: 0.8, maxUtilization: 0.8 });
  });

  it('a rate written as a bare number string is per second', () => {
    const p = validatePlan({ name: 'api', workload: { peakRequestRate: '1000' }, tiers: { origin: { perInstance: { requests: '250' } } } });
    expect(p.workload.peakRequestRate).toBe(1000);
    expect(computePlan(p).tiers[0]?.instances).toBe(4);
  });
});

describe('defaults the plan-file table promises', () => {
  it('tiers are named <name>-<tier> and scale on cpu unless told; one global region; policies off', () => {
    const p = validatePlan({ ...seed(), tiers: { edge: { perInstance: { bandwidth: '40Gbps' } }, origin: { name: 'my-origin', perInstance: { bandwidth: '25Gbps' }, hpaMetric: { resource: 'memory' } } } });
    expect(p.tiers.map((t) => [t.name, t.hpaMetric])).toEqual([
      ['seed-edge', { resource: 'cpu' }],
      ['my-origin', { resource: 'memory' }],
    ]);
    expect(p.regions).toEqual([{ name: 'global', share: 1, zones: 1 }]);
    expect(p.implicitRegion).toBe(true);
    expect(p.headroom).toEqual({ targetUtilization: null, maxUtilization: 1, nPlusOneZones: false, surviveRegionLoss: false, flashCrowd: null });
  });

  it('regions given are not the implicit one, and two regions alone do not turn on region loss', () => {
    const p = validatePlan({ ...seed(), regions: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.5 }] });
    expect(p.implicitRegion).toBe(false);
    expect(p.headroom.surviveRegionLoss).toBe(false);
    expect(computePlan(p).regions[0]?.tiers[0]?.scenarios.map((s) => s.policy)).toEqual(['peak']);
  });
});

describe('parsePlan: not a mapping', () => {
  it('names the file, --plan, what it got, and where to start', () => {
    const e = errorOf(() => parsePlan('42\n', 'p.yaml'));
    expect(e.message).toBe('p.yaml: expected a mapping with name, workload, tiers, ... got 42');
    expect(e.field).toBe('--plan');
    expect(e.file).toBe('p.yaml');
    expect(e.suggestions).toEqual(['start from docs/examples/capacity/streaming-plan.yaml', `see ${PLAN_DOCS}`]);
    expect(errorOf(() => parsePlan('"text"', 'p.yaml')).message).toContain('got "text"');
  });

  it('a YAML syntax error names --plan and the plan docs', () => {
    const e = errorOf(() => parsePlan('name: [unclosed', 'p.yaml'));
    expect(e.field).toBe('--plan');
    expect(e.suggestions).toContain(`see ${PLAN_DOCS}`);
  });
});

describe('parseSize (KB = 1000 B, KiB = 1024 B)', () => {
  it.each([
    [' 64KB ', 64_000],
    ['1.25KB', 1250],
    ['1e3B', 1000],
    ['1e+3B', 1000],
    ['1e12B', 1e12],
    ['2 GiB', 2 * 1024 ** 3],
  ])('%j is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['x5KB', '5KB!', '0KB', '0.0MB', '12', '3 parsecs'])('%j is refused', (text) => {
    const e = errorOf(() => parseSize(text, 'workload.bytesPerRequest'));
    expect(e.field).toBe('workload.bytesPerRequest');
    expect(e.message).toContain('expected a size above zero');
    expect(e.suggestions).toEqual(['write it like 1.5MB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)']);
  });

  it('names the value "size" when no field is given', () => {
    expect(errorOf(() => parseSize('big')).message).toBe('size: expected a size above zero such as 64KB, 1.5MB or 512KiB, got "big"');
  });
});
