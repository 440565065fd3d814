import { appendFileSync, readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { writeFileAtomic } from '../../src/cli/files.js';
import { metricsFromConfig } from '../../src/cli/providers.js';
import { readSloInputs } from '../../src/cli/slo-files.js';
import { evaluateSlos, defaultPolicy, parseChangeLabels, parsePolicy, validatePolicyOverrides, type BudgetEvaluation } from '../../src/core/budget/index.js';
import { githubAnnotations } from '../../src/core/budget/report-github.js';
import { junitReport } from '../../src/core/budget/report-junit.js';
import { markdownReport } from '../../src/core/budget/report-markdown.js';
import { checkLines } from '../../src/core/budget/report-table.js';
import { loadSpecs } from '../../src/core/budget/specs/index.js';
import { InputError } from '../../src/core/errors.js';
import { parseTime } from '../../src/core/units.js';

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
    'Blocks on an exhausted budget and on fast burn (14.4× over 1h and 5m, 6× over 6h and 30m; scaled by dynamic budgets), flags postmortems, applies the min-events guard and policy exceptions (--change-label). Exit 0 pass, 1 blocked, 2 bad input, 3 metrics unavailable (fail closed; --on-unavailable pass opts out). Reference: docs/budget.md.';
  static override examples = [
    '<%= config.bin %> budget check --slo slos/ --prometheus http://127.0.0.1:9090',
    '<%= config.bin %> budget check --slo slos/ --policy budget-policy.yaml --junit reports/budget.xml --markdown reports/budget.md',
    '<%= config.bin %> budget check --slo slos/ --change-label type=security-fix',
  ];
  static override flags = {
    slo: Flags.string({ description: 'SLO spec file or directory (repeatable).', multiple: true, required: true }),
    prometheus: Flags.string({ description: "Prometheus URL (default: the config environment's metrics.url)." }),
    at: Flags.string({ description: 'Evaluate as of this instant: RFC 3339 or unix seconds (default: now).' }),
    policy: Flags.string({ description: 'Budget policy file (YAML/JSON; default: the built-in policy).' }),
    service: Flags.string({ description: 'Only SLOs of this service (repeatable).', multiple: true }),
    'change-label': Flags.string({ description: 'A label of the change, key=value (repeatable); policy exceptions match on them.', multiple: true }),
    junit: Flags.string({ description: 'Write a JUnit XML report here (one testcase per SLO).' }),
    markdown: Flags.string({ description: 'Write a Markdown report here (also appended to $GITHUB_STEP_SUMMARY when set).' }),
    concurrency: Flags.integer({ description: 'SLOs evaluated at once.', default: 8, min: 1, max: 64 }),
    'on-unavailable': Flags.string({ description: 'When metrics are unavailable: fail (exit 3, default) or pass with a warning.', options: ['fail', 'pass'], default: 'fail' }),
    insecure: Flags.boolean({ description: 'Allow metrics.tls.insecureSkipVerify from the config.' }),
  };

  async run(): Promise<BudgetCheckResult> {
    const f = this.flags;
    const started = performance.now();
    const { labels: changeLabels, problems } = parseChangeLabels(f['change-label'] ?? []);
    if (problems.length > 0) throw new InputError(`--change-label: ${problems.join('; ')}`, { field: '--change-label', suggestions: ['write it like --change-label type=security-fix'] });
    let policyText: string | undefined;
    if (f.policy) {
      try {
        policyText = readFileSync(f.policy, 'utf8');
      } catch (error) {
        throw new InputError(`--policy ${f.policy}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { field: '--policy', file: f.policy, suggestions: ['check the path; see docs/examples/budget-policy.yaml'] });
      }
    }
    const policy = f.policy && policyText !== undefined ? parsePolicy(policyText, f.policy) : defaultPolicy();
    let slos = loadSpecs(readSloInputs(f.slo), { validatePolicy: validatePolicyOverrides });
    if (f.service) {
      slos = slos.filter((s) => f.service?.includes(s.service));
      if (slos.length === 0) throw new InputError(`--service ${f.service.join(', ')}: no SLO of that service in the specs`, { field: '--service', suggestions: ['list the SLOs with relia budget validate'] });
    }
    const at = f.at === undefined ? this.clock.now() : parseTime(f.at, '--at');
    const source = await metricsFromConfig(await this.providers(), this.resolved, { insecure: f.insecure });
    this.lifecycle.defer('close metrics source', () => source.close());
    const evaluation = await evaluateSlos(slos, source, {
      at, policy, changeLabels, concurrency: f.concurrency, signal: this.lifecycle.signal, onUnavailable: f['on-unavailable'] as 'fail' | 'pass',
      onQuery: (q) => this.verbose(`${q.slo} ${q.kind}: ${q.query}`),
    });
    for (const s of evaluation.slos) if (s.unavailable) this.warn(`SLO ${s.id}: metrics unavailable, passed because of --on-unavailable pass: ${s.unavailable}`);
    this.verbose(`${evaluation.queries} queries for ${evaluation.slos.length} SLOs`);

    const reports: BudgetCheckResult['reports'] = { junit: null, markdown: null, stepSummary: null };
    const write = (flag: string, file: string, text: string) => {
      try {
        writeFileAtomic(file, text);
      } catch (error) {
        throw new InputError(`--${flag} ${file}: cannot write the report: ${(error as Error).message}`, { field: `--${flag}`, suggestions: ['choose a writable file path'] });
      }
    };
    if (f.junit) write('junit', (reports.junit = f.junit), junitReport(evaluation, { durationSeconds: (performance.now() - started) / 1000 }));
    const md = markdownReport(evaluation, { changeLabels });
    if (f.markdown) write('markdown', (reports.markdown = f.markdown), md);
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      try {
        appendFileSync(summaryFile, md);
        reports.stepSummary = summaryFile;
      } catch (error) {
        this.warn(`cannot append to $GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as Error).message}`);
      }
    }
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
      this.log(`${blocked.length === 0 ? this.style.green('PASS') : this.style.red('BLOCKED')}: ${s.total} SLOs, ${s.pass} pass, ${s.fail} fail, ${s.noData} no data${s.unavailable ? `, ${s.unavailable} unavailable` : ''} (as of ${evaluation.at}, ${evaluation.queries} queries)`);
    }
    if (blocked.length > 0) {
      this.checkFailed(`deploy blocked by ${blocked.length} SLO${blocked.length === 1 ? '' : 's'}: ${blocked.map((s) => s.id).join(', ')}`, [
        'see the reasons per SLO; relia budget status shows the burn rates',
        'a change that must ship anyway can carry a label a policy exception allows: --change-label type=security-fix',
      ]);
    }
    return { ...evaluation, passed: blocked.length === 0, policyFile: f.policy ?? null, changeLabels, reports };
  }
}
