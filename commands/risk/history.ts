import { Flags } from '@oclif/core';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { describeSkipped, incidentFlags, loadIncidents, parseAsOf, type IncidentSource, type SkippedIncident } from '../../src/cli/risk/inputs.js';
import { renderHistory } from '../../src/cli/risk/render.js';
import { InputError } from '../../src/core/errors.js';
import { analyzeHistory, latestTimestamp, type HistoryResult } from '../../src/core/risk/index.js';

export interface RiskHistoryResult extends HistoryResult {
  /** The incident files read, with the column each field came from. */
  sources: IncidentSource[];
  /** Rows left out by --skip-invalid, each with its first problem (empty without it: a bad row is exit 2). */
  skipped: SkippedIncident[];
}

export default class RiskHistory extends ReliaCommand<typeof RiskHistory> {
  static override summary = 'MTTD, MTTR, detect→resolve and MTBF per service and category from incident history, with a monthly trend.';
  static override description =
    'Means with the median and p90. MTTD is started→detected, MTTR started→resolved (detected→resolved shown too), MTBF the mean interval between starts. Open incidents count in N and MTTD and are left out of MTTR; overlapping incidents are kept separate and counted. Trend: Mann-Kendall on the monthly series, with Sen\'s slope; sparklines on a TTY. Exit 0, 2 bad input. docs/risk.md#history.';
  static override examples = [
    '<%= config.bin %> risk history --incidents docs/examples/risk/incidents.csv',
    '<%= config.bin %> risk history -i docs/examples/risk/incidents.csv -i docs/examples/risk/incidents-pagerduty.csv --map severity=urgency,started=created_at,detected=acknowledged_at,resolved=resolved_at',
    '<%= config.bin %> risk history -i export.csv --skip-invalid --monthly --json',
  ];
  static override flags = {
    ...incidentFlags,
    at: Flags.string({ description: 'Measure open incidents up to this time, RFC 3339 (default: now). Pin it for reports that must not change with the day.', aliases: ['as-of'], deprecateAliases: true }),
    alpha: Flags.string({ description: 'Significance level of the trend test.', default: '0.05' }),
    monthly: Flags.boolean({ description: 'Also print the month-by-month table.' }),
  };

  async run(): Promise<RiskHistoryResult> {
    const f = this.flags;
    const alpha = Number(f.alpha);
    if (!(alpha > 0 && alpha < 1)) throw new InputError(`--alpha: expected a significance level between 0 and 1, got ${JSON.stringify(f.alpha)}`, { field: '--alpha', suggestions: ['--alpha 0.05'] });
    const asOf = parseAsOf(f.at, this.clock.now());
    const { incidents, sources, skipped } = loadIncidents(f.incidents, f);
    for (const s of skipped) this.warn(describeSkipped(s));
    const history = analyzeHistory(incidents, { alpha, now: asOf });
    const latest = latestTimestamp(incidents);
    if (latest !== null && latest > asOf) this.warn(`--at ${new Date(asOf).toISOString()} is before the latest time in the data (${new Date(latest).toISOString()}); open incidents are measured to --at`);
    if (incidents.length === 0) this.warn('no incidents to analyse');
    if (!this.jsonEnabled()) {
      for (const s of sources) {
        const renamed = Object.entries(s.columns).filter(([field, column]) => column !== null && column.toLowerCase() !== field);
        if (renamed.length > 0) this.log(this.style.dim(`${s.file}: ${renamed.map(([field, column]) => `${field} ← ${column}`).join(', ')}`));
      }
      this.log(renderHistory(history, this.style, { sparklines: process.stdout.isTTY === true, monthly: f.monthly }));
    }
    return { ...history, sources, skipped };
  }
}
