/**
 * Reading an experiment for `chaos run|plan|validate|schedule`: the file
 * (YAML or JSON, `-` for stdin), `--var key=value` and `--var-file`, the
 * environment for `{type: env}` values, the registry check, and the SLO files
 * of sloBurn guards (parsed by the budget family's own spec loader).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import type { ChaosPolicy } from '../../core/chaos/activity.js';
import { parseExperiment } from '../../core/chaos/chaostoolkit.js';
import type { Experiment } from '../../core/chaos/model.js';
import { CHAOS_DOCS } from '../../core/chaos/native.js';
import { checkExperiment, type CheckedArgs } from '../../core/chaos/validate.js';
import type { SloDefinition } from '../../core/budget/index.js';
import { validatePolicyOverrides } from '../../core/budget/policy.js';
import { loadSpecs } from '../../core/budget/specs/index.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
import { InputError } from '../../core/errors.js';
import { parseDuration } from '../../core/units.js';
import { parseYamlInput } from '../../core/validation.js';
import { readTextInput } from '../files.js';
import { readSloInputs } from '../slo-files.js';
import { chaosRegistry } from './activities.js';

export const experimentFlags = {
  var: Flags.string({ description: 'Set a configuration value: key=value (repeatable; wins over the file and --var-file).', multiple: true }),
  'var-file': Flags.string({ description: 'YAML or JSON mapping of configuration values (repeatable).', multiple: true }),
};

/** `--var-file` then `--var`, later wins. */
export function readVars(vars: readonly string[] | undefined, files: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of files ?? []) {
    const data = parseYamlInput(readTextInput(file, '--var-file', 'vars.yaml'), { file, field: '--var-file', docs: CHAOS_DOCS });
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new InputError(`--var-file ${file}: expected a mapping of names to values`, { field: '--var-file', file, suggestions: ['write it like: base_url: http://127.0.0.1:8080'] });
    }
    for (const [k, v] of Object.entries(data)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  for (const kv of vars ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new InputError(`--var ${JSON.stringify(kv)}: expected key=value`, { field: '--var', suggestions: ['--var base_url=http://127.0.0.1:8080'] });
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
  args: CheckedArgs;
  registry: ReturnType<typeof chaosRegistry>;
  slos: Map<string, SloDefinition>;
}

/** Read, parse, check against the registry, and load the SLOs of sloBurn guards. Exit 2 on any problem. */
export function loadExperiment(file: string, flags: { var?: string[] | undefined; 'var-file'?: string[] | undefined }, env: NodeJS.ProcessEnv = process.env): LoadedExperiment {
  const text = readTextInput(file, 'FILE', 'experiment.yaml');
  const data = parseYamlInput(text, { file, field: 'FILE', docs: CHAOS_DOCS });
  const experiment = parseExperiment(data, { file, env, vars: readVars(flags.var, flags['var-file']) });
  const registry = chaosRegistry();
  const args = checkExperiment(experiment, registry, file);
  const slos = new Map<string, SloDefinition>();
  for (const g of experiment.guards) {
    if (g.type !== 'sloBurn') continue;
    const path = isAbsolute(g.sloFile) || file === '-' ? g.sloFile : resolve(dirname(file), g.sloFile);
    const defs = loadSpecs(readSloInputs([path]), { validatePolicy: validatePolicyOverrides });
    const chosen = g.slo === undefined ? defs : defs.filter((d) => d.id === g.slo || d.name === g.slo);
    if (chosen.length !== 1) {
      throw new InputError(`${file}: ${g.path}: ${g.sloFile} holds ${defs.length} SLO(s)${g.slo ? `, ${chosen.length} named ${g.slo}` : ''}; a sloBurn guard needs exactly one`, {
        file,
        field: `${g.path}.select`,
        suggestions: [`add select: with one of ${defs.map((d) => d.id).join(', ') || '(none)'}`],
      });
    }
    const slo = chosen[0] as SloDefinition;
    if (slo.sli.type === 'threshold') {
      throw new InputError(`${file}: ${g.path}: SLO ${slo.id} uses a threshold SLI; a sloBurn guard needs an event-based SLI (ratio or error-ratio)`, { file, field: `${g.path}.slo` });
    }
    slos.set(g.name, slo);
  }
  return { file, experiment, args, registry, slos };
}

/** The chaos policy (`chaos.*` in config) the activities enforce. */
export function chaosPolicy(resolved: ResolvedConfig): ChaosPolicy {
  const c = resolved.config.chaos;
  return {
    allowKubeContexts: c?.allow.kubeContexts ?? [],
    allowAwsAccounts: c?.allow.awsAccounts ?? [],
    protectedNamespaces: c?.protectedNamespaces ?? ['kube-system'],
    protectedLabels: c?.protectedLabels ?? {},
  };
}

/**
 * chaostoolkit's `--hypothesis-strategy continuously` (with `--hypothesis-frequency`
 * and `--fail-fast`) on `chaos run`: the hypothesis is also checked during the
 * method. The flags win over the file's `steadyState.continuous`; `default`
 * turns it off. Exit 2 for the frequency or fail-fast flags alone, or with no
 * steady state to check.
 */
export function applyHypothesisStrategy(exp: Experiment, flags: { 'hypothesis-strategy'?: string | undefined; 'hypothesis-frequency'?: string | undefined; 'fail-fast'?: boolean | undefined }): void {
  const strategy = flags['hypothesis-strategy'];
  if (strategy === undefined) {
    const lone = flags['hypothesis-frequency'] !== undefined ? '--hypothesis-frequency' : flags['fail-fast'] ? '--fail-fast' : undefined;
    if (lone && !exp.steadyState?.continuous) throw new InputError(`${lone} needs --hypothesis-strategy continuously`, { field: lone, suggestions: ['add --hypothesis-strategy continuously', 'or write steadyState.continuous in the experiment'] });
    if (exp.steadyState?.continuous) {
      if (flags['hypothesis-frequency'] !== undefined) exp.steadyState.continuous.everyMs = frequencyMs(flags['hypothesis-frequency']);
      if (flags['fail-fast']) exp.steadyState.continuous.failFast = true;
    }
    return;
  }
  if (strategy === 'default') {
    if (exp.steadyState) delete exp.steadyState.continuous;
    return;
  }
  if (!exp.steadyState) throw new InputError('--hypothesis-strategy continuously: the experiment has no steady state to check', { field: '--hypothesis-strategy', suggestions: ['add a steady state (steadyState or steady-state-hypothesis)', 'or drop the flag'] });
  exp.steadyState.continuous = {
    everyMs: flags['hypothesis-frequency'] !== undefined ? frequencyMs(flags['hypothesis-frequency']) : (exp.steadyState.continuous?.everyMs ?? 1000),
    failFast: flags['fail-fast'] === true || (exp.steadyState.continuous?.failFast ?? false),
  };
}

function frequencyMs(value: string): number {
  return Math.round(parseDuration(value, '--hypothesis-frequency', { allowBareSeconds: true }) * 1000);
}
