import { ReliaCommand } from '../../src/cli/base-command.js';
import { budgetEvaluationFlags, evaluateBudgetFlags, policyFileOf } from '../../src/cli/budget/run.js';
import { renderTable, wrapText } from '../../src/cli/style.js';
import type { BudgetEvaluation } from '../../src/core/budget/index.js';
import { burnWindowsOf, statusColumns, statusFootnotes } from '../../src/core/budget/report-table.js';

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
  static override flags = { ...budgetEvaluationFlags };

  async run(): Promise<BudgetStatusResult> {
    const f = this.flags;
    const evaluation = await evaluateBudgetFlags(this.context(), f);
    if (!this.jsonEnabled()) {
      const columns = statusColumns(burnWindowsOf(evaluation)).map((c) => ({
        header: c.header, align: c.align, keep: c.header === 'VERDICT',
        value: (s: BudgetEvaluation['slos'][number]) => (c.header === 'VERDICT' ? this.style.verdict(c.value(s)) : c.value(s)),
      }));
      this.log(renderTable(columns, evaluation.slos, this.style));
      for (const note of statusFootnotes(evaluation)) this.log(this.style.dim(wrapText(note, this.style.layout.width)));
      this.log(this.style.dim(`as of ${evaluation.at} · ${evaluation.queries} queries`));
    }
    return { ...evaluation, policyFile: policyFileOf(f.policy, this.resolved) };
  }
}
