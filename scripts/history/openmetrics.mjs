/**
 * OpenMetrics text for the history, split into chunks for promtool.
 *
 * Each chunk is a complete OpenMetrics exposition: one `# TYPE <family> counter`
 * line per family, every series contiguous and time-ordered, samples named
 * `<family>_total`, integer values, timestamps in seconds, and `# EOF` last.
 * Counters carry across chunks because each sample is the cumulative value.
 */
import { STEP_S, FIRST_S } from './model.mjs';

const labelText = (labels) =>
  `{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;

/** OpenMetrics for sample indices [from, to] inclusive, over all series. */
export function openMetricsChunk(series, from, to) {
  const parts = [];
  let family;
  for (const s of series) {
    if (s.family !== family) {
      family = s.family;
      parts.push(`# TYPE ${family} counter\n`);
    }
    const prefix = `${family}_total${labelText(s.labels)} `;
    const lines = new Array(to - from + 1);
    for (let i = from; i <= to; i++) lines[i - from] = `${prefix}${s.cum[i]} ${FIRST_S + i * STEP_S}\n`;
    parts.push(lines.join(''));
  }
  parts.push('# EOF\n');
  return parts.join('');
}

/**
 * Chunk boundaries as sample-index ranges. Boundaries sit on multiples of
 * `chunkSeconds` since the epoch, so with promtool's block duration equal to
 * the chunk length every chunk becomes exactly one block.
 */
export function chunkRanges(lastIndex, chunkSeconds) {
  const ranges = [];
  let from = 0;
  while (from <= lastIndex) {
    const t = FIRST_S + from * STEP_S;
    const boundary = (Math.floor(t / chunkSeconds) + 1) * chunkSeconds;
    const to = Math.min(lastIndex, (boundary - FIRST_S) / STEP_S - 1);
    ranges.push([from, to]);
    from = to + 1;
  }
  return ranges;
}
