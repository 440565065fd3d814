import { ReliaCommand } from '../src/cli/base-command.js';

export interface VersionResult {
  version: string;
  /** e.g. relia/0.1.0 linux-x64 node-v20.20.2 */
  userAgent: string;
  node: string;
  platform: string;
  arch: string;
}

export default class Version extends ReliaCommand<typeof Version> {
  static override summary = 'Print the version (same as --version; --json for the parts).';
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --json'];

  async run(): Promise<VersionResult> {
    const result: VersionResult = { version: this.config.version, userAgent: this.config.userAgent, node: process.versions.node, platform: process.platform, arch: process.arch };
    if (!this.jsonEnabled()) this.log(result.userAgent);
    return result;
  }
}
