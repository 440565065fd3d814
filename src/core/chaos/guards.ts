/**
 * The safety monitor's guards. Each check answers ok, tripped or error; an
 * error (metrics unreachable, an invalid sample, an unknown alarm) aborts the
 * run unless the guard says `onError: continue` (fail closed).
 *
 * - userImpact/prometheus: an instant query returning the bad share 0..1.
 * - userImpact/probe: relia samples a probe (e.g. `http.request`) every
 *   `every`; a sample is bad when it fails, answers ≥ 500 or is slower than
 *   `slowerThan`; the share over the sliding window is compared with `max`.
 * - sloBurn: a budget-family SLO's error ratio over a short window, turned
 *   into a burn rate by src/core/budget (burnRate), compared with `maxBurn`.
 * - maxDuration, alarm (any alarm in ALARM trips; unknown names are errors).
 * Pure: ports, clock and the probe runner are injected.
 */
import { burnRate, renderQuery, type SloDefinition } from '../budget/index.js';
import type { AlarmsPort } from '../../ports/alarms.js';
import type { MetricsSource } from '../../ports/metrics.js';
import type { GuardSpec } from './model.js';

export interface GuardCheck {
  guard: string;
  type: GuardSpec['type'] | 'halt';
  state: 'ok' | 'tripped' | 'error';
  /** Measured value (share, burn, seconds) when there is one. */
  value?: number;
  threshold?: number;
  message: string;
  /** Epoch ms of the first sample over the threshold (for the reaction time). */
  firstOverAt?: number;
}

export interface Sample {
  at: number;
  bad: boolean;
}

/** Samples of one probe-based userImpact guard, with the moment the share first went over. */
export class SampleWindow {
  private samples: Sample[] = [];
  private overSince: number | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
    private readonly minSamples: number,
  ) {}

  add(sample: Sample): void {
    this.samples.push(sample);
    this.prune(sample.at);
    const share = this.share();
    if (
      // Stryker disable next-line ConditionalExpression: equivalent, null > max is false for every max the guard file admits (0..1)
      share !== null &&
      share > this.max
    )
      this.overSince ??= sample.at;
    else this.overSince = undefined;
  }

  private prune(now: number): void {
    const from = now - this.windowMs;
    while (
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, prune runs right after a push and keeps that sample (its time is now, the window ≥ 0 ms): never empty
      this.samples.length > 0 &&
      (this.samples[0] as Sample).at < from
    )
      this.samples.shift();
  }

  /** Bad share over the window; null with fewer than minSamples samples. */
  share(): number | null {
    if (this.samples.length < this.minSamples || this.samples.length === 0) return null;
    return this.samples.filter((s) => s.bad).length / this.samples.length;
  }

  count(): number {
    return this.samples.length;
  }

  firstOverAt(): number | undefined {
    return this.overSince;
  }
}

/** A metric value relia can act on: finite, and within [min, max]. */
export function validSample(value: number, min: number, max: number): boolean {
  return Number.isFinite(value) && value >= min && value <= max;
}

/** The PromQL error ratio of an SLO over `window`, from its SLI templates. */
export function sloErrorRatioQuery(slo: SloDefinition, window: string): string {
  const sli = slo.sli;
  switch (sli.type) {
    case 'error-ratio':
      return renderQuery(sli.query, window);
    case 'ratio':
      return sli.bad !== undefined
        ? `(${renderQuery(sli.bad, window)}) / (${renderQuery(sli.total, window)})`
        : `1 - (${renderQuery(sli.good as string, window)}) / (${renderQuery(sli.total, window)})`;
    case 'threshold':
      throw new Error(`SLO ${slo.id} uses a threshold SLI (timeslices); a sloBurn guard needs an event-based SLI`);
  }
}

export interface GuardEnv {
  now(): number;
  startedAt: number;
  metrics(): Promise<MetricsSource>;
  alarms(): Promise<AlarmsPort>;
  /** SLOs by guard name (loaded by the CLI from the guard's file). */
  slos: ReadonlyMap<string, SloDefinition>;
  windows: ReadonlyMap<string, SampleWindow>;
  signal: AbortSignal;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function firstValue(metrics: MetricsSource, query: string, at: number, signal: AbortSignal): Promise<number> {
  const samples = await metrics.instant(query, { time: at, signal });
  if (samples.length === 0) throw new Error(`the query returned no series: ${query}`);
  return Math.max(...samples.map((s) => s.value));
}

/** Evaluate one guard now. Never throws: a failure is `state: error`. */
export async function checkGuard(g: GuardSpec, env: GuardEnv): Promise<GuardCheck> {
  const base = { guard: g.name, type: g.type };
  try {
    switch (g.type) {
      case 'maxDuration': {
        const elapsed = env.now() - env.startedAt;
        const over = elapsed > g.ms;
        const check: GuardCheck = { ...base, state: over ? 'tripped' : 'ok', value: elapsed / 1000, threshold: g.ms / 1000, message: `${(elapsed / 1000).toFixed(1)} s of ${g.ms / 1000} s` };
        if (over) check.firstOverAt = env.startedAt + g.ms;
        return check;
      }
      case 'alarm': {
        const alarms = await env.alarms();
        const found = await alarms.describeAlarms(g.region, g.alarms, { signal: env.signal });
        const missing = g.alarms.filter((n) => !found.some((a) => a.name === n));
        if (missing.length > 0) return { ...base, state: 'error', message: `alarm${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in ${g.region}` };
        const firing = found.filter((a) => a.state === 'ALARM');
        if (firing.length === 0) return { ...base, state: 'ok', message: `${found.length} alarm(s) not in ALARM` };
        return { ...base, state: 'tripped', message: `${firing.map((a) => a.name).join(', ')} in ALARM`, firstOverAt: Math.min(...firing.map((a) => a.updatedAt ?? env.now())) };
      }
      case 'sloBurn': {
        const slo = env.slos.get(g.name);
        if (!slo) return { ...base, state: 'error', message: `the SLO of ${g.sloFile} was not loaded` };
        const metrics = await env.metrics();
        const ratio = await firstValue(metrics, sloErrorRatioQuery(slo, g.window), env.now(), env.signal);
        if (!validSample(ratio, 0, 1)) return { ...base, state: 'error', message: `invalid error ratio ${ratio} for ${slo.id} (expected 0..1)` };
        const burn = burnRate(ratio, slo.objective) as number;
        const over = burn > g.maxBurn;
        const check: GuardCheck = { ...base, state: over ? 'tripped' : 'ok', value: burn, threshold: g.maxBurn, message: `${slo.id} burns ${burn.toFixed(2)}× over ${g.window} (max ${g.maxBurn}×)` };
        if (over) check.firstOverAt = env.now();
        return check;
      }
      case 'userImpact': {
        if (g.source.kind === 'prometheus') {
          const metrics = await env.metrics();
          const share = await firstValue(metrics, g.source.query, env.now(), env.signal);
          if (!validSample(share, 0, 1)) return { ...base, state: 'error', message: `invalid bad share ${share} (expected 0..1)` };
          const over = share > g.max;
          const check: GuardCheck = { ...base, state: over ? 'tripped' : 'ok', value: share, threshold: g.max, message: `${(share * 100).toFixed(2)} % of requests bad (max ${(g.max * 100).toFixed(2)} %)` };
          if (over) check.firstOverAt = env.now();
          return check;
        }
        const w = env.windows.get(g.name);
        const share = w?.share() ?? null;
        if (
          share === null ||
          // Stryker disable next-line ConditionalExpression: equivalent, without a window the share is null already (this test narrows the type)
          w === undefined
        )
          return { ...base, state: 'ok', message: `${w?.count() ?? 0} sample(s), waiting for ${g.source.minSamples}` };
        const over = share > g.max;
        const check: GuardCheck = {
          ...base,
          state: over ? 'tripped' : 'ok',
          value: share,
          threshold: g.max,
          message: `${(share * 100).toFixed(2)} % of ${w.count()} sampled requests bad (max ${(g.max * 100).toFixed(2)} %)`,
        };
        const first = w.firstOverAt();
        if (
          // Stryker disable next-line LogicalOperator: equivalent as wired, engine.ts builds each window with the guard's own max, so the window has a first-over moment exactly when the share is over
          over &&
          // Stryker disable next-line ConditionalExpression: equivalent as wired (the window's first-over moment is set whenever the share is over)
          first !== undefined
        )
          check.firstOverAt = first;
        return check;
      }
    }
  } catch (error) {
    return { ...base, state: 'error', message: errorText(error) };
  }
}
