/**
 * Issue 10, class 5: interrupts and typos are never blamed on relia and never
 * run something else. The BUILT CLI, on and off a TTY (tmux), against the real
 * Redis for the invalidate confirmation.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relia, reliaJson } from '../helpers/relia.js';
import { servers, uniquePrefix } from '../helpers/servers.js';
import { HAS_TMUX, reliaOnTty, until } from '../helpers/tty.js';

const DB = 9;
let redis: Redis;
beforeAll(async () => {
  redis = new Redis(`${servers().redis[0]!.url}/${DB}`);
});
afterAll(async () => {
  await redis.quit();
});

describe('a mistyped command is never run', () => {
  it('off a TTY: exit 2, names the closest command, runs nothing', async () => {
    const r = await relia(['capacity', 'littl', '--arrival-rate', '10/s', '--time-in-system', '2s']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('"capacity littl" is not a relia command');
    expect(r.stderr).toContain('relia capacity little');
    expect(r.stdout).toBe('');
  });

  it('--json: exit 2 with the envelope', async () => {
    const r = await reliaJson(['cache', 'invalidat', '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.json.error?.name).toBe('CommandNotFound');
    expect(r.json.error?.suggestions.join('\n')).toContain('relia cache invalidate');
  });

  it.runIf(HAS_TMUX)('on a TTY: no "did you mean?" prompt; Enter does not run the guess', async () => {
    const p = uniquePrefix('typo');
    await redis.set(`${p}a`, '1');
    const target = `${servers().redis[0]!.url}/${DB}`;
    const s = await reliaOnTty(['cache', 'invalidat', '--target', target, '--pattern', `${p}*`, '--over', '1s', '--yes'], process.cwd());
    await until(async () => (await s.screen()).includes('not a relia command'), 'the not-found message');
    await s.keys('Enter');
    const { exitCode, screen } = await s.exit();
    expect(exitCode).toBe(2);
    expect(screen).not.toMatch(/Did you mean .*\?/);
    expect(await redis.exists(`${p}a`)).toBe(1);
  });
});

describe.runIf(HAS_TMUX)('Ctrl-C at a prompt: exit 130, quietly, nothing written', () => {
  it('relia init', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-init-'));
    const s = await reliaOnTty(['init'], dir);
    await until(async () => (await s.screen()).includes('Environment name'), 'the first prompt');
    await s.keys('C-c');
    const { exitCode, screen } = await s.exit();
    expect(exitCode).toBe(130);
    expect(screen).not.toMatch(/bug|internal error|Error:/i);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'relia.config.yaml'))).toBe(false);
  });

  it('the cache invalidate confirmation', async () => {
    const p = uniquePrefix('ctrlc');
    await redis.mset(`${p}a`, '1', `${p}b`, '2');
    const target = `${servers().redis[0]!.url}/${DB}`;
    const s = await reliaOnTty(['cache', 'invalidate', '--target', target, '--pattern', `${p}*`, '--over', '1s'], process.cwd());
    await until(async () => (await s.screen()).includes('these 2 keys now?'), 'the confirmation');
    await s.keys('C-c');
    const { exitCode, screen } = await s.exit();
    expect(exitCode).toBe(130);
    expect(screen).not.toMatch(/bug|internal error|Error:/i);
    expect(await redis.exists(`${p}a`, `${p}b`)).toBe(2);
  });
});
