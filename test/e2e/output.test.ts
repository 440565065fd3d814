/**
 * Output that fits the screen: `budget status` in a real terminal (tmux) at
 * 80 and 160 columns, COLUMNS off a TTY, --wide and -o, against the real
 * Prometheus history.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BudgetStatusResult } from '../../commands/budget/status.js';
import type { HistoryExpected } from '../../scripts/history/expected.mjs';
import { relia } from '../helpers/relia.js';
import { servers } from '../helpers/servers.js';
import { HAS_TMUX, reliaScreen } from '../helpers/tty.js';

const tmp = mkdtempSync(join(tmpdir(), 'relia-output-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let args: string[];

beforeAll(() => {
  const info = servers();
  const end = (JSON.parse(readFileSync(info.history.expectedFile, 'utf8')) as HistoryExpected).end;
  const specs = ['checkout', 'search', 'playback'].map(
    (s) => `apiVersion: relia/v1\nkind: SLO\nservice: ${s}\nname: availability\nobjective: 99.9\nwindow: 30d\nsli:\n  bad: sum(rate(http_requests_total{service="${s}",code="500"}[{{.window}}]))\n  total: sum(rate(http_requests_total{service="${s}"}[{{.window}}]))\n`,
  );
  writeFileSync(join(tmp, 'slos.yaml'), specs.join('---\n'));
  args = ['budget', 'status', '--slo', join(tmp, 'slos.yaml'), '--prometheus', info.prometheus.url, '--at', end];
});

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');
const header = (text: string) => lines(text).find((l) => l.startsWith('SLO')) ?? '';

/** `budget status` on a real terminal (tmux) of this width, to the end: the screen. */
async function inTmux(columns: number, argv: string[]): Promise<string> {
  const { exitCode, screen } = await reliaScreen(argv, { columns, rows: 50 });
  expect(exitCode, screen).toBe(0);
  return screen;
}

describe('budget status fits the terminal', () => {
  it.runIf(HAS_TMUX)('at 80 columns in a real terminal: SLO, verdict, remaining and fastest burn, nothing wrapped, the rest named', async () => {
    const screen = await inTmux(80, args);
    for (const l of lines(screen)) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(header(screen)).toMatch(/^SLO\s+VERDICT\s+REMAINING\s+FASTEST BURN/);
    expect(screen).toMatch(/\d+ more columns at this width \(WINDOW, .*\): --wide or -o wide shows them/);
    expect(lines(screen).filter((l) => l.endsWith('/availability') || /\/availability\s/.test(l)).length).toBeGreaterThanOrEqual(3);
  });

  it.runIf(HAS_TMUX)('at 160 columns more of the detail fits', async () => {
    const screen = await inTmux(160, args);
    for (const l of lines(screen)) expect([...l].length, l).toBeLessThanOrEqual(160);
    const narrow = header(await inTmux(80, args)).split(/\s{2,}/).length;
    expect(header(screen).split(/\s{2,}/).length).toBeGreaterThan(narrow);
  });

  it('COLUMNS applies off a TTY; without it a pipe gets every column; --wide and -o wide show all', async () => {
    const piped = await relia(args);
    expect(header(piped.stdout)).toContain('BURN 3d');
    const narrow = await relia(args, { env: { COLUMNS: '80' } });
    for (const l of lines(narrow.stdout)) expect([...l].length, l).toBeLessThanOrEqual(80);
    expect(header(narrow.stdout)).not.toContain('BURN 3d');
    expect(header((await relia([...args, '--wide'], { env: { COLUMNS: '80' } })).stdout)).toContain('BURN 3d');
    expect(header((await relia([...args, '-o', 'wide'], { env: { COLUMNS: '80' } })).stdout)).toContain('BURN 3d');
  });

  it('-o json, -o yaml and -o markdown', async () => {
    const json = await relia([...args, '-o', 'json']);
    const doc = JSON.parse(json.stdout) as { result: BudgetStatusResult };
    expect(doc.result.slos).toHaveLength(3);
    const yaml = await relia([...args, '-o', 'yaml']);
    expect((parseYaml(yaml.stdout) as { result: BudgetStatusResult }).result.slos.map((s) => s.id)).toEqual(doc.result.slos.map((s) => s.id));
    const md = await relia([...args, '-o', 'markdown'], { env: { COLUMNS: '80' } });
    expect(md.stdout).toMatch(/^\| SLO \| VERDICT \| REMAINING \| FASTEST BURN \|.*\| BURN 3d \|$/m);
  });
});
