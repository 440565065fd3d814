/**
 * Evaluates the AST of test/fakes/promql.ts at one instant over stored
 * series, with Prometheus 2.42's semantics (see that file for the subset).
 * Part of the metrics fake; pinned by the metrics contract suite.
 */
import { matches, PromqlError, signature, withoutName, type Labels, type Matcher, type Matrix, type Node, type Value, type Vector } from './promql.js';

export interface StoredSeries {
  /** Including `__name__`. */
  labels: Labels;
  /** Unix seconds, ascending. */
  times: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface Store {
  series: readonly StoredSeries[];
  /** Lookback of instant selectors, seconds. */
  lookback: number;
}

/** First index with times[i] >= t (inclusive) or times[i] > t (exclusive). */
function firstIndex(times: ArrayLike<number>, t: number, inclusive: boolean): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = times[mid] as number;
    if (v < t || (!inclusive && v === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Prometheus' increase()/rate() over the samples in [t−range, t]: the delta
 * (with counter resets added back), extrapolated towards the range edges when
 * the first/last sample is within 1.1 average intervals of them (otherwise by
 * half an interval), never below zero at the start.
 */
function extrapolatedDelta(ts: ArrayLike<number>, vs: ArrayLike<number>, start: number, end: number, isRate: boolean, range: number): number | undefined {
  const n = ts.length;
  if (n < 2) return undefined;
  let delta = (vs[n - 1] as number) - (vs[0] as number);
  for (let i = 1; i < n; i++) if ((vs[i] as number) < (vs[i - 1] as number)) delta += vs[i - 1] as number;
  const sampled = (ts[n - 1] as number) - (ts[0] as number);
  let toStart = (ts[0] as number) - start;
  const toEnd = end - (ts[n - 1] as number);
  const average = sampled / (n - 1);
  if (delta > 0 && (vs[0] as number) >= 0) {
    const toZero = sampled * ((vs[0] as number) / delta);
    if (toZero < toStart) toStart = toZero;
  }
  const threshold = average * 1.1;
  let interval = sampled;
  interval += toStart < threshold ? toStart : average / 2;
  interval += toEnd < threshold ? toEnd : average / 2;
  let result = delta * (interval / sampled);
  if (isRate) result /= range;
  return result;
}

function fold(vs: ArrayLike<number>, f: (acc: number, v: number) => number): number {
  let acc = vs[0] as number;
  for (let i = 1; i < vs.length; i++) acc = f(acc, vs[i] as number);
  return acc;
}

const OVER_TIME: Record<string, (vs: ArrayLike<number>) => number> = {
  avg_over_time: (vs) => fold(vs, (a, b) => a + b) / vs.length,
  sum_over_time: (vs) => fold(vs, (a, b) => a + b),
  min_over_time: (vs) => fold(vs, (a, b) => (b < a || Number.isNaN(a) ? b : a)),
  max_over_time: (vs) => fold(vs, (a, b) => (b > a || Number.isNaN(a) ? b : a)),
  count_over_time: (vs) => vs.length,
};

/** times[from, to) without copying when the store holds typed arrays. */
function window(a: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (ArrayBuffer.isView(a)) return (a as Float64Array).subarray(from, to);
  return Array.prototype.slice.call(a, from, to) as number[];
}

function arithmetic(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return a % b;
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    default:
      return a <= b;
  }
}

const isComparison = (op: string) => ['==', '!=', '>', '<', '>=', '<='].includes(op);

function vectorOf(v: Value, what: string): Vector {
  if (v.kind !== 'vector') throw new PromqlError(`${what} expects an instant vector, got a ${v.kind}`);
  return v.v;
}

function scalarOf(v: Value, what: string): number {
  if (v.kind !== 'scalar') throw new PromqlError(`${what} expects a scalar, got a ${v.kind}`);
  return v.v;
}

function stringOf(node: Node | undefined, what: string): string {
  if (node?.type !== 'string') throw new PromqlError(`${what} expects a string argument`);
  return node.value;
}

/** Go's regexp.Expand for `$1`, `${1}`, `$name`, `${name}`. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_all, braced: string | undefined, bare: string | undefined) => {
    const ref = (braced ?? bare) as string;
    const value = /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
    return value ?? '';
  });
}

export function evaluate(node: Node, t: number, store: Store): Value {
  switch (node.type) {
    case 'number':
      return { kind: 'scalar', v: node.value };
    case 'string':
      throw new PromqlError('a string is not a valid expression here');
    case 'selector':
      return node.range === undefined ? { kind: 'vector', v: instantSelect(node.matchers, t, store) } : { kind: 'matrix', v: rangeSelect(node.matchers, t - node.range, t, store) };
    case 'subquery':
      return { kind: 'matrix', v: subquery(node.expr, t, node.range, node.step, store) };
    case 'neg': {
      const v = evaluate(node.arg, t, store);
      if (v.kind === 'scalar') return { kind: 'scalar', v: -v.v };
      return { kind: 'vector', v: vectorOf(v, 'unary minus').map((s) => ({ labels: withoutName(s.labels), value: -s.value })) };
    }
    case 'call':
      return call(node.fn, node.args, t, store);
    case 'agg':
      return { kind: 'vector', v: aggregate(node.op, node.by ?? [], vectorOf(evaluate(node.arg, t, store), node.op), node.by !== undefined) };
    case 'topk': {
      const k = Math.floor(scalarOf(evaluate(node.k, t, store), 'topk'));
      const order = (x: number) => (Number.isNaN(x) ? Number.NEGATIVE_INFINITY : x);
      const sorted = [...vectorOf(evaluate(node.arg, t, store), 'topk')].sort((a, b) => order(b.value) - order(a.value));
      return { kind: 'vector', v: sorted.slice(0, Math.max(0, k)).map((s) => ({ labels: { ...s.labels }, value: s.value })) };
    }
    case 'binary':
      return binary(node.op, node.bool, evaluate(node.lhs, t, store), evaluate(node.rhs, t, store));
  }
}

function instantSelect(matchers: readonly Matcher[], t: number, store: Store): Vector {
  const out: Vector = [];
  for (const s of store.series) {
    if (!matches(s.labels, matchers)) continue;
    const i = firstIndex(s.times, t, false) - 1; // last sample at or before t
    if (i >= 0 && (s.times[i] as number) >= t - store.lookback) out.push({ labels: { ...s.labels }, value: s.values[i] as number });
  }
  return out;
}

function rangeSelect(matchers: readonly Matcher[], start: number, end: number, store: Store): Matrix {
  const out: Matrix = [];
  for (const s of store.series) {
    if (!matches(s.labels, matchers)) continue;
    const from = firstIndex(s.times, start, true);
    const to = firstIndex(s.times, end, false);
    if (from >= to) continue;
    out.push({ labels: { ...s.labels }, times: window(s.times, from, to), values: window(s.values, from, to) });
  }
  return out;
}

/** Evaluate `expr` at the step-aligned instants in [t−range, t] (aligned in integer ms, as Prometheus does). */
function subquery(expr: Node, t: number, range: number, step: number, store: Store): Matrix {
  const tMs = Math.round(t * 1000);
  const rangeMs = Math.round(range * 1000);
  const stepMs = Math.round(step * 1000);
  let u = stepMs * Math.floor((tMs - rangeMs) / stepMs);
  if (u < tMs - rangeMs) u += stepMs;
  const bySig = new Map<string, { labels: Labels; times: number[]; values: number[] }>();
  for (; u <= tMs; u += stepMs) {
    const v = evaluate(expr, u / 1000, store);
    const vector = v.kind === 'scalar' ? [{ labels: {}, value: v.v }] : vectorOf(v, 'a subquery');
    for (const s of vector) {
      const sig = signature(s.labels);
      let series = bySig.get(sig);
      if (!series) bySig.set(sig, (series = { labels: s.labels, times: [], values: [] }));
      series.times.push(u / 1000);
      series.values.push(s.value);
    }
  }
  return [...bySig.values()];
}

function call(fn: string, args: Node[], t: number, store: Store): Value {
  if (fn === 'vector') {
    if (args.length !== 1) throw new PromqlError('vector() expects 1 argument');
    return { kind: 'vector', v: [{ labels: {}, value: scalarOf(evaluate(args[0]!, t, store), 'vector()') }] };
  }
  if (fn === 'label_replace') {
    if (args.length !== 5) throw new PromqlError('label_replace() expects 5 arguments');
    const [dst, replacement, src, regex] = args.slice(1).map((a, i) => stringOf(a, `label_replace() argument ${i + 2}`)) as [string, string, string, string];
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(dst)) throw new PromqlError(`invalid destination label name in label_replace(): ${dst}`);
    const re = new RegExp(`^(?:${regex})$`);
    return {
      kind: 'vector',
      v: vectorOf(evaluate(args[0]!, t, store), 'label_replace()').map((s) => {
        const m = re.exec(s.labels[src] ?? '');
        if (!m) return { labels: { ...s.labels }, value: s.value };
        const labels = { ...s.labels };
        const value = expand(replacement, m);
        if (value === '') delete labels[dst];
        else labels[dst] = value;
        return { labels, value: s.value };
      }),
    };
  }
  const arg = args[0];
  if (args.length !== 1 || !arg || (arg.type !== 'selector' && arg.type !== 'subquery') || (arg.type === 'selector' && arg.range === undefined)) {
    throw new PromqlError(`expected a range vector in call to function "${fn}"`);
  }
  const matrix = evaluate(arg, t, store);
  if (matrix.kind !== 'matrix') throw new PromqlError(`expected a range vector in call to function "${fn}"`);
  const out: Vector = [];
  if (fn === 'rate' || fn === 'increase') {
    const range = arg.range as number;
    for (const s of matrix.v) {
      const v = extrapolatedDelta(s.times, s.values, t - range, t, fn === 'rate', range);
      if (v !== undefined) out.push({ labels: withoutName(s.labels), value: v });
    }
    return { kind: 'vector', v: out };
  }
  const reduce = OVER_TIME[fn] as (vs: ArrayLike<number>) => number;
  for (const s of matrix.v) if (s.values.length > 0) out.push({ labels: withoutName(s.labels), value: reduce(s.values) });
  return { kind: 'vector', v: out };
}

function aggregate(op: string, by: readonly string[], input: Vector, grouped: boolean): Vector {
  const groups = new Map<string, { labels: Labels; values: number[] }>();
  for (const s of input) {
    const labels: Labels = {};
    if (grouped) for (const k of by) if (s.labels[k] !== undefined && s.labels[k] !== '') labels[k] = s.labels[k] as string;
    const sig = signature(labels);
    const g = groups.get(sig);
    if (g) g.values.push(s.value);
    else groups.set(sig, { labels, values: [s.value] });
  }
  return [...groups.values()].map(({ labels, values }) => {
    let value: number;
    if (op === 'sum') value = values.reduce((a, b) => a + b, 0);
    else if (op === 'avg') value = values.reduce((a, b) => a + b, 0) / values.length;
    else if (op === 'count') value = values.length;
    else value = values.reduce((a, b) => ((op === 'max' ? b > a : b < a) || Number.isNaN(a) ? b : a));
    return { labels, value };
  });
}

function binary(op: string, bool: boolean, l: Value, r: Value): Value {
  if (l.kind === 'matrix' || r.kind === 'matrix') throw new PromqlError(`binary expression must contain only scalar and instant vector types`);
  if (op === 'or') return { kind: 'vector', v: or(vectorOf(l, '"or"'), vectorOf(r, '"or"')) };
  const cmp = isComparison(op);
  if (l.kind === 'scalar' && r.kind === 'scalar') {
    return { kind: 'scalar', v: cmp ? (compare(op, l.v, r.v) ? 1 : 0) : arithmetic(op, l.v, r.v) };
  }
  // Arithmetic and `bool` drop the metric name; a filtering comparison keeps the sample as it is.
  const apply = (sample: { labels: Labels; value: number }, a: number, b: number): { labels: Labels; value: number } | undefined => {
    if (!cmp) return { labels: withoutName(sample.labels), value: arithmetic(op, a, b) };
    const keep = compare(op, a, b);
    if (bool) return { labels: withoutName(sample.labels), value: keep ? 1 : 0 };
    return keep ? { labels: { ...sample.labels }, value: sample.value } : undefined;
  };
  const out: Vector = [];
  if (l.kind === 'vector' && r.kind === 'scalar') {
    for (const s of l.v) {
      const x = apply(s, s.value, r.v);
      if (x) out.push(x);
    }
    return { kind: 'vector', v: out };
  }
  if (l.kind === 'scalar' && r.kind === 'vector') {
    for (const s of r.v) {
      const x = apply(s, l.v, s.value);
      if (x) out.push(x);
    }
    return { kind: 'vector', v: out };
  }
  // vector ∘ vector: one-to-one on the label sets without __name__.
  const rhs = new Map<string, number>();
  for (const s of r.v as Vector) {
    const sig = signature(withoutName(s.labels));
    if (rhs.has(sig)) throw new PromqlError('found duplicate series for the match group on the right hand-side of the operation; many-to-many matching not allowed');
    rhs.set(sig, s.value);
  }
  const seen = new Set<string>();
  for (const s of l.v as Vector) {
    const sig = signature(withoutName(s.labels));
    const b = rhs.get(sig);
    if (b === undefined) continue;
    if (seen.has(sig)) throw new PromqlError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
    seen.add(sig);
    const x = apply(s, s.value, b);
    if (x) out.push(x);
  }
  return { kind: 'vector', v: out };
}

/** `a or b`: all of a, and the samples of b whose labels (without __name__) match none of a. */
function or(a: Vector, b: Vector): Vector {
  const left = new Set(a.map((s) => signature(withoutName(s.labels))));
  return [...a.map((s) => ({ labels: { ...s.labels }, value: s.value })), ...b.filter((s) => !left.has(signature(withoutName(s.labels)))).map((s) => ({ labels: { ...s.labels }, value: s.value }))];
}
