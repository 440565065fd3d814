/**
 * `relia init` without questions (flags, or --yes off a terminal), and the
 * writing: the example SLO spec when asked for, then the config, each
 * atomically; nothing is written when any answer is wrong.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { checkStarterAnswer, exampleSloSpec, renderStarterConfig, STARTER_FLAGS, type StarterField, type StarterOptions } from '../../core/config/starter.js';
import { writeFileAtomic } from '../files.js';
import { checkSloDir, relativeToConfig, type WizardAnswers } from './wizard.js';

export interface InitFlags {
  environment?: string | undefined;
  'prometheus-url'?: string | undefined;
  'redis-url'?: string | undefined;
  'token-env'?: string | undefined;
  'slo-dir'?: string | undefined;
  'example-slo'?: boolean | undefined;
}

/** The answers the flags give, or null when they give none (then: ask, or --yes). */
export function answersFromFlags(f: InitFlags, cwd: string, configPath: string): WizardAnswers | null {
  const given: Array<[StarterField, string | undefined]> = [
    ['environment', f.environment],
    ['prometheusUrl', f['prometheus-url']],
    ['tokenEnv', f['token-env']],
    ['redisUrl', f['redis-url']],
    ['sloDir', f['slo-dir']],
  ];
  if (given.every(([, v]) => v === undefined) && !f['example-slo']) return null;
  for (const [field, value] of given) {
    const problem = value === undefined ? null : checkStarterAnswer(field, value);
    if (problem !== null) throw new InputError(`${STARTER_FLAGS[field]}: ${problem}, got ${JSON.stringify(value)}`, { field: STARTER_FLAGS[field], suggestions: [`correct ${STARTER_FLAGS[field]}, or run relia init on a terminal to be asked`] });
  }
  if (f['token-env'] !== undefined && f['prometheus-url'] === undefined) {
    throw new InputError('--token-env: names the token of a Prometheus, but no --prometheus-url was given', { field: '--token-env', suggestions: ['add --prometheus-url http://HOST:9090'] });
  }
  const answers: WizardAnswers = { environment: f.environment ?? 'local', exampleSlo: f['example-slo'] === true };
  if (f['prometheus-url'] !== undefined) answers.prometheusUrl = f['prometheus-url'];
  if (f['token-env'] !== undefined) answers.tokenEnv = f['token-env'];
  if (f['redis-url'] !== undefined) answers.redisUrl = f['redis-url'];
  const dir = f['slo-dir'] ?? (f['example-slo'] ? 'slos' : undefined);
  if (dir !== undefined) {
    const abs = resolve(cwd, dir);
    if (answers.exampleSlo) answers.exampleSlo = !existsSync(join(abs, 'example.yaml'));
    else {
      const checked = checkSloDir(abs);
      if ('problem' in checked) throw new InputError(`--slo-dir: ${checked.problem}`, { field: '--slo-dir', suggestions: ['point --slo-dir at the directory that holds your SLO specs', 'or add --example-slo to create an example spec there'] });
    }
    answers.sloDir = relativeToConfig(dir, cwd, configPath);
  }
  return answers;
}

/** Write the example spec (when asked for) and the config; returns the example's path or null. */
export function writeStarter(configPath: string, answers: WizardAnswers): string | null {
  const options: StarterOptions = { environment: answers.environment };
  for (const key of ['prometheusUrl', 'tokenEnv', 'redisUrl', 'sloDir'] as const) if (answers[key] !== undefined) options[key] = answers[key];
  const text = renderStarterConfig(options); // validates against the schema before anything is written
  let example: string | null = null;
  if (answers.exampleSlo && answers.sloDir !== undefined) {
    const dir = resolve(dirname(configPath), answers.sloDir);
    mkdirSync(dir, { recursive: true });
    example = join(dir, 'example.yaml');
    writeFileAtomic(example, exampleSloSpec());
  }
  writeFileAtomic(configPath, text);
  return example;
}
