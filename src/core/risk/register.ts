/**
 * The risk register: a YAML file listing risks with their ETTD, ETTR, impact
 * and ETTF (or frequency), plus optional mitigations. Parsed and validated with
 * zod into the numeric model of ./model.ts; rendered back with the `yaml`
 * package. Pure: takes the file's text and name. Format: docs/risk.md.
 */
import { Document, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { formatDuration, parseDuration, parseFraction, parseObjective, parseRate, YEAR_SECONDS } from '../units.js';
import { schemaProblems, throwProblems } from '../validation.js';
import type { Mitigation, Register, Risk } from './model.js';
import { checkYamlDepth } from '../yaml-depth.js';

const DOCS = 'docs/risk.md#the-risk-register';

type Scalar = string | number;

// Stryker disable next-line StringLiteral: equivalent, users see an issue's message, never its code (validation.ts describeIssue)
const custom = 'custom' as const;

function describe(v: unknown): string {
  return Array.isArray(v) ? 'a list' : typeof v === 'object' && v !== null ? 'a mapping' : JSON.stringify(v);
}

/** A zod field that accepts a string or number and converts it with `convert`, or reports `expected …`. */
function unitField<T>(expected: string, convert: (v: Scalar) => T) {
  return z.any().transform((v: unknown, ctx): T => {
    if (v === undefined || v === null) {
      ctx.addIssue({ code: custom, message: `required: expected ${expected}` });
      return z.NEVER;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      ctx.addIssue({ code: custom, message: `expected ${expected}, got ${describe(v)}` });
      return z.NEVER;
    }
    try {
      return convert(v);
    } catch {
      ctx.addIssue({ code: custom, message: `expected ${expected}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
  });
}

/** Durations (ETTD, ETTR; zero allowed) → minutes. unitField replaces parseDuration's error, so no field name. */
const minutes = unitField('a duration such as 5m, 90s or 1h30m', (v) => parseDuration(v, undefined, { allowZero: true }) / 60);
/** ETTF → occurrences per year. */
const ettfPerYear = unitField('a duration above zero such as 90d or 6w', (v) => YEAR_SECONDS / parseDuration(v));
const PER_MONTH_RE = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(?:months?|mo)\s*$/i;

/** Occurrences per year from a rate: `4/y`, `1/90d`, `2/week`, or `2/month` (a month is 1/12 of a 365.25-day year). */
export function parseFrequency(v: string | number, allowZero: boolean): number {
  const perMonth = PER_MONTH_RE.exec(String(v));
  const perYear = perMonth ? Number(perMonth[1]) * 12 : parseRate(v, 'frequency', { allowZero }) * YEAR_SECONDS;
  // neither form reads a sign, so perYear is never below zero
  if (!(Number.isFinite(perYear) && (perYear > 0 || allowZero))) throw new Error('bad frequency');
  return perYear;
}

/** A rate such as `4/y` → occurrences per year. */
const frequencyPerYear = (allowZero: boolean) =>
  unitField(`a rate such as 4/y, 1/90d or 2/month${allowZero ? '' : ' (above zero)'}`, (v) => parseFrequency(v, allowZero));
const fraction = unitField('a fraction between 0 and 1 (or a percentage such as 20%)', (v) => parseFraction(v));
const factor = unitField('a factor between 0 and 1 (a mitigation may only lower a value)', (v) => {
  const s = typeof v === 'number' ? String(v) : v.trim();
  const n = Number(s);
  if (s === '' || !(Number.isFinite(n) && n >= 0 && n <= 1)) {
    // Stryker disable next-line StringLiteral: equivalent, unitField replaces this message with its own
    throw new Error('bad factor');
  }
  return n;
});
const objective = unitField('an objective such as 99.9, 99.9% or 0.999', (v) => parseObjective(v));
const label = (what: string) =>
  z.any().transform((v: unknown, ctx): string => {
    if (v === undefined || v === null) ctx.addIssue({ code: custom, message: `required: expected ${what}` });
    else if (typeof v !== 'string') ctx.addIssue({ code: custom, message: `expected ${what}, got ${describe(v)}` });
    else if (v.trim() === '') ctx.addIssue({ code: custom, message: `expected ${what}, got an empty string` });
    else return v.trim();
    return z.NEVER;
  });

const MitigationSchema = z.strictObject({
  name: label('a mitigation name'),
  description: z.string().optional(),
  ettd: minutes.optional(),
  ettdFactor: factor.optional(),
  ettr: minutes.optional(),
  ettrFactor: factor.optional(),
  impact: fraction.optional(),
  impactFactor: factor.optional(),
  ettf: ettfPerYear.optional(),
  frequency: frequencyPerYear(true).optional(),
  frequencyFactor: factor.optional(),
});
type RawMitigation = z.output<typeof MitigationSchema>;

const RiskSchema = z
  .strictObject({
    name: label('a risk name such as cdn-edge-outage'),
    service: label('a service name such as playback'),
    category: label('a category such as dependency'),
    description: z.string().optional(),
    ettd: minutes,
    ettr: minutes,
    impact: fraction,
    ettf: ettfPerYear.optional(),
    frequency: frequencyPerYear(false).optional(),
    mitigations: z.array(MitigationSchema).default([]),
  })
  .superRefine((r, ctx) => {
    if (r.ettf === undefined && r.frequency === undefined) {
      ctx.addIssue({ code: custom, path: ['ettf'], message: 'required: give ettf (e.g. 90d) or frequency (e.g. 4/y)' });
    } else if (r.ettf !== undefined && r.frequency !== undefined) {
      ctx.addIssue({ code: custom, path: ['frequency'], message: 'give either ettf or frequency, not both' });
    }
    const frequency = r.frequency ?? r.ettf ?? 0;
    const seen = new Set<string>();
    r.mitigations.forEach((m, i) => {
      const at = (field: string) => ['mitigations', i, field];
      if (seen.has(m.name)) ctx.addIssue({ code: custom, path: at('name'), message: `duplicate mitigation name ${JSON.stringify(m.name)}` });
      seen.add(m.name);
      const effects = (['ettd', 'ettdFactor', 'ettr', 'ettrFactor', 'impact', 'impactFactor', 'ettf', 'frequency', 'frequencyFactor'] as const).filter(
        (k) => m[k] !== undefined,
      );
      if (effects.length === 0) {
        ctx.addIssue({ code: custom, path: at('name'), message: 'a mitigation needs at least one effect: ettd, ettr, impact, ettf/frequency or a …Factor' });
      }
      for (const [a, b] of [
        ['ettd', 'ettdFactor'],
        ['ettr', 'ettrFactor'],
        ['impact', 'impactFactor'],
      ] as const) {
        if (m[a] !== undefined && m[b] !== undefined) ctx.addIssue({ code: custom, path: at(b), message: `give either ${a} or ${b}, not both` });
      }
      const freqForms = (['ettf', 'frequency', 'frequencyFactor'] as const).filter((k) => m[k] !== undefined);
      if (freqForms.length > 1) ctx.addIssue({ code: custom, path: at(freqForms[1] as string), message: `give only one of ettf, frequency, frequencyFactor` });
      const raises = (field: string, value: number | undefined, own: number, show: (x: number) => string, word: string) => {
        if (value === undefined || value <= own * (1 + 1e-12)) return;
        ctx.addIssue({
          code: custom,
          path: at(field),
          message: `${show(value)} is ${word} than the risk's own value ${show(own)}; a mitigation may only lower a risk (use a smaller value or remove it)`,
        });
      };
      const showMinutes = (x: number) => formatDuration(Math.round(x * 60));
      raises('ettd', m.ettd, r.ettd, showMinutes, 'longer');
      raises('ettr', m.ettr, r.ettr, showMinutes, 'longer');
      raises('impact', m.impact, r.impact, (x) => String(x), 'larger');
      // an absent ettf counts as 0, never above the risk's own rate
      if ((m.ettf ?? 0) > frequency * (1 + 1e-12)) {
        ctx.addIssue({
          code: custom,
          path: at('ettf'),
          message: `a shorter ETTF than the risk's own means failing more often; a mitigation may only lower a risk (use a longer ettf)`,
        });
      }
      raises('frequency', m.frequency, frequency, (x) => `${Number(x.toPrecision(6))}/y`, 'more frequent');
    });
  });

const RegisterSchema = z
  .strictObject({
    objective: objective.optional(),
    risks: z.array(RiskSchema).min(1, { message: 'expected at least one risk' }),
  })
  .superRefine((reg, ctx) => {
    const seen = new Map<string, number>();
    reg.risks.forEach((r, i) => {
      const first = seen.get(r.name);
      if (first !== undefined) {
        ctx.addIssue({ code: custom, path: ['risks', i, 'name'], message: `duplicate risk name ${JSON.stringify(r.name)} (also risks[${first}])` });
      } else seen.set(r.name, i);
    });
  });

function toMitigation(m: RawMitigation): Mitigation {
  const out: Mitigation = { name: m.name };
  if (m.description !== undefined) out.description = m.description;
  if (m.ettd !== undefined) out.ettdMinutes = m.ettd;
  if (m.ettdFactor !== undefined) out.ettdFactor = m.ettdFactor;
  if (m.ettr !== undefined) out.ettrMinutes = m.ettr;
  if (m.ettrFactor !== undefined) out.ettrFactor = m.ettrFactor;
  if (m.impact !== undefined) out.impact = m.impact;
  if (m.impactFactor !== undefined) out.impactFactor = m.impactFactor;
  const cap = m.frequency ?? m.ettf;
  if (cap !== undefined) out.frequencyPerYear = cap;
  if (m.frequencyFactor !== undefined) out.frequencyFactor = m.frequencyFactor;
  return out;
}

/**
 * Parse a risk register (YAML text). Throws InputError naming the file and the
 * field path (`risks[3].impact: expected a fraction between 0 and 1 …`).
 */
export function parseRegister(text: string, fileName: string): Register {
  checkYamlDepth(text, fileName);
  // Stryker disable next-line ObjectLiteral: equivalent, both are yaml's defaults (kept to say what the messages rely on)
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) {
    // Stryker disable next-line OptionalChaining: equivalent, parseDocument places every error in the source, so prettyErrors always sets linePos
    const line = problem.linePos?.[0]?.line;
    throw new InputError(`${fileName}${line !== undefined ? ` line ${line}` : ''}: not valid YAML: ${problem.message.split('\n')[0]}`, {
      file: fileName,
      suggestions: ['fix the YAML syntax at that line (indentation, a missing colon, a duplicate key)', `see ${DOCS} for an example register`],
    });
  }
  let data: unknown;
  try {
    // Stryker disable next-line ObjectLiteral: equivalent, 100 is yaml's default (kept to state the limit)
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // unresolved or excessive aliases surface only when converting
    throw new InputError(`${fileName}: not valid YAML: ${(err as Error).message}`, {
      file: fileName,
      suggestions: ['define each anchor (&name) before its alias (*name), and do not nest aliases deeply'],
    });
  }
  // an empty document (blank, ~, null, only comments) is null, never undefined
  if (data === null) {
    throw new InputError(`${fileName}: the register is empty; expected a mapping with a "risks:" list`, {
      file: fileName,
      field: 'risks',
      suggestions: [`start from docs/examples/risk-register.yaml (see ${DOCS})`],
    });
  }
  // reportInput: zod 4 leaves the offending value out of issues unless asked.
  const parsed = RegisterSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throwProblems(schemaProblems(parsed.error, fileName), `see ${DOCS} for the accepted fields`);
  const raw = parsed.data;
  const register: Register = {
    risks: raw.risks.map((r): Risk => {
      const risk: Risk = {
        name: r.name,
        service: r.service,
        category: r.category,
        ettdMinutes: r.ettd,
        ettrMinutes: r.ettr,
        impact: r.impact,
        frequencyPerYear: (r.frequency ?? r.ettf) as number,
        mitigations: r.mitigations.map(toMitigation),
      };
      if (r.description !== undefined) risk.description = r.description;
      return risk;
    }),
  };
  if (raw.objective !== undefined) register.objective = raw.objective;
  return register;
}

/** Minutes → a duration the parser reads back (`30m`, `1h`, `90s`). Rounded to whole seconds. */
export function durationText(minutes: number): string {
  const seconds = Math.round(minutes * 60);
  return formatDuration(seconds);
}

/**
 * Occurrences per year → YAML: `ettf: 90d` when that is a whole number of days,
 * else `frequency: 4/y` when the yearly rate is round (to 1/1000), else `ettf`
 * in days to 12 significant digits.
 */
export function frequencyFields(frequencyPerYear: number): { ettf: string } | { frequency: string } {
  if (frequencyPerYear === 0) return { frequency: '0/y' };
  const days = YEAR_SECONDS / 86_400 / frequencyPerYear;
  const near = (x: number) => Math.abs(x - Math.round(x)) <= 1e-9 * x;
  if (near(days)) return { ettf: `${Math.round(days)}d` };
  const milli = frequencyPerYear * 1000;
  if (near(milli)) return { frequency: `${Math.round(milli) / 1000}/y` };
  return { ettf: `${Number(days.toPrecision(12))}d` };
}

const round6 = (x: number) => Number(x.toFixed(6));

// The YAML writer leaves out keys whose value is undefined: absent fields need no test here.
function mitigationToYaml(m: Mitigation): Record<string, unknown> {
  return {
    name: m.name,
    description: m.description,
    ettd: m.ettdMinutes === undefined ? undefined : durationText(m.ettdMinutes),
    ettdFactor: m.ettdFactor,
    ettr: m.ettrMinutes === undefined ? undefined : durationText(m.ettrMinutes),
    ettrFactor: m.ettrFactor,
    impact: m.impact === undefined ? undefined : round6(m.impact),
    impactFactor: m.impactFactor,
    ...(m.frequencyPerYear === undefined ? {} : frequencyFields(m.frequencyPerYear)),
    frequencyFactor: m.frequencyFactor,
  };
}

export interface RenderRegisterOptions {
  /** Comment lines written at the top of the file. */
  header?: string[];
  /** A comment written above each risk, by risk name. */
  riskComments?: Record<string, string>;
}

/** Render a register as YAML that parseRegister reads back. */
export function renderRegisterYaml(register: Register, options: RenderRegisterOptions = {}): string {
  const plain: Record<string, unknown> = {};
  if (register.objective !== undefined) plain.objective = Number((register.objective * 100).toPrecision(10));
  plain.risks = register.risks.map((r) => ({
    name: r.name,
    service: r.service,
    category: r.category,
    description: r.description,
    ettd: durationText(r.ettdMinutes),
    ettr: durationText(r.ettrMinutes),
    impact: round6(r.impact),
    ...frequencyFields(r.frequencyPerYear),
    mitigations: r.mitigations.length > 0 ? r.mitigations.map(mitigationToYaml) : undefined,
  }));
  const doc = new Document(plain);
  // an empty header joins to '', which yaml writes as no comment at all
  if (options.header) doc.commentBefore = options.header.map((l) => ` ${l}`).join('\n');
  const comments = options.riskComments ?? {};
  // one mapping per risk, in register order
  const items = (doc.get('risks') as YAMLSeq<YAMLMap>).items;
  register.risks.forEach((r, i) => {
    // own keys only: a risk named "toString" has no comment
    if (Object.hasOwn(comments, r.name)) (items[i] as YAMLMap).commentBefore = ` ${comments[r.name]}`;
  });
  return doc.toString({ lineWidth: 0 });
}
