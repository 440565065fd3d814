/**
 * CLI glue of `relia risk`: the shared flags, reading the register and the
 * incident files (several files combined, one `--map` over all of them), and
 * where the objective comes from (`--objective`, `--slo-file` of the budget family,
 * or the register's own `objective`). Everything that can be wrong in the
 * inputs is an InputError (exit 2) naming the file, row and field, raised
 * before anything is computed or written. docs/risk.md.
 */
import { Flags } from '@oclif/core';
import { validatePolicyOverrides } from '../../core/budget/index.js';
import { loadSpecs } from '../../core/budget/specs/index.js';
import { InputError } from '../../core/errors.js';
import {
  parseColumnMap,
  parseIncidents,
  parseRegister,
  type ColumnMap,
  type Incident,
  type IncidentField,
  type Register,
} from '../../core/risk/index.js';
import { parseObjective, parseTime } from '../../core/units.js';
import { readTextInput } from '../files.js';
import { readSloInputs } from '../slo-files.js';

/** Flags of the commands that read incident history (history, register). */
export const incidentFlags = {
  incidents: Flags.string({ char: 'i', description: 'Incident history, CSV or JSON (repeatable; the files are combined).', multiple: true, required: true }),
  map: Flags.string({
    description:
      'Rename columns, field=column pairs: started=created_at,detected=acknowledged_at. With several files, a file without a mapped column uses the standard name.',
  }),
  'skip-invalid': Flags.boolean({ description: 'Leave bad rows out and list them (in "skipped" and as warnings) instead of failing.' }),
  format: Flags.string({ description: 'Format of the incident files (default: from the extension, .csv or .json).', options: ['csv', 'json'] }),
};

/** Flags that set the objective, hence the yearly error budget (score, simulate). */
export const objectiveFlags = {
  objective: Flags.string({
    description: "Objective: 99.9, 99.9% or 0.999 (default: --slo-file, else the register's objective).",
    exclusive: ['slo-file'],
    aliases: ['slo'],
    deprecateAliases: true,
  }),
  'slo-file': Flags.string({ description: 'SLO spec of the budget family (relia, OpenSLO, Sloth or Pyrra YAML) whose objective sets the budget.' }),
  'slo-id': Flags.string({ description: 'Which SLO of --slo-file (service/name, or name) when the file holds several.', dependsOn: ['slo-file'] }),
};

/** Read a whole input file (`-` is stdin); unreadable is exit 2 naming the flag. */
export function loadRegister(path: string): Register {
  return parseRegister(readTextInput(path, '--register', 'docs/examples/risk/register.yaml'), path);
}

export interface ObjectiveChoice {
  /** A fraction, e.g. 0.999. */
  objective: number;
  /** Where it came from: `--objective`, `<file> <service/name>`, or `register`. */
  source: string;
}

/** --objective, else --slo-file (its one SLO, or --slo-id), else the register's objective. */
export function resolveObjective(f: { objective?: string | undefined; 'slo-file'?: string | undefined; 'slo-id'?: string | undefined }, register: Register): ObjectiveChoice {
  if (f.objective !== undefined) return { objective: parseObjective(f.objective, '--objective'), source: '--objective' };
  const file = f['slo-file'];
  if (file !== undefined) {
    const slos = loadSpecs(readSloInputs([file]), { validatePolicy: validatePolicyOverrides });
    const wanted = f['slo-id'];
    const ids = slos.map((s) => s.id).join(', ');
    const matches = wanted === undefined ? slos : slos.filter((s) => s.id === wanted || s.name === wanted);
    if (matches.length === 0) {
      throw new InputError(`--slo-id ${wanted}: no such SLO in ${file}; it holds ${ids || 'none'}`, { field: '--slo-id', file, suggestions: ['pass one of the ids listed (service/name)'] });
    }
    if (matches.length > 1) {
      throw new InputError(`--slo-file ${file} holds ${matches.length} SLOs (${matches.map((s) => s.id).join(', ')}); which one sets the budget?`, {
        field: '--slo-id',
        file,
        suggestions: [`pass --slo-id ${matches[0]?.id}`],
      });
    }
    const slo = matches[0] as (typeof slos)[number];
    return { objective: slo.objective, source: `${file} ${slo.id}` };
  }
  if (register.objective !== undefined) return { objective: register.objective, source: 'register' };
  throw new InputError('no objective: the error budget needs one', {
    field: '--objective',
    suggestions: ['pass --objective 99.9', 'or --slo-file slo.yaml (an SLO spec of relia budget)', 'or add `objective: 99.9` at the top of the register'],
  });
}

/** `--at TIME|now` (risk history) → epoch ms; absent is now. */
export function parseAsOf(text: string | undefined, now: number): number {
  return text === undefined || text.trim().toLowerCase() === 'now' ? now : parseTime(text, '--at');
}

export interface IncidentSource {
  file: string;
  format: 'csv' | 'json';
  /** Valid incidents read from it. */
  incidents: number;
  /** Which column each field was read from (null: absent optional field). */
  columns: Record<IncidentField, string | null>;
}

export interface SkippedIncident {
  file: string;
  /** CSV: line in the file; JSON: position in the list, from 1. */
  row: number;
  field: string;
  reason: string;
}

export interface LoadedIncidents {
  incidents: Incident[];
  sources: IncidentSource[];
  skipped: SkippedIncident[];
}

/**
 * Read and validate every incident file. Ids must be unique across files. With
 * several files one --map applies to all of them; a mapped column that no file
 * has is an error (a typo), never silently ignored.
 */
export function loadIncidents(
  files: readonly string[],
  f: { map?: string | undefined; 'skip-invalid'?: boolean | undefined; format?: string | undefined },
): LoadedIncidents {
  const map: ColumnMap = f.map === undefined ? {} : parseColumnMap(f.map, '--map');
  const format = f.format === 'csv' || f.format === 'json' ? f.format : undefined;
  const skipInvalid = f['skip-invalid'] === true;
  const several = files.length > 1;
  const incidents: Incident[] = [];
  const sources: IncidentSource[] = [];
  const skipped: SkippedIncident[] = [];
  const ids = new Map<string, { file: string; row: number }>();
  for (const file of files) {
    const parsed = parseIncidents(readTextInput(file, '--incidents', 'docs/examples/risk/incidents.csv'), file, { map, skipInvalid, mapFallback: several, ...(format ? { format } : {}) });
    skipped.push(...parsed.skipped.map((s) => ({ file, ...s })));
    let kept = 0;
    for (const incident of parsed.incidents) {
      const first = ids.get(incident.id);
      if (first !== undefined) {
        const reason = `duplicate id ${JSON.stringify(incident.id)} (also ${first.file} row ${first.row})`;
        if (!skipInvalid) {
          throw new InputError(`${file} row ${incident.row}: id: ${reason}`, {
            field: 'id',
            file,
            suggestions: ['give every incident a unique id across the files (an export may overlap another)', 'or pass --skip-invalid to leave the second copy out'],
          });
        }
        skipped.push({ file, row: incident.row, field: 'id', reason });
        continue;
      }
      ids.set(incident.id, { file, row: incident.row });
      incidents.push(incident);
      kept++;
    }
    sources.push({ file, format: parsed.format, incidents: kept, columns: parsed.columns });
  }
  if (several) {
    for (const [field, column] of Object.entries(map) as Array<[IncidentField, string]>) {
      if (!sources.some((s) => s.columns[field]?.toLowerCase() === column.toLowerCase())) {
        throw new InputError(`--map ${field}=${column}: none of the --incidents files has a column ${JSON.stringify(column)}`, {
          field: '--map',
          suggestions: ['check the spelling against the header of the export you meant to map'],
        });
      }
    }
  }
  skipped.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.row - b.row);
  return { incidents, sources, skipped };
}

/** One line per skipped row, for warnings. */
export function describeSkipped(s: SkippedIncident): string {
  return `${s.file} row ${s.row}: ${s.field}: ${s.reason} (skipped)`;
}
