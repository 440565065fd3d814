/**
 * Glue for `chaos run` and `chaos plan`: the activity context, the plan as
 * rows, the engine's signal handling (a first SIGINT/SIGTERM aborts the
 * method and rolls back; later ones only print what is still running: they
 * never skip a rollback), progress lines on stderr, and the journal file.
 */
import { startProxiesFor } from '../../core/chaos/actions/network.js';
import type { ActivityContext } from '../../core/chaos/activity.js';
import { ChaosRun, type EngineOutcome } from '../../core/chaos/engine.js';
import { allActivities } from '../../core/chaos/model.js';
import { redact } from '../../core/chaos/substitute.js';
import { planExperiment, type PlannedActivity } from '../../core/chaos/validate.js';
import { InterruptedError } from '../../core/errors.js';
import type { CommandContext } from '../base-command.js';
import { writeFileAtomic } from '../files.js';
import { chaosPolicy, type LoadedExperiment } from './load.js';
import { activityPorts } from './ports.js';
import { HaltSwitch, haltPlaces } from './halt.js';

export interface PlanStep {
  phase: PlannedActivity['phase'];
  path: string;
  name: string;
  kind: PlannedActivity['kind'];
  type: string;
  background: boolean;
  targets: Array<{ kind: string; id: string; detail?: string }>;
  does: string;
  undo: string;
}

export interface ChaosSetup {
  ctx: ActivityContext;
  halt: HaltSwitch;
}

export function chaosSetup(cmd: CommandContext, configDir: string, signal: AbortSignal, verbose: (line: string) => void): ChaosSetup {
  const ports = activityPorts(cmd);
  const resolved = cmd.resolved();
  const ctx: ActivityContext = {
    ports,
    clock: cmd.clock,
    // Activities that choose targets take their own `seed` for a reproducible choice.
    random: Math.random,
    signal,
    policy: chaosPolicy(resolved),
    dryRun: true,
    log: (event, detail) => verbose(`${event} ${detail ? JSON.stringify(detail) : ''}`),
  };
  return { ctx, halt: new HaltSwitch(haltPlaces(resolved, configDir), ports) };
}

export async function planSteps(loaded: LoadedExperiment, ctx: ActivityContext): Promise<PlanStep[]> {
  const planned = await planExperiment(loaded.experiment, loaded.registry, loaded.args, ctx, loaded.file);
  // The plan shows resolved arguments (URLs, headers): the experiment's secrets are replaced by *** as in the journal.
  const steps = planned.map((p) => ({
    phase: p.phase,
    path: p.path,
    name: p.name,
    kind: p.kind,
    type: p.type,
    background: p.background,
    targets: p.plan.targets.map((t) => ({ kind: t.kind, id: t.id, ...(t.detail !== undefined ? { detail: t.detail } : {}) })),
    does: p.plan.does,
    undo: p.plan.undo,
  }));
  return redact(steps, loaded.experiment.secretValues);
}

export function renderPlan(title: string, steps: readonly PlanStep[]): string {
  const lines = [`Plan: ${title}`];
  let phase = '';
  for (const s of steps) {
    if (s.phase !== phase) {
      phase = s.phase;
      lines.push('', `${phase}:`);
    }
    const targets = s.targets.length ? ` → ${s.targets.map((t) => `${t.kind} ${t.id}`).join(', ')}` : '';
    lines.push(`  ${s.path} ${s.kind === 'pause' ? s.does : `${s.kind} ${s.name} (${s.type})${s.background ? ' [background]' : ''}: ${s.does}${targets}`}`);
    if (s.kind === 'action') lines.push(`      undo: ${s.undo}`);
  }
  return lines.join('\n');
}

/**
 * Run the engine with chaos's own signal handling: the base command's
 * lifecycle would force cleanup on a second signal; here a second signal
 * never skips the rollback, it prints what is still running.
 */
export async function runWithSignals(
  loaded: LoadedExperiment,
  setup: ChaosSetup,
  cmd: CommandContext,
  opts: { guardIntervalMs: number; version: string; progress: (line: string) => void; steps: readonly PlanStep[] },
): Promise<EngineOutcome> {
  cmd.lifecycle.dispose();
  const ctl = new AbortController();
  let run: ChaosRun | undefined;
  let count = 0;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => () => {
    count++;
    if (count === 1) {
      opts.progress(`relia: ${sig} received; stopping the method and rolling back (a second signal does not skip the rollback)`);
      ctl.abort(new InterruptedError(sig));
      return;
    }
    const left = run?.stillRunning() ?? [];
    opts.progress(`relia: rolling back; still in place or running:${left.length ? `\n  ${left.join('\n  ')}` : ' nothing'}`);
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    // Proxies of network.* actions pass traffic through from the start, so the steady state can be checked through them.
    const proxies = await startProxiesFor(allActivities(loaded.experiment).map((a) => ({ type: a.type, args: a.args })), setup.ctx.ports, setup.ctx.random);
    for (const p of proxies) opts.progress(`fault proxy ${p} (pass-through until its action)`);
    run = new ChaosRun(loaded.experiment, {
      registry: loaded.registry,
      args: loaded.args,
      ports: setup.ctx.ports,
      clock: cmd.clock,
      random: setup.ctx.random,
      policy: setup.ctx.policy,
      signal: ctl.signal,
      guardIntervalMs: opts.guardIntervalMs,
      halt: () => setup.halt.read(),
      slos: loaded.slos,
      plannedTargets: new Map(opts.steps.filter((s) => s.phase === 'method' && s.kind === 'action').map((s) => [s.path, s.targets.length])),
      version: opts.version,
      platform: process.platform,
      log: (event, detail) => {
        if (event === 'injected') opts.progress(`injected: ${String(detail?.description)}`);
        else if (event === 'undone') opts.progress(`undone: ${String(detail?.description)}`);
        else if (event === 'abort') opts.progress(`abort: ${String(detail?.message)}`);
        else if (event === 'targets-capped') opts.progress(`${String(detail?.path)}: ${String(detail?.wanted)} targets match now; touching only the ${String(detail?.planned)} the plan showed`);
        else if (event === 'activity-start') opts.progress(`${String(detail?.path)}: ${String(detail?.name)} (${String(detail?.type)})`);
        else cmd.verbose(`${event} ${detail ? JSON.stringify(detail) : ''}`);
      },
    });
    return await run.run();
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

export function writeJournal(path: string, outcome: EngineOutcome): void {
  writeFileAtomic(path, `${JSON.stringify(outcome.journal, null, 2)}\n`);
}
