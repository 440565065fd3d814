import { Args, Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { readSloInputs, sloPathsOrConfig } from '../../src/cli/slo-files.js';
import { renderTable, sig } from '../../src/cli/style.js';
import { validatePolicyOverrides } from '../../src/core/budget/policy.js';
import { checkSpecs, specProblemsError } from '../../src/core/budget/specs/index.js';

export interface BudgetValidateResult {
  valid: true;
  /** Spec files read, in order. */
  files: string[];
  /** Non-empty YAML documents read. */
  documents: number;
  slos: Array<{
    id: string;
    service: string;
    name: string;
    format: 'relia' | 'openslo' | 'sloth' | 'pyrra';
    file: string;
    /** Field path of the SLO inside its file ('' for a single-SLO file). */
    path: string;
    /** A fraction, e.g. 0.999. */
    objective: number;
    window: string;
    sli: 'ratio' | 'error-ratio' | 'threshold';
    budgeting: 'occurrences' | 'timeslices';
  }>;
}

export default class BudgetValidate extends ReliaCommand<typeof BudgetValidate> {
  static override summary = 'Validate SLO specs (relia native, OpenSLO v1 and v1alpha, Sloth, Pyrra).';
  static override description =
    'Reads files and directories (recursively, *.yaml and *.yml) and reports every problem with its file, field path, line and a fix. Exits 0 when all specs are valid, 2 otherwise. Formats: docs/budget-specs.md.';
  static override examples = [
    '<%= config.bin %> budget validate slos/',
    '<%= config.bin %> budget validate checkout.yaml openslo/search.yaml --json',
    '<%= config.bin %> budget validate --slo slos/',
  ];
  static override strict = false;
  static override args = { path: Args.string({ description: 'Spec files or directories (one or more).' }) };
  static override flags = {
    slo: Flags.string({ description: 'Spec file or directory (repeatable); same as the positional paths.', multiple: true }),
  };

  async run(): Promise<BudgetValidateResult> {
    const { argv } = await this.parse(BudgetValidate);
    const given = [...(argv as string[]), ...(this.flags.slo ?? [])];
    const paths = sloPathsOrConfig(given, this.resolved);
    const inputs = readSloInputs(paths);
    const report = checkSpecs(inputs, { validatePolicy: validatePolicyOverrides });
    if (report.problems.length > 0) throw specProblemsError(report.problems);
    const result: BudgetValidateResult = {
      valid: true,
      files: inputs.map((i) => i.file),
      documents: report.documents,
      slos: report.slos.map((s) => ({
        id: s.id,
        service: s.service,
        name: s.name,
        format: s.source.format,
        file: s.source.file,
        path: s.source.path,
        objective: s.objective,
        window: s.window.label,
        sli: s.sli.type,
        budgeting: s.budgeting.method,
      })),
    };
    if (!this.jsonEnabled()) {
      this.log(
        renderTable(
          [
            { header: 'SLO', value: (r) => r.id },
            { header: 'FORMAT', value: (r) => r.format },
            { header: 'OBJECTIVE', value: (r) => `${sig(r.objective * 100, 8)}%`, align: 'right' },
            { header: 'WINDOW', value: (r) => r.window },
            { header: 'SLI', value: (r) => r.sli },
            { header: 'BUDGETING', value: (r) => r.budgeting },
            { header: 'SOURCE', value: (r) => `${r.file}${r.path ? ` ${r.path}` : ''}` },
          ],
          result.slos,
          this.style,
        ),
      );
      this.log(`${this.style.green('valid')}: ${result.slos.length} SLO${result.slos.length === 1 ? '' : 's'} in ${result.files.length} file${result.files.length === 1 ? '' : 's'}`);
    }
    return result;
  }
}
