import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { renderPlan } from '../../src/cli/capacity/plan.js';
import { readTextInput, writeFileAtomic } from '../../src/cli/files.js';
import { emitScaling, type EmitResult } from '../../src/core/capacity/emit.js';
import { computePlan, type PlanReport } from '../../src/core/capacity/plan.js';
import { parsePlan, type TierName } from '../../src/core/capacity/plan-schema.js';
import { InputError } from '../../src/core/errors.js';

export interface CapacityPlanResult extends PlanReport {
  /** The plan file (`stdin` for -). */
  file: string;
  /** The autoscaler settings of --emit, or null. */
  emit: (EmitResult & { file: string | null }) | null;
}

export default class CapacityPlan extends ReliaCommand<typeof CapacityPlan> {
  static override summary = 'Fleet and bandwidth plan: instances per region and tier under headroom policies (target utilisation, N+1 per AZ, region loss, flash crowd).';
  static override description =
    'Reads a plan file (YAML/JSON: workload, cache hit ratio, per-instance capacity, regions, headroom policies) and prints, per region and in total, the peak, edge and origin bandwidth, the instances needed and the binding policy, with every assumption. --emit prints a Kubernetes HPA or Auto Scaling group sizes consistent with the plan. Exit 0, 2 bad plan. Format and formulas: docs/capacity-planning.md.';
  static override examples = [
    '<%= config.bin %> capacity plan --plan docs/examples/capacity/streaming-plan.yaml',
    '<%= config.bin %> capacity plan --plan plan.yaml --emit hpa --tier edge | kubectl apply -f -',
    '<%= config.bin %> capacity plan --plan plan.yaml --emit asg --out asg.json --json',
  ];
  static override flags = {
    plan: Flags.string({ char: 'p', description: 'Plan file (YAML or JSON), or - for stdin.', required: true }),
    emit: Flags.string({ description: 'Also produce autoscaler settings: hpa (Kubernetes HorizontalPodAutoscaler v2 YAML) or asg (Auto Scaling group JSON).', options: ['hpa', 'asg'] }),
    tier: Flags.string({ description: 'Tier to --emit for (default: edge when the plan has one, else origin).', options: ['edge', 'origin'] }),
    min: Flags.string({ description: 'Emitted minimum: steady (peak need at target utilisation, raised to the N+1 zone need) or required (the full worst case).', options: ['steady', 'required'], default: 'steady' }),
    namespace: Flags.string({ description: 'Kubernetes namespace of the emitted HPA.' }),
    out: Flags.string({ description: 'Write the --emit output to this file (atomically) instead of stdout.' }),
  };

  async run(): Promise<CapacityPlanResult> {
    const f = this.flags;
    if ((f.tier || f.out || f.namespace) && !f.emit) throw new InputError('--tier, --namespace and --out go with --emit', { field: '--emit', suggestions: ['add --emit hpa or --emit asg'] });
    const plan = parsePlan(readTextInput(f.plan, '--plan', 'docs/examples/capacity/streaming-plan.yaml'), f.plan === '-' ? 'stdin' : f.plan);
    const report = computePlan(plan);
    let emit: CapacityPlanResult['emit'] = null;
    if (f.emit) {
      const tier = (f.tier ?? (plan.tiers.some((t) => t.tier === 'edge') ? 'edge' : 'origin')) as TierName;
      const spec = plan.tiers.find((t) => t.tier === tier);
      if (!spec) throw new InputError(`--tier ${tier}: the plan has no ${tier} tier`, { field: '--tier', suggestions: [`use --tier ${plan.tiers.map((t) => t.tier).join(' or --tier ')}`] });
      const emitted = emitScaling(report, f.emit as 'hpa' | 'asg', { tier, minFrom: f.min as 'steady' | 'required', hpaMetric: spec.hpaMetric, ...(f.namespace ? { namespace: f.namespace } : {}) });
      if (f.out) {
        try {
          writeFileAtomic(f.out, emitted.text);
        } catch (error) {
          throw new InputError(`--out ${f.out}: cannot write it: ${(error as Error).message}`, { field: '--out', suggestions: ['choose a writable path'] });
        }
      }
      emit = { ...emitted, file: f.out ?? null };
    }
    if (!this.jsonEnabled()) {
      if (emit && !emit.file) process.stdout.write(emit.text);
      else {
        this.log(renderPlan(report, this.style));
        if (emit) this.log(this.style.dim(`\nwrote ${emit.format === 'hpa' ? 'HorizontalPodAutoscaler manifests' : 'Auto Scaling group sizes'} for the ${emit.tier} tier to ${emit.file}`));
      }
    }
    return { ...report, file: f.plan === '-' ? 'stdin' : f.plan, emit };
  }
}
