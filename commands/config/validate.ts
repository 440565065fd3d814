import { ReliaCommand } from '../../src/cli/base-command.js';

export interface ConfigValidateResult {
  file: string | null;
  environments: string[];
  environment: string | null;
  valid: true;
}

export default class ConfigValidate extends ReliaCommand<typeof ConfigValidate> {
  static override summary = 'Validate the config file and the selected environment.';
  static override description = 'Exits 0 when the config is valid, 2 with the file and the field path of every problem otherwise.';
  static override examples = ['<%= config.bin %> config validate', '<%= config.bin %> config validate --config ./relia.config.yaml --env prod --json'];

  async run(): Promise<ConfigValidateResult> {
    const resolved = this.resolved;
    const result: ConfigValidateResult = {
      file: resolved.file,
      environments: Object.keys(resolved.config.environments),
      environment: resolved.environment,
      valid: true,
    };
    if (!this.jsonEnabled()) {
      this.log(
        resolved.file === null
          ? 'No config file found (looked for relia.config.yaml and .reliarc.* from here upward); built-in defaults apply.'
          : `${this.style.green('valid')}: ${resolved.file} (${result.environments.length} environment${result.environments.length === 1 ? '' : 's'}${resolved.environment ? `, using ${resolved.environment}` : ''})`,
      );
    }
    return result;
  }
}
