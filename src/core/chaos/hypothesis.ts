/**
 * The steady-state hypothesis: every probe within its tolerance, the first
 * failure ends it (chaostoolkit's run_steady_state_hypothesis). Checked
 * before the method, after it, and, when the experiment asks for it
 * (`steadyState.continuous`, or `chaos run --hypothesis-strategy
 * continuously`), every `every` during the method: each of those checks is
 * one entry of the journal's `steady_states.during`.
 *
 * A `probe` tolerance is itself a probe that receives the measured value as
 * its argument `value` (chaostoolkit sets `provider.arguments.value`); how a
 * probe type takes it is the registry's `withValue` (http: a query parameter
 * or a JSON field; process: the words `value <v>` appended to the command).
 * chaostoolkit counts any completed http/process tolerance probe as met
 * (`bool()` of a non-empty dict); relia reads the answer: `true`, exit code 0
 * or an HTTP status below 400 is met, anything else is not. Pure.
 */
import type { ActivityRegistry } from './activity.js';
import type { ActivityRun, SteadyState } from './journal.js';
import type { ActivitySpec, Tolerance } from './model.js';
import { withinTolerance } from './tolerance.js';

export interface HypothesisDeps {
  registry: ActivityRegistry;
  /** Checked arguments per activity (validate.ts's CheckedArgs). */
  args: ReadonlyMap<ActivitySpec, unknown>;
  /** Run one probe and record it; `args` replaces the checked arguments (a tolerance probe with its value). */
  exec(a: ActivitySpec, signal: AbortSignal, args?: unknown): Promise<{ run: ActivityRun; error?: unknown }>;
}

export type ProbeTolerance = Extract<Tolerance, { type: 'probe' }>;

export function isProbeTolerance(t: Tolerance | undefined): t is ProbeTolerance {
  return typeof t === 'object' && !Array.isArray(t) && t.type === 'probe';
}

/** Did a tolerance probe say "within"? `true`, exit code 0, or an HTTP status below 400. */
export function toleranceProbeMet(output: unknown): boolean {
  if (output === true) return true;
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return false;
  const status = (output as { status?: unknown }).status;
  if (typeof status !== 'number') return false;
  // process.run answers an exit code (0..255), http.request an HTTP status (100..599)
  return status === 0 || (status >= 100 && status < 400);
}

async function toleranceMet(t: Tolerance, value: unknown, deps: HypothesisDeps, signal: AbortSignal): Promise<boolean> {
  if (!isProbeTolerance(t)) return withinTolerance(t, value);
  const def = deps.registry.probe(t.probe.type);
  if (!def?.withValue) return false;
  const args = def.withValue(deps.args.get(t.probe), value);
  const check = await deps.exec(t.probe, signal, args);
  return check.error === undefined && toleranceProbeMet(check.run.output);
}

/** Check the hypothesis once. Throws the signal's reason when it is aborted between probes. */
export async function checkHypothesis(probes: readonly ActivitySpec[], deps: HypothesisDeps, signal: AbortSignal): Promise<{ state: SteadyState; error?: unknown }> {
  const state: SteadyState = { steady_state_met: true, probes: [] };
  for (const p of probes) {
    if (signal.aborted) throw signal.reason;
    const { run, error } = await deps.exec(p, signal);
    state.probes.push(run);
    if (error !== undefined) {
      run.tolerance_met = false;
      state.steady_state_met = false;
      return { state, error };
    }
    const met = p.tolerance === undefined ? true : await toleranceMet(p.tolerance, run.output, deps, signal);
    run.tolerance_met = met;
    if (!met) {
      state.steady_state_met = false;
      return { state };
    }
  }
  return { state };
}
