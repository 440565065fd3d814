/**
 * Issue 15: the progress bar on a real terminal (tmux), through an interrupt.
 * `cache warm` against the real Redis and origin, stdout sent to a file so
 * the screen shows stderr alone: the bar is on stderr, Ctrl-C mid-run prints
 * what was done, the checkpoint and the exact resume command, exits 130, and
 * leaves no half-known status (`0/?`, `ETA --`, a dangling `·`) on screen.
 * Then `--progress json` and `--json` on a terminal.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reliaJson, type Envelope } from '../helpers/relia.js';
import { servers, uniquePrefix } from '../helpers/servers.js';
import { HAS_TMUX, reliaOnTty, until } from '../helpers/tty.js';

const DB = 12;
let redis: Redis;
let dir: string;
beforeAll(() => {
  redis = new Redis(`${servers().redis[0]!.url}/${DB}`);
  dir = mkdtempSync(join(tmpdir(), 'relia-progress-tty-'));
});
afterAll(async () => {
  await redis.quit();
});

function keysFile(name: string, n: number): { file: string; prefix: string } {
  const prefix = uniquePrefix(name);
  const file = join(dir, `${name}.txt`);
  writeFileSync(file, `${Array.from({ length: n }, (_, i) => `${prefix}${i}`).join('\n')}\n`);
  return { file, prefix };
}
const warmArgs = (file: string) => ['cache', 'warm', '--source', file, '--target', `${servers().redis[0]!.url}/${DB}`, '--origin', `${servers().origin.url}/items/{key}`, '--ttl', '10m'];

/** No status part that says nothing: no unknown total, no unknown ETA, no separator with nothing beside it. */
function expectNoDanglingStatus(screen: string): void {
  expect(screen).not.toMatch(/\d+\/\?/);
  expect(screen).not.toMatch(/ETA\s*--/);
  expect(screen).not.toMatch(/·\s*$/m);
  expect(screen).not.toMatch(/^\s*·/m);
  expect(screen).not.toMatch(/·\s*·/);
}

describe.runIf(HAS_TMUX)('the progress bar on a terminal', () => {
  it('Ctrl-C mid-warm: the bar on stderr, then what was done, the checkpoint and the exact resume command; exit 130', { timeout: 200_000 }, async () => {
    const { file } = keysFile('ctrlc', 600);
    const checkpoint = join(dir, 'ctrlc.json');
    const stdoutFile = join(dir, 'ctrlc.out');
    const args = [...warmArgs(file), '--rate', '50/s', '--checkpoint', checkpoint];
    const s = await reliaOnTty(args, dir, { columns: 100, stdoutFile });
    let barDone = 0;
    await until(
      async () => {
        const m = /^warming [█░]+ (\d+)\/600 \d+%$/m.exec(await s.screen());
        barDone = m ? Number(m[1]) : 0;
        return barDone >= 80; // past the first second: the rate shows once the samples span 1 s
      },
      'the bar to show 80 keys warmed',
      60_000,
    );
    await s.keys('C-c');
    const { exitCode, screen } = await s.exit(30_000);
    expect(exitCode, screen).toBe(130);

    // The screen is stderr alone: the bar, its status line, then the interrupt's lines.
    expect(screen).toMatch(/^warming [█░]+ \d+\/600 \d+%$/m);
    expect(screen).toMatch(/^[\d.]+\/s · ETA \d+(m\d{2})?s · warmed \d+ · hot 0 · failed 0/m);
    const done = /^relia: interrupted by SIGINT: (\d+) of 600 keys done \((\d+) warmed, 0 already hot, 0 failed\)$/m.exec(screen);
    expect(done, screen).not.toBeNull();
    expect(screen).toContain(`relia: checkpoint saved: ${checkpoint}`);
    expect(screen).toContain(`relia: resume with: relia ${args.join(' ').replace(`${servers().origin.url}/items/{key}`, `'${servers().origin.url}/items/{key}'`)}`);
    expect(screen).not.toMatch(/Error:|internal error|bug/i);
    expectNoDanglingStatus(screen);
    // The report went to stdout (the file), not the screen.
    const report = readFileSync(stdoutFile, 'utf8');
    expect(report).toMatch(/^not reached\s+\d+ \(stopped: signal\)$/m);
    expect(screen).not.toContain('not reached');

    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { doneCount: number };
    expect(saved.doneCount).toBe(Number(done![1]));
    expect(saved.doneCount).toBeGreaterThanOrEqual(barDone);
    // The printed command resumes: only the rest is warmed, and every key ends warm.
    const resumed = await reliaJson([...args, '--no-progress'], { cwd: dir, timeoutMs: 90_000 });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.json.result).toMatchObject({ resumed: saved.doneCount, attempted: 600 - saved.doneCount, failed: 0, checkpoint: 'cleared' });
    expect(existsSync(checkpoint)).toBe(false);
  });

  it('--json on a terminal keeps the bar on stderr; stdout is the one envelope', { timeout: 90_000 }, async () => {
    const { file } = keysFile('json-bar', 200);
    const stdoutFile = join(dir, 'json-bar.out');
    const { exitCode, screen } = await (await reliaOnTty([...warmArgs(file), '--json'], dir, { columns: 100, stdoutFile })).exit(60_000);
    expect(exitCode, screen).toBe(0);
    expect(screen).toMatch(/^warming [█]+ 200\/200 100%$/m);
    expect(screen).not.toContain('{"event"');
    expectNoDanglingStatus(screen);
    const envelope = JSON.parse(readFileSync(stdoutFile, 'utf8')) as Envelope<{ warmed: number }>;
    expect(envelope.result?.warmed).toBe(200);
  });

  it('--progress json on a terminal: JSON lines on stderr instead of the bar', { timeout: 90_000 }, async () => {
    const { file } = keysFile('progress-json', 200);
    const stdoutFile = join(dir, 'progress-json.out');
    const { exitCode, screen } = await (await reliaOnTty([...warmArgs(file), '--progress', 'json', '--rate', '100/s', '--progress-interval', '500ms'], dir, { columns: 200, stdoutFile })).exit(60_000);
    expect(exitCode, screen).toBe(0);
    expect(screen).not.toContain('█');
    const events = screen.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; done: number; total: number });
    expect(events.at(-1)).toMatchObject({ event: 'done', done: 200, total: 200 });
    expect(events.filter((e) => e.event === 'progress').length).toBeGreaterThanOrEqual(1);
  });
});

describe('--progress off a terminal', () => {
  it('auto writes JSON lines on stderr; bar and none write nothing there', { timeout: 90_000 }, async () => {
    const { file } = keysFile('off-tty', 50);
    const auto = await reliaJson([...warmArgs(file), '--refresh']);
    expect(auto.exitCode).toBe(0);
    expect(auto.stderr).toMatch(/^\{"event":"done","label":"warming","done":50,"total":50,/m);
    for (const mode of ['bar', 'none']) {
      const r = await reliaJson([...warmArgs(file), '--refresh', '--progress', mode]);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
    }
  });
});
