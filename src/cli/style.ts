/**
 * Terminal styling: colour only on a TTY, never under NO_COLOR (or TERM=dumb);
 * FORCE_COLOR=1 forces it (tests, `less -R`). Tables via cli-table3.
 */
import { styleText } from 'node:util';
import Table from 'cli-table3';

type Stream = { isTTY?: boolean };

export function colorEnabled(stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== '') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

type Format = Parameters<typeof styleText>[0];

export function makeStyle(enabled: boolean) {
  const paint = (format: Format) => (text: string) => (enabled ? styleText(format, text) : text);
  return {
    enabled,
    bold: paint('bold'),
    dim: paint('dim'),
    red: paint('red'),
    green: paint('green'),
    yellow: paint('yellow'),
    cyan: paint('cyan'),
    /** Colour a verdict word consistently everywhere. */
    verdict(v: string): string {
      if (/^(pass|ok|hit|warmed|improving)$/i.test(v)) return paint('green')(v);
      if (/^(fail|blocked|error|miss|untenable|worsening|invalid)$/i.test(v)) return paint('red')(v);
      return paint('yellow')(v);
    },
  };
}
export type Style = ReturnType<typeof makeStyle>;

export interface Column<Row> {
  header: string;
  value: (row: Row) => string | number;
  align?: 'left' | 'right';
}

/** Render rows as a table. Borders are light ASCII so output pastes cleanly into tickets. */
export function renderTable<Row>(columns: Array<Column<Row>>, rows: readonly Row[], style: Style): string {
  const table = new Table({
    head: columns.map((c) => style.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '',
    },
  });
  for (const row of rows) table.push(columns.map((c) => String(c.value(row))));
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** Key/value block: `label  value` lines aligned. */
export function renderPairs(pairs: Array<[string, string | number]>, style: Style): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${style.dim(k.padEnd(width))}  ${v}`).join('\n');
}

/** Format a number to `digits` significant figures without exponent noise. */
export function sig(n: number, digits = 4): string {
  if (!Number.isFinite(n)) return n > 0 ? '∞' : n < 0 ? '-∞' : 'n/a';
  if (n === 0) return '0';
  return String(Number(n.toPrecision(digits)));
}

export function pct(fraction: number, digits = 2): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  return `${(fraction * 100).toFixed(digits)}%`;
}
