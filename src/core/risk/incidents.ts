/**
 * Incident history: CSV or JSON, one incident per row, columns
 * `id,service,category,severity,started,detected,resolved,impact`. Columns can
 * be renamed with a map (`--map started=created_at,detected=ack_at`). Bad rows
 * raise an InputError naming the row and field, or — with `skipInvalid` — are
 * returned in `skipped`; nothing is dropped silently. Pure. docs/risk.md#incidents.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { parseFraction, parseTime } from '../units.js';

export const INCIDENT_FIELDS = ['id', 'service', 'category', 'severity', 'started', 'detected', 'resolved', 'impact'] as const;
export type IncidentField = (typeof INCIDENT_FIELDS)[number];
/** Fields that must have a column (severity may be absent; resolved may be empty per row). */
export const REQUIRED_FIELDS: readonly IncidentField[] = ['id', 'service', 'category', 'started', 'detected', 'resolved', 'impact'];

/** Our field name → the column (CSV header or JSON key) that holds it. */
export type ColumnMap = Partial<Record<IncidentField, string>>;

export interface Incident {
  /** Row the incident came from (CSV: line number in the file; JSON: position in the list, from 1). */
  row: number;
  id: string;
  service: string;
  category: string;
  /** Free text (SEV1, P2, major, …); null when empty or absent. */
  severity: string | null;
  /** Epoch ms. */
  started: number;
  /** Epoch ms, ≥ started. */
  detected: number;
  /** Epoch ms, ≥ detected; null while the incident is open. */
  resolved: number | null;
  /** Fraction of users affected, 0..1. */
  impact: number;
}

export interface SkippedRow {
  row: number;
  field: string;
  reason: string;
}

export interface ParseIncidentsOptions {
  /** Default: from the file name (.json / .csv), else sniffed from the first character. */
  format?: 'csv' | 'json';
  /** Column renames, as an object or a `--map` string (`started=created_at,detected=ack_at`). */
  map?: ColumnMap | string;
  /** Return bad rows in `skipped` instead of throwing. */
  skipInvalid?: boolean;
  /**
   * When a mapped column is not in this file, read the field from its standard
   * column instead (and leave an absent optional field empty). For one `--map`
   * applied to several exports of which only some use the renamed columns.
   */
  mapFallback?: boolean;
}

export interface IncidentFile {
  format: 'csv' | 'json';
  /** Valid incidents in file order. */
  incidents: Incident[];
  /** Rows left out (only with skipInvalid), each with the first problem found. */
  skipped: SkippedRow[];
  /** Which column each field was read from (null: severity absent). */
  columns: Record<IncidentField, string | null>;
}

const MAP_EXAMPLE = 'started=created_at,detected=ack_at';

/** Parse `field=column,field=column` (the `--map` flag). */
export function parseColumnMap(text: string, field = '--map'): ColumnMap {
  const out: ColumnMap = {};
  const parts = String(text)
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) {
    throw new InputError(`${field}: expected field=column pairs such as ${MAP_EXAMPLE}, got ${JSON.stringify(text)}`, {
      field,
      suggestions: [`write it like ${MAP_EXAMPLE}`],
    });
  }
  for (const part of parts) {
    const eq = part.indexOf('=');
    const [key, column] = eq < 0 ? [part, ''] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    if (!(INCIDENT_FIELDS as readonly string[]).includes(key)) {
      throw new InputError(`${field}: unknown field ${JSON.stringify(key)} in ${JSON.stringify(part)}; fields are ${INCIDENT_FIELDS.join(', ')}`, {
        field,
        suggestions: [`the left side is relia's field name, the right side your column: ${MAP_EXAMPLE}`],
      });
    }
    if (column === '') {
      throw new InputError(`${field}: expected field=column, got ${JSON.stringify(part)}`, { field, suggestions: [`write it like ${MAP_EXAMPLE}`] });
    }
    if (out[key as IncidentField] !== undefined) {
      throw new InputError(`${field}: field ${JSON.stringify(key)} is mapped twice`, { field, suggestions: ['map each field once'] });
    }
    out[key as IncidentField] = column;
  }
  return out;
}

const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * Strict RFC 3339 (real calendar dates, hours ≤ 23); returns epoch ms or null.
 * Date.parse (in parseTime) already refuses month 00 or 13, day 00, minute or
 * second 60 and zone offsets from 24:00 or with :60, but takes 02-30 and 24:00.
 */
export function parseRfc3339(text: string): number | null {
  const m = RFC3339_RE.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth || hour > 23) return null;
  try {
    return parseTime(text.trim().replace(' ', 'T'));
  } catch {
    return null;
  }
}

class RowProblem extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

const SUGGEST: Record<string, string> = {
  started: 'write times as RFC 3339 with a zone, e.g. 2026-03-14T09:30:00Z',
  detected: 'write times as RFC 3339 with a zone, e.g. 2026-03-14T09:30:00Z; detected must not be before started',
  resolved: 'leave resolved empty while the incident is open; otherwise an RFC 3339 time not before detected',
  impact: 'write impact as a fraction of users between 0 and 1 (0.2) or a percentage (20%)',
  id: 'give every incident a unique, non-empty id',
};

type RawValue = string | number | boolean | null | undefined | object;

function text(value: RawValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  // numbers and booleans (from JSON) print as String() would
  return JSON.stringify(value);
}

function describe(value: RawValue): string {
  return JSON.stringify(typeof value === 'string' ? value : text(value));
}

function time(field: string, value: RawValue): number {
  const s = text(value);
  if (s === '') throw new RowProblem(field, 'required: expected an RFC 3339 time such as 2026-03-14T09:30:00Z');
  // the text of a JSON number, boolean, object or list never matches RFC 3339
  const ms = parseRfc3339(s);
  if (ms === null) throw new RowProblem(field, `expected an RFC 3339 time, got ${describe(value)}`);
  return ms;
}

function required(field: string, value: RawValue): string {
  const s = text(value);
  if (s === '') throw new RowProblem(field, 'required: expected a non-empty value');
  return s;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Validate one row's values (already looked up by field). */
function toIncident(row: number, get: (f: IncidentField) => RawValue): Incident {
  const id = required('id', get('id'));
  const service = required('service', get('service'));
  const category = required('category', get('category'));
  const severityText = text(get('severity'));
  const started = time('started', get('started'));
  const detected = time('detected', get('detected'));
  if (detected < started) throw new RowProblem('detected', `${iso(detected)} is before started ${iso(started)}`);
  const resolvedText = text(get('resolved'));
  let resolved: number | null = null;
  if (resolvedText !== '') {
    resolved = time('resolved', get('resolved'));
    if (resolved < detected) throw new RowProblem('resolved', `${iso(resolved)} is before detected ${iso(detected)}`);
  }
  const impactRaw = get('impact');
  if (text(impactRaw) === '') throw new RowProblem('impact', 'required: expected a fraction between 0 and 1');
  let impact: number;
  try {
    impact = parseFraction(text(impactRaw));
  } catch {
    throw new RowProblem('impact', `expected a fraction between 0 and 1 (or a percentage), got ${describe(impactRaw)}`);
  }
  return { row, id, service, category, severity: severityText === '' ? null : severityText, started, detected, resolved, impact };
}

interface RawRow {
  row: number;
  /** Set when the row is malformed before any field is read (CSV column count, JSON non-object). */
  shapeProblem?: RowProblem;
  get: (column: string) => RawValue;
}

function detectFormat(textIn: string, fileName: string, format: 'csv' | 'json' | undefined): 'csv' | 'json' {
  if (format) return format;
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  const first = textIn.trimStart().charAt(0);
  return first === '[' || first === '{' ? 'json' : 'csv';
}

function readCsv(textIn: string, fileName: string): { headers: string[]; rows: RawRow[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // csv-parse 7 counts a CRLF inside a quoted field as two lines, which numbered every later row one too high;
    // read CRLF as LF so rows carry the line an editor shows (a line break inside a field reads as "\n" either way)
    records = parseCsv(textIn.replaceAll('\r\n', '\n'), { info: true, bom: true, relax_column_count: true, skip_empty_lines: true, comment: '#', comment_no_infix: true }) as unknown as typeof records;
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new InputError(`${fileName}${e.lines !== undefined ? ` line ${e.lines}` : ''}: not valid CSV: ${String(e.message ?? err)}`, {
      file: fileName,
      suggestions: ['check the quoting on that line: a field with a comma or quote must be in double quotes, with inner quotes doubled'],
    });
  }
  const header = records[0];
  if (!header) {
    throw new InputError(`${fileName}: the file is empty; expected a header row (${INCIDENT_FIELDS.join(',')})`, {
      file: fileName,
      suggestions: ['start with the header line id,service,category,severity,started,detected,resolved,impact'],
    });
  }
  const headers = header.record.map((h) => h.trim());
  const rows = records.slice(1).map(({ record, info }): RawRow => {
    const raw: RawRow = {
      row: info.lines,
      // an unknown column is index -1, which an array does not hold
      get: (column) => record[headers.indexOf(column)],
    };
    if (record.length !== headers.length) raw.shapeProblem = new RowProblem('(row)', `expected ${headers.length} columns like the header, got ${record.length}`);
    return raw;
  });
  return { headers, rows };
}

function readJson(textIn: string, fileName: string): { headers: string[]; rows: RawRow[] } {
  let data: unknown;
  try {
    data = JSON.parse(textIn);
  } catch (err) {
    throw new InputError(`${fileName}: not valid JSON: ${(err as Error).message}`, {
      file: fileName,
      suggestions: ['expected a JSON list of incident objects, or {"incidents": [...]}'],
    });
  }
  const list = Array.isArray(data) ? data : Array.isArray((data as { incidents?: unknown } | null)?.incidents) ? (data as { incidents: unknown[] }).incidents : null;
  if (list === null) {
    throw new InputError(`${fileName}: expected a JSON list of incidents, or an object with an "incidents" list`, {
      file: fileName,
      field: 'incidents',
      suggestions: ['write [{"id": "INC-1", "service": "playback", ...}, ...]'],
    });
  }
  const headers = new Set<string>();
  const rows = list.map((item, i): RawRow => {
    const isObject = typeof item === 'object' && item !== null && !Array.isArray(item);
    if (isObject) for (const k of Object.keys(item)) headers.add(k);
    const raw: RawRow = { row: i + 1, get: (column) => (isObject ? (item as Record<string, RawValue>)[column] : undefined) };
    if (!isObject) raw.shapeProblem = new RowProblem('(row)', 'expected an object with the incident fields');
    return raw;
  });
  return { headers: [...headers], rows };
}

/** Resolve which column holds each field (case-insensitive), or throw naming the missing ones. */
function resolveColumns(headers: string[], map: ColumnMap, fileName: string, requireAll: boolean, fallback: boolean): Record<IncidentField, string | null> {
  const seen = new Map<string, string>();
  for (const h of headers) {
    const key = h.toLowerCase();
    if (seen.has(key)) {
      throw new InputError(`${fileName}: the column ${JSON.stringify(h)} appears twice in the header`, { file: fileName, suggestions: ['rename or remove one of them'] });
    }
    seen.set(key, h);
  }
  const available = headers.length > 0 ? headers.map((h) => JSON.stringify(h)).join(', ') : '(none)';
  const columns = {} as Record<IncidentField, string | null>;
  const missing: IncidentField[] = [];
  for (const field of INCIDENT_FIELDS) {
    const wanted = map[field];
    if (wanted !== undefined) {
      const actual = seen.get(wanted.toLowerCase()) ?? (fallback ? seen.get(field) : undefined);
      if (actual === undefined && fallback && !REQUIRED_FIELDS.includes(field)) {
        columns[field] = null;
        continue;
      }
      if (actual === undefined && requireAll) {
        const nor = fallback ? ` (nor ${JSON.stringify(field)})` : '';
        throw new InputError(`${fileName}: --map ${field}=${wanted}: there is no column ${JSON.stringify(wanted)}${nor}; columns are ${available}`, {
          file: fileName,
          field: '--map',
          suggestions: ['map to one of the columns listed'],
        });
      }
      columns[field] = actual ?? wanted;
      continue;
    }
    const actual = seen.get(field);
    columns[field] = actual ?? null;
    if (actual === undefined && requireAll && REQUIRED_FIELDS.includes(field)) missing.push(field);
  }
  if (missing.length > 0) {
    throw new InputError(`${fileName}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; columns are ${available}`, {
      file: fileName,
      field: missing[0] as string,
      suggestions: [`rename them with --map, e.g. --map ${missing.map((f) => `${f}=<your column>`).join(',')}`, 'see docs/risk.md#incidents for the format'],
    });
  }
  return columns;
}

/**
 * Parse an incident history. Rows are checked for RFC 3339 times, a fraction
 * impact, started ≤ detected ≤ resolved and unique ids.
 */
export function parseIncidents(textIn: string, fileName: string, options: ParseIncidentsOptions = {}): IncidentFile {
  const format = detectFormat(textIn, fileName, options.format);
  const map = typeof options.map === 'string' ? parseColumnMap(options.map) : (options.map ?? {});
  const { headers, rows } = format === 'csv' ? readCsv(textIn, fileName) : readJson(textIn, fileName);
  // An empty JSON list has no keys to check; an empty CSV still has its header.
  const columns = resolveColumns(headers, map, fileName, format === 'csv' || rows.length > 0, options.mapFallback === true);
  const incidents: Incident[] = [];
  const skipped: SkippedRow[] = [];
  const ids = new Map<string, number>();
  for (const raw of rows) {
    try {
      if (raw.shapeProblem) throw raw.shapeProblem;
      const incident = toIncident(raw.row, (f) => {
        const column = columns[f];
        return column === null ? undefined : raw.get(column);
      });
      const first = ids.get(incident.id);
      if (first !== undefined) throw new RowProblem('id', `duplicate id ${JSON.stringify(incident.id)} (first on row ${first})`);
      ids.set(incident.id, raw.row);
      incidents.push(incident);
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      skipped.push({ row: raw.row, field: err.field, reason: err.reason });
    }
  }
  const first = skipped[0];
  if (first && !options.skipInvalid) {
    const more = skipped.length - 1;
    throw new InputError(
      `${fileName} row ${first.row}: ${first.field}: ${first.reason}${more > 0 ? ` (and ${more} more invalid row${more > 1 ? 's' : ''})` : ''}`,
      {
        file: fileName,
        field: first.field,
        suggestions: [
          ...(SUGGEST[first.field] ? [SUGGEST[first.field] as string] : []),
          'or pass --skip-invalid to leave bad rows out; they are listed in "skipped"',
        ],
      },
    );
  }
  return { format, incidents, skipped, columns };
}
