/** Finds and reads the config file (the only I/O of config loading). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { resolveConfig, type ConfigOverrides, type ResolvedConfig } from '../core/config/resolve.js';

export const CONFIG_NAMES = ['relia.config.yaml', 'relia.config.yml', '.reliarc.yaml', '.reliarc.yml', '.reliarc.json', '.reliarc'];

/** Search from `cwd` upward for the first config file name that exists. */
export function findConfigFile(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function readTextFile(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`${field}: cannot read ${path}${code === 'ENOENT' ? ': no such file' : code === 'EISDIR' ? ': it is a directory' : `: ${code ?? String(error)}`}`, {
      field,
      file: path,
      suggestions: [code === 'ENOENT' ? 'check the path, relative to the current directory' : 'check the file permissions'],
    });
  }
}

/** Load config: `--config PATH` (or RELIA_CONFIG), else found upward from cwd, else none. */
export function loadConfig(options: { configPath?: string; cwd?: string; env?: NodeJS.ProcessEnv; overrides?: ConfigOverrides }): ResolvedConfig {
  const env = options.env ?? process.env;
  const explicit = options.configPath ?? env.RELIA_CONFIG;
  const path = explicit !== undefined ? resolve(options.cwd ?? process.cwd(), explicit) : findConfigFile(options.cwd ?? process.cwd());
  const file = path === null ? undefined : { path, text: readTextFile(path, options.configPath !== undefined ? '--config' : explicit !== undefined ? 'RELIA_CONFIG' : 'config') };
  return resolveConfig({ file, env, ...(options.overrides ? { flags: options.overrides } : {}) });
}
