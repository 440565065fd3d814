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

/** How tables are laid out: `width` in columns (Infinity: never drop a column), plain or Markdown. */
export interface TableLayout {
  width: number;
  format: 'table' | 'markdown';
}

/**
 * The width tables must fit: COLUMNS when set (a positive integer), else the
 * terminal's columns when stdout is a TTY, else unlimited (a pipe or a file
 * gets every column, as kubectl does).
 */
export function terminalWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS !== undefined && Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0) return stream.columns;
  return Number.POSITIVE_INFINITY;
}

export function makeStyle(enabled: boolean, layout: TableLayout = { width: Number.POSITIVE_INFINITY, format: 'table' }) {
  const paint = (format: Format) => (text: string) => (enabled ? styleText(format, text) : text);
  return {
    enabled,
    layout,
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
  /**
   * Never dropped to fit the width. By default the first column is kept and
   * the others are dropped from the right: tables list columns by importance.
   */
  keep?: boolean;
}

const GAP = 2;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const visible = (text: string) => [...text.replace(ANSI, '')].length;

/**
 * Render rows as a table that fits `style.layout.width`: when it is too wide,
 * columns are dropped from the right (never the first, nor those marked
 * `keep`), and a last line names them and says how to see them. Borders are
 * light ASCII so output pastes cleanly into tickets; `-o markdown` gives a
 * Markdown table with every column.
 */
export function renderTable<Row>(columns: Array<Column<Row>>, rows: readonly Row[], style: Style): string {
  const cells = rows.map((row) => columns.map((c) => String(c.value(row))));
  if (style.layout.format === 'markdown') return markdownTable(columns, cells);
  const widths = columns.map((c, i) => Math.max(visible(c.header), ...cells.map((r) => visible(r[i] as string))));
  const shown = columns.map(() => true);
  const total = () => widths.reduce((sum, w, i) => (shown[i] ? sum + w + GAP : sum), 0) - GAP;
  for (let i = columns.length - 1; i > 0 && total() > style.layout.width; i--) if (!columns[i]?.keep) shown[i] = false;
  const hidden = columns.filter((_, i) => !shown[i]).map((c) => c.header);
  const kept = columns.filter((_, i) => shown[i]);
  const body = plainTable(kept, cells.map((r) => r.filter((_, i) => shown[i])), style);
  if (hidden.length === 0) return body;
  return `${body}\n${style.dim(hiddenNote(hidden, style.layout.width))}`;
}

/** `2 more columns at this width (A, B): --wide or -o wide shows them`, with names left out to fit the width. */
function hiddenNote(hidden: string[], width: number): string {
  const note = (names: string[], more: boolean) =>
    `${hidden.length} more column${hidden.length === 1 ? '' : 's'} at this width (${[...names, ...(more ? ['…'] : [])].join(', ')}): --wide or -o wide shows them`;
  for (let n = hidden.length; n > 0; n--) {
    const text = note(hidden.slice(0, n), n < hidden.length);
    if (visible(text) <= width) return text;
  }
  return `${hidden.length} more column${hidden.length === 1 ? '' : 's'}: --wide shows them`;
}

function markdownTable<Row>(columns: Array<Column<Row>>, cells: string[][]): string {
  const esc = (t: string) => t.replace(ANSI, '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const lines = [`| ${columns.map((c) => esc(c.header)).join(' | ')} |`, `|${columns.map((c) => (c.align === 'right' ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const row of cells) lines.push(`| ${row.map(esc).join(' | ')} |`);
  return lines.join('\n');
}

function plainTable<Row>(columns: Array<Column<Row>>, cells: string[][], style: Style): string {
  const table = new Table({
    head: columns.map((c) => style.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': GAP },
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
      bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: '', 'left-mid': '', mid: '', 'mid-mid': '',
      right: '', 'right-mid': '', middle: '',
    },
  });
  for (const row of cells) table.push(row);
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

/**
 * Word-wrap prose to the layout width (unlimited: one line), continuation
 * lines indented by `indent` spaces, so the terminal never wraps it mid-word.
 */
export function wrapText(text: string, width: number, indent = 2): string {
  if (!Number.isFinite(width) || visible(text) <= width) return text;
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const room = width - (out.length === 0 ? 0 : indent);
    if (line !== '' && visible(line) + 1 + visible(word) > room) {
      out.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(line);
  return out.map((l, i) => (i === 0 ? l : `${' '.repeat(indent)}${l}`)).join('\n');
}
