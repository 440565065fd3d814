/**
 * Traffic events (`--event premiere:2026-12-05T20:00:00Z/3h x3`): what each
 * risk is expected to cost during a high-traffic window, so the team knows
 * which risks to mitigate before it. Pure. The rule is in docs/risk.md#events.
 */
import { InputError } from '../errors.js';
import { parseDuration, parseTime, YEAR_SECONDS } from '../units.js';
import { badMinutesPerYear, checkObjective, effectiveParams, type Register } from './model.js';

export interface TrafficEvent {
  name: string;
  /** Start, epoch milliseconds. */
  start: number;
  durationSeconds: number;
  /** Traffic during the event ÷ baseline traffic (the `x3`); 1 when omitted. */
  multiplier: number;
}

const EVENT_RE = /^([A-Za-z0-9][\w.-]*):(\S+?)\/(\S+?)(?:\s+[xX×](\S+))?$/;
const EXAMPLE = 'premiere:2026-12-05T20:00:00Z/3h x3';

/** Parse `NAME:START/DURATION [xMULTIPLIER]`; errors name the flag (`--event` by default). */
export function parseTrafficEvent(text: string, field = '--event'): TrafficEvent {
  const input = String(text).trim();
  const bad = (what: string, extra: string[] = []): never => {
    throw new InputError(`${field}: ${what}`, { field, suggestions: [`write it like ${EXAMPLE} (NAME:START/DURATION xTRAFFIC_MULTIPLIER)`, ...extra] });
  };
  const m = EVENT_RE.exec(input);
  if (!m) return bad(`expected NAME:START/DURATION [xMULTIPLIER], got ${JSON.stringify(text)}`);
  const [, name, startText, durationText, multText] = m as unknown as [string, string, string, string, string | undefined];
  let start: number;
  try {
    // Stryker disable next-line StringLiteral: equivalent, the catch below replaces this message
    if (/^\d+(\.\d+)?$/.test(startText)) throw new Error('unix seconds are not accepted here');
    // Stryker disable next-line StringLiteral: equivalent, parseTime uses the field only in its error, which the catch replaces
    start = parseTime(startText, `${field} start`);
  } catch {
    return bad(`start: expected an RFC 3339 time such as 2026-12-05T20:00:00Z, got ${JSON.stringify(startText)}`);
  }
  let durationSeconds: number;
  try {
    // Stryker disable next-line StringLiteral: equivalent, parseDuration uses the field only in its error, which the catch replaces
    durationSeconds = parseDuration(durationText, `${field} duration`);
  } catch {
    return bad(`duration: expected a duration above zero such as 3h or 90m, got ${JSON.stringify(durationText)}`);
  }
  let multiplier = 1;
  if (multText !== undefined) {
    multiplier = /^\d+(\.\d+)?$/.test(multText) ? Number(multText) : Number.NaN;
    if (!(multiplier > 0 && Number.isFinite(multiplier))) {
      return bad(`multiplier: expected a traffic multiplier above zero such as x3 or x1.5, got ${JSON.stringify(`x${multText}`)}`);
    }
  }
  return { name, start, durationSeconds, multiplier };
}

export interface EventOptions {
  /** Use each risk's mitigated numbers for the ranking. */
  mitigated?: boolean;
  /** Users at baseline traffic; when given, results also come in user-minutes. */
  baselineUsers?: number;
  /** Objective (fraction) to show the window's own error budget. */
  objective?: number;
  /** Epoch ms, to report how far away the event is. */
  now?: number;
}

export interface EventRisk {
  rank: number;
  name: string;
  service: string;
  category: string;
  /** frequencyPerYear × window / year (= window / ETTF). */
  expectedOccurrences: number;
  /** 1 − e^(−expectedOccurrences): chance of at least one occurrence (Poisson). */
  probabilityAtLeastOne: number;
  /** badMinutesPerYear × window / year: expected bad minutes inside the window. */
  expectedBadMinutes: number;
  /** expectedBadMinutes × multiplier: in baseline-user-minutes. */
  expectedBaselineUserMinutes: number;
  /** expectedBaselineUserMinutes × baselineUsers (when baselineUsers is given). */
  expectedUserMinutes?: number;
  /** If it happens at the start of the window: min(ETTD + ETTR, window) × impact × multiplier. */
  costIfOccursBaselineUserMinutes: number;
  /** How many expected baseline-user-minutes the risk's mitigations save in the window (risks with mitigations). */
  mitigationSavesBaselineUserMinutes?: number;
}

export interface EventResult {
  event: { name: string; start: string; end: string; durationMinutes: number; multiplier: number; startsInDays?: number };
  basis: 'unmitigated' | 'mitigated';
  baselineUsers?: number;
  /** (1 − objective) × window minutes, when an objective is given. */
  windowBudgetMinutes?: number;
  totalExpectedBadMinutes: number;
  totalExpectedBaselineUserMinutes: number;
  totalExpectedUserMinutes?: number;
  /** Chance that at least one of the risks happens in the window. */
  probabilityAnyOccurrence: number;
  /** Ranked: most expected baseline-user-minutes first (mitigate these first). */
  risks: EventRisk[];
}

/** Expected cost of every risk during one traffic event. */
export function scoreEvent(register: Register, event: TrafficEvent, options: EventOptions = {}): EventResult {
  if (options.baselineUsers !== undefined && !(options.baselineUsers > 0 && Number.isFinite(options.baselineUsers))) {
    throw new InputError(`baselineUsers: expected a number of users above zero, got ${JSON.stringify(options.baselineUsers)}`, {
      field: 'baselineUsers',
      suggestions: ['pass the number of concurrent users at normal traffic, e.g. 200000'],
    });
  }
  const mitigated = options.mitigated === true;
  const windowMinutes = event.durationSeconds / 60;
  const yearFraction = event.durationSeconds / YEAR_SECONDS;
  const rows = register.risks.map((risk) => {
    const p = effectiveParams(risk, mitigated);
    const expectedOccurrences = p.frequencyPerYear * yearFraction;
    const expectedBadMinutes = badMinutesPerYear(p) * yearFraction;
    const row: Omit<EventRisk, 'rank'> = {
      name: risk.name,
      service: risk.service,
      category: risk.category,
      expectedOccurrences,
      probabilityAtLeastOne: -Math.expm1(-expectedOccurrences),
      expectedBadMinutes,
      expectedBaselineUserMinutes: expectedBadMinutes * event.multiplier,
      costIfOccursBaselineUserMinutes: Math.min(p.ettdMinutes + p.ettrMinutes, windowMinutes) * p.impact * event.multiplier,
    };
    if (options.baselineUsers !== undefined) row.expectedUserMinutes = row.expectedBaselineUserMinutes * options.baselineUsers;
    if (risk.mitigations.length > 0) {
      const before = badMinutesPerYear(effectiveParams(risk, false));
      const after = badMinutesPerYear(effectiveParams(risk, true));
      row.mitigationSavesBaselineUserMinutes = Math.max(0, before - after) * yearFraction * event.multiplier;
    }
    return row;
  });
  rows.sort(
    (a, b) =>
      b.expectedBaselineUserMinutes - a.expectedBaselineUserMinutes ||
      b.costIfOccursBaselineUserMinutes - a.costIfOccursBaselineUserMinutes ||
      // Stryker disable next-line EqualityOperator: `<=` is equivalent, risk names are unique in a register (parseRegister refuses duplicates)
      (a.name < b.name
        ? -1
        : // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, V8's sort only asks whether the result is below 0 (1 and 0 sort alike), and names are unique
          a.name > b.name
          ? 1
          : 0),
  );
  const sum = (f: (r: Omit<EventRisk, 'rank'>) => number) => rows.reduce((s, r) => s + f(r), 0);
  const result: EventResult = {
    event: {
      name: event.name,
      start: new Date(event.start).toISOString(),
      end: new Date(event.start + event.durationSeconds * 1000).toISOString(),
      durationMinutes: windowMinutes,
      multiplier: event.multiplier,
    },
    basis: mitigated ? 'mitigated' : 'unmitigated',
    totalExpectedBadMinutes: sum((r) => r.expectedBadMinutes),
    totalExpectedBaselineUserMinutes: sum((r) => r.expectedBaselineUserMinutes),
    probabilityAnyOccurrence: -Math.expm1(-sum((r) => r.expectedOccurrences)),
    risks: rows.map((r, i) => ({ rank: i + 1, ...r })),
  };
  if (options.now !== undefined) result.event.startsInDays = (event.start - options.now) / 86_400_000;
  if (options.objective !== undefined) result.windowBudgetMinutes = (1 - checkObjective(options.objective)) * windowMinutes;
  if (options.baselineUsers !== undefined) {
    result.baselineUsers = options.baselineUsers;
    result.totalExpectedUserMinutes = result.totalExpectedBaselineUserMinutes * options.baselineUsers;
  }
  return result;
}
