/**
 * Issue 10, class 4: a loop whose length the input decides checks the abort
 * signal, so SIGINT and SIGTERM stop it. `risk simulate` (BUILT CLI) on a
 * register whose run needs ~1.8×10⁸ draws (just under the refusal limit): the
 * test waits until the run reports its first slice (`--progress json`, a
 * `{"event":"simulate"}` line on stderr: the loop is running), then signals,
 * and the process exits 130 / 143 well within the deadline, printing no result
 * and writing nothing. The latency itself is measured by bench/limits
 * (docs/performance.md), not here.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, recordExit } from '../helpers/relia.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-risk-int-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Generous under load; the figure on a quiet machine is in docs/performance.md. */
const DEADLINE_MS = 5_000;

describe('risk simulate stops on a signal', { timeout: 120_000 }, () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} after the first progress event: exit ${code}, no result, nothing written`, async () => {
      const dir = mkdtempSync(join(tmp, `${signal}-`));
      // ettf 1h: ~8 766 failures a year; 20 000 years ≈ 1.8e8 draws (the limit is 2e8), many seconds of work.
      writeFileSync(join(dir, 'register.yaml'), 'objective: 99.9\nrisks:\n  - { name: flappy, service: api, category: dependency, ettd: 1m, ettr: 4m, impact: 0.1, ettf: 1h }\n');
      const child = execa('node', [BIN, 'risk', 'simulate', '-r', 'register.yaml', '--seed', '1', '--years', '20000', '--progress', 'json'], {
        cwd: dir,
        env: { NO_COLOR: '1', RELIA_CONFIG: undefined, RELIA_ENV: undefined },
        reject: false,
        input: '',
      });
      let stderr = '';
      const started = new Promise<void>((resolve, reject) => {
        child.stderr?.on('data', (chunk: Buffer) => {
          stderr += String(chunk);
          if (stderr.split('\n').some((l) => l.startsWith('{"event":"simulate"'))) resolve();
        });
        void child.then((r) => reject(new Error(`relia ended before its first progress event (exit ${r.exitCode}):\n${stderr}`)));
      });
      await started;
      const first = JSON.parse(stderr.split('\n').find((l) => l.startsWith('{"event":"simulate"')) as string) as { years: number; of: number };
      expect(first.of).toBe(20_000);
      expect(first.years).toBeLessThan(20_000);
      const sent = performance.now();
      child.kill(signal);
      const deadline = new Promise<'deadline'>((resolve) => setTimeout(() => resolve('deadline'), DEADLINE_MS).unref());
      const outcome = await Promise.race([child, deadline]);
      if (outcome === 'deadline') child.kill('SIGKILL');
      expect(outcome, `still running ${DEADLINE_MS} ms after ${signal}`).not.toBe('deadline');
      const r = await child;
      recordExit(r.exitCode, `risk simulate + ${signal}`);
      expect(r.exitCode, String(r.stderr)).toBe(code);
      expect(performance.now() - sent).toBeLessThan(DEADLINE_MS);
      expect(String(r.stdout)).toBe(''); // no result printed
      expect(String(r.stderr)).not.toMatch(/Error|bug in relia/);
      expect(readdirSync(dir)).toEqual(['register.yaml']);
    });
  }
});
