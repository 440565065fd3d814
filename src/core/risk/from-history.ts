/**
 * `relia risk register --incidents F --estimator median|mean|p90`: a starter
 * risk register, one risk per (service, category), estimated from the incident
 * history, rendered as YAML that parseRegister reads back. Pure.
 * docs/risk.md#register-from-history has the estimators.
 */
import { InputError } from '../errors.js';
import { groupByServiceCategory, latestTimestamp } from './history.js';
import type { Incident } from './incidents.js';
import { YEAR_DAYS, type Register, type Risk } from './model.js';
import { renderRegisterYaml } from './register.js';
import { mean, median, quantile } from './stats.js';

export type Estimator = 'median' | 'mean' | 'p90';
export const ESTIMATORS: readonly Estimator[] = ['median', 'mean', 'p90'];

/** Check an `--estimator` value. */
export function parseEstimator(text: string, field = '--estimator'): Estimator {
  const value = String(text).trim().toLowerCase();
  if ((ESTIMATORS as readonly string[]).includes(value)) return value as Estimator;
  throw new InputError(`${field}: expected one of ${ESTIMATORS.join(', ')}, got ${JSON.stringify(text)}`, {
    field,
    suggestions: ['median is robust to one very long incident; p90 is the cautious choice; mean matches the CRE expectation'],
  });
}

/** Apply an estimator to a list (NaN when empty). */
export function estimate(values: readonly number[], estimator: Estimator): number {
  const v = estimator === 'mean' ? mean(values) : estimator === 'median' ? median(values) : quantile(values, 0.9);
  return v ?? Number.NaN;
}

export interface RegisterFromHistoryOptions {
  estimator: Estimator;
  /** Observation window, epoch ms. Default: the first start to the latest timestamp in the data. */
  window?: { start: number; end: number };
  /** File name, for the header comment. */
  source?: string;
  /** Objective (fraction) to write into the register. */
  objective?: number;
}

export interface DerivedRisk {
  name: string;
  service: string;
  category: string;
  incidents: number;
  open: number;
  ettdMinutes: number;
  ettrMinutes: number;
  impact: number;
  frequencyPerYear: number;
  ettfDays: number;
  /** How the numbers were obtained, e.g. a fallback for ETTR. */
  notes: string[];
}

export interface RegisterFromHistoryResult {
  estimator: Estimator;
  window: { start: string; end: string; days: number };
  risks: DerivedRisk[];
  warnings: string[];
  register: Register;
  /** The register as YAML (parseRegister reads it back). */
  yaml: string;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Round to whole minutes from 1 minute up, to whole seconds below (values in minutes). */
export function roundMinutes(minutes: number): number {
  // Stryker disable next-line EqualityOperator: `>` is equivalent, exactly 1 minute rounds to 1 either way
  return minutes >= 1 ? Math.round(minutes) : Math.round(minutes * 60) / 60;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

/** Derive a starter register from incidents: one risk per (service, category). */
export function registerFromHistory(incidents: readonly Incident[], options: RegisterFromHistoryOptions): RegisterFromHistoryResult {
  const estimator = parseEstimator(options.estimator, 'estimator');
  if (incidents.length === 0) {
    throw new InputError('no incidents to derive a register from', { suggestions: ['check the file, --map and --skip-invalid output'] });
  }
  const starts = incidents.map((i) => i.started);
  const window = options.window ?? { start: Math.min(...starts), end: latestTimestamp(incidents) as number };
  const windowDays = (window.end - window.start) / DAY_MS;
  if (!(windowDays > 0)) {
    throw new InputError('the observation window is empty: the incidents span no time', {
      field: 'window',
      suggestions: ['pass a window (start and end) that covers the period the incidents were collected over'],
    });
  }
  const allResolved = incidents.filter((i) => i.resolved !== null) as Array<Incident & { resolved: number }>;
  if (allResolved.length === 0) {
    throw new InputError('no resolved incidents: cannot estimate ETTR', { suggestions: ['include resolved incidents (a resolved time) in the history'] });
  }
  const dtr = (list: ReadonlyArray<Incident & { resolved: number }>) => list.map((i) => (i.resolved - i.detected) / MINUTE_MS);

  const warnings: string[] = [];
  const usedNames = new Set<string>();
  const derived = groupByServiceCategory(incidents).map(({ service, category, incidents: list }): DerivedRisk => {
    let name = `${slug(service)}-${slug(category)}`;
    for (let n = 2; usedNames.has(name); n++) name = `${slug(service)}-${slug(category)}-${n}`;
    usedNames.add(name);
    const notes: string[] = [];
    const resolved = list.filter((i) => i.resolved !== null) as Array<Incident & { resolved: number }>;
    let ettr: number;
    if (resolved.length > 0) ettr = estimate(dtr(resolved), estimator);
    else {
      ettr = estimate(dtr(allResolved), estimator);
      notes.push(`no resolved incident in this group: ETTR is the ${estimator} over all ${allResolved.length} resolved incidents`);
      warnings.push(`${name}: all ${list.length} incident(s) are open; ETTR comes from every resolved incident instead`);
    }
    const ettfDays = Math.max(1, Math.round(windowDays / list.length));
    return {
      name,
      service,
      category,
      incidents: list.length,
      open: list.length - resolved.length,
      ettdMinutes: roundMinutes(estimate(list.map((i) => (i.detected - i.started) / MINUTE_MS), estimator)),
      ettrMinutes: roundMinutes(ettr),
      impact: Math.round(estimate(list.map((i) => i.impact), estimator) * 1000) / 1000,
      frequencyPerYear: YEAR_DAYS / ettfDays,
      ettfDays,
      notes,
    };
  });
  const register: Register = {
    risks: derived.map(
      (d): Risk => ({
        name: d.name,
        service: d.service,
        category: d.category,
        ettdMinutes: d.ettdMinutes,
        ettrMinutes: d.ettrMinutes,
        impact: d.impact,
        frequencyPerYear: d.frequencyPerYear,
        mitigations: [],
      }),
    ),
  };
  if (options.objective !== undefined) register.objective = options.objective;
  const startIso = new Date(window.start).toISOString();
  const endIso = new Date(window.end).toISOString();
  const header = [
    `Starter risk register generated by \`relia risk register\`${options.source ? ` from ${options.source}` : ''}.`,
    `${incidents.length} incidents, ${startIso} .. ${endIso} (${windowDays.toFixed(1)} days); estimator: ${estimator}.`,
    `ettd = ${estimator} of detected - started; ettr = ${estimator} of resolved - detected (resolved incidents);`,
    `impact = ${estimator} of impact; ettf = window / number of incidents, in whole days.`,
    'Review it: rename and split risks, add ones that have not happened yet, add mitigations. See docs/risk.md.',
  ];
  const riskComments: Record<string, string> = {};
  for (const d of derived) {
    const notes = d.notes.reduce((text, note) => `${text}; ${note}`, '');
    riskComments[d.name] = `${d.incidents} incident${d.incidents === 1 ? '' : 's'}${d.open > 0 ? ` (${d.open} open)` : ''}${notes}`;
  }
  return {
    estimator,
    window: { start: startIso, end: endIso, days: windowDays },
    risks: derived,
    warnings,
    register,
    yaml: renderRegisterYaml(register, { header, riskComments }),
  };
}
