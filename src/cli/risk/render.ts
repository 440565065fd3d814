/**
 * Human output of `relia risk`: plain tables (src/cli/style.ts), colour only
 * where the style allows it, sparklines only when the caller says stdout is a
 * TTY. Pure string building; the commands print the result. docs/risk.md.
 */
import { humanDuration } from '../../core/units.js';
import {
  monthlySparklines,
  TREND_METRICS,
  type DerivedRisk,
  type EventResult,
  type FmeaResult,
  type HistoryGroup,
  type HistoryResult,
  type RiskScore,
  type ScoreResult,
  type SimulateResult,
  type TrendMetric,
} from '../../core/risk/index.js';
import { sparkline } from '../../core/sparkline.js';
import { pct, renderPairs, renderTable, sig, type Column, type Style } from '../style.js';

/** Minutes to one decimal (bad minutes), `–` for null. */
export function minutes(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** Large amounts with thousands separators (12,300), small ones to 3 significant digits. */
export function amount(x: number): string {
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : sig(x, 3);
}

const shortIso = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

const triple = (mean: number | null, median: number | null, p90: number | null, digits = 1) =>
  mean === null ? '–' : `${minutes(mean, digits)} / ${minutes(median, digits)} / ${minutes(p90, digits)}`;

type ScoreRow = RiskScore | { line: string };

/** The CRE table with the acceptable line drawn in it, and the budget lines under it. */
export function renderScore(r: ScoreResult & { objectiveSource: string }, style: Style, options: { table: boolean } = { table: true }): string {
  const mitigated = r.basis === 'mitigated';
  const rows: ScoreRow[] = [];
  const lineAt = r.risks.length - r.acceptableCount;
  r.risks.forEach((risk, i) => {
    if (i === lineAt && lineAt > 0) rows.push({ line: '── acceptable line ──' });
    rows.push(risk);
  });
  const cell = (f: (x: RiskScore) => string | number) => (row: ScoreRow) => ('line' in row ? '' : f(row));
  const columns: Array<Column<ScoreRow>> = [
    { header: '#', value: cell((x) => x.rank), align: 'right' },
    { header: 'RISK', value: (row) => ('line' in row ? style.dim(row.line) : row.name) },
    { header: 'SERVICE', value: cell((x) => x.service) },
    { header: 'CATEGORY', value: cell((x) => x.category) },
    { header: 'MIN/OCC', value: cell((x) => minutes(x.perOccurrenceMinutes)), align: 'right' },
    { header: 'PER YEAR', value: cell((x) => x.frequencyPerYear.toFixed(2)), align: 'right' },
    { header: 'BAD MIN/Y', value: cell((x) => minutes(x.badMinutesPerYear)), align: 'right' },
    { header: 'SHARE', value: cell((x) => pct(x.budgetShare, 1)), align: 'right' },
  ];
  if (mitigated) {
    columns.push(
      { header: 'MITIGATED', value: cell((x) => minutes(x.mitigated?.badMinutesPerYear)), align: 'right' },
      { header: 'SAVED', value: cell((x) => minutes(x.mitigated?.savedMinutesPerYear)), align: 'right' },
    );
  }
  columns.push(
    { header: 'CUMULATIVE', value: cell((x) => minutes(x.cumulativeBadMinutesPerYear)), align: 'right' },
    { header: 'FLAGS', value: cell((x) => flags(x, mitigated, style)) },
  );
  if (!options.table) return [budgetHeader(r, style), ...budgetLines(r, style)].join('\n');
  const out = [budgetHeader(r, style), '', renderTable(columns, rows, style), '', ...budgetLines(r, style)];
  if (mitigated) out.push('', mitigationTable(r, style));
  return out.join('\n');
}

function flags(x: RiskScore, mitigated: boolean, style: Style): string {
  const out: string[] = [];
  if (mitigated ? x.mitigated?.untenable : x.untenable) out.push(style.red('untenable'));
  else if (x.untenable) out.push('untenable until mitigated');
  if (x.inOverBudgetSet) out.push(style.yellow('over-budget set'));
  return out.join(', ');
}

function budgetHeader(r: ScoreResult & { objectiveSource: string }, style: Style): string {
  const total = r.basis === 'mitigated' ? (r.mitigatedTotalBadMinutesPerYear ?? 0) : r.totalBadMinutesPerYear;
  const verdict = r.overBudget ? style.red('over budget') : style.green('fits the budget');
  const pairs: Array<[string, string]> = [
    ['budget', `${minutes(r.budgetMinutesPerYear, 2)} min/year (objective ${sig(r.objective * 100, 6)}% from ${r.objectiveSource})`],
    [r.basis === 'mitigated' ? 'total (mitigated)' : 'total', `${minutes(total)} bad min/year = ${pct(r.totalBudgetShare, 1)} of the budget: ${verdict}`],
  ];
  if (r.basis === 'mitigated') pairs.push(['total (as is)', `${minutes(r.totalBadMinutesPerYear)} bad min/year`]);
  return renderPairs(pairs, style);
}

/** Untenable risks, the over-budget set and the acceptable line, in words. */
export function budgetLines(r: ScoreResult, style: Style): string[] {
  const mitigated = r.basis === 'mitigated';
  const lines: string[] = [];
  for (const x of r.risks) {
    const per = mitigated ? (x.mitigated?.perOccurrenceMinutes ?? 0) : x.perOccurrenceMinutes;
    if (mitigated ? x.mitigated?.untenable : x.untenable) {
      lines.push(`${style.red('untenable')}: ${x.name} costs ${minutes(per)} bad minutes in ONE occurrence, more than the whole yearly budget (${minutes(r.budgetMinutesPerYear, 2)} min); the objective cannot hold while it stands.`);
    }
  }
  if (r.overBudgetSet.length > 0) {
    lines.push(`over-budget set: the top ${r.overBudgetSet.length} together exceed the budget: ${r.overBudgetSet.join(', ')}.`);
  } else lines.push(`${style.green('within budget')}: all ${r.risks.length} risks together fit in the yearly budget.`);
  const above = r.risks.length - r.acceptableCount;
  if (above > 0) {
    const below = r.risks.slice(above).reduce((s, x) => s + (mitigated ? (x.mitigated?.badMinutesPerYear ?? 0) : x.badMinutesPerYear), 0);
    lines.push(
      `acceptable line: below rank ${above}, the ${r.acceptableCount} remaining risk${r.acceptableCount === 1 ? '' : 's'} fit the budget together (${minutes(below)} min/year); mitigate the ${above} above it (${r.risks
        .slice(0, above)
        .map((x) => x.name)
        .join(', ')}) or revisit the objective.`,
    );
  }
  return lines;
}

function mitigationTable(r: ScoreResult, style: Style): string {
  const rows = r.risks.flatMap((x) => (x.mitigated?.mitigations ?? []).map((m) => ({ risk: x.name, ...m })));
  if (rows.length === 0) return style.dim('no mitigations in the register');
  return renderTable(
    [
      { header: 'RISK', value: (m) => m.risk },
      { header: 'MITIGATION', value: (m) => m.name },
      { header: 'SAVES MIN/Y', value: (m) => minutes(m.savedMinutesPerYear), align: 'right' },
      { header: 'ALONE', value: (m) => minutes(m.savedAloneMinutesPerYear), align: 'right' },
    ],
    rows,
    style,
  );
}

/** The FMEA ranking (RPN or Action Priority). */
export function renderFmea(f: FmeaResult, style: Style): string {
  const ap = (x: string) => (x === 'H' ? style.red(x) : x === 'M' ? style.yellow(x) : x);
  type Row = FmeaResult['risks'][number];
  const columns: Array<Column<Row>> = [
    { header: '#', value: (x) => x.rank, align: 'right' },
    { header: 'RISK', value: (x) => x.name },
    { header: 'S', value: (x) => x.severity, align: 'right' },
    { header: 'O', value: (x) => x.occurrence, align: 'right' },
    { header: 'D', value: (x) => x.detection, align: 'right' },
    { header: 'RPN', value: (x) => x.rpn, align: 'right' },
    { header: 'AP', value: (x) => ap(x.actionPriority) },
  ];
  if (f.basis === 'mitigated') {
    columns.push(
      { header: 'MITIGATED S/O/D', value: (x) => (x.mitigated ? `${x.mitigated.severity}/${x.mitigated.occurrence}/${x.mitigated.detection}` : '') },
      { header: 'RPN', value: (x) => x.mitigated?.rpn ?? '', align: 'right' },
      { header: 'AP', value: (x) => ap(x.mitigated?.actionPriority ?? '') },
    );
  }
  const c = f.actionPriorityCounts;
  const by = f.method === 'rpn' ? 'RPN = S × O × D' : 'Action Priority (severity first)';
  return `${renderTable(columns, f.risks, style)}\n${style.dim(`ranked by ${by}${f.basis === 'mitigated' ? ', mitigated' : ''} · AP H ${c.H}, M ${c.M}, L ${c.L} · rating tables: docs/risk.md#fmea`)}`;
}

/** One traffic event: the window's expected cost and the risks to mitigate before it. */
export function renderEvent(e: EventResult, style: Style): string {
  const users = e.baselineUsers !== undefined;
  const when = e.event.startsInDays === undefined ? '' : e.event.startsInDays >= 0 ? `, in ${sig(e.event.startsInDays, 3)} days` : `, ${sig(-e.event.startsInDays, 3)} days ago`;
  const head = `${style.bold(`event ${e.event.name}`)}: ${shortIso(e.event.start)} → ${shortIso(e.event.end)} (${humanDuration(e.event.durationMinutes * 60)} at ×${sig(e.event.multiplier, 4)} traffic${when})`;
  const pairs: Array<[string, string]> = [
    ['P(any risk occurs)', pct(e.probabilityAnyOccurrence, 2)],
    ['expected bad minutes', sig(e.totalExpectedBadMinutes, 3)],
    [
      'at risk',
      users
        ? `${amount(e.totalExpectedUserMinutes ?? 0)} user-minutes expected (${sig(e.totalExpectedBaselineUserMinutes, 3)} baseline-user-minutes × ${amount(e.baselineUsers ?? 0)} users)`
        : `${sig(e.totalExpectedBaselineUserMinutes, 3)} baseline-user-minutes expected (× traffic; pass --users N for user-minutes)`,
    ],
  ];
  if (e.windowBudgetMinutes !== undefined) pairs.push(['window budget', `${sig(e.windowBudgetMinutes, 3)} min`]);
  type Row = EventResult['risks'][number];
  const table = renderTable<Row>(
    [
      { header: '#', value: (x) => x.rank, align: 'right' },
      { header: 'RISK', value: (x) => x.name },
      { header: 'P(≥1)', value: (x) => pct(x.probabilityAtLeastOne, 3), align: 'right' },
      { header: 'EXP. BAD MIN', value: (x) => sig(x.expectedBadMinutes, 3), align: 'right' },
      { header: users ? 'EXP. USER-MIN' : 'EXP. BASE USER-MIN', value: (x) => amount(x.expectedUserMinutes ?? x.expectedBaselineUserMinutes), align: 'right' },
      { header: 'IF IT HAPPENS', value: (x) => amount(x.costIfOccursBaselineUserMinutes * (e.baselineUsers ?? 1)), align: 'right' },
      { header: 'MITIGATIONS SAVE', value: (x) => (x.mitigationSavesBaselineUserMinutes === undefined ? '–' : amount(x.mitigationSavesBaselineUserMinutes * (e.baselineUsers ?? 1))), align: 'right' },
    ],
    e.risks,
    style,
  );
  const total = e.totalExpectedBaselineUserMinutes;
  const first: string[] = [];
  let covered = 0;
  for (const x of e.risks) {
    if (first.length > 0 && covered >= 0.5 * total) break;
    first.push(x.name);
    covered += x.expectedBaselineUserMinutes;
  }
  const share = pct(total > 0 ? covered / total : 0, 0);
  const advice =
    e.basis === 'mitigated'
      ? `largest remaining risks in ${e.event.name} with the mitigations in place: ${first.join(', ')} (${share} of the expected cost)`
      : `mitigate before ${e.event.name}, in this order: ${first.join(', ')} (${share} of the expected cost in the window)`;
  return [head, renderPairs(pairs, style), table, advice].join('\n');
}

const METRIC_LABEL: Record<TrendMetric, string> = {
  count: 'incidents',
  mttdMinutes: 'MTTD (min)',
  mttrMinutes: 'MTTR (min)',
  detectToResolveMinutes: 'detect→resolve (min)',
  mtbfDays: 'MTBF (days)',
};

/** Per-group statistics, the monthly trend, open and overlapping incidents. */
export function renderHistory(h: HistoryResult, style: Style, options: { sparklines: boolean; monthly: boolean }): string {
  const rows: HistoryGroup[] = [...h.groups, { ...h.overall, service: 'all', category: 'all' }];
  const table = renderTable<HistoryGroup>(
    [
      { header: 'SERVICE', value: (g) => (g.service === 'all' ? style.bold('all') : g.service) },
      { header: 'CATEGORY', value: (g) => g.category },
      { header: 'N', value: (g) => g.count, align: 'right' },
      { header: 'OPEN', value: (g) => g.open, align: 'right' },
      { header: 'MTTD min', value: (g) => triple(g.mttdMinutes, g.mttdMedianMinutes, g.mttdP90Minutes), align: 'right' },
      { header: 'MTTR min', value: (g) => triple(g.mttrMinutes, g.mttrMedianMinutes, g.mttrP90Minutes), align: 'right' },
      { header: 'DETECT→RESOLVE', value: (g) => triple(g.detectToResolveMinutes, g.detectToResolveMedianMinutes, g.detectToResolveP90Minutes), align: 'right' },
      { header: 'MTBF days', value: (g) => triple(g.mtbfDays, g.mtbfMedianDays, g.mtbfP90Days), align: 'right' },
      { header: 'OVERLAPS', value: (g) => g.overlapCount, align: 'right' },
    ],
    rows,
    style,
  );
  const out = [
    `${h.count} incidents (${h.open} open), started ${h.from ? shortIso(h.from) : '–'} .. ${h.to ? shortIso(h.to) : '–'}; open ones measured to ${h.asOf ? shortIso(h.asOf) : '–'}`,
    '',
    table,
    style.dim('mean / median / p90 · MTTD started→detected · MTTR started→resolved · MTBF between starts (docs/risk.md#history)'),
  ];
  if (h.months.length > 0) {
    const spark = monthlySparklines(h.monthly);
    const columns: Array<Column<TrendMetric>> = [
      { header: 'METRIC', value: (m) => METRIC_LABEL[m] },
      { header: 'TREND', value: (m) => style.verdict(h.overall.trend[m].direction) },
      { header: 'p', value: (m) => sig(h.overall.trend[m].pValue, 2), align: 'right' },
      { header: 'SLOPE/MONTH', value: (m) => (h.overall.trend[m].senSlopePerMonth === null ? '–' : sig(h.overall.trend[m].senSlopePerMonth as number, 3)), align: 'right' },
    ];
    if (options.sparklines) columns.push({ header: `${h.months[0]} .. ${h.months[h.months.length - 1]}`, value: (m) => spark[m] });
    out.push('', `monthly trend (Mann-Kendall, α = ${h.alpha}):`, renderTable(columns, [...TREND_METRICS], style));
    if (options.monthly) {
      out.push(
        '',
        renderTable(
          [
            { header: 'MONTH', value: (p) => p.month },
            { header: 'N', value: (p) => p.count, align: 'right' },
            { header: 'MTTD', value: (p) => minutes(p.mttdMinutes), align: 'right' },
            { header: 'MTTR', value: (p) => minutes(p.mttrMinutes), align: 'right' },
            { header: 'DETECT→RESOLVE', value: (p) => minutes(p.detectToResolveMinutes), align: 'right' },
            { header: 'MTBF days', value: (p) => minutes(p.mtbfDays), align: 'right' },
          ],
          h.monthly,
          style,
        ),
      );
    }
  }
  if (h.openIncidents.length > 0) {
    out.push('', `${style.yellow('open')}: ${h.open} incident${h.open === 1 ? '' : 's'}, counted in N and MTTD, left out of MTTR:`);
    out.push(
      renderTable(
        [
          { header: 'ID', value: (i) => i.id },
          { header: 'SERVICE', value: (i) => i.service },
          { header: 'CATEGORY', value: (i) => i.category },
          { header: 'STARTED', value: (i) => shortIso(i.started) },
          { header: 'OPEN FOR', value: (i) => humanDuration(i.openMinutes * 60), align: 'right' },
        ],
        h.openIncidents,
        style,
      ),
    );
  }
  const inGroups = h.groups.reduce((n, g) => n + g.overlapCount, 0);
  if (h.overall.overlapCount > 0) {
    out.push(
      '',
      `overlaps: ${inGroups} incident${inGroups === 1 ? '' : 's'} started while an earlier one of the same service and category was still open (${h.overall.overlapCount} counting across services). They stay separate incidents: MTBF uses their starts, MTTR their own times; mergedOutageMinutes in --json counts overlapping time once.`,
    );
  }
  return out.join('\n');
}

/** The derived register, as a table (the YAML goes to the file or stdout). */
export function renderDerived(risks: readonly DerivedRisk[], style: Style): string {
  return renderTable<DerivedRisk>(
    [
      { header: 'RISK', value: (d) => d.name },
      { header: 'INCIDENTS', value: (d) => `${d.incidents}${d.open > 0 ? ` (${d.open} open)` : ''}`, align: 'right' },
      { header: 'ETTD', value: (d) => humanDuration(d.ettdMinutes * 60), align: 'right' },
      { header: 'ETTR', value: (d) => humanDuration(d.ettrMinutes * 60), align: 'right' },
      { header: 'IMPACT', value: (d) => sig(d.impact, 3), align: 'right' },
      { header: 'ETTF', value: (d) => `${d.ettfDays}d`, align: 'right' },
      { header: 'BAD MIN/Y', value: (d) => minutes((d.ettdMinutes + d.ettrMinutes) * d.impact * d.frequencyPerYear), align: 'right' },
    ],
    risks,
    style,
  );
}

/** The simulated distribution of yearly bad minutes. */
export function renderSimulation(s: SimulateResult, style: Style, options: { sparklines: boolean }): string {
  const b = s.badMinutesPerYear;
  const model = s.durationModel === 'lognormal' ? `lognormal, σ ${s.sigma}, ETTD + ETTR = the ${s.anchor}` : s.durationModel === 'exponential' ? `exponential, ETTD + ETTR = the ${s.anchor}` : 'fixed (ETTD + ETTR)';
  const pairs: Array<[string, string]> = [
    ['simulated years', `${s.iterations} (seed ${s.seed}; same seed, same numbers)`],
    ['durations', model],
    ['budget', `${minutes(s.budgetMinutesPerYear, 2)} min/year (objective ${sig(s.objective * 100, 6)}%)`],
    ['bad min/year', `p50 ${minutes(b.p50)} · p90 ${minutes(b.p90)} · p99 ${minutes(b.p99)} · max ${minutes(b.max)}`],
    ['mean', `${minutes(b.mean)} ± ${minutes(b.standardError, 2)} (analytic ${minutes(s.expectedBadMinutesPerYear)}; CRE point estimate ${minutes(s.creBadMinutesPerYear)})`],
    ['P(exhaust budget)', `${pct(s.pBudgetExhausted, 1)} of years ${s.pBudgetExhausted >= 0.5 ? style.red('(more likely than not)') : ''}`.trimEnd()],
  ];
  if (options.sparklines) pairs.push(['distribution', `0 ${sparkline(s.histogram.counts, { min: 0 })} ${minutes(b.max, 0)} min`]);
  const risks = [...s.risks].sort((x, y) => y.meanMinutesPerYear - x.meanMinutesPerYear || (x.name < y.name ? -1 : 1));
  const table = renderTable<SimulateResult['risks'][number]>(
    [
      { header: 'RISK', value: (r) => r.name },
      { header: 'MEAN MIN/Y', value: (r) => minutes(r.meanMinutesPerYear), align: 'right' },
      { header: 'ANALYTIC', value: (r) => minutes(r.expectedMinutesPerYear), align: 'right' },
      { header: 'SHARE', value: (r) => pct(r.shareOfBadMinutes, 1), align: 'right' },
      { header: 'P(≥1 A YEAR)', value: (r) => pct(r.pAtLeastOne, 1), align: 'right' },
    ],
    risks,
    style,
  );
  return `${renderPairs(pairs, style)}\n\n${table}`;
}
