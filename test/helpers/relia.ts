/**
 * Run the BUILT relia (bin/run.js → dist) as a subprocess, the way users and CI
 * do, and capture stdout, stderr and the exit code. No TTY, CI unset unless given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { execa } from 'execa';
import { Ajv } from 'ajv';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'run.js');

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  timeoutMs?: number;
  nodeOptions?: string[];
}

/**
 * Every exit code seen by this test file's runs of relia (relia(), reliaJson(),
 * and recordExit() for tests that spawn it themselves). test/setup/exit-codes.ts
 * asserts after each e2e file that all of them are documented in docs/exit-codes.md.
 */
export const seenExitCodes = new Map<number, string>();

/** Record the exit code of a relia run started outside relia() (execa, script, tmux). */
export function recordExit(code: number | undefined, what: string): void {
  const c = code ?? -1;
  if (!seenExitCodes.has(c)) seenExitCodes.set(c, what);
}

export async function relia(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const r = await execa('node', [...(options.nodeOptions ?? []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: '1', RELIA_CONFIG: undefined, RELIA_ENV: undefined, ...options.env },
    extendEnv: true,
    reject: false,
    input: options.input ?? '',
    timeout: options.timeoutMs ?? 60_000,
    stripFinalNewline: false,
  });
  recordExit(r.exitCode, `relia ${args.join(' ')}`);
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export interface Envelope<R = Record<string, unknown>> {
  status: number;
  result?: R;
  error?: { name: string; message: string; field?: string; suggestions: string[] };
  warnings: string[];
}

/** The command id of an argv: the longest leading run of words that names a schema file. */
function commandId(args: string[]): string {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  for (let n = Math.min(words.length, 3); n > 0; n--) {
    const id = words.slice(0, n).join('-');
    if (existsSync(join(ROOT, 'schemas', `${id}.json`))) return id;
  }
  throw new Error(`no schema snapshot for ${words.join(' ')}: run node scripts/schemas.mjs`);
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/**
 * Run with --json, assert stdout is exactly one JSON document with the
 * envelope's shape, and (on a result) that the result matches the command's
 * committed JSON Schema snapshot in schemas/.
 */
export async function reliaJson<R = Record<string, unknown>>(args: string[], options: RunOptions = {}): Promise<RunResult & { json: Envelope<R> }> {
  const r = await relia([...args, '--json'], options);
  let json: Envelope<R>;
  try {
    json = JSON.parse(r.stdout) as Envelope<R>;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.exitCode}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
  expect(json.status).toBe(r.exitCode);
  expect(Array.isArray(json.warnings)).toBe(true);
  if (json.result !== undefined) {
    const id = commandId(args);
    let validate = validators.get(id);
    if (!validate) {
      const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', `${id}.json`), 'utf8')) as object;
      validate = ajv.compile(schema);
      validators.set(id, validate);
    }
    if (!validate(json.result)) throw new Error(`result of ${id} does not match schemas/${id}.json: ${ajv.errorsText(validate.errors)}`);
  } else {
    expect(json.error?.message).toBeTruthy();
  }
  return { ...r, json };
}
