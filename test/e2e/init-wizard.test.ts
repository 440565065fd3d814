/**
 * Issue 15: `relia init` on a real terminal (tmux), as a newcomer meets it:
 * a wrong answer is rejected where it was typed and corrected in place (the
 * config schema's check, and the probe that tells a web server from a
 * Prometheus), "skip" is a choice, the token is asked for by its variable's
 * NAME, and the end names the next three commands. The BUILT CLI, against
 * the real Prometheus and nginx of the test servers.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { relia, reliaJson } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';
import { HAS_TMUX, reliaOnTty, until, type TtySession } from '../helpers/tty.js';

/** Wait for `text` on the screen. */
const see = (s: TtySession, text: string) => until(async () => (await s.screen()).includes(text), JSON.stringify(text), 30_000);
/** Type text literally, then Enter. */
const type = async (s: TtySession, text: string) => {
  await s.keys('-l', text);
  await s.keys('Enter');
};

describe.runIf(HAS_TMUX)('relia init on a terminal', () => {
  it('checks each answer as it is typed, offers skip, asks for the token variable and prints the next three commands', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-init-tty-'));
    const prometheus = servers().prometheus.url;
    const s = await reliaOnTty(['init'], dir, { columns: 120 });
    try {
      await see(s, 'Environment name');
      await type(s, 'my env');
      await see(s, 'expected an environment name of letters, digits, . _ -');
      await s.keys('C-u');
      await type(s, 'staging');
      await see(s, 'Prometheus, for budget and capacity commands');
      expect(await s.screen()).toContain('Skip (no metrics for now');
      await s.keys('Enter'); // Enter its URL
      await see(s, 'Prometheus URL');
      await type(s, `${prometheus}/api/v1`);
      await see(s, `drop /api/v1 from the URL (relia adds /api/v1/query itself): ${prometheus}`);
      await s.keys('C-u');
      await type(s, servers().nginx.url); // a web server, not a Prometheus: the probe says so
      await see(s, 'does not look like a Prometheus HTTP API');
      await s.keys('C-u');
      await type(s, prometheus);
      await see(s, `Prometheus answers at ${prometheus}`);
      await see(s, 'Does Prometheus need a bearer token?');
      await s.keys('Down', 'Enter');
      await see(s, 'Environment variable holding the token (its name, not the token)');
      await type(s, 'eyJhbGci.OiJIUzI1-NiJ9');
      await see(s, "(the variable's name, not the token itself)");
      await s.keys('C-u');
      await type(s, 'RELIA_E2E_PROM_TOKEN');
      await see(s, 'RELIA_E2E_PROM_TOKEN is not set in this shell');
      await see(s, 'SLO specs, for a first budget check');
      await s.keys('Down', 'Enter'); // create an example spec
      await see(s, 'Redis, for cache commands');
      await s.keys('Down', 'Enter'); // skip
      const { exitCode, screen } = await s.exit(30_000);
      expect(exitCode, screen).toBe(0);
      expect(screen).not.toMatch(/Error:|internal error/i);

      const next = screen.slice(screen.indexOf('Next, try:')).split('\n').slice(1, 4).map((l) => l.trim());
      expect(next).toEqual(['relia config validate', 'relia budget status', 'relia budget check']);

      const config = parseYaml(readFileSync(join(dir, 'relia.config.yaml'), 'utf8')) as Record<string, unknown>;
      expect(config).toMatchObject({
        defaultEnvironment: 'staging',
        environments: { staging: { metrics: { url: prometheus, auth: { type: 'bearer', tokenEnv: 'RELIA_E2E_PROM_TOKEN' } } } },
        budget: { slos: ['slos'] },
      });
      expect((config.environments as Record<string, Record<string, unknown>>).staging).not.toHaveProperty('redis'); // skipped
      expect(existsSync(join(dir, 'slos', 'example.yaml'))).toBe(true);

      // The printed commands work from there: the config validates, and the budget commands find the specs without --slo.
      expect((await relia(['config', 'validate'], { cwd: dir })).exitCode).toBe(0);
      const specs = await reliaJson(['budget', 'validate'], { cwd: dir });
      expect(specs.json.result).toMatchObject({ slos: [{ id: 'example/availability' }] });
    } finally {
      await s.kill();
    }
  });

  it('with answers given as flags, it asks nothing, even on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relia-init-tty-'));
    const { exitCode, screen } = await (await reliaOnTty(['init', '--prometheus-url', servers().prometheus.url, '--redis-url', `${servers().redis[0]!.url}/0`], dir)).exit(30_000);
    expect(exitCode, screen).toBe(0);
    expect(screen).not.toContain('?');
    expect(screen).toMatch(/Next, try:\n\s+relia config validate\n\s+relia budget status --slo SLO_DIR\n\s+relia cache stats/);
  });
});
