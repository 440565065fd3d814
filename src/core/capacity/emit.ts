/**
 * Autoscaler settings consistent with a capacity plan (`relia capacity plan --emit`).
 * Pure: returns text and structured values; the command prints or writes them.
 *
 * Mapping (docs/capacity-planning.md#emit), per region (one cluster / one
 * Auto Scaling group per region) and for one tier:
 *   min      = the steady-state need (peak demand at targetUtilization), raised
 *              to the N+1 zone need when that policy is on: a zone loss does not
 *              change total demand, so an autoscaler that sizes on demand never
 *              adds the spare zone's worth by itself; it must already run.
 *              `--min required` pre-provisions the full worst case instead.
 *   max      = the plan's need: the binding (worst-case) policy
 *   target   = targetUtilization (HPA averageUtilization, ASG target-tracking TargetValue)
 * The Kubernetes HPA controller computes desiredReplicas = ⌈currentReplicas ×
 * currentMetricValue / desiredMetricValue⌉ (Kubernetes docs, "Horizontal Pod
 * Autoscaling", algorithm details), so at the planned peak it settles on
 * demand / (capacity × target) = the steady need; a region loss or a flash
 * crowd raises demand and utilisation above target and it scales up, capped at
 * max, where the instances run at ≤ maxUtilization — the plan's sizing.
 */
import { Document } from 'yaml';
import type { PlanReport, RegionTierPlan } from './plan.js';
import type { HpaMetric, TierName } from './plan-schema.js';

export type EmitFormat = 'hpa' | 'asg';
export type MinFrom = 'steady' | 'required';

export interface RegionScaling {
  region: string;
  /** Workload (Deployment / Auto Scaling group) name. */
  name: string;
  min: number;
  max: number;
  /** ASG DesiredCapacity: the minimum (target tracking raises it). */
  desired: number;
  /** Target utilisation in percent. */
  targetPercent: number;
  binding: string;
}

export interface EmitResult {
  format: EmitFormat;
  tier: TierName;
  minFrom: MinFrom;
  regions: RegionScaling[];
  /** The manifest (HPA: multi-document YAML) or the JSON (ASG) to apply. */
  text: string;
}

export interface EmitOptions {
  tier: TierName;
  minFrom?: MinFrom;
  hpaMetric?: HpaMetric;
  /** Kubernetes namespace of the HPA (none: the kubectl context's). */
  namespace?: string;
}

function regionTier(report: PlanReport, tier: TierName): Array<{ region: string; plan: RegionTierPlan }> {
  return report.regions.map((r) => ({ region: r.name, plan: r.tiers.find((t) => t.tier === tier) as RegionTierPlan }));
}

/** The per-region min/max/target for a tier. */
export function scalingFor(report: PlanReport, opts: EmitOptions): RegionScaling[] {
  const total = report.tiers.find((t) => t.tier === opts.tier);
  if (!total) throw new Error(`tier ${opts.tier} is not in the plan`);
  const target = report.headroom.targetUtilization ?? 1;
  return regionTier(report, opts.tier).map(({ region, plan }) => {
    const max = Math.max(1, plan.instances);
    const zoneNeed = plan.scenarios.find((sc) => sc.policy === 'n-plus-one-zone')?.instances ?? 0;
    const min = Math.min(max, Math.max(1, opts.minFrom === 'required' ? plan.instances : Math.max(plan.steadyInstances, zoneNeed)));
    return { region, name: total.name, min, max, desired: min, targetPercent: Math.round(target * 100), binding: plan.binding };
  });
}

/** A Kubernetes quantity for a per-pod value: an integer, or milli-units. */
export function quantity(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return `${Math.round(x * 1000)}m`;
}

function metricSpec(report: PlanReport, tier: TierName, metric: HpaMetric, targetPercent: number): Record<string, unknown> {
  if ('resource' in metric) {
    return { type: 'Resource', resource: { name: metric.resource, target: { type: 'Utilization', averageUtilization: targetPercent } } };
  }
  const per = (report.tiers.find((t) => t.tier === tier) as PlanReport['tiers'][number]).perInstance;
  const cap = metric.dimension === 'bandwidth' ? per.bandwidthBps : metric.dimension === 'requests' ? per.requestsPerSecond : per.sessions;
  const target = report.headroom.targetUtilization ?? 1;
  return { type: 'Pods', pods: { metric: { name: metric.pods }, target: { type: 'AverageValue', averageValue: quantity((cap ?? 0) * target) } } };
}

/** HorizontalPodAutoscaler (autoscaling/v2) manifests, one YAML document per region. */
export function emitHpa(report: PlanReport, opts: EmitOptions): EmitResult {
  const regions = scalingFor(report, opts);
  const metric = opts.hpaMetric ?? { resource: 'cpu' };
  const docs = regions.map((r) => {
    const manifest = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: r.name,
        ...(opts.namespace ? { namespace: opts.namespace } : {}),
        labels: { 'app.kubernetes.io/managed-by': 'relia' },
        annotations: {
          'relia.dev/plan': report.name,
          'relia.dev/region': r.region,
          'relia.dev/tier': opts.tier,
          'relia.dev/binding-policy': r.binding,
          'relia.dev/min-from': opts.minFrom ?? 'steady',
        },
      },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r.name },
        minReplicas: r.min,
        maxReplicas: r.max,
        metrics: [metricSpec(report, opts.tier, metric, r.targetPercent)],
      },
    };
    const doc = new Document(manifest);
    doc.commentBefore = ` relia capacity plan ${report.name}: ${opts.tier} tier in region ${r.region} (apply to that region's cluster)`;
    return doc.toString({ lineWidth: 0 });
  });
  return { format: 'hpa', tier: opts.tier, minFrom: opts.minFrom ?? 'steady', regions, text: docs.join('---\n') };
}

/**
 * Auto Scaling group sizes, one entry per region. `updateAutoScalingGroup` is
 * the input of `aws autoscaling update-auto-scaling-group --cli-input-json`
 * and `putScalingPolicy` that of `aws autoscaling put-scaling-policy
 * --cli-input-json` (a target-tracking policy at targetUtilization).
 */
export function emitAsg(report: PlanReport, opts: EmitOptions): EmitResult {
  const regions = scalingFor(report, opts);
  const groups = regions.map((r) => ({
    region: r.region,
    bindingPolicy: r.binding,
    updateAutoScalingGroup: { AutoScalingGroupName: r.name, MinSize: r.min, MaxSize: r.max, DesiredCapacity: r.desired },
    putScalingPolicy: {
      AutoScalingGroupName: r.name,
      PolicyName: `${r.name}-target-tracking`,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageCPUUtilization' }, TargetValue: r.targetPercent },
    },
  }));
  return { format: 'asg', tier: opts.tier, minFrom: opts.minFrom ?? 'steady', regions, text: `${JSON.stringify(groups, null, 2)}\n` };
}

export function emitScaling(report: PlanReport, format: EmitFormat, opts: EmitOptions): EmitResult {
  return format === 'hpa' ? emitHpa(report, opts) : emitAsg(report, opts);
}
