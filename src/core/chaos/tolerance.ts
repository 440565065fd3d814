/**
 * Tolerances: is a probe's value within what the steady state allows?
 * chaostoolkit's semantics (chaoslib hypothesis.within_tolerance), written
 * for relia:
 * - bool, string: equality;
 * - number: equality, or the `status` of a dict value (HTTP status, exit code);
 * - list: a two-number list is an inclusive range; otherwise membership
 *   (of the `status` for dict values);
 * - `{type: range, range: [min, max], target?}`;
 * - `{type: regex, pattern, target?}`: a search, not a full match;
 * - `{type: jsonpath, path, target?, expect?, count?}`;
 * - `{type: probe}`: another probe is run with the value (the engine does that).
 * Pure.
 */
import type { Tolerance } from './model.js';

function statusOf(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'status' in value) return (value as { status: unknown }).status;
  return value;
}

function targetOf(value: unknown, target: string | undefined): unknown {
  if (target === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const rec = value as Record<string, unknown>;
  return target in rec ? rec[target] : value;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return JSON.stringify(value) ?? '';
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Is the probe's value within the tolerance? `probe` tolerances are answered by the engine. */
export function withinTolerance(tolerance: Exclude<Tolerance, { type: 'probe' }>, value: unknown): boolean {
  if (typeof tolerance === 'boolean' || typeof tolerance === 'string') return value === tolerance;
  if (typeof tolerance === 'number') return statusOf(value) === tolerance;
  if (Array.isArray(tolerance)) {
    const v = statusOf(value);
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'status' in value) return tolerance.includes(v as never);
    if (tolerance.length === 2 && typeof tolerance[0] === 'number' && typeof tolerance[1] === 'number' && typeof v === 'number') {
      return tolerance[0] <= v && v <= tolerance[1];
    }
    return tolerance.includes(v as never);
  }
  switch (tolerance.type) {
    case 'range': {
      const v = targetOf(value, tolerance.target);
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
      return Number.isFinite(n) && tolerance.range[0] <= n && n <= tolerance.range[1];
    }
    case 'regex':
      return new RegExp(tolerance.pattern).test(asText(targetOf(value, tolerance.target)));
    case 'jsonpath': {
      let v = targetOf(value, tolerance.target);
      if (v instanceof Uint8Array) v = new TextDecoder().decode(v);
      if (typeof v === 'string') {
        try {
          v = JSON.parse(v) as unknown;
        } catch {
          // not JSON: matched as the string itself
        }
      }
      const found = jsonPath(parseJsonPath(tolerance.path), v);
      if (tolerance.expect !== undefined) return deepEqual(found, Array.isArray(tolerance.expect) ? tolerance.expect : [tolerance.expect]);
      if (tolerance.count !== undefined) return found.length === tolerance.count;
      return found.length > 0;
    }
  }
}

/** One step of a JSONPath: a key, an index, a wildcard, or a recursive descent to a key. */
export type PathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wild' } | { kind: 'descend'; key: string | null };

/**
 * The JSONPath subset relia evaluates: `$`, `.name`, `['name']`, `[n]`
 * (negative from the end), `[*]`, `.*` and `..name`. Anything else (filters,
 * slices, unions) throws an Error with the reason; validation reports it.
 */
export function parseJsonPath(path: string): PathStep[] {
  const text = path.trim();
  if (!text.startsWith('$')) throw new Error('a JSONPath starts with $');
  const steps: PathStep[] = [];
  let i = 1;
  const name = /^[A-Za-z_$@-][\w$@-]*/;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith('..')) {
      const m = name.exec(rest.slice(2));
      if (rest.slice(2).startsWith('*')) {
        steps.push({ kind: 'descend', key: null });
        i += 3;
      } else if (m) {
        steps.push({ kind: 'descend', key: m[0] });
        i += 2 + m[0].length;
      } else throw new Error(`unsupported JSONPath at "${rest}"`);
    } else if (rest.startsWith('.*')) {
      steps.push({ kind: 'wild' });
      i += 2;
    } else if (rest.startsWith('.')) {
      const m = name.exec(rest.slice(1));
      if (!m) throw new Error(`unsupported JSONPath at "${rest}"`);
      steps.push({ kind: 'key', key: m[0] });
      i += 1 + m[0].length;
    } else if (rest.startsWith('[')) {
      const m = /^\[\s*(?:(\*)|(-?\d+)|'([^']*)'|"([^"]*)")\s*\]/.exec(rest);
      if (!m) throw new Error(`unsupported JSONPath at "${rest}" (relia supports $, .key, ['key'], [n], [*], .* and ..key)`);
      if (m[1]) steps.push({ kind: 'wild' });
      else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
      else steps.push({ kind: 'key', key: (m[3] ?? m[4]) as string });
      i += m[0].length;
    } else throw new Error(`unsupported JSONPath at "${rest}"`);
  }
  return steps;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'object' && v !== null) return Object.values(v);
  return [];
}

/** Every value `steps` reaches in `root`, in document order. */
export function jsonPath(steps: readonly PathStep[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'key') {
        if (typeof v === 'object' && v !== null && !Array.isArray(v) && step.key in v) next.push((v as Record<string, unknown>)[step.key]);
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const idx = step.index < 0 ? v.length + step.index : step.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if (step.kind === 'wild') next.push(...children(v));
      else {
        const visit = (x: unknown): void => {
          if (step.key === null) {
            for (const c of children(x)) {
              next.push(c);
              visit(c);
            }
            return;
          }
          if (typeof x === 'object' && x !== null && !Array.isArray(x) && step.key in x) next.push((x as Record<string, unknown>)[step.key]);
          for (const c of children(x)) visit(c);
        };
        visit(v);
      }
    }
    current = next;
  }
  return current;
}
