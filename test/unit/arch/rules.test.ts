/**
 * The architecture rules must be able to fail. Each forbidden import or
 * usage is planted in src/core and the check that owns it must reject it:
 *  - ESLint (eslint.config.js) lints each snippet as if it were a file in
 *    src/core (`lintText` with a filePath: nothing is written to the repo);
 *  - dependency-cruiser (.dependency-cruiser.cjs) cruises a temp copy of the
 *    layout (src/core, src/cli, src/ports, the config, node_modules linked)
 *    with one planted file per forbidden import.
 * A control snippet and the same code outside src/core must pass, so the
 * rules are aimed, not blanket.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Forbidden in src/core, each with the ESLint rule that must catch it. */
const LINT_PLANTS: Array<{ name: string; code: string; rule: string }> = [
  { name: 'static node:fs', code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", rule: 'no-restricted-imports' },
  { name: 'bare crypto', code: "import { createHash } from 'crypto';\nexport const x = createHash;", rule: 'no-restricted-imports' },
  { name: 'bare events', code: "import { EventEmitter } from 'events';\nexport const x = EventEmitter;", rule: 'no-restricted-imports' },
  { name: 'bare stream', code: "import { Readable } from 'stream';\nexport const x = Readable;", rule: 'no-restricted-imports' },
  { name: 'bare timers', code: "import { setTimeout as t } from 'timers';\nexport const x = t;", rule: 'no-restricted-imports' },
  { name: 'timers/promises', code: "import { setTimeout as t } from 'node:timers/promises';\nexport const x = t;", rule: 'no-restricted-imports' },
  { name: 'fs/promises', code: "import { readFile } from 'fs/promises';\nexport const x = readFile;", rule: 'no-restricted-imports' },
  { name: 'dynamic import(node:fs)', code: "export async function f() {\n  const fs = await import('node:fs');\n  return fs;\n}", rule: 'no-restricted-syntax' },
  { name: 'dynamic import of a computed name', code: "export async function f(m: string) {\n  return import(m);\n}", rule: 'no-restricted-syntax' },
  { name: 'new Date() without arguments', code: 'export const now = new Date();', rule: 'no-restricted-syntax' },
  { name: 'Date() as a function', code: 'export const now = Date();', rule: 'no-restricted-syntax' },
  { name: 'Date.now()', code: 'export const now = Date.now();', rule: 'no-restricted-properties' },
  { name: 'Math.random()', code: 'export const r = Math.random();', rule: 'no-restricted-properties' },
  { name: 'process.env', code: 'export const v = process.env.HOME;', rule: 'no-restricted-globals' },
  { name: 'globalThis.process.env', code: 'export const v = globalThis.process.env.HOME;', rule: 'no-restricted-globals' },
  { name: 'globalThis.Date.now()', code: 'export const v = globalThis.Date.now();', rule: 'no-restricted-globals' },
  { name: 'performance.now()', code: 'export const t = performance.now();', rule: 'no-restricted-globals' },
  { name: 'setTimeout', code: 'export const t = () => setTimeout(() => undefined, 10);', rule: 'no-restricted-globals' },
  { name: 'crypto.randomUUID()', code: 'export const id = crypto.randomUUID();', rule: 'no-restricted-globals' },
  { name: 'fetch', code: "export const r = () => fetch('http://127.0.0.1/');", rule: 'no-restricted-globals' },
  { name: 'oclif', code: "import { Command } from '@oclif/core';\nexport const x = Command;", rule: 'no-restricted-imports' },
  { name: 'an outer layer', code: "import { renderTable } from '../cli/style.js';\nexport const x = renderTable;", rule: 'no-restricted-imports' },
];

/** Forbidden in src/core, each a file that dependency-cruiser must report with this rule. */
const CRUISE_PLANTS: Array<{ file: string; code: string; rule: string }> = [
  { file: 'p-crypto.ts', code: "import { createHash } from 'node:crypto';\nexport const x = createHash;", rule: 'core-no-node-io' },
  { file: 'p-events.ts', code: "import { EventEmitter } from 'events';\nexport const x = EventEmitter;", rule: 'core-no-node-io' },
  { file: 'p-stream.ts', code: "import { Readable } from 'stream';\nexport const x = Readable;", rule: 'core-no-node-io' },
  { file: 'p-timers.ts', code: "import { setTimeout as t } from 'timers';\nexport const x = t;", rule: 'core-no-node-io' },
  { file: 'p-fs-promises.ts', code: "import { readFile } from 'node:fs/promises';\nexport const x = readFile;", rule: 'core-no-node-io' },
  { file: 'p-dynamic-fs.ts', code: "export async function f() {\n  return import('node:fs');\n}", rule: 'core-no-node-io' },
  { file: 'p-cli.ts', code: "import { renderTable } from '../cli/style.js';\nexport const x = renderTable;", rule: 'core-is-pure' },
  { file: 'p-oclif.ts', code: "import { Command } from '@oclif/core';\nexport const x = Command;", rule: 'core-is-pure' },
  { file: 'p-port-runtime.ts', code: "import { PORT } from '../ports/cache.js';\nexport const x = PORT;", rule: 'core-sees-port-types-only' },
];

describe('ESLint: src/core purity rules fail on planted code', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (code: string, file: string) => (await eslint.lintText(code, { filePath: join(ROOT, file) }))[0]!.messages;

  it.each(LINT_PLANTS)('$name is rejected by $rule', async ({ code, rule }) => {
    const messages = await lint(code, 'src/core/planted.ts');
    expect(messages.filter((m) => m.severity === 2).map((m) => m.ruleId)).toContain(rule);
  });

  it('pure code in src/core passes (the control)', async () => {
    const code = "import { z } from 'zod';\nexport const at = (ms: number) => new Date(ms).toISOString();\nexport const s = z.string();\nexport const t = Date.UTC(2026, 0, 1);";
    expect(await lint(code, 'src/core/planted.ts')).toEqual([]);
  });

  it('the same usages outside src/core are allowed (the rules are aimed at the core)', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\nexport const v = process.env.HOME;\nexport const now = new Date();\nexport const t = performance.now();";
    expect(await lint(code, 'src/cli/planted.ts')).toEqual([]);
  });
});

describe('dependency-cruiser: src/core rules fail on planted imports', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'relia-arch-'));
    for (const f of ['.dependency-cruiser.cjs', 'tsconfig.base.json', 'package.json']) cpSync(join(ROOT, f), join(dir, f));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const d of ['src/core', 'src/cli', 'src/ports']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'src/cli/style.ts'), 'export const renderTable = () => "";\n');
    writeFileSync(join(dir, 'src/ports/cache.ts'), 'export const PORT = 1;\nexport interface Cache { kind: string }\n');
    writeFileSync(join(dir, 'src/core/clean.ts'), "import type { Cache } from '../ports/cache.js';\nexport const kind = (c: Cache) => c.kind;\n");
    for (const p of CRUISE_PLANTS) writeFileSync(join(dir, 'src/core', p.file), `${p.code}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports every planted file under the rule that owns it, and nothing for the clean one', async () => {
    const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    // The same invocation as `npm run arch` (the `err` reporter and its exit code).
    const run = await promisify(execFile)(process.execPath, [bin, 'src', '--config', '.dependency-cruiser.cjs'], { cwd: dir }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; code: number }) => e,
    );
    const found = [...run.stdout.matchAll(/error (\S+): (\S+) →/g)].map((m) => `${m[2]} ${m[1]}`);
    for (const p of CRUISE_PLANTS) expect(found, p.file).toContain(`src/core/${p.file} ${p.rule}`);
    expect(found.filter((f) => f.startsWith('src/core/clean.ts'))).toEqual([]);
    expect(run.code).toBeGreaterThan(0); // depcruise exits with the number of errors
  }, 180_000); // a subprocess cruising a tree: seconds alone, much longer on a loaded machine
});
