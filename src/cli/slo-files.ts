/**
 * Reading `--slo PATH` inputs for the budget commands: files as given, and
 * directories walked recursively for *.yaml / *.yml (hidden entries skipped),
 * in a deterministic order. Each file is read once, however it was reached.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import type { ResolvedConfig } from '../core/config/resolve.js';
import { InputError } from '../core/errors.js';
import { checkInputSize } from './files.js';

export interface SloInput {
  file: string;
  text: string;
}

const SPEC_EXTENSIONS = new Set(['.yaml', '.yml']);

function fail(message: string, suggestions: string[]): never {
  throw new InputError(message, { field: '--slo', suggestions });
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file or directory';
  return (error as Error).message;
}

/** Spec files under `dir`, sorted by path (code-point order) at every level. */
function walk(dir: string, seenDirs: Set<string>): string[] {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch (error) {
    fail(`--slo ${dir}: ${describeError(error)}`, ['check the path']);
  }
  if (seenDirs.has(real)) return []; // a symlink loop, or the same directory twice
  seenDirs.add(real);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    fail(`--slo ${dir}: cannot list the directory: ${describeError(error)}`, ['check the directory permissions']);
  }
  const out: string[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue; // a dangling symlink inside a directory is not an SLO file
    }
    if (stat.isDirectory()) out.push(...walk(path, seenDirs));
    else if (stat.isFile() && SPEC_EXTENSIONS.has(extname(name).toLowerCase())) out.push(path);
  }
  return out;
}

/**
 * Read every SLO spec file named by `paths` (files or directories). Missing
 * paths, unreadable files and directories without specs are InputErrors (exit 2).
 */
export function readSloInputs(paths: readonly string[]): SloInput[] {
  if (paths.length === 0) fail('no SLO specs given', ['pass --slo FILE or --slo DIR (repeatable), e.g. --slo slos/']);
  const files: string[] = [];
  const seenDirs = new Set<string>();
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch (error) {
      fail(`--slo ${path}: ${describeError(error)}`, ['check the path; --slo takes a spec file or a directory of *.yaml / *.yml files']);
    }
    if (stat.isDirectory()) {
      const found = walk(path, seenDirs);
      if (found.length === 0) fail(`--slo ${path}: the directory holds no *.yaml or *.yml files`, ['point --slo at the directory that holds the SLO specs']);
      files.push(...found);
    } else files.push(path);
  }
  const seenFiles = new Set<string>();
  const inputs: SloInput[] = [];
  for (const file of files) {
    let real: string;
    try {
      real = realpathSync(file);
    } catch (error) {
      fail(`--slo ${file}: ${describeError(error)}`, ['check the path']);
    }
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    checkInputSize(file, '--slo', statSync(file).size);
    try {
      inputs.push({ file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      fail(`--slo ${file}: cannot read the file: ${describeError(error)}`, ['check the file permissions']);
    }
  }
  return inputs;
}

/**
 * The SLO spec paths a budget command reads: `--slo` when given, else
 * `budget.slos` from the config file (relative paths resolve against the
 * file's directory, so the config works from any working directory), else
 * exit 2 saying both ways to give them.
 */
export function sloPathsOrConfig(flag: string[] | undefined, resolved: ResolvedConfig): string[] {
  if (flag && flag.length > 0) return flag;
  const fromConfig = resolved.config.budget?.slos;
  if (fromConfig && fromConfig.length > 0) return fromConfig.map((p) => configRelative(p, resolved));
  throw new InputError('no SLO specs given: --slo names the SLO spec files or directories to read', {
    field: '--slo',
    suggestions: ['pass --slo slos/ (a file or a directory, repeatable)', 'or set budget.slos: [slos/] in relia.config.yaml (relia init writes one)'],
  });
}

/** A path from the config file, resolved against the file's own directory. */
export function configRelative(path: string, resolved: ResolvedConfig): string {
  return resolved.file === null || isAbsolute(path) ? path : join(dirname(resolved.file), path);
}
