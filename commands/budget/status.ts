import { readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { metricsFromConfig } from '../../src/cli/providers.js';
import { readSloInputs } from '../../src/cli/slo-files.js';
import { renderTable } from '../../src/cli/style.js';
import { evaluateSlos, parsePolicy, defaultPolicy, validatePolicyOverrides, type BudgetEvaluation, type BudgetPolicy } from '../../src/core/budget/index.js';
import { burnWindowsOf, statusColumns } from '../../src/core/budget/report-table.js';
import { loadSpecs } from '../../src/core/budget/specs/index.js';
import { InputError } from '../../src/core/errors.js';
import { parseTime } from '../../src/core/units.js';

export interface BudgetStatusResult extends BudgetEvaluation {
  /** The policy file, or null for the built-in defaults. */
  policyFile: string | null;
}

export default class BudgetStatus extends ReliaCommand<typeof BudgetStatus> {
  static override summary = 'Error budgets of SLOs: SLI, budget consumed and remaining, burn rates, time to exhaustion, burn-down sparkline.';
  static override description =
    'Two queries per SLO (one instant query batching every window, one range query for the burn-down), anchored at --at. Exit 0, 2 bad input, 3 metrics unavailable (fail closed). Math and policy: docs/budget.md.';
  static override examples = [
    '<%= config.bin %> budget status --slo slos/ --prometheus http://127.0.0.1:9090',
    '<%= config.bin %> budget status --slo checkout.yaml --at 2026-11-01T00:00:00Z --json',
  ];
  static override flags = {
    slo: Flags.string({ description: 'SLO spec file or directory (repeatable).', multiple: true, required: true }),
    prometheus: Flags.string({ description: "Prometheus URL (default: the config environment's metrics.url)." }),
    at: Flags.string({ description: 'Evaluate as of this instant: RFC 3339 or unix seconds (default: now).' }),
    policy: Flags.string({ description: 'Budget policy file (YAML/JSON; default: the built-in policy). Burn windows come from it.' }),
    service: Flags.string({ description: 'Only SLOs of this service (repeatable).', multiple: true }),
    concurrency: Flags.integer({ description: 'SLOs evaluated at once.', default: 8, min: 1, max: 64 }),
    'on-unavailable': Flags.string({ description: 'When metrics are unavailable: fail (exit 3, default) or pass with a warning.', options: ['fail', 'pass'], default: 'fail' }),
    insecure: Flags.boolean({ description: 'Allow metrics.tls.insecureSkipVerify from the config.' }),
  };

  async run(): Promise<BudgetStatusResult> {
    const f = this.flags;
    const policy: BudgetPolicy = f.policy ? parsePolicy(readPolicy(f.policy), f.policy) : defaultPolicy();
    let slos = loadSpecs(readSloInputs(f.slo), { validatePolicy: validatePolicyOverrides });
    if (f.service) {
      slos = slos.filter((s) => f.service?.includes(s.service));
      if (slos.length === 0) throw new InputError(`--service ${f.service.join(', ')}: no SLO of that service in the specs`, { field: '--service', suggestions: ['list the SLOs with relia budget validate'] });
    }
    const at = f.at === undefined ? this.clock.now() : parseTime(f.at, '--at');
    const source = await metricsFromConfig(await this.providers(), this.resolved, { insecure: f.insecure });
    this.lifecycle.defer('close metrics source', () => source.close());
    const evaluation = await evaluateSlos(slos, source, {
      at, policy, concurrency: f.concurrency, signal: this.lifecycle.signal, onUnavailable: f['on-unavailable'] as 'fail' | 'pass',
      onQuery: (q) => this.verbose(`${q.slo} ${q.kind}: ${q.query}`),
    });
    for (const s of evaluation.slos) if (s.unavailable) this.warn(`SLO ${s.id}: metrics unavailable, shown as pass (--on-unavailable pass): ${s.unavailable}`);
    this.verbose(`${evaluation.queries} queries for ${evaluation.slos.length} SLOs`);
    if (!this.jsonEnabled()) {
      const columns = statusColumns(burnWindowsOf(evaluation)).map((c) => ({
        header: c.header, align: c.align,
        value: (s: BudgetEvaluation['slos'][number]) => (c.header === 'VERDICT' ? this.style.verdict(c.value(s)) : c.value(s)),
      }));
      this.log(renderTable(columns, evaluation.slos, this.style));
      for (const s of evaluation.slos) if (s.postmortemRequired) this.log(this.style.yellow(`${s.id}: ${s.reasons.find((r) => r.startsWith('postmortem')) ?? 'postmortem required'}`));
      this.log(this.style.dim(`as of ${evaluation.at} · ${evaluation.queries} queries`));
    }
    return { ...evaluation, policyFile: f.policy ?? null };
  }
}

function readPolicy(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`--policy ${file}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field: '--policy', file, suggestions: ['check the path; see docs/examples/budget-policy.yaml'] });
  }
}
