import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../src/core/errors.js';
import { parseColumnMap, parseIncidents, parseRfc3339 } from '../../../../src/core/risk/index.js';
import { example, inputError, t } from './helpers.js';

const HEADER = 'id,service,category,severity,started,detected,resolved,impact';
const ROW1 = 'INC-1,playback,cdn,SEV2,2026-01-01T00:00:00Z,2026-01-01T00:10:00Z,2026-01-01T01:10:00Z,0.5';
const ROW2 = 'INC-2,search,cache,SEV3,2026-01-02T00:00:00Z,2026-01-02T00:02:00Z,,20%';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

describe('parseIncidents (CSV)', () => {
  it('reads rows, open incidents and percentages', () => {
    const file = parseIncidents(csv(ROW1, ROW2), 'incidents.csv');
    expect(file.format).toBe('csv');
    expect(file.skipped).toEqual([]);
    expect(file.incidents).toEqual([
      { row: 2, id: 'INC-1', service: 'playback', category: 'cdn', severity: 'SEV2', started: t('2026-01-01T00:00:00Z'), detected: t('2026-01-01T00:10:00Z'), resolved: t('2026-01-01T01:10:00Z'), impact: 0.5 },
      { row: 3, id: 'INC-2', service: 'search', category: 'cache', severity: 'SEV3', started: t('2026-01-02T00:00:00Z'), detected: t('2026-01-02T00:02:00Z'), resolved: null, impact: 0.2 },
    ]);
    expect(file.columns.started).toBe('started');
  });

  it('handles a BOM, CRLF, blank and comment lines, spaces, any header case and a missing severity column', () => {
    const text = '\uFEFF# exported 2026-02-01\r\nID,Service,Category,Started,Detected,Resolved,Impact\r\n\r\n INC-9 ,playback,cdn,2026-01-01T00:00:00+01:00,2026-01-01T00:00:00+01:00,2026-01-01T00:30:00+01:00,1\r\n';
    const file = parseIncidents(text, 'x.csv');
    expect(file.columns.severity).toBeNull();
    expect(file.incidents[0]).toMatchObject({ row: 4, id: 'INC-9', severity: null, started: t('2025-12-31T23:00:00Z'), impact: 1 });
  });

  it('renames columns with a map given as a string or an object', () => {
    const text = 'key,svc,kind,sev,created_at,ack_at,closed_at,share\nA,playback,cdn,,2026-01-01T00:00:00Z,2026-01-01T00:05:00Z,2026-01-01T00:20:00Z,0.3\n';
    const map = 'id=key,service=svc,category=kind,severity=sev,started=created_at,detected=ack_at,resolved=closed_at,impact=share';
    const viaString = parseIncidents(text, 'x.csv', { map });
    const viaObject = parseIncidents(text, 'x.csv', { map: parseColumnMap(map) });
    expect(viaString).toEqual(viaObject);
    expect(viaString.incidents[0]).toMatchObject({ id: 'A', severity: null, detected: t('2026-01-01T00:05:00Z') });
    expect(viaString.columns).toMatchObject({ started: 'created_at', detected: 'ack_at' });
  });

  it('names the missing columns and suggests --map', () => {
    const err = inputError(() => parseIncidents('id,service,category,created_at,detected,resolved\n', 'incidents.csv'));
    expect(err.message).toBe('incidents.csv: missing columns started, impact; columns are "id", "service", "category", "created_at", "detected", "resolved"');
    expect(err.field).toBe('started');
    expect(err.suggestions[0]).toMatch(/--map started=<your column>,impact=<your column>/);
    const one = inputError(() => parseIncidents('id,service,category,started,detected,resolved\n', 'incidents.csv'));
    expect(one.message).toMatch(/missing column impact;/);
    const map = inputError(() => parseIncidents(csv(ROW1), 'incidents.csv', { map: 'started=created_at' }));
    expect(map.message).toMatch(/--map started=created_at: there is no column "created_at"/);
    expect(map.field).toBe('--map');
    expect(() => parseIncidents('id,ID\n', 'x.csv')).toThrowError(/the column "ID" appears twice/);
  });

  it.each([
    [ROW1.replace('2026-01-01T00:10:00Z', 'yesterday'), 'detected', 'expected an RFC 3339 time, got "yesterday"'],
    [ROW1.replace('2026-01-01T00:10:00Z', '2025-12-31T23:00:00Z'), 'detected', '2025-12-31T23:00:00.000Z is before started 2026-01-01T00:00:00.000Z'],
    [ROW1.replace('2026-01-01T01:10:00Z', '2026-01-01T00:05:00Z'), 'resolved', '2026-01-01T00:05:00.000Z is before detected 2026-01-01T00:10:00.000Z'],
    [ROW1.replace('2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z'), 'started', 'expected an RFC 3339 time, got "2026-02-30T00:00:00Z"'],
    [ROW1.replace('2026-01-01T00:00:00Z', '1767225600'), 'started', 'expected an RFC 3339 time, got "1767225600"'],
    [ROW1.replace('2026-01-01T00:00:00Z', ''), 'started', 'required: expected an RFC 3339 time such as 2026-03-14T09:30:00Z'],
    [ROW1.replace(',0.5', ',1.5'), 'impact', 'expected a fraction between 0 and 1 (or a percentage), got "1.5"'],
    [ROW1.replace(',0.5', ','), 'impact', 'required: expected a fraction between 0 and 1'],
    [ROW1.replace('INC-1', ''), 'id', 'required: expected a non-empty value'],
    [ROW1.replace('playback', ' '), 'service', 'required: expected a non-empty value'],
    [ROW1.replace(',0.5', ''), '(row)', 'expected 8 columns like the header, got 7'],
  ])('reports row 3 of %j', (row, field, reason) => {
    const err = inputError(() => parseIncidents(csv(ROW2, row), 'incidents.csv'));
    expect(err.message).toBe(`incidents.csv row 3: ${field}: ${reason}`);
    expect(err.field).toBe(field);
    expect(err.file).toBe('incidents.csv');
    expect(err.suggestions.at(-1)).toMatch(/--skip-invalid/);
    const skipped = parseIncidents(csv(ROW2, row), 'incidents.csv', { skipInvalid: true });
    expect(skipped.skipped).toEqual([{ row: 3, field, reason }]);
    expect(skipped.incidents.map((i) => i.id)).toEqual(['INC-2']);
  });

  it('rejects duplicate ids and counts the other invalid rows', () => {
    const err = inputError(() => parseIncidents(csv(ROW1, ROW1, ROW1.replace('INC-1', 'INC-3').replace(',0.5', ',2')), 'incidents.csv'));
    expect(err.message).toBe('incidents.csv row 3: id: duplicate id "INC-1" (first on row 2) (and 1 more invalid row)');
    expect(err.suggestions[0]).toMatch(/unique, non-empty id/);
    const all = parseIncidents(csv(ROW1, ROW1, ROW1.replace('INC-1', 'INC-3').replace(',0.5', ',2'), ROW1.replace('INC-1', 'INC-4').replace(',0.5', ',3')), 'incidents.csv', { skipInvalid: true });
    expect(all.skipped.map((s) => [s.row, s.field])).toEqual([
      [3, 'id'],
      [4, 'impact'],
      [5, 'impact'],
    ]);
    expect(() => parseIncidents(csv(ROW1, ROW1, ROW1.replace('INC-1', 'x').replace(',0.5', ',2'), ROW1.replace('INC-1', 'y').replace(',0.5', ',3')), 'i.csv')).toThrowError(
      /\(and 2 more invalid rows\)/,
    );
  });

  it('rejects broken CSV and an empty file', () => {
    const err = inputError(() => parseIncidents(`${HEADER}\nINC-1,"playback,cdn\n`, 'incidents.csv'));
    expect(err.message).toMatch(/^incidents\.csv line \d+: not valid CSV: /);
    expect(() => parseIncidents('', 'incidents.csv')).toThrowError(/incidents\.csv: the file is empty; expected a header row/);
    // a header alone is a valid, empty history
    expect(parseIncidents(`${HEADER}\n`, 'incidents.csv').incidents).toEqual([]);
  });

  it('never throws anything but InputError on arbitrary text', () => {
    const unit = fc.constantFrom(...'id,service,category,started,detected,resolved,impact\n"2026-01-01T00:00:00Z0.5x '.split(''), HEADER, '\n', ',');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit })), fc.boolean(), (s, skipInvalid) => {
        try {
          parseIncidents(s, 'x.csv', { skipInvalid });
        } catch (err) {
          return err instanceof InputError;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('reads the shipped example history', () => {
    const file = parseIncidents(example('incidents.csv'), 'incidents.csv');
    expect(file.incidents.length).toBeGreaterThanOrEqual(40);
    expect(file.incidents.length).toBeLessThanOrEqual(80);
    expect(new Set(file.incidents.map((i) => i.service))).toEqual(new Set(['playback', 'catalog', 'checkout', 'search']));
    expect(new Set(file.incidents.map((i) => i.category))).toEqual(new Set(['cdn', 'database', 'cache', 'dependency', 'deploy']));
    expect(file.incidents.filter((i) => i.resolved === null).length).toBeGreaterThanOrEqual(2);
    for (const i of file.incidents) {
      expect(i.started).toBeGreaterThanOrEqual(t('2025-12-01T00:00:00Z'));
      expect(i.started).toBeLessThan(t('2026-11-01T00:00:00Z'));
    }
    // the JSON twin holds the same incidents
    const json = parseIncidents(example('incidents.json'), 'incidents.json');
    expect(json.incidents.map(({ row: _r, ...rest }) => rest)).toEqual(file.incidents.map(({ row: _r, ...rest }) => rest));
  });
});

describe('parseIncidents (JSON)', () => {
  const item = { id: 'A', service: 'playback', category: 'cdn', severity: 'SEV1', started: '2026-01-01T00:00:00Z', detected: '2026-01-01T00:10:00Z', resolved: null, impact: 0.4 };

  it('reads a list or {incidents: [...]} and numbers where strings are expected', () => {
    const list = parseIncidents(JSON.stringify([item, { ...item, id: 7, resolved: '2026-01-01T01:00:00Z', severity: undefined }]), 'incidents.json');
    expect(list.format).toBe('json');
    expect(list.incidents).toEqual([
      { row: 1, id: 'A', service: 'playback', category: 'cdn', severity: 'SEV1', started: t('2026-01-01T00:00:00Z'), detected: t('2026-01-01T00:10:00Z'), resolved: null, impact: 0.4 },
      { row: 2, id: '7', service: 'playback', category: 'cdn', severity: null, started: t('2026-01-01T00:00:00Z'), detected: t('2026-01-01T00:10:00Z'), resolved: t('2026-01-01T01:00:00Z'), impact: 0.4 },
    ]);
    const wrapped = parseIncidents(JSON.stringify({ incidents: [item] }), 'export.txt');
    expect(wrapped.format).toBe('json');
    expect(wrapped.incidents).toHaveLength(1);
  });

  it('maps keys and reports rows by position', () => {
    const renamed = { ...item, created_at: item.started, started: undefined };
    const file = parseIncidents(JSON.stringify([renamed]), 'i.json', { map: { started: 'created_at' } });
    expect(file.incidents[0]!.started).toBe(t('2026-01-01T00:00:00Z'));
    const err = inputError(() => parseIncidents(JSON.stringify([item, { ...item, id: 'B', detected: 1767225600 }]), 'i.json'));
    expect(err.message).toBe('i.json row 2: detected: expected an RFC 3339 time, got "1767225600"');
    const nested = inputError(() => parseIncidents(JSON.stringify([{ ...item, impact: { v: 1 } }]), 'i.json'));
    expect(nested.message).toBe('i.json row 1: impact: expected a fraction between 0 and 1 (or a percentage), got "{\\"v\\":1}"');
    expect(parseIncidents(JSON.stringify([{ ...item, impact: true }]), 'i.json', { skipInvalid: true }).skipped[0]!.field).toBe('impact');
  });

  it('rejects non-objects, wrong shapes and broken JSON', () => {
    expect(parseIncidents(JSON.stringify([item, 3]), 'i.json', { skipInvalid: true }).skipped).toEqual([{ row: 2, field: '(row)', reason: 'expected an object with the incident fields' }]);
    expect(() => parseIncidents('{"items": []}', 'i.json')).toThrowError(/i\.json: expected a JSON list of incidents/);
    expect(() => parseIncidents('[1,', 'i.json')).toThrowError(/i\.json: not valid JSON/);
    // an empty list is an empty history; the format flag wins over the extension
    expect(parseIncidents('[]', 'i.json', { map: 'started=created_at' }).incidents).toEqual([]);
    expect(() => parseIncidents('[]', 'i.json', { format: 'csv' })).toThrowError(/i\.json: missing columns id, service, .*; columns are "\[\]"/);
    expect(() => parseIncidents('[{"x": 1}]', 'i.json')).toThrowError(/missing columns id, service, category, started, detected, resolved, impact; columns are "x"/);
    expect(() => parseIncidents('[3]', 'i.json')).toThrowError(/columns are \(none\)/);
  });
});

describe('parseColumnMap', () => {
  it('parses field=column pairs', () => {
    expect(parseColumnMap('started=created_at, detected = ack_at,')).toEqual({ started: 'created_at', detected: 'ack_at' });
  });

  it.each([
    ['', /--map: expected field=column pairs/],
    ['begin=created_at', /--map: unknown field "begin" in "begin=created_at"; fields are id, service/],
    ['started', /--map: expected field=column, got "started"/],
    ['started=', /--map: expected field=column, got "started="/],
    ['started=a,started=b', /--map: field "started" is mapped twice/],
  ])('rejects %j', (text, message) => {
    const err = inputError(() => parseColumnMap(text));
    expect(err.message).toMatch(message);
    expect(err.field).toBe('--map');
  });
});

describe('parseRfc3339', () => {
  it('accepts real instants with a zone and rejects the rest', () => {
    expect(parseRfc3339('2026-03-14T09:30:00Z')).toBe(t('2026-03-14T09:30:00Z'));
    expect(parseRfc3339('2026-03-14 09:30:00.250+02:00')).toBe(t('2026-03-14T07:30:00.250Z'));
    expect(parseRfc3339('2024-02-29T00:00Z')).toBe(t('2024-02-29T00:00:00Z'));
    for (const bad of ['2026-03-14', '2026-03-14T09:30:00', '2025-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00:60Z', '2026-01-01T00:00:00+24:00']) {
      expect(parseRfc3339(bad)).toBeNull();
    }
  });
});
