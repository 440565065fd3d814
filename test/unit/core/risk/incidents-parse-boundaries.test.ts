import { describe, expect, it } from 'vitest';
import { parseColumnMap, parseIncidents, parseRfc3339 } from '../../../../src/core/risk/index.js';
import { expectInputError } from '../error-contract.js';
import { inputError, t } from './helpers.js';

// What a user sees from the incident-file parser at its edges: every error
// message names the file, row and field and says what to do; the CSV reader's
// quoting, BOM, CRLF and header spacing; the format sniffing; RFC 3339 limits.

const HEADER = 'id,service,category,severity,started,detected,resolved,impact';
const ROW1 = 'INC-1,playback,cdn,SEV2,2026-01-01T00:00:00Z,2026-01-01T00:10:00Z,2026-01-01T01:10:00Z,0.5';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';
const SKIP_HINT = 'or pass --skip-invalid to leave bad rows out; they are listed in "skipped"';
const MAP_EXAMPLE = 'started=created_at,detected=ack_at';
const item = { id: 'A', service: 'playback', category: 'cdn', severity: 'SEV1', started: '2026-01-01T00:00:00Z', detected: '2026-01-01T00:10:00Z', resolved: null, impact: 0.4 };

describe('parseColumnMap errors', () => {
  it.each([
    ['', `--map: expected field=column pairs such as ${MAP_EXAMPLE}, got ""`, `write it like ${MAP_EXAMPLE}`],
    // only blanks between the commas: still "no pairs", not an unknown field " "
    [' , ', `--map: expected field=column pairs such as ${MAP_EXAMPLE}, got " , "`, `write it like ${MAP_EXAMPLE}`],
    ['=created_at', '--map: unknown field "" in "=created_at"; fields are id, service, category, severity, started, detected, resolved, impact', `the left side is relia's field name, the right side your column: ${MAP_EXAMPLE}`],
    ['started=', '--map: expected field=column, got "started="', `write it like ${MAP_EXAMPLE}`],
    ['started=a,started=b', '--map: field "started" is mapped twice', 'map each field once'],
  ])('%j: says what is wrong and how to write it', (text, message, suggestion) => {
    const err = expectInputError(() => parseColumnMap(text), '--map');
    expect(err.message).toBe(message);
    expect(err.suggestions).toEqual([suggestion]);
  });

  it('names the flag it was given and ignores blank pairs', () => {
    const err = expectInputError(() => parseColumnMap('begin=x', '--incidents-map'), '--incidents-map');
    expect(err.message).toMatch(/^--incidents-map: unknown field "begin"/);
    expect(parseColumnMap('started=created_at, ,  ')).toEqual({ started: 'created_at' });
  });
});

describe('parseRfc3339 limits', () => {
  it.each([
    ['2026-12-31T23:59:59Z', '2026-12-31T23:59:59Z'], // last month, day, hour, minute and second
    ['2026-01-01T00:00:00+23:59', '2025-12-31T00:01:00Z'], // largest zone offset
    ['2026-01-01T00:00:00-00:59', '2026-01-01T00:59:00Z'],
    ['  2026-03-14T09:30:00Z  ', '2026-03-14T09:30:00Z'], // surrounding blanks
    ['2026-03-14t09:30:00z', '2026-03-14T09:30:00Z'], // lower-case t and z
    ['2026-03-14 09:30Z', '2026-03-14T09:30:00Z'], // space separator, no seconds
    ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'],
  ])('accepts %j', (text, iso) => {
    expect(parseRfc3339(text)).toBe(t(iso));
  });

  it.each([
    '2026-00-10T00:00:00Z',
    '2026-13-10T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00+23:60',
    // well-formed but outside the years relia accepts
    '1969-12-31T23:59:59Z',
    '2200-01-01T00:00:00Z',
  ])('rejects %j with null', (text) => {
    expect(parseRfc3339(text)).toBeNull();
  });
});

describe('parseIncidents row errors', () => {
  it('names category and resolved, and suggests only --skip-invalid when there is no field hint', () => {
    const category = expectInputError(() => parseIncidents(csv(ROW1.replace(',cdn,', ',,')), 'incidents.csv'), 'category');
    expect(category.message).toBe('incidents.csv row 2: category: required: expected a non-empty value');
    expect(category.suggestions).toEqual([SKIP_HINT]);
    const shape = expectInputError(() => parseIncidents(csv('INC-1,playback'), 'incidents.csv'), '(row)');
    expect(shape.suggestions).toEqual([SKIP_HINT]);
    const resolved = expectInputError(() => parseIncidents(csv(ROW1.replace('2026-01-01T01:10:00Z', 'soon')), 'incidents.csv'), 'resolved');
    expect(resolved.message).toBe('incidents.csv row 2: resolved: expected an RFC 3339 time, got "soon"');
    expect(resolved.suggestions).toEqual(['leave resolved empty while the incident is open; otherwise an RFC 3339 time not before detected', SKIP_HINT]);
  });

  it('accepts an incident resolved the moment it was detected', () => {
    const file = parseIncidents(csv(ROW1.replace('2026-01-01T01:10:00Z', '2026-01-01T00:10:00Z')), 'incidents.csv');
    expect(file.incidents[0]).toMatchObject({ detected: t('2026-01-01T00:10:00Z'), resolved: t('2026-01-01T00:10:00Z') });
  });

  it('quotes a bad time exactly as written, blanks included', () => {
    const err = inputError(() => parseIncidents(csv(ROW1.replace('2026-01-01T00:00:00Z', ' yesterday ')), 'incidents.csv'));
    expect(err.message).toBe('incidents.csv row 2: started: expected an RFC 3339 time, got " yesterday "');
  });

  it('rejects a JSON impact given as a list', () => {
    const err = inputError(() => parseIncidents(JSON.stringify([{ ...item, impact: [0.5] }]), 'i.json'));
    expect(err.message).toBe('i.json row 1: impact: expected a fraction between 0 and 1 (or a percentage), got "[0.5]"');
    expect(err.field).toBe('impact');
  });

  it('reads JSON null as empty, and no severity column as no severity even with a key named "null"', () => {
    const { severity: _s, ...noSeverity } = item;
    const file = parseIncidents(JSON.stringify([{ ...noSeverity, null: 'SEV9', resolved: null }]), 'i.json');
    expect(file.columns.severity).toBeNull();
    expect(file.incidents[0]).toMatchObject({ id: 'A', severity: null, resolved: null });
  });

  it('skips null and text entries in a JSON list as rows without fields', () => {
    const file = parseIncidents(JSON.stringify([item, null, 'INC-2']), 'i.json', { skipInvalid: true });
    expect(file.incidents.map((i) => i.id)).toEqual(['A']);
    expect(file.skipped).toEqual([
      { row: 2, field: '(row)', reason: 'expected an object with the incident fields' },
      { row: 3, field: '(row)', reason: 'expected an object with the incident fields' },
    ]);
    // a text entry contributes no columns
    expect(() => parseIncidents('["ab"]', 'i.json')).toThrowError(/; columns are \(none\)$/);
  });
});

describe('parseIncidents file errors', () => {
  it('a JSON null or number is not a list', () => {
    for (const text of ['null', '5']) {
      const err = expectInputError(() => parseIncidents(text, 'i.json'), 'incidents');
      expect(err.message).toBe('i.json: expected a JSON list of incidents, or an object with an "incidents" list');
      expect(err.file).toBe('i.json');
      expect(err.suggestions).toEqual(['write [{"id": "INC-1", "service": "playback", ...}, ...]']);
    }
  });

  it('broken JSON names the file and the expected shape', () => {
    const err = inputError(() => parseIncidents('[1,', 'i.json'));
    expect(err.message.startsWith('i.json: not valid JSON: ')).toBe(true);
    expect(err.file).toBe('i.json');
    expect(err.suggestions).toEqual(['expected a JSON list of incident objects, or {"incidents": [...]}']);
  });

  it('broken CSV names the file, the line and the quoting rule', () => {
    const err = inputError(() => parseIncidents(`${HEADER}\nINC-1,"playback,cdn\n`, 'incidents.csv'));
    expect(err.message).toBe('incidents.csv line 2: not valid CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2');
    expect(err.file).toBe('incidents.csv');
    expect(err.suggestions).toEqual(['check the quoting on that line: a field with a comma or quote must be in double quotes, with inner quotes doubled']);
  });

  it.each([
    ['', 'empty'],
    ['\uFEFF# exported by hand\r\n\r\n', 'only a BOM, a comment and blank lines'],
  ])('an empty CSV (%j, %s) asks for the header line', (text) => {
    const err = inputError(() => parseIncidents(text, 'incidents.csv'));
    expect(err.message).toBe('incidents.csv: the file is empty; expected a header row (id,service,category,severity,started,detected,resolved,impact)');
    expect(err.file).toBe('incidents.csv');
    expect(err.suggestions).toEqual(['start with the header line id,service,category,severity,started,detected,resolved,impact']);
  });

  it('column problems name the file and the fix', () => {
    const twice = inputError(() => parseIncidents('id,ID\n', 'x.csv'));
    expect(twice.message).toBe('x.csv: the column "ID" appears twice in the header');
    expect(twice.file).toBe('x.csv');
    expect(twice.suggestions).toEqual(['rename or remove one of them']);
    const map = expectInputError(() => parseIncidents(csv(ROW1), 'x.csv', { map: 'started=created_at' }), '--map');
    expect(map.file).toBe('x.csv');
    expect(map.suggestions).toEqual(['map to one of the columns listed']);
    const missing = expectInputError(() => parseIncidents('id,service,category,detected,resolved,impact\n', 'x.csv'), 'started');
    expect(missing.suggestions).toEqual(['rename them with --map, e.g. --map started=<your column>', 'see docs/risk.md#incidents for the format']);
  });
});

describe('parseIncidents CSV reading', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, after a BOM, with CRLF', () => {
    const text =
      '\uFEFF' +
      [
        'id,service,category,severity,started,detected,resolved,impact',
        '"INC-1","play,back","c""dn","SEV 1",2026-01-01T00:00:00Z,2026-01-01T00:10:00Z,,"20%"',
        'INC-2,search,"multi\nline",,2026-01-02T00:00:00Z,2026-01-02T00:01:00Z,2026-01-02T00:02:00Z,0',
      ].join('\r\n') +
      '\r\n';
    const file = parseIncidents(text, 'incidents.csv');
    expect(file.skipped).toEqual([]);
    expect(file.incidents.map(({ id, service, category, severity, resolved, impact }) => ({ id, service, category, severity, resolved, impact }))).toEqual([
      { id: 'INC-1', service: 'play,back', category: 'c"dn', severity: 'SEV 1', resolved: null, impact: 0.2 },
      { id: 'INC-2', service: 'search', category: 'multi\nline', severity: null, resolved: t('2026-01-02T00:02:00Z'), impact: 0 },
    ]);
    // rows are numbered by the file line they end on (a quoted field may span lines)
    expect(file.incidents.map((i) => i.row)).toEqual([2, 4]);
  });

  it('numbers rows by editor line in a Windows export with a CRLF inside a quoted field', () => {
    const text = [
      'id,service,category,severity,started,detected,resolved,impact',
      'INC-1,search,"two\r\nlines",,2026-01-02T00:00:00Z,2026-01-02T00:01:00Z,,0',
      'INC-2,search,cdn,,2026-01-03T00:00:00Z,2026-01-03T00:01:00Z,,0',
      'INC-3,search,cdn,,2026-01-04T00:00:00Z,yesterday,,0',
    ].join('\r\n');
    const file = parseIncidents(text, 'export.csv', { skipInvalid: true });
    // INC-1 spans lines 2-3, so INC-2 is on line 4 and the bad row INC-3 on line 5
    expect(file.incidents.map((i) => [i.id, i.row, i.category])).toEqual([
      ['INC-1', 3, 'two\nlines'],
      ['INC-2', 4, 'cdn'],
    ]);
    expect(file.skipped.map((s) => s.row)).toEqual([5]);
  });

  it('ignores blanks around header names', () => {
    const file = parseIncidents(` id , service ,category, severity ,started,detected,resolved, impact \n${ROW1}\n`, 'incidents.csv');
    expect(file.columns).toEqual({ id: 'id', service: 'service', category: 'category', severity: 'severity', started: 'started', detected: 'detected', resolved: 'resolved', impact: 'impact' });
    expect(file.incidents[0]).toMatchObject({ id: 'INC-1', severity: 'SEV2', impact: 0.5 });
  });
});

describe('parseIncidents format detection', () => {
  const jsonList = JSON.stringify([item]);

  it.each([
    ['export.json', 'json'],
    ['EXPORT.JSON', 'json'],
    ['export.csv', 'csv'],
    ['Export.CSV', 'csv'],
  ])('trusts the extension of %s', (name, format) => {
    if (format === 'json') {
      // CSV text in a .json file is read as JSON, and fails as JSON
      expect(() => parseIncidents(csv(ROW1), name)).toThrowError(new RegExp(`^${name.replace('.', '\\.')}: not valid JSON: `));
    } else {
      // JSON text in a .csv file is read as CSV: its first line is the header
      expect(() => parseIncidents('[]\n', name)).toThrowError(/: missing columns id, service, .*; columns are "\[\]"$/);
    }
  });

  it.each([
    [jsonList, 'json'],
    [`\n  \t${jsonList}`, 'json'],
    [JSON.stringify({ incidents: [item] }), 'json'],
    [csv(ROW1), 'csv'],
  ])('sniffs the first non-blank character without an extension (%#)', (text, format) => {
    for (const name of ['export.txt', 'incidents']) {
      const file = parseIncidents(text, name);
      expect(file.format).toBe(format);
      expect(file.incidents).toHaveLength(1);
    }
  });
});
