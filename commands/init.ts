import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { ReliaCommand } from '../src/cli/base-command.js';
import { findConfigFile } from '../src/cli/config-loader.js';
import { probePrometheus } from '../src/cli/init/probe.js';
import { inquirerAsk, runWizard, type WizardAnswers } from '../src/cli/init/wizard.js';
import { answersFromFlags, writeStarter } from '../src/cli/init/write.js';
import { InputError } from '../src/core/errors.js';
import { nextCommands } from '../src/core/config/starter.js';

export interface InitResult {
  path: string;
  environment: string;
  written: boolean;
  /** The SLO directory written as budget.slos (relative to the config file), or null. */
  sloDir: string | null;
  /** The example SLO spec created, or null. */
  exampleSlo: string | null;
  /** The next three commands to try. */
  next: string[];
}

export default class Init extends ReliaCommand<typeof Init> {
  static override summary = 'Write a starter relia.config.yaml.';
  static override description =
    'On a terminal, asks for the environment, Prometheus (and the NAME of the variable holding its token), the SLO spec directory and Redis, checking each answer as it is given. Off a terminal it never asks: pass the answers as flags, or --yes for a starter with no endpoints. Refuses to overwrite an existing file unless --force. Ends with the next three commands to try.';
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --environment prod --prometheus-url http://prometheus:9090 --token-env PROM_TOKEN --slo-dir slos --redis-url redis://cache:6379/0',
    '<%= config.bin %> init --prometheus-url http://127.0.0.1:9090 --example-slo',
    '<%= config.bin %> init --yes',
  ];
  static override flags = {
    path: Flags.string({ description: 'Where to write the file.', default: 'relia.config.yaml' }),
    environment: Flags.string({ description: 'Name of the first environment (default: local).' }),
    'prometheus-url': Flags.string({ description: 'Prometheus base URL.' }),
    'token-env': Flags.string({ description: 'NAME of the environment variable holding a Prometheus bearer token (never the token).' }),
    'slo-dir': Flags.string({ description: 'Directory of SLO specs, written as budget.slos (must hold specs unless --example-slo).' }),
    'example-slo': Flags.boolean({ description: 'Create an example SLO spec in --slo-dir (default slos/).' }),
    'redis-url': Flags.string({ description: 'Redis URL (redis://HOST:PORT/DB).' }),
    yes: Flags.boolean({ char: 'y', description: 'Off a terminal with no other answers: write a starter with no endpoints.' }),
    force: Flags.boolean({ description: 'Overwrite an existing file.' }),
  };

  async run(): Promise<InitResult> {
    const cwd = process.cwd();
    const path = resolve(cwd, this.flags.path);
    if (existsSync(path) && !this.flags.force) {
      throw new InputError(`--path: ${path} already exists`, { field: '--path', suggestions: ['pass --force to overwrite it, or --path to write elsewhere'] });
    }
    let answers: WizardAnswers | null = answersFromFlags(this.flags, cwd, path);
    if (answers === null && this.flags.yes) answers = { environment: 'local', exampleSlo: false };
    if (answers === null && !this.canPrompt()) {
      throw new InputError('relia init asks its questions only on a terminal: pass the answers as flags', {
        field: '--prometheus-url',
        suggestions: ['relia init --prometheus-url http://HOST:9090 --slo-dir slos [--token-env PROM_TOKEN] [--redis-url redis://HOST:6379/0]', 'or relia init --yes for a starter with no endpoints'],
      });
    }
    if (answers === null) {
      const registry = await this.providers();
      const ask = await inquirerAsk();
      answers = await runWizard(
        { ask, configPath: path, cwd, env: process.env, probe: (url) => probePrometheus(registry, url, this.lifecycle.signal), note: (line) => process.stdout.write(`  ${this.style.dim(line)}\n`) },
        { environment: 'local' },
      );
    }
    const exampleSlo = writeStarter(path, answers);
    const found = process.env.RELIA_CONFIG ? resolve(cwd, process.env.RELIA_CONFIG) : findConfigFile(cwd);
    const configPath = found === path ? null : relative(cwd, path);
    const next = nextCommands({ bin: this.config.bin, prometheusUrl: answers.prometheusUrl, sloDir: answers.sloDir, redisUrl: answers.redisUrl, configPath });
    if (!this.jsonEnabled()) {
      if (exampleSlo) this.log(`${this.style.green('wrote')} ${exampleSlo} (an example SLO: edit its queries to match your metrics)`);
      this.log(`${this.style.green('wrote')} ${path}\n\nNext, try:\n${next.map((c) => `  ${c}`).join('\n')}`);
    }
    return { path, environment: answers.environment, written: true, sloDir: answers.sloDir ?? null, exampleSlo, next };
  }
}
