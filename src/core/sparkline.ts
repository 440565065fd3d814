/** Unicode sparklines for terminal tables. Pure. */
const BARS = '▁▂▃▄▅▆▇█';

/**
 * Render values as one character each. `min`/`max` pin the scale (e.g. 0..1 for
 * budget remaining); non-finite values render as a space. Long series are
 * downsampled to `width` by averaging buckets.
 */
export function sparkline(values: readonly number[], options: { width?: number; min?: number; max?: number } = {}): string {
  const series = options.width !== undefined && values.length > options.width ? downsample(values, options.width) : [...values];
  const finite = series.filter(Number.isFinite);
  if (finite.length === 0) return ' '.repeat(series.length);
  const lo = options.min ?? Math.min(...finite);
  const hi = options.max ?? Math.max(...finite);
  const span = hi - lo;
  return series
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (span <= 0) return BARS[3];
      const clamped = Math.min(hi, Math.max(lo, v));
      return BARS[Math.min(BARS.length - 1, Math.floor(((clamped - lo) / span) * BARS.length))];
    })
    .join('');
}

function downsample(values: readonly number[], width: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / width));
    const bucket = values.slice(from, to).filter(Number.isFinite);
    out.push(bucket.length ? bucket.reduce((a, b) => a + b, 0) / bucket.length : Number.NaN);
  }
  return out;
}
