/**
 * CSV headers recognised by their names, never guessed from whether a row
 * parses as data (issue 10): a first row is a header only when it names every
 * field (any order, any case; spaces, `_` and `-` ignored), each once; other
 * columns may follow and are ignored. A first row with no known name is data,
 * and is checked as data (a typo such as `1O,65` is exit 2 naming the row). A
 * row that names some fields but not all, or one twice, is exit 2 naming the
 * row and the names accepted. Pure.
 */
import { InputError } from './errors.js';

/** Field → the names a header may give its column (the first is the documented one). */
export type ColumnNames<F extends string> = Readonly<Record<F, readonly string[]>>;

// No trim(): the replace below removes every whitespace character, leading and trailing ones included.
const norm = (s: string): string => s.toLowerCase().replace(/[\s_-]+/g, '');

/** The documented header, e.g. `concurrency,throughput`. */
export function documentedHeader<F extends string>(names: ColumnNames<F>): string {
  return (Object.values(names) as Array<readonly string[]>).map((n) => n[0]).join(',');
}

/**
 * Which column holds each field when `cells` is a header by its names, or
 * null when no cell is a column name (a data row). Exit 2 naming `file` and
 * `row` for a row that is partly a header.
 */
export function headerColumns<F extends string>(cells: readonly string[], names: ColumnNames<F>, where: { file: string; row: number }): Record<F, number> | null {
  const fields = Object.keys(names) as F[];
  const byName = new Map<string, F>();
  for (const f of fields) for (const n of names[f]) byName.set(norm(n), f);
  const found = cells.map((c) => byName.get(norm(c)));
  if (found.every((f) => f === undefined)) return null;
  const columns = {} as Record<F, number>;
  const accepted = fields.map((f) => `${f} (${names[f].join(', ')})`).join('; ');
  const fail = (why: string): never => {
    throw new InputError(`${where.file} row ${where.row}: ${why}; a header names each column once, in any order: ${accepted}`, {
      field: `row ${where.row}`,
      file: where.file,
      suggestions: [`start with the header ${documentedHeader(names)}, or with no header at all`],
    });
  };
  found.forEach((f, i) => {
    if (f === undefined) return;
    if (columns[f] !== undefined) fail(`the column ${f} is named twice`);
    columns[f] = i;
  });
  const missing = fields.filter((f) => columns[f] === undefined);
  if (missing.length > 0) {
    const unknown = cells.filter((_, i) => found[i] === undefined);
    fail(`no column named ${missing.join(', ')}${unknown.length > 0 ? ` (${unknown.map((c) => JSON.stringify(c)).join(', ')} ${unknown.length === 1 ? 'is not a column name' : 'are not column names'})` : ''}`);
  }
  // Every field is named: other columns (notes, labels) are left alone.
  return columns;
}
