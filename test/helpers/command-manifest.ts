/**
 * The commands' manifest, built from the command classes themselves: the
 * same data `oclif manifest` writes to oclif.manifest.json (command id →
 * flags with char, aliases, type and options; args), without needing a build.
 * Each file under commands/ is a command (oclif's rule); its id is its path
 * with `:` separators; its flags are the base flags, its own, and --json.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ManifestFlag {
  name: string;
  type: 'boolean' | 'option';
  char?: string;
  aliases: string[];
  charAliases: string[];
  deprecateAliases: boolean;
  options?: string[];
  required: boolean;
}

export interface ManifestCommand {
  /** `cache warm` (topic separator: a space, as users type it). */
  id: string;
  flags: Record<string, ManifestFlag>;
  args: Array<{ name: string; required: boolean }>;
  /** Its examples, with `<%= config.bin %>` as `relia`. */
  examples: string[];
}

interface RawFlag {
  type?: string;
  char?: string;
  aliases?: string[];
  charAliases?: string[];
  deprecateAliases?: boolean;
  options?: readonly string[];
  required?: boolean;
}

interface RawCommand {
  flags?: Record<string, RawFlag>;
  baseFlags?: Record<string, RawFlag>;
  enableJsonFlag?: boolean;
  args?: Record<string, { required?: boolean }>;
  examples?: Array<string | { command: string }>;
}

function commandFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return commandFiles(path);
    return /\.ts$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name) ? [path] : [];
  });
}

function normalise(name: string, f: RawFlag): ManifestFlag {
  return {
    name,
    type: f.type === 'boolean' ? 'boolean' : 'option',
    ...(f.char ? { char: f.char } : {}),
    aliases: [...(f.aliases ?? [])],
    charAliases: [...(f.charAliases ?? [])],
    deprecateAliases: f.deprecateAliases === true,
    ...(f.options ? { options: [...f.options] } : {}),
    required: f.required === true,
  };
}

let cached: Promise<ManifestCommand[]> | undefined;

/** Every relia command (not the bundled oclif plugins' help/plugins/autocomplete), sorted by id. */
export function commandManifest(): Promise<ManifestCommand[]> {
  cached ??= (async () => {
    const commands: ManifestCommand[] = [];
    for (const file of commandFiles(join(ROOT, 'commands'))) {
      const mod = (await import(pathToFileURL(file).href)) as { default: RawCommand };
      const cmd = mod.default;
      const id = relative(join(ROOT, 'commands'), file).replace(/\.ts$/, '').split(/[\\/]/).join(' ');
      const raw: Record<string, RawFlag> = { ...(cmd.baseFlags ?? {}), ...(cmd.flags ?? {}) };
      if (cmd.enableJsonFlag) raw.json = { type: 'boolean' };
      const flags = Object.fromEntries(Object.entries(raw).map(([name, f]) => [name, normalise(name, f)]));
      const args = Object.entries(cmd.args ?? {}).map(([name, a]) => ({ name, required: a.required === true }));
      const examples = (cmd.examples ?? []).map((e) => (typeof e === 'string' ? e : e.command).replaceAll('<%= config.bin %>', 'relia'));
      commands.push({ id, flags, args, examples });
    }
    return commands.sort((a, b) => a.id.localeCompare(b.id));
  })();
  return cached;
}
