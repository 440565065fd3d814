import { redactedView } from '../../src/core/config/resolve.js';
import { ReliaCommand } from '../../src/cli/base-command.js';
import { stringify } from 'yaml';

export type ConfigShowResult = ReturnType<typeof redactedView>;

export default class ConfigShow extends ReliaCommand<typeof ConfigShow> {
  static override summary = 'Show the resolved configuration, with secrets redacted.';
  static override description =
    'Resolves the config file, RELIA_* environment variables and flags for the selected environment, and prints the result. Secret values are never printed: only the names of the variables they come from.';
  static override examples = ['<%= config.bin %> config show', '<%= config.bin %> config show --env prod --json'];

  async run(): Promise<ConfigShowResult> {
    const view = redactedView(this.resolved);
    if (!this.jsonEnabled()) this.log(stringify(view).trimEnd());
    return view;
  }
}
