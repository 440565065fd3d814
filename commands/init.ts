import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { ReliaCommand } from '../src/cli/base-command.js';
import { writeFileAtomic } from '../src/cli/files.js';
import { InputError } from '../src/core/errors.js';
import { renderStarterConfig, type StarterOptions } from '../src/core/config/starter.js';

export interface InitResult {
  path: string;
  environment: string;
  written: boolean;
}

export default class Init extends ReliaCommand<typeof Init> {
  static override summary = 'Write a starter relia.config.yaml.';
  static override description =
    'Asks for the endpoints on a TTY; otherwise takes them from flags only and never prompts. Refuses to overwrite an existing file unless --force.';
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --environment prod --prometheus-url http://prometheus:9090 --redis-url redis://cache:6379/0',
  ];
  static override flags = {
    path: Flags.string({ description: 'Where to write the file.', default: 'relia.config.yaml' }),
    environment: Flags.string({ description: 'Name of the first environment.', default: 'local' }),
    'prometheus-url': Flags.string({ description: 'Prometheus base URL.' }),
    'redis-url': Flags.string({ description: 'Redis URL (redis://HOST:PORT/DB).' }),
    'token-env': Flags.string({ description: 'Environment variable holding a Prometheus bearer token.' }),
    force: Flags.boolean({ description: 'Overwrite an existing file.' }),
  };

  async run(): Promise<InitResult> {
    const path = resolve(this.flags.path);
    if (existsSync(path) && !this.flags.force) {
      throw new InputError(`--path: ${path} already exists`, { field: '--path', suggestions: ['pass --force to overwrite it, or --path to write elsewhere'] });
    }
    const options: StarterOptions = { environment: this.flags.environment };
    if (this.flags['prometheus-url']) options.prometheusUrl = this.flags['prometheus-url'];
    if (this.flags['redis-url']) options.redisUrl = this.flags['redis-url'];
    if (this.flags['token-env']) options.tokenEnv = this.flags['token-env'];
    if (this.canPrompt() && !this.flags['prometheus-url'] && !this.flags['redis-url']) {
      const { input } = await import('@inquirer/prompts');
      options.environment = await input({ message: 'Environment name', default: options.environment });
      const prom = await input({ message: 'Prometheus URL (empty to skip)', default: 'http://127.0.0.1:9090' });
      if (prom) options.prometheusUrl = prom;
      const redis = await input({ message: 'Redis URL (empty to skip)', default: '' });
      if (redis) options.redisUrl = redis;
    }
    // Rendering validates against the schema; a bad URL fails here with the field named.
    const text = renderStarterConfig(options);
    writeFileAtomic(path, text);
    if (!this.jsonEnabled()) this.log(`${this.style.green('wrote')} ${path}\nnext: relia config validate`);
    return { path, environment: options.environment, written: true };
  }
}
