/**
 * CLI glue shared by `budget status` and `budget check`: their common flags,
 * reading the policy and the SLO specs, and one evaluation against the
 * metrics source the configuration names. The commands add their own output.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { evaluateSlos, defaultPolicy, parsePolicy, validatePolicyOverrides, type BudgetEvaluation, type BudgetPolicy } from '../../core/budget/index.js';
import { loadSpecs } from '../../core/budget/specs/index.js';
import type { SloDefinition } from '../../core/budget/model.js';
import { InputError } from '../../core/errors.js';
import { parseTime } from '../../core/units.js';
import type { ResolvedConfig } from '../../core/config/resolve.js';
import { writeFileAtomic } from '../files.js';
import type { CommandContext } from '../base-command.js';
import { metricsFromConfig } from '../providers.js';
import { configRelative, readSloInputs, sloPathsOrConfig } from '../slo-files.js';

/** Flags every budget evaluation takes (status and check). */
export const budgetEvaluationFlags = {
  slo: Flags.string({ description: 'SLO spec file or directory (repeatable; default: budget.slos in the config).', multiple: true }),
  prometheus: Flags.string({ description: "Prometheus URL (default: the config environment's metrics.url)." }),
  at: Flags.string({ description: 'Evaluate as of this instant: RFC 3339 or unix seconds (default: now).' }),
  policy: Flags.string({ description: 'Budget policy file (YAML/JSON; default: budget.policy in the config, else the built-in policy). Burn windows come from it.' }),
  service: Flags.string({ description: 'Only SLOs of this service (repeatable).', multiple: true }),
  concurrency: Flags.integer({ description: 'SLOs evaluated at once.', default: 8, min: 1, max: 64 }),
  'on-unavailable': Flags.string({ description: 'When metrics are unavailable: fail (exit 3, default) or pass with a warning.', options: ['fail', 'pass'], default: 'fail' }),
  insecure: Flags.boolean({ description: 'Allow metrics.tls.insecureSkipVerify from the config.' }),
  'allow-no-data': Flags.boolean({ description: 'Let an SLO with no (or fewer than minEvents) events pass. Default: no-data blocks (a gate never passes what it could not see).' }),
};

export interface BudgetEvaluationFlags {
  slo?: string[] | undefined;
  at?: string | undefined;
  policy?: string | undefined;
  service?: string[] | undefined;
  concurrency: number;
  'on-unavailable': string;
  insecure: boolean;
  'allow-no-data'?: boolean;
}


/**
 * The policy a budget command applies: `--policy`, else `budget.policy` from
 * the config (relative to the config file), else the built-in policy with the
 * config's `budget.burnWindows` when set.
 */
export function policyFromFlagsOrConfig(flag: string | undefined, resolved: ResolvedConfig): BudgetPolicy {
  const budget = resolved.config.budget;
  const file = policyFileOf(flag, resolved) ?? undefined;
  if (file !== undefined) return readPolicyFile(file);
  const policy = defaultPolicy();
  return budget?.burnWindows && budget.burnWindows.length > 0 ? { ...policy, burnWindows: [...budget.burnWindows] } : policy;
}

/** The policy file in force: --policy, else budget.policy (relative to the config file), else null (built-in). */
export function policyFileOf(flag: string | undefined, resolved: ResolvedConfig): string | null {
  const fromConfig = resolved.config.budget?.policy;
  return flag ?? (fromConfig === undefined ? null : configRelative(fromConfig, resolved));
}

export function readPolicyFile(file: string | undefined): BudgetPolicy {
  if (file === undefined) return defaultPolicy();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`--policy ${file}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      field: '--policy',
      file,
      suggestions: ['check the path; see docs/examples/budget-policy.yaml'],
    });
  }
  return parsePolicy(text, file);
}

/** The SLOs of the spec files, keeping only `--service` ones when given (none left: exit 2). */
export function readSlos(paths: string[], services: string[] | undefined): SloDefinition[] {
  const slos = loadSpecs(readSloInputs(paths), { validatePolicy: validatePolicyOverrides });
  if (!services) return slos;
  const kept = slos.filter((s) => services.includes(s.service));
  if (kept.length === 0) {
    throw new InputError(`--service ${services.join(', ')}: no SLO of that service in the specs`, { field: '--service', suggestions: ['list the SLOs with relia budget validate'] });
  }
  return kept;
}

/** Read the policy and specs (all input errors before any query), then evaluate every SLO. */
export async function evaluateBudgetFlags(ctx: CommandContext, f: BudgetEvaluationFlags, changeLabels: Record<string, string> = {}): Promise<BudgetEvaluation> {
  const policy = policyFromFlagsOrConfig(f.policy, ctx.resolved());
  const slos = readSlos(sloPathsOrConfig(f.slo, ctx.resolved()), f.service);
  const at = f.at === undefined ? ctx.clock.now() : parseTime(f.at, '--at');
  const source = await metricsFromConfig(await ctx.providers(), ctx.resolved(), { insecure: f.insecure });
  ctx.lifecycle.defer('close metrics source', () => source.close());
  const onUnavailable = f['on-unavailable'] === 'pass' ? 'pass' : 'fail';
  const evaluation = await evaluateSlos(slos, source, {
    at,
    policy,
    changeLabels,
    concurrency: f.concurrency,
    signal: ctx.lifecycle.signal,
    onUnavailable,
    allowNoData: f['allow-no-data'] === true,
    onQuery: (q) => ctx.verbose(`${q.slo} ${q.kind}: ${q.query}`),
  });
  for (const s of evaluation.slos) if (s.unavailable) ctx.warn(`SLO ${s.id}: metrics unavailable, passed because of --on-unavailable pass: ${s.unavailable}`);
  for (const s of evaluation.slos) if (s.invalid) ctx.warn(`SLO ${s.id}: invalid metric data: ${s.invalid.message}`);
  ctx.verbose(`${evaluation.queries} queries for ${evaluation.slos.length} SLOs`);
  return evaluation;
}

/** Write a report file atomically; a failure is exit 2 naming the flag. */
export function writeReport(flag: string, file: string, text: string): void {
  try {
    writeFileAtomic(file, text);
  } catch (error) {
    throw new InputError(`--${flag} ${file}: cannot write the report: ${(error as Error).message}`, { field: `--${flag}`, suggestions: ['choose a writable file path'] });
  }
}

/** Append Markdown to $GITHUB_STEP_SUMMARY when it is set; returns the file, or null. */
export function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv, warn: (line: string) => void): string | null {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return null;
  try {
    appendFileSync(file, markdown);
    return file;
  } catch (error) {
    warn(`cannot append to $GITHUB_STEP_SUMMARY (${file}): ${(error as Error).message}`);
    return null;
  }
}
