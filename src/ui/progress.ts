/**
 * The progress facade. Commands call `startProgress()` and `update()`; on a TTY
 * that is an ink bar (ink and React load only then), otherwise a JSON line on
 * stderr every `intervalMs` (for cron logs), and with --json nothing at all
 * on stdout. Never decorative output off a TTY.
 */
import type { ProgressState } from './progress-view.js';
import { RateMeter } from './rate.js';

export interface Progress {
  update(done: number, counters?: Record<string, number>, total?: number | null): void;
  stop(): Promise<void>;
}

export interface ProgressOptions {
  label: string;
  total: number | null;
  /** ink bar when true; JSON lines when false. */
  tty: boolean;
  /** Emit nothing at all (e.g. --json with no progress wanted). */
  silent?: boolean;
  intervalMs?: number;
  /** The sliding window the rate and ETA are measured over (default 10 s). */
  rateWindowMs?: number;
  now?: () => number;
  write?: (line: string) => void;
}

export async function startProgress(options: ProgressOptions): Promise<Progress> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const state: ProgressState = { label: options.label, done: 0, total: options.total, ratePerSecond: 0, etaSeconds: null, counters: {} };
  const meter = new RateMeter(options.rateWindowMs);
  const recompute = () => {
    meter.add(now(), state.done);
    state.ratePerSecond = meter.rate();
    state.etaSeconds = meter.eta(state.total);
  };
  if (options.silent) return { update: () => undefined, stop: async () => undefined };

  if (options.tty) {
    const [{ render }, { createElement }, { ProgressView }] = await Promise.all([import('ink'), import('react'), import('./progress-view.js')]);
    const app = render(createElement(ProgressView, { state: { ...state } }), { stdout: process.stderr, stderr: process.stderr, exitOnCtrlC: false, patchConsole: true });
    let last = 0;
    return {
      update(done, counters, total) {
        state.done = done;
        if (counters) state.counters = counters;
        if (total !== undefined) state.total = total;
        recompute();
        const t = now();
        if (t - last >= 100) {
          last = t;
          app.rerender(createElement(ProgressView, { state: { ...state } }));
        }
      },
      async stop() {
        recompute();
        app.rerender(createElement(ProgressView, { state: { ...state } }));
        app.unmount();
        await app.waitUntilExit();
      },
    };
  }

  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const interval = options.intervalMs ?? 5_000;
  let lastEmit = started;
  const emit = (event: 'progress' | 'done') => {
    recompute();
    write(
      JSON.stringify({
        event,
        label: state.label,
        done: state.done,
        total: state.total,
        ratePerSecond: Number(state.ratePerSecond.toFixed(2)),
        etaSeconds: state.etaSeconds === null ? null : Math.round(state.etaSeconds),
        ...state.counters,
      }),
    );
  };
  return {
    update(done, counters, total) {
      state.done = done;
      if (counters) state.counters = counters;
      if (total !== undefined) state.total = total;
      const t = now();
      if (t - lastEmit >= interval) {
        lastEmit = t;
        emit('progress');
      }
    },
    async stop() {
      emit('done');
    },
  };
}
