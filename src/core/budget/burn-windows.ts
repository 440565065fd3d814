/**
 * The windows and burn factors of multiwindow, multi-burn-rate alerts for any
 * SLO period (docs/budget-specs.md#burn-rate-windows-for-any-period). Pure.
 *
 * Two schemes:
 *
 * - `sloth` (default): the SRE Workbook's conditions (2 % of the budget in
 *   1h, 5 % in 6h for pages; 10 % in 1d and 10 % in 3d for tickets) with the
 *   factor scaled to the period, factor = budget fraction × period / long
 *   window, exactly as Sloth computes it (14.4/6/3/1 at 30d). Where those
 *   fixed windows would give a factor below 1 (the 3d ticket at 28d, the
 *   tickets at 7d, everything at 1d), the condition's windows are scaled with
 *   the period instead (long = window × period / 30d, as Pyrra scales them),
 *   which keeps the Workbook's 30d factor and the same budget fraction.
 * - `pyrra`: Pyrra's four windows, scaled from its 28d table (1h/5m 14×,
 *   6h/30m 7×, 1d/2h 2×, 4d/6h 1×) to the period, with its `for:` durations,
 *   every duration rounded to the minute as Pyrra does.
 *
 * Either way no condition ever alerts at a burn below 1: a steady burn below
 * 1 spends less than the whole budget in the period, so the SLO is met.
 */

export type Tier = 'page' | 'ticket';
export type BurnScheme = 'sloth' | 'pyrra';
export const BURN_SCHEMES: readonly BurnScheme[] = ['sloth', 'pyrra'];

/** One multiwindow condition: both windows' burn above `factor`. */
export interface BurnWindow {
  tier: Tier;
  /** The condition's role in its scheme: `page-quick`, `page-slow`, `ticket-quick`, `ticket-slow`. */
  role: 'page-quick' | 'page-slow' | 'ticket-quick' | 'ticket-slow';
  longSeconds: number;
  shortSeconds: number;
  /** Burn-rate factor both windows must exceed (always ≥ 1). */
  factor: number;
  /** Share of the whole budget spent over the long window at exactly this burn: factor × long / period. */
  budgetFraction: number;
  /** Prometheus `for:` of the alert, seconds (0: none). */
  forSeconds: number;
  /** True when the windows were scaled with the period (the fixed windows would give a factor below 1). */
  scaled: boolean;
}

/** The Workbook's conditions for a 30-day period (Sloth's `google-30d` windows). */
export const WORKBOOK_CONDITIONS: ReadonlyArray<{ role: BurnWindow['role']; tier: Tier; longSeconds: number; shortSeconds: number; budgetFraction: number }> = [
  { role: 'page-quick', tier: 'page', longSeconds: 3600, shortSeconds: 300, budgetFraction: 0.02 },
  { role: 'page-slow', tier: 'page', longSeconds: 21_600, shortSeconds: 1800, budgetFraction: 0.05 },
  { role: 'ticket-quick', tier: 'ticket', longSeconds: 86_400, shortSeconds: 7200, budgetFraction: 0.1 },
  { role: 'ticket-slow', tier: 'ticket', longSeconds: 259_200, shortSeconds: 21_600, budgetFraction: 0.1 },
];

const DAY = 86_400;
/** The period the Workbook's table is written for. */
export const REFERENCE_PERIOD_SECONDS = 30 * DAY;
/** Windows are whole minutes, and at least one minute (rate() needs two samples: scrape at most every 30s). */
const MINUTE = 60;

function tidy(x: number): number {
  return Number(x.toPrecision(10));
}

/** Burn-rate factor: budget fraction × period / long window (14.4 for 2 % of 30d in 1h; 13.44 for 28d). */
export function burnFactor(budgetFraction: number, periodS: number, longWindowS: number): number {
  return tidy((budgetFraction * periodS) / longWindowS);
}

function roundMinutes(seconds: number): number {
  return Math.max(MINUTE, Math.round(seconds / MINUTE) * MINUTE);
}

function slothWindows(periodS: number): BurnWindow[] {
  return WORKBOOK_CONDITIONS.map((c) => {
    const fixed = burnFactor(c.budgetFraction, periodS, c.longSeconds);
    if (fixed >= 1) return { ...c, factor: fixed, forSeconds: 0, scaled: false };
    // Scale the windows with the period; the factor stays the Workbook's 30d factor.
    const factor = burnFactor(c.budgetFraction, REFERENCE_PERIOD_SECONDS, c.longSeconds);
    const longSeconds = roundMinutes((c.longSeconds * periodS) / REFERENCE_PERIOD_SECONDS);
    const shortSeconds = roundMinutes((c.shortSeconds * periodS) / REFERENCE_PERIOD_SECONDS);
    return { ...c, longSeconds, shortSeconds, factor, budgetFraction: tidy((factor * longSeconds) / periodS), forSeconds: 0, scaled: true };
  });
}

/**
 * Go's `(period / n).Round(time.Minute)` on nanosecond durations, as Pyrra
 * computes its windows: integer division, then round half away from zero.
 */
function goRoundMinute(periodS: number, divisor: number): number {
  const ns = (BigInt(Math.round(periodS)) * 1_000_000_000n) / BigInt(divisor);
  const m = 60_000_000_000n;
  const q = ns / m;
  const r = ns % m;
  return Number(r * 2n >= m ? q + 1n : q) * 60;
}

/** Pyrra's windows (slo/rules.go `Windows`): divisors of the period from its 28d table. */
const PYRRA: ReadonlyArray<{ role: BurnWindow['role']; tier: Tier; forDiv: number; longDiv: number; shortDiv: number; factor: number }> = [
  { role: 'page-quick', tier: 'page', forDiv: 28 * 24 * 30, longDiv: 28 * 24, shortDiv: 28 * 24 * 12, factor: 14 },
  { role: 'page-slow', tier: 'page', forDiv: 28 * 24 * 4, longDiv: 28 * 4, shortDiv: 28 * 24 * 2, factor: 7 },
  { role: 'ticket-quick', tier: 'ticket', forDiv: 28 * 24, longDiv: 28, shortDiv: 28 * 12, factor: 2 },
  { role: 'ticket-slow', tier: 'ticket', forDiv: 28 * 8, longDiv: 7, shortDiv: 28 * 4, factor: 1 },
];

function pyrraWindows(periodS: number): BurnWindow[] {
  return PYRRA.map((p) => {
    // A window Pyrra would round to 0 (periods under ~4d) is raised to one minute: rate() over 0s is invalid.
    const longSeconds = Math.max(MINUTE, goRoundMinute(periodS, p.longDiv));
    const shortSeconds = Math.max(MINUTE, goRoundMinute(periodS, p.shortDiv));
    return {
      role: p.role,
      tier: p.tier,
      longSeconds,
      shortSeconds,
      factor: p.factor,
      budgetFraction: tidy((p.factor * longSeconds) / periodS),
      forSeconds: goRoundMinute(periodS, p.forDiv),
      scaled: true,
    };
  });
}

/** Every condition of a scheme for an SLO period (seconds), page first. */
// Stryker disable next-line StringLiteral: equivalent, every scheme but 'pyrra' gives the sloth windows
export function burnWindows(periodS: number, scheme: BurnScheme = 'sloth'): BurnWindow[] {
  return scheme === 'pyrra' ? pyrraWindows(periodS) : slothWindows(periodS);
}
