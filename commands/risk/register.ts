import { existsSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { writeFileAtomic } from '../../src/cli/files.js';
import { describeSkipped, incidentFlags, loadIncidents, type IncidentSource, type SkippedIncident } from '../../src/cli/risk/inputs.js';
import { renderDerived } from '../../src/cli/risk/render.js';
import { InputError } from '../../src/core/errors.js';
import { latestTimestamp, parseEstimator, registerFromHistory, type RegisterFromHistoryResult } from '../../src/core/risk/index.js';
import { parseObjective, parseTime } from '../../src/core/units.js';

export interface RiskRegisterResult extends Omit<RegisterFromHistoryResult, 'register'> {
  /** The file written, or null when the YAML went to stdout. */
  out: string | null;
  sources: IncidentSource[];
  skipped: SkippedIncident[];
}

export default class RiskRegister extends ReliaCommand<typeof RiskRegister> {
  static override summary = 'Derive a starter risk register from incident history: ETTD, ETTR, impact and ETTF per service and category.';
  static override description =
    'One risk per (service, category). ETTD, ETTR (detected→resolved) and impact by --estimator; ETTF = observation window / number of incidents. Writes YAML that `relia risk score` reads: to --out (atomically; an existing file needs --force) or to stdout. Exit 0, 2 bad input. docs/risk.md#register-from-history.';
  static override examples = [
    '<%= config.bin %> risk register --incidents docs/examples/risk/incidents.csv > register.yaml',
    '<%= config.bin %> risk register -i docs/examples/risk/incidents.csv --estimator p90 --objective 99.9 --out risks.yaml',
  ];
  static override flags = {
    ...incidentFlags,
    estimator: Flags.string({ description: 'How ETTD, ETTR and impact are estimated from the incidents.', options: ['median', 'mean', 'p90'], default: 'median' }),
    out: Flags.string({ description: 'Write the YAML to this file (atomically) instead of stdout.' }),
    force: Flags.boolean({ description: 'Overwrite --out if it exists.' }),
    objective: Flags.string({ description: 'Objective to write into the register (99.9, 99.9% or 0.999).', aliases: ['slo'], deprecateAliases: true }),
    start: Flags.string({ description: 'Start of the observation window, RFC 3339 (default: the first incident).', aliases: ['from'], deprecateAliases: true }),
    end: Flags.string({ description: 'End of the observation window, RFC 3339 (default: the latest timestamp in the data).', aliases: ['to'], deprecateAliases: true }),
  };

  async run(): Promise<RiskRegisterResult> {
    const f = this.flags;
    const estimator = parseEstimator(f.estimator);
    const objective = f.objective === undefined ? undefined : parseObjective(f.objective, '--objective');
    if (f.out !== undefined && !f.force && existsSync(f.out)) {
      throw new InputError(`--out ${f.out}: the file exists; not overwriting it`, { field: '--out', file: f.out, suggestions: ['pass --force to replace it', 'or choose another --out file'] });
    }
    const { incidents, sources, skipped } = loadIncidents(f.incidents, f);
    for (const s of skipped) this.warn(describeSkipped(s));
    const window =
      f.start === undefined && f.end === undefined
        ? undefined
        : {
            start: f.start === undefined ? Math.min(...incidents.map((i) => i.started)) : parseTime(f.start, '--start'),
            end: f.end === undefined ? (latestTimestamp(incidents) ?? 0) : parseTime(f.end, '--end'),
          };
    const derived = registerFromHistory(incidents, { estimator, source: f.incidents.join(', '), ...(window ? { window } : {}), ...(objective !== undefined ? { objective } : {}) });
    for (const w of derived.warnings) this.warn(w);
    if (f.out !== undefined) {
      try {
        writeFileAtomic(f.out, derived.yaml);
      } catch (error) {
        throw new InputError(`--out ${f.out}: cannot write it: ${(error as Error).message}`, { field: '--out', file: f.out, suggestions: ['choose a writable path'] });
      }
    }
    if (!this.jsonEnabled()) {
      if (f.out === undefined) process.stdout.write(derived.yaml);
      else this.log(`${renderDerived(derived.risks, this.style)}\n${this.style.green('wrote')} ${f.out}: ${derived.risks.length} risks (${estimator}); score it with relia risk score --register ${f.out}`);
    }
    const { register: _register, ...rest } = derived;
    return { ...rest, out: f.out ?? null, sources, skipped };
  }
}
