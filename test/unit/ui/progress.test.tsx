import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ProgressView } from '../../../src/ui/progress-view.js';
import { startProgress } from '../../../src/ui/progress.js';
import { sparkline } from '../../../src/core/sparkline.js';

describe('ProgressView (ink)', () => {
  it('renders bar, counts, rate, ETA and counters', () => {
    const { lastFrame } = render(
      <ProgressView width={10} state={{ label: 'warm', done: 50, total: 200, ratePerSecond: 25, etaSeconds: 6, counters: { warmed: 40, hot: 8, failed: 2 } }} />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('warm ███░░░░░░░ 50/200 25%');
    expect(frame).toContain('25/s · ETA 6s · warmed 40 · hot 8 · failed 2');
  });
});

describe('startProgress off a TTY', () => {
  it('writes a JSON line at most every interval, and a final done line', async () => {
    let t = 0;
    const lines: string[] = [];
    const p = await startProgress({ label: 'warm', total: 100, tty: false, intervalMs: 1000, now: () => t, write: (l) => lines.push(l) });
    for (let i = 1; i <= 100; i++) {
      t += 50; // 100 updates over 5 s of virtual time
      p.update(i, { warmed: i });
    }
    await p.stop();
    expect(lines.length).toBe(6); // 5 progress lines (one per second) + done
    const last = JSON.parse(lines.at(-1) as string);
    expect(last).toMatchObject({ event: 'done', done: 100, total: 100, warmed: 100, ratePerSecond: 20, etaSeconds: 0 });
    const first = JSON.parse(lines[0] as string);
    expect(first.event).toBe('progress');
    expect(first.done).toBe(20);
  });

  it('is silent when asked', async () => {
    const lines: string[] = [];
    const p = await startProgress({ label: 'x', total: 1, tty: false, silent: true, write: (l) => lines.push(l) });
    p.update(1);
    await p.stop();
    expect(lines).toEqual([]);
  });
});

describe('sparkline', () => {
  it('maps min..max onto eight bars', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], { min: 0, max: 7 })).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([1, 1, 1])).toBe('▄▄▄');
    expect(sparkline([Number.NaN, 1, 0])).toBe(' █▁');
  });
  it('downsamples to a width by averaging', () => {
    expect(sparkline([0, 0, 1, 1], { width: 2, min: 0, max: 1 })).toBe('▁█');
  });
});

describe('ProgressView status line', () => {
  it('prints no dangling separators when nothing is known yet', async () => {
    const { statusLine } = await import('../../../src/ui/progress-view.js');
    expect(statusLine({ label: 'warm', done: 0, total: null, ratePerSecond: 0, etaSeconds: null, counters: {} })).toBe('starting…');
    expect(statusLine({ label: 'warm', done: 5, total: null, ratePerSecond: 2.5, etaSeconds: null, counters: {} })).toBe('2.5/s');
    expect(statusLine({ label: 'warm', done: 5, total: null, ratePerSecond: 0, etaSeconds: null, counters: { failed: 0 } })).toBe('failed 0');
  });
  it('shows the count without "/?" when the total is unknown', () => {
    const { lastFrame } = render(<ProgressView width={4} state={{ label: 'warm', done: 7, total: null, ratePerSecond: 0, etaSeconds: null, counters: {} }} />);
    expect(lastFrame()).toContain('warm ░░░░ 7');
    expect(lastFrame()).not.toContain('?');
    expect(lastFrame()).not.toMatch(/·\s*$/m);
  });
});
