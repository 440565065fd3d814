import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emitAsg, emitHpa, emitScaling, quantity, scalingFor } from '../../../../src/core/capacity/emit.js';
import { computePlan } from '../../../../src/core/capacity/plan.js';
import { parsePlan, validatePlan } from '../../../../src/core/capacity/plan-schema.js';

interface Hpa {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations: Record<string, string> };
  spec: { scaleTargetRef: unknown; minReplicas: number; maxReplicas: number; metrics: Array<{ type: string; pods?: { target: { averageValue: string } } }> };
}
const hpas = (text: string): Hpa[] => parseAllDocuments(text).map((d) => d.toJS() as Hpa);

const STREAMING = new URL('../../../../docs/examples/capacity/streaming-plan.yaml', import.meta.url);
const report = computePlan(parsePlan(readFileSync(STREAMING, 'utf8'), 'streaming-plan.yaml'));

describe('scalingFor: min = steady-state (or N+1 zone) need, max = worst-case need', () => {
  it('per region, consistent with the plan', () => {
    const rows = scalingFor(report, { tier: 'edge' });
    expect(rows.map((r) => r.region)).toEqual(['us-east', 'eu-west', 'ap-south']);
    for (const [i, row] of rows.entries()) {
      const t = report.regions[i]?.tiers.find((x) => x.tier === 'edge');
      const zone = t?.scenarios.find((s) => s.policy === 'n-plus-one-zone')?.instances ?? 0;
      expect(row.min).toBe(Math.max(t?.steadyInstances ?? 0, zone));
      expect(row.max).toBe(t?.instances);
      expect(row.desired).toBe(row.min);
      expect(row.min).toBeLessThanOrEqual(row.max);
      expect(row.targetPercent).toBe(70);
      expect(row.binding).toBe(t?.binding);
      expect(row.name).toBe('streaming-edge');
    }
    // us-east: 24,937.5 Gbps at 70% of 40 Gbps → 891; N+1 → 936 (binding), so min = max = 936
    expect(rows[0]).toMatchObject({ min: 936, max: 936, binding: 'n-plus-one-zone' });
    // eu-west: steady 535, N+1 ⌈14,962.5 / 80⌉ × 3 = 188 × 3 = 564, region loss 749 → min 561, max 749
    expect(rows[1]).toMatchObject({ min: 564, max: 749, binding: 'region-loss' });
    const required = scalingFor(report, { tier: 'edge', minFrom: 'required' });
    expect(required[1]).toMatchObject({ min: 749, max: 749 });
  });

  it('HPA arithmetic (desired = ⌈current × metric / target⌉) agrees with the plan', () => {
    // Kubernetes HPA: desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue).
    const row = scalingFor(report, { tier: 'edge' })[1]!; // eu-west
    const hpa = (replicas: number, demandGbps: number) => Math.max(row.min, Math.min(row.max, Math.ceil(replicas * (demandGbps / (replicas * 40) / 0.7) - 1e-9)));
    const regionDemand = 14_962.5;
    // At the planned peak the HPA holds min (the N+1 spare stays).
    expect(hpa(row.min, regionDemand)).toBe(row.min);
    // Losing one of 3 zones: the surviving 2/3 of min carry the region at ≤ 100%.
    const survivors = (row.min * 2) / 3;
    expect(regionDemand / (survivors * 40)).toBeLessThanOrEqual(1);
    // us-east is lost: demand here doubles; the HPA scales up to max, where pods run at ≤ 100%.
    const surge = regionDemand * 2;
    expect(hpa(row.min, surge)).toBe(row.max);
    expect(surge / (row.max * 40)).toBeLessThanOrEqual(1);
  });

  it('min is at least 1 and never above max', () => {
    const tiny = computePlan(validatePlan({ name: 'tiny', workload: { peakRequestRate: 1 }, tiers: { origin: { perInstance: { requests: 1000 } } } }));
    expect(scalingFor(tiny, { tier: 'origin' })[0]).toMatchObject({ min: 1, max: 1, targetPercent: 100 });
    expect(() => scalingFor(tiny, { tier: 'edge' })).toThrow(/not in the plan/);
  });
});

describe('emitHpa', () => {
  it('is one autoscaling/v2 HorizontalPodAutoscaler per region', () => {
    const out = emitHpa(report, { tier: 'edge', namespace: 'video' });
    expect(out.format).toBe('hpa');
    const docs = hpas(out.text);
    expect(docs).toHaveLength(3);
    const [us] = docs;
    expect(us?.apiVersion).toBe('autoscaling/v2');
    expect(us?.kind).toBe('HorizontalPodAutoscaler');
    expect(us?.metadata.name).toBe('streaming-edge');
    expect(us?.metadata.namespace).toBe('video');
    expect(us?.metadata.annotations['relia.dev/region']).toBe('us-east');
    expect(us?.metadata.annotations['relia.dev/binding-policy']).toBe('n-plus-one-zone');
    expect(us?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'streaming-edge' });
    expect(us?.spec.minReplicas).toBe(936);
    expect(us?.spec.maxReplicas).toBe(936);
    expect(us?.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
    expect(out.text).toContain("# relia capacity plan streaming: edge tier in region us-east");
  });

  it('a Pods metric gets averageValue = per-instance capacity × target', () => {
    const out = emitHpa(report, { tier: 'edge', hpaMetric: { pods: 'network_transmit_bits_per_second', dimension: 'bandwidth' } });
    const doc = hpas(out.text)[0] as Hpa;
    expect(doc.spec.metrics[0]).toEqual({ type: 'Pods', pods: { metric: { name: 'network_transmit_bits_per_second' }, target: { type: 'AverageValue', averageValue: '28000000000' } } });
    const req = hpas(emitHpa(report, { tier: 'origin', hpaMetric: { pods: 'rps', dimension: 'requests' } }).text)[0] as Hpa;
    expect(req.spec.metrics[0]?.pods?.target.averageValue).toBe('10500');
    const sess = computePlan(validatePlan({ name: 'ws', workload: { peakConcurrentSessions: 1000 }, cache: { hitRatio: 1 }, headroom: { targetUtilization: 0.75 }, tiers: { edge: { perInstance: { sessions: 3 } } } }));
    const s = hpas(emitHpa(sess, { tier: 'edge', hpaMetric: { pods: 'sessions', dimension: 'sessions' } }).text)[0] as Hpa;
    expect(s.spec.metrics[0]?.pods?.target.averageValue).toBe('2250m');
  });

  it('quantity', () => {
    expect(quantity(28e9)).toBe('28000000000');
    expect(quantity(0.5)).toBe('500m');
  });
});

describe('emitAsg', () => {
  it('gives update-auto-scaling-group fields per region', () => {
    const out = emitScaling(report, 'asg', { tier: 'origin' });
    expect(out).toEqual(emitAsg(report, { tier: 'origin' }));
    const groups = JSON.parse(out.text) as Array<{ region: string; bindingPolicy: string; updateAutoScalingGroup: Record<string, unknown>; putScalingPolicy: unknown }>;
    expect(groups).toHaveLength(3);
    const origin = report.regions[0]?.tiers.find((t) => t.tier === 'origin');
    // origin us-east: steady 75, N+1 81 (binding) → min = max = 81
    expect(origin?.steadyInstances).toBe(75);
    expect(groups[0]).toMatchObject({ region: 'us-east', bindingPolicy: 'n-plus-one-zone', updateAutoScalingGroup: { AutoScalingGroupName: 'streaming-origin', MinSize: 81, MaxSize: 81, DesiredCapacity: 81 } });
    expect(groups[1]).toMatchObject({ region: 'eu-west', bindingPolicy: 'region-loss', updateAutoScalingGroup: { MinSize: 48, MaxSize: 63, DesiredCapacity: 48 } });
    expect(groups[0]?.putScalingPolicy).toEqual({
      AutoScalingGroupName: 'streaming-origin',
      PolicyName: 'streaming-origin-target-tracking',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: 70 },
    });
    expect(emitScaling(report, 'hpa', { tier: 'edge' }).format).toBe('hpa');
  });
});
