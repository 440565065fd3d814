/**
 * A rate over a sliding window of samples, for progress bars. Measuring from
 * the command's start would count startup (config, providers, connecting) as
 * idle work time: the bar would show half the real rate and twice the ETA
 * early on. The window starts at the first sample, so startup never counts,
 * and forgets samples older than `windowMs`, so the rate follows the present.
 * No rate is shown until the samples span `minSpanMs` (1 s, or the window if
 * shorter): a rate limiter's initial burst over the first 50 ms would read as
 * twice the `--rate` the run keeps to.
 */
export class RateMeter {
  private readonly samples: Array<{ t: number; done: number }> = [];

  private readonly minSpanMs: number;

  constructor(
    private readonly windowMs = 10_000,
    minSpanMs = 1000,
  ) {
    this.minSpanMs = Math.min(minSpanMs, windowMs);
  }

  /** Record `done` items at time `t` (ms). Samples must not go back in time. */
  add(t: number, done: number): void {
    const last = this.samples.at(-1);
    if (last && t <= last.t) {
      last.done = done;
      return;
    }
    this.samples.push({ t, done });
    // Keep one sample at or before the window's start, so the window is always full once it can be.
    while (this.samples.length > 2 && (this.samples[1] as { t: number }).t <= t - this.windowMs) this.samples.shift();
  }

  /** Items per second over the window; 0 until the samples span `minSpanMs`. */
  rate(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t <= first.t || last.t - first.t < this.minSpanMs) return 0;
    return Math.max(0, (last.done - first.done) / ((last.t - first.t) / 1000));
  }

  /** Seconds to finish `total`, or null when unknown (no total, no rate yet). */
  eta(total: number | null): number | null {
    const last = this.samples.at(-1);
    const r = this.rate();
    if (total === null || !last || r <= 0) return null;
    return Math.max(0, (total - last.done) / r);
  }
}
