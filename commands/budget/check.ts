import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { appendStepSummary, budgetEvaluationFlags, evaluateBudgetFlags, policyFileOf, writeReport } from '../../src/cli/budget/run.js';
import { parseChangeLabels, type BudgetEvaluation } from '../../src/core/budget/index.js';
import { githubAnnotations } from '../../src/core/budget/report-github.js';
import { junitReport } from '../../src/core/budget/report-junit.js';
import { markdownReport } from '../../src/core/budget/report-markdown.js';
import { checkLines } from '../../src/core/budget/report-table.js';
import { InputError } from '../../src/core/errors.js';

export interface BudgetCheckResult extends BudgetEvaluation {
  /** True when no SLO blocks (exit 0). */
  passed: boolean;
  policyFile: string | null;
  /** `--change-label` pairs. */
  changeLabels: Record<string, string>;
  /** Report files written. */
  reports: { junit: string | null; markdown: string | null; stepSummary: string | null };
}

export default class BudgetCheck extends ReliaCommand<typeof BudgetCheck> {
  static override summary = 'The deploy gate: exit 0 when every SLO passes the error-budget policy, 1 when any blocks.';
  static override description =
    'Blocks on an exhausted budget and on fast burn (14.4× over 1h and 5m, 6× over 6h and 30m; scaled by dynamic budgets), flags postmortems, applies the min-events guard and policy exceptions (--change-label). Exit 0 pass, 1 blocked (no-data blocks too unless --allow-no-data), 2 bad input, 3 metrics unavailable (fail closed; --on-unavailable pass opts out) or answering nonsense (NaN, ±Inf, negative, bad > total: verdict invalid). Reference: docs/budget.md.';
  static override examples = [
    '<%= config.bin %> budget check --slo slos/ --prometheus http://127.0.0.1:9090',
    '<%= config.bin %> budget check --slo slos/ --policy budget-policy.yaml --junit reports/budget.xml --markdown reports/budget.md',
    '<%= config.bin %> budget check --slo slos/ --change-label type=security-fix',
  ];
  static override flags = {
    ...budgetEvaluationFlags,
    'change-label': Flags.string({ description: 'A label of the change, key=value (repeatable); policy exceptions match on them.', multiple: true }),
    junit: Flags.string({ description: 'Write a JUnit XML report here (one testcase per SLO).' }),
    markdown: Flags.string({ description: 'Write a Markdown report here (also appended to $GITHUB_STEP_SUMMARY when set).' }),
  };

  async run(): Promise<BudgetCheckResult> {
    const f = this.flags;
    const started = performance.now();
    const { labels: changeLabels, problems } = parseChangeLabels(f['change-label'] ?? []);
    if (problems.length > 0) throw new InputError(`--change-label: ${problems.join('; ')}`, { field: '--change-label', suggestions: ['write it like --change-label type=security-fix'] });
    const evaluation = await evaluateBudgetFlags(this.context(), f, changeLabels);

    const reports: BudgetCheckResult['reports'] = { junit: null, markdown: null, stepSummary: null };
    if (f.junit) writeReport('junit', (reports.junit = f.junit), junitReport(evaluation, { durationSeconds: (performance.now() - started) / 1000 }));
    const md = markdownReport(evaluation, { changeLabels });
    if (f.markdown) writeReport('markdown', (reports.markdown = f.markdown), md);
    reports.stepSummary = appendStepSummary(md, process.env, (line) => this.warn(line));
    if (process.env.GITHUB_ACTIONS === 'true') {
      // Workflow commands: stdout normally; stderr under --json so stdout stays one JSON document.
      const out = githubAnnotations(evaluation).join('\n');
      if (out) (this.jsonEnabled() ? process.stderr : process.stdout).write(`${out}\n`);
    }

    const blocked = evaluation.slos.filter((s) => s.blocked);
    if (!this.jsonEnabled()) {
      for (const line of checkLines(evaluation)) {
        this.log(`${this.style.verdict(line.verdict.padEnd(7))}  ${line.id}`);
        for (const r of line.reasons) this.log(this.style.dim(`         ${r}`));
      }
      const s = evaluation.summary;
      this.log(`${blocked.length === 0 ? this.style.green('PASS') : this.style.red('BLOCKED')}: ${s.total} SLOs, ${s.pass} pass, ${s.fail} fail, ${s.noData} no data${s.unavailable ? `, ${s.unavailable} unavailable` : ''}${s.invalid ? `, ${s.invalid} invalid` : ''} (as of ${evaluation.at}, ${evaluation.queries} queries)`);
    }
    const invalid = blocked.filter((s) => s.verdict === 'invalid');
    if (invalid.length > 0) {
      // The dependency answered nonsense: fail closed like an unreachable one (exit 3), after the report.
      this.failWithResult(3, 'InvalidMetricData', `metrics answered values that cannot be true for ${invalid.length} SLO${invalid.length === 1 ? '' : 's'}: ${invalid.map((s) => s.id).join(', ')}`, [
        'see the query, value and time per SLO above; fix the recording rule or exporter',
        'a policy can let such an SLO pass instead: block.invalid: false (not recommended)',
      ]);
    } else if (blocked.length > 0) {
      this.checkFailed(`deploy blocked by ${blocked.length} SLO${blocked.length === 1 ? '' : 's'}: ${blocked.map((s) => s.id).join(', ')}`, [
        'see the reasons per SLO; relia budget status shows the burn rates',
        'a change that must ship anyway can carry a label a policy exception allows: --change-label type=security-fix',
      ]);
    }
    return { ...evaluation, passed: blocked.length === 0, policyFile: policyFileOf(f.policy, this.resolved), changeLabels, reports };
  }
}
