/**
 * The architecture rules must be able to fail. Each forbidden import or
 * usage is planted in src/core and the check that owns it must reject it:
 *  - ESLint (eslint.config.js) lints each snippet as if it were a file in
 *    src/core (`lintText` with a filePath: nothing is written to the repo);
 *  - dependency-cruiser (.dependency-cruiser.cjs) cruises a temp copy of the
 *    layout (src/core, src/cli, src/ports, src/ui, commands, a plugin with a
 *    provider hook; the config; node_modules linked) with one planted file per
 *    forbidden import, for every rule of the config, the way `npm run arch`
 *    cruises (src commands plugins).
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
  ...['ink', 'react', '@inquirer/prompts', 'execa', 'ioredis', 'undici', '@aws-sdk/client-ec2', '@kubernetes/client-node'].map((lib) => ({
    name: `the client or UI library ${lib}`,
    code: `import * as lib from '${lib}';\nexport const x = lib;`,
    rule: 'no-restricted-imports',
  })),
  ...['../ui/progress.js', '../../plugins/redis/src/adapter.js', '../../commands/budget/check.js'].map((path) => ({
    name: `the outer layer ${path}`,
    code: `import * as outer from '${path}';\nexport const x = outer;`,
    rule: 'no-restricted-imports',
  })),
  { name: 'global', code: 'export const v = global.process;', rule: 'no-restricted-globals' },
  { name: 'require', code: "export const fs = require('node:fs');", rule: 'no-restricted-globals' },
  { name: 'setInterval', code: 'export const t = () => setInterval(() => undefined, 10);', rule: 'no-restricted-globals' },
  { name: 'setImmediate', code: 'export const t = () => setImmediate(() => undefined);', rule: 'no-restricted-globals' },
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
  { file: 'p-ui.ts', code: "import { start } from '../ui/progress.js';\nexport const x = start;", rule: 'core-is-pure' },
  { file: 'p-plugin.ts', code: "import { adapter } from '../../plugins/demo/src/adapter.js';\nexport const x = adapter;", rule: 'core-is-pure' },
  { file: 'p-command.ts', code: "import { command } from '../../commands/demo/run.js';\nexport const x = command;", rule: 'core-is-pure' },
  ...['ink', 'react', '@inquirer/prompts', 'execa', 'ioredis', 'undici', '@aws-sdk/client-ec2', '@kubernetes/client-node'].map((lib) => ({
    file: `p-lib-${lib.replace(/\W/g, '-')}.ts`,
    code: `import * as lib from '${lib}';\nexport const x = lib;`,
    rule: 'core-is-pure',
  })),
];

/**
 * The layer rules outside src/core, each a file planted where the rule looks (path from the temp root) that
 * dependency-cruiser must report with that rule. The outer layers are stubs: `src/ui/progress.ts`,
 * `commands/demo/run.ts`, `plugins/demo/src/adapter.ts`.
 */
const LAYER_PLANTS: Array<{ file: string; code: string; rule: string }> = [
  { file: 'src/core/p-cycle-a.ts', code: "import { b } from './p-cycle-b.js';\nexport const a = () => b;", rule: 'no-cycles' },
  { file: 'src/ports/p-runtime.ts', code: "import { kind } from '../core/clean.js';\nexport const x = kind;", rule: 'ports-are-interfaces' },
  { file: 'commands/demo/p-plugin.ts', code: "import { adapter } from '../../plugins/demo/src/adapter.js';\nexport const x = adapter;", rule: 'commands-use-providers' },
  { file: 'commands/demo/p-client.ts', code: "import Redis from 'ioredis';\nexport const x = Redis;", rule: 'commands-use-providers' },
  { file: 'plugins/demo/src/p-core.ts', code: "import { kind } from '../../../src/core/clean.js';\nexport const x = kind;", rule: 'plugins-see-ports-only' },
  { file: 'plugins/demo/src/p-cli.ts', code: "import { renderTable } from '../../../src/cli/style.js';\nexport const x = renderTable;", rule: 'plugins-see-ports-only' },
  { file: 'plugins/demo/src/p-port-runtime.ts', code: "import { PORT } from '../../../src/ports/cache.js';\nexport const x = PORT;", rule: 'plugins-see-port-types-only' },
  { file: 'src/cli/p-aws.ts', code: "import { EC2Client } from '@aws-sdk/client-ec2';\nexport const x = EC2Client;", rule: 'cloud-sdks-only-in-plugins' },
  { file: 'commands/demo/p-kube.ts', code: "import { KubeConfig } from '@kubernetes/client-node';\nexport const x = KubeConfig;", rule: 'cloud-sdks-only-in-plugins' },
  { file: 'plugins/demo/src/hooks/p-sdk.ts', code: "import { request } from 'undici';\nexport const x = request;", rule: 'sdks-not-in-provider-hooks' },
  { file: 'plugins/demo/src/hooks/p-static-adapter.ts', code: "import { adapter } from '../adapter.js';\nexport const x = adapter;", rule: 'provider-hooks-load-adapters-lazily' },
];

/** The other half of the planted cycle (depcruise reports a cycle once, at the file it met first). */
const CYCLE_PARTNER = { file: 'src/core/p-cycle-b.ts', code: "import { a } from './p-cycle-a.js';\nexport const b = () => a;" };

/** What each rule must let through: a hook that loads its adapter and SDK inside create(), a plugin's port types, a command using the CLI. */
const LAYER_CONTROLS: Array<{ file: string; code: string }> = [
  { file: 'plugins/demo/src/hooks/providers.ts', code: "import type { Cache } from '../../../../src/ports/cache.js';\nexport const create = async (c: Cache) => [c.kind, (await import('../adapter.js')).adapter];" },
  { file: 'plugins/demo/src/types.ts', code: "import type { Cache } from '../../../src/ports/cache.js';\nexport const kind = (c: Cache) => c.kind;" },
  { file: 'commands/demo/ok.ts', code: "import { renderTable } from '../../src/cli/style.js';\nimport { kind } from '../../src/core/clean.js';\nexport const x = [renderTable, kind];" },
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

describe('dependency-cruiser: every layer rule fails on planted imports', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'relia-arch-'));
    for (const f of ['.dependency-cruiser.cjs', 'tsconfig.base.json', 'package.json']) cpSync(join(ROOT, f), join(dir, f));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const d of ['src/core', 'src/cli', 'src/ports', 'src/ui', 'commands/demo', 'plugins/demo/src/hooks']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'src/cli/style.ts'), 'export const renderTable = () => "";\n');
    writeFileSync(join(dir, 'src/ui/progress.ts'), 'export const start = () => "";\n');
    writeFileSync(join(dir, 'commands/demo/run.ts'), 'export const command = () => "";\n');
    writeFileSync(join(dir, 'plugins/demo/src/adapter.ts'), 'export const adapter = () => "";\n');
    writeFileSync(join(dir, 'src/ports/cache.ts'), 'export const PORT = 1;\nexport interface Cache { kind: string }\n');
    writeFileSync(join(dir, 'src/core/clean.ts'), "import type { Cache } from '../ports/cache.js';\nexport const kind = (c: Cache) => c.kind;\n");
    for (const p of CRUISE_PLANTS) writeFileSync(join(dir, 'src/core', p.file), `${p.code}\n`);
    for (const p of [...LAYER_PLANTS, CYCLE_PARTNER, ...LAYER_CONTROLS]) writeFileSync(join(dir, p.file), `${p.code}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports every planted file under the rule that owns it, and nothing for the clean ones', async () => {
    const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    // The same invocation as `npm run arch` (the `err` reporter and its exit code).
    const run = await promisify(execFile)(process.execPath, [bin, 'src', 'commands', 'plugins', '--config', '.dependency-cruiser.cjs'], { cwd: dir }).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; code: number }) => e,
    );
    const found = [...run.stdout.matchAll(/error (\S+): (\S+) →/g)].map((m) => `${m[2]} ${m[1]}`);
    for (const p of CRUISE_PLANTS) expect(found, p.file).toContain(`src/core/${p.file} ${p.rule}`);
    for (const p of LAYER_PLANTS) expect(found, p.file).toContain(`${p.file} ${p.rule}`);
    const clean = ['src/core/clean.ts', ...LAYER_CONTROLS.map((c) => c.file)];
    expect(found.filter((f) => clean.includes(f.split(' ')[0]!))).toEqual([]);
    expect(run.code).toBeGreaterThan(0); // depcruise exits with the number of errors
  }, 180_000); // a subprocess cruising a tree: seconds alone, much longer on a loaded machine
});
