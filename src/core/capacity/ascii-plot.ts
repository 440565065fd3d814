/**
 * A small ASCII scatter-and-line plot for terminals: measured points as `●`,
 * a fitted curve as `·`, axes labelled with their ranges. Pure: returns lines.
 */

export interface PlotSeries {
  points: ReadonlyArray<readonly [number, number]>;
  mark: string;
}

export interface PlotOptions {
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
}

function label(n: number): string {
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (a >= 1e6 || a < 1e-3) return n.toExponential(2);
  return String(Number(n.toPrecision(4)));
}

/** Later series draw over earlier ones. */
export function asciiPlot(series: readonly PlotSeries[], options: PlotOptions = {}): string[] {
  const width = Math.max(10, options.width ?? 60);
  const height = Math.max(4, options.height ?? 15);
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (all.length === 0) return [];
  const xMin = Math.min(...all.map((p) => p[0]));
  const xMax = Math.max(...all.map((p) => p[0]));
  const yMin = Math.min(0, ...all.map((p) => p[1]));
  const yMax = Math.max(...all.map((p) => p[1]));
  const xSpan = xMax - xMin || 1;
  const ySpan = yMax - yMin || 1;
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      const col = Math.round(((x - xMin) / xSpan) * (width - 1));
      const row = height - 1 - Math.round(((y - yMin) / ySpan) * (height - 1));
      (grid[row] as string[])[col] = s.mark;
    }
  }
  const top = label(yMax);
  const bottom = label(yMin);
  const pad = Math.max(top.length, bottom.length);
  const lines = grid.map((cells, i) => `${(i === 0 ? top : i === height - 1 ? bottom : '').padStart(pad)} │${cells.join('').trimEnd()}`);
  lines.push(`${' '.repeat(pad)} └${'─'.repeat(width)}`);
  const left = label(xMin);
  const right = label(xMax);
  const xl = options.xLabel ?? '';
  const gap = Math.max(1, width - left.length - right.length - xl.length);
  lines.push(`${' '.repeat(pad + 2)}${left}${' '.repeat(Math.floor(gap / 2))}${xl}${' '.repeat(Math.ceil(gap / 2))}${right}`);
  if (options.yLabel) lines.unshift(`${' '.repeat(pad + 2)}${options.yLabel}`);
  return lines;
}
