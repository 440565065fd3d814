/**
 * The questions `relia init` asks on a terminal. Each answer is checked as it
 * is given (the prompt's own validate, with the config schema's field checks),
 * so a bad answer is corrected in place; optional sections are a choice with
 * a real "skip", never pre-filled text to delete. The prompts are injected
 * (`Ask`), so the order and the checks are tested without a terminal.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadSpecs } from '../../core/budget/specs/index.js';
import { checkStarterAnswer, type StarterField, type StarterOptions } from '../../core/config/starter.js';
import { readSloInputs } from '../slo-files.js';

type Validate = (value: string) => string | true | Promise<string | true>;

/** The two kinds of question the wizard asks. */
export interface Ask {
  text(o: { message: string; default?: string; validate: Validate }): Promise<string>;
  choose<T extends string>(message: string, choices: ReadonlyArray<{ name: string; value: T; description?: string }>): Promise<T>;
}

/** @inquirer/prompts behind `Ask` (loaded only when the wizard runs). */
export async function inquirerAsk(): Promise<Ask> {
  const { input, select } = await import('@inquirer/prompts');
  return {
    text: (o) => input({ message: o.message, ...(o.default === undefined ? {} : { default: o.default }), validate: o.validate }),
    choose: (message, choices) => select({ message, choices }),
  };
}

export interface WizardAnswers extends StarterOptions {
  /** Create an example spec in sloDir (it has none yet). */
  exampleSlo: boolean;
}

export interface WizardDeps {
  ask: Ask;
  /** Where the config will be written (absolute): the SLO directory is written relative to it. */
  configPath: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Probe a Prometheus URL: a problem rejects the answer; a note is printed after it. */
  probe(url: string): Promise<{ problem: string } | { note: string }>;
  /** Print a line under an answer. */
  note(line: string): void;
}

/** The example spec goes here (relative to the config file) when asked for. */
export const EXAMPLE_SLO_DIR = 'slos';

const check = (field: StarterField) => (v: string) => checkStarterAnswer(field, v) ?? true;

/**
 * Check an SLO directory the way `budget check` will read it: it exists and
 * its specs parse. The problem, or a note saying how many SLOs it holds.
 */
export function checkSloDir(dir: string): { problem: string } | { note: string } {
  if (!existsSync(dir)) return { problem: `${dir}: no such directory (choose "Create an example spec" to start one)` };
  if (!statSync(dir).isDirectory()) return { problem: `${dir}: not a directory` };
  try {
    const slos = loadSpecs(readSloInputs([dir]));
    return { note: `${slos.length} SLO${slos.length === 1 ? '' : 's'} in ${dir}` };
  } catch (error) {
    return { problem: (error as Error).message.split('\n').slice(0, 3).join(' ') };
  }
}

/** A path typed relative to the working directory, as the config file must name it (relative to itself). */
export function relativeToConfig(typed: string, cwd: string, configPath: string): string {
  const abs = resolve(cwd, typed);
  const rel = relative(dirname(configPath), abs);
  return rel === '' ? '.' : isAbsolute(rel) ? abs : rel;
}

export async function runWizard(deps: WizardDeps, defaults: { environment: string }): Promise<WizardAnswers> {
  const { ask } = deps;
  const answers: WizardAnswers = { environment: '', exampleSlo: false };
  answers.environment = (await ask.text({ message: 'Environment name', default: defaults.environment, validate: check('environment') })).trim();

  const metrics = await ask.choose('Prometheus, for budget and capacity commands', [
    { name: 'Enter its URL', value: 'url' },
    { name: 'Skip (no metrics for now; pass --prometheus later)', value: 'skip' },
  ]);
  if (metrics === 'url') {
    let note = '';
    answers.prometheusUrl = (
      await ask.text({
        message: 'Prometheus URL',
        validate: async (v) => {
          const problem = checkStarterAnswer('prometheusUrl', v);
          if (problem !== null) return problem;
          const probed = await deps.probe(v.trim());
          if ('problem' in probed) return probed.problem;
          note = probed.note;
          return true;
        },
      })
    ).trim();
    if (note) deps.note(note);
    const auth = await ask.choose('Does Prometheus need a bearer token?', [
      { name: 'No', value: 'no' },
      { name: 'Yes: name the environment variable that holds it', value: 'yes' },
    ]);
    if (auth === 'yes') {
      answers.tokenEnv = (await ask.text({ message: 'Environment variable holding the token (its name, not the token)', validate: check('tokenEnv') })).trim();
      if (deps.env[answers.tokenEnv] === undefined) deps.note(`${answers.tokenEnv} is not set in this shell: export it before running budget commands`);
    }
  }

  const slo = await ask.choose('SLO specs, for a first budget check', [
    { name: 'Use a directory of SLO specs', value: 'dir' },
    { name: `Create an example spec in ${EXAMPLE_SLO_DIR}/`, value: 'example' },
    { name: 'Skip (pass --slo later)', value: 'skip' },
  ]);
  if (slo === 'dir') {
    let note = '';
    const typed = await ask.text({
      message: 'SLO spec directory',
      validate: (v) => {
        const problem = checkStarterAnswer('sloDir', v);
        if (problem !== null) return problem;
        const checked = checkSloDir(resolve(deps.cwd, v.trim()));
        if ('problem' in checked) return checked.problem;
        note = checked.note;
        return true;
      },
    });
    if (note) deps.note(note);
    answers.sloDir = relativeToConfig(typed.trim(), deps.cwd, deps.configPath);
  } else if (slo === 'example') {
    answers.sloDir = EXAMPLE_SLO_DIR;
    answers.exampleSlo = !existsSync(join(dirname(deps.configPath), EXAMPLE_SLO_DIR, 'example.yaml'));
  }

  const redis = await ask.choose('Redis, for cache commands', [
    { name: 'Enter its URL', value: 'url' },
    { name: 'Skip', value: 'skip' },
  ]);
  if (redis === 'url') answers.redisUrl = (await ask.text({ message: 'Redis URL', validate: check('redisUrl') })).trim();
  return answers;
}
