/** `relia failover --help` (and each verb's help) loads no SDK: the AWS and Kubernetes clients load only when a command builds a port. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, relia } from '../helpers/relia.js';

const HEAVY = /node_modules\/(ioredis|undici|@aws-sdk|@smithy|@kubernetes|ink|react|@inquirer)\/|plugins\/(aws|kubernetes|prometheus|redis|http)\/dist\/(?!hooks)/;
const dir = mkdtempSync(join(tmpdir(), 'relia-failover-help-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('failover help is light', () => {
  it.each([[['failover', '--help']], [['failover', 'apply', '--help']], [['failover', 'plan', '--help']]])('relia %j loads no SDK, UI or prompt library', async (args) => {
    const file = join(dir, `${args.join('-')}.txt`);
    const r = await relia(args, { env: { RELIA_TRACE_FILE: file }, nodeOptions: ['--import', join(ROOT, 'test/fixtures/trace-modules.mjs')] });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/failover/);
    const modules = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(modules.some((m) => m.includes('@oclif/core'))).toBe(true);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });
});
