/**
 * In-memory MetricsSource for core tests. It HOLDS SERIES and EVALUATES a small
 * subset of PromQL with Prometheus 2.42's semantics, so it passes the same
 * contract suite as the Prometheus adapter (test/contract/metrics.contract.test.ts):
 *
 *   selector      name{label="v", label!="v", label=~"re", label!~"re"}   (instant: latest sample in [t−5m, t])
 *   range funcs   increase(selector[W]), rate(selector[W])   (range [t−W, t], both ends included, as in 2.x;
 *                 counter resets and Prometheus' extrapolation rules applied)
 *   aggregation   sum(expr), sum by (l1, l2) (expr), sum(expr) by (l1)
 *   arithmetic    a / b between vectors (one-to-one on identical label sets) or with a number
 *   numbers       42, 0.5
 *
 * Anything else is rejected like Prometheus rejects a bad query: a
 * DependencyError (exit 3) naming the query. Durations: ms s m h d w y.
 */
import { DependencyError } from '../../src/core/errors.js';
import type { InstantQueryOptions, InstantSample, MetricsSource, RangeQueryOptions, RangeSeries } from '../../src/ports/metrics.js';

export interface MemorySeries {
  /** Including `__name__`. */
  labels: Record<string, string>;
  /** Unix seconds, ascending. */
  times: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface MemoryMetricsOptions {
  /** "Server now" for instant queries without `time`, epoch ms. Default Date.now. */
  now?: () => number;
  /** Lookback for instant selectors, seconds. Default 300 (Prometheus' default). */
  lookbackSeconds?: number;
  /** Behave like a server that does not answer: every query fails with exit 3. */
  unreachable?: boolean;
}

type Labels = Record<string, string>;
type Vector = Array<{ labels: Labels; value: number }>;
type Value = { kind: 'vector'; v: Vector } | { kind: 'scalar'; v: number };

interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  re?: RegExp;
}
type Node =
  | { type: 'selector'; matchers: Matcher[]; range?: number }
  | { type: 'call'; fn: 'rate' | 'increase'; arg: { type: 'selector'; matchers: Matcher[]; range: number } }
  | { type: 'sum'; by?: string[]; arg: Node }
  | { type: 'div'; lhs: Node; rhs: Node }
  | { type: 'number'; value: number };

class ParseError extends Error {}

// ------------------------------------------------------------------ parsing

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

function parseDuration(text: string): number {
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || consumed === 0 || total <= 0) throw new ParseError(`bad duration "${text}"`);
  return total;
}

type Token = { t: 'ident' | 'string' | 'number' | 'punct' | 'duration'; v: string; pos: number };

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = q.slice(i);
    let m: RegExpExecArray | null;
    if (c === '[') {
      const close = q.indexOf(']', i);
      if (close < 0) throw new ParseError(`unclosed "[" at char ${i + 1}`);
      out.push({ t: 'duration', v: q.slice(i + 1, close).trim(), pos: i });
      i = close + 1;
    } else if ((m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest))) {
      out.push({ t: 'ident', v: m[0], pos: i });
      i += m[0].length;
    } else if ((m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest))) {
      out.push({ t: 'number', v: m[0], pos: i });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < q.length && q[j] !== c) {
        if (q[j] === '\\') {
          j++;
          const e = q[j];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : (e ?? '');
        } else s += q[j];
        j++;
      }
      if (j >= q.length) throw new ParseError(`unterminated string at char ${i + 1}`);
      out.push({ t: 'string', v: s, pos: i });
      i = j + 1;
    } else if ((m = /^(!=|=~|!~|[{}(),=/])/.exec(rest))) {
      out.push({ t: 'punct', v: m[0], pos: i });
      i += m[0].length;
    } else throw new ParseError(`unexpected character "${c}" at char ${i + 1}`);
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): Node {
    const node = this.expr();
    const extra = this.toks[this.i];
    if (extra) throw new ParseError(`unexpected "${extra.v}" at char ${extra.pos + 1}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new ParseError('unexpected end of input');
    return t;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v || (t.t !== 'punct' && t.t !== 'ident')) throw new ParseError(`expected "${v}" at char ${t.pos + 1}, got "${t.v}"`);
  }
  private isPunct(v: string): boolean {
    const t = this.peek();
    return t?.t === 'punct' && t.v === v;
  }

  private expr(): Node {
    let lhs = this.term();
    while (this.isPunct('/')) {
      this.i++;
      lhs = { type: 'div', lhs, rhs: this.term() };
    }
    return lhs;
  }

  private term(): Node {
    const t = this.peek();
    if (!t) throw new ParseError('unexpected end of input');
    if (t.t === 'number') {
      this.i++;
      return { type: 'number', value: Number(t.v) };
    }
    if (this.isPunct('(')) {
      this.i++;
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (this.isPunct('{')) return this.selector(undefined);
    if (t.t !== 'ident') throw new ParseError(`unexpected "${t.v}" at char ${t.pos + 1}`);
    this.i++;
    if (t.v === 'sum') return this.sum();
    if (this.isPunct('(')) {
      if (t.v !== 'rate' && t.v !== 'increase') throw new ParseError(`unknown function with name "${t.v}"`);
      this.i++;
      const arg = this.term();
      this.expect(')');
      if (arg.type !== 'selector' || arg.range === undefined) throw new ParseError(`expected a range vector in call to function "${t.v}"`);
      return { type: 'call', fn: t.v, arg: { type: 'selector', matchers: arg.matchers, range: arg.range } };
    }
    return this.selector(t.v);
  }

  private labelList(): string[] {
    this.expect('(');
    const names: string[] = [];
    while (!this.isPunct(')')) {
      const t = this.next();
      if (t.t !== 'ident') throw new ParseError(`expected a label name at char ${t.pos + 1}`);
      names.push(t.v);
      if (!this.isPunct(')')) this.expect(',');
    }
    this.i++;
    return names;
  }

  private sum(): Node {
    let by: string[] | undefined;
    if (this.peek()?.t === 'ident' && this.peek()?.v === 'by') {
      this.i++;
      by = this.labelList();
    }
    this.expect('(');
    const arg = this.expr();
    this.expect(')');
    if (!by && this.peek()?.t === 'ident' && this.peek()?.v === 'by') {
      this.i++;
      by = this.labelList();
    }
    return by ? { type: 'sum', by, arg } : { type: 'sum', arg };
  }

  private selector(name: string | undefined): Node {
    const matchers: Matcher[] = name ? [{ name: '__name__', op: '=', value: name }] : [];
    if (this.isPunct('{')) {
      this.i++;
      while (!this.isPunct('}')) {
        const label = this.next();
        if (label.t !== 'ident') throw new ParseError(`expected a label name at char ${label.pos + 1}`);
        const op = this.next();
        if (op.t !== 'punct' || !['=', '!=', '=~', '!~'].includes(op.v)) throw new ParseError(`expected a label matching operator at char ${op.pos + 1}`);
        const value = this.next();
        if (value.t !== 'string') throw new ParseError(`expected a quoted label value at char ${value.pos + 1}`);
        const matcher: Matcher = { name: label.v, op: op.v as Matcher['op'], value: value.v };
        if (op.v === '=~' || op.v === '!~') matcher.re = new RegExp(`^(?:${value.v})$`);
        matchers.push(matcher);
        if (!this.isPunct('}')) this.expect(',');
      }
      this.i++;
    }
    if (!matchers.some((m) => m.op === '=' ? m.value !== '' : m.op === '=~' ? !m.re?.test('') : false)) {
      throw new ParseError('vector selector must contain at least one non-empty matcher');
    }
    if (this.peek()?.t === 'duration') return { type: 'selector', matchers, range: parseDuration(this.next().v) };
    return { type: 'selector', matchers };
  }
}

// ------------------------------------------------------------------ evaluation

function matches(labels: Labels, ms: Matcher[]): boolean {
  return ms.every((m) => {
    const v = labels[m.name] ?? '';
    if (m.op === '=') return v === m.value;
    if (m.op === '!=') return v !== m.value;
    if (m.op === '=~') return m.re!.test(v);
    return !m.re!.test(v);
  });
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

const withoutName = (labels: Labels): Labels => {
  const { __name__: _drop, ...rest } = labels;
  return rest;
};
const signature = (labels: Labels): string =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );

/**
 * Prometheus' increase()/rate() over the samples in [t−range, t]: the delta
 * (with counter resets added back), extrapolated towards the range edges when
 * the first/last sample is within 1.1 average intervals of them (otherwise by
 * half an interval), never below zero at the start.
 */
function extrapolatedDelta(ts: number[], vs: number[], start: number, end: number, isRate: boolean, range: number): number | undefined {
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

export class MemoryMetrics implements MetricsSource {
  readonly kind = 'memory-metrics';
  /** Every query received, in order. */
  readonly queries: string[] = [];
  private readonly now: () => number;
  private readonly lookback: number;

  constructor(
    private readonly series: MemorySeries[],
    private readonly options: MemoryMetricsOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.lookback = options.lookbackSeconds ?? 300;
  }

  /** Convenience for hand-written fixtures: `[unixSeconds, value]` points. */
  static fromPoints(list: Array<{ labels: Labels; points: Array<[number, number]> }>, options?: MemoryMetricsOptions): MemoryMetrics {
    return new MemoryMetrics(
      list.map((s) => ({ labels: s.labels, times: s.points.map((p) => p[0]), values: s.points.map((p) => p[1]) })),
      options,
    );
  }

  async instant(query: string, options: InstantQueryOptions = {}): Promise<InstantSample[]> {
    const node = this.prepare(query, options.signal);
    const t = (options.time ?? this.now()) / 1000;
    const value = this.eval(node, t);
    if (value.kind === 'scalar') return [{ labels: {}, value: value.v }];
    return value.v.map((s) => ({ labels: { ...s.labels }, value: s.value }));
  }

  async range(query: string, options: RangeQueryOptions): Promise<RangeSeries[]> {
    const node = this.prepare(query, options.signal);
    if (!(options.step > 0)) throw new DependencyError('memory-metrics', `memory-metrics rejected query ${JSON.stringify(query)}: bad_data: step must be > 0`);
    const bySig = new Map<string, RangeSeries>();
    const start = options.start / 1000;
    const end = options.end / 1000;
    for (let k = 0; start + k * options.step <= end; k++) {
      const t = start + k * options.step;
      const value = this.eval(node, t);
      const vector = value.kind === 'scalar' ? [{ labels: {}, value: value.v }] : value.v;
      for (const s of vector) {
        const sig = signature(s.labels);
        let out = bySig.get(sig);
        if (!out) bySig.set(sig, (out = { labels: { ...s.labels }, points: [] }));
        out.points.push([t, s.value]);
      }
    }
    return [...bySig.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  }

  async close(): Promise<void> {}

  private prepare(query: string, signal?: AbortSignal): Node {
    signal?.throwIfAborted();
    this.queries.push(query);
    if (this.options.unreachable) {
      throw new DependencyError('memory-metrics', `memory-metrics did not answer query ${JSON.stringify(query)}: ECONNREFUSED`, {
        suggestions: ['the fake was built with { unreachable: true }'],
      });
    }
    try {
      return new Parser(tokenize(query)).parse();
    } catch (error) {
      if (!(error instanceof ParseError) && !(error instanceof SyntaxError)) throw error;
      throw new DependencyError('memory-metrics', `memory-metrics rejected query ${JSON.stringify(query)}: bad_data: ${error.message}`, {
        suggestions: ['the fake evaluates only selectors, rate/increase, sum [by] and "/" (test/fakes/memory-metrics.ts)'],
      });
    }
  }

  private eval(node: Node, t: number): Value {
    switch (node.type) {
      case 'number':
        return { kind: 'scalar', v: node.value };
      case 'selector': {
        if (node.range !== undefined) throw new DependencyError('memory-metrics', 'memory-metrics: a range vector cannot be the result of a query (wrap it in rate() or increase())');
        const out: Vector = [];
        for (const s of this.series) {
          if (!matches(s.labels, node.matchers)) continue;
          const i = firstIndex(s.times, t, false) - 1; // last sample at or before t
          if (i >= 0 && (s.times[i] as number) >= t - this.lookback) out.push({ labels: { ...s.labels }, value: s.values[i] as number });
        }
        return { kind: 'vector', v: out };
      }
      case 'call': {
        const { matchers, range } = node.arg;
        const start = t - range;
        const out: Vector = [];
        for (const s of this.series) {
          if (!matches(s.labels, matchers)) continue;
          const from = firstIndex(s.times, start, true);
          const to = firstIndex(s.times, t, false);
          const ts: number[] = [];
          const vs: number[] = [];
          for (let i = from; i < to; i++) {
            ts.push(s.times[i] as number);
            vs.push(s.values[i] as number);
          }
          const v = extrapolatedDelta(ts, vs, start, t, node.fn === 'rate', range);
          if (v !== undefined) out.push({ labels: withoutName(s.labels), value: v });
        }
        return { kind: 'vector', v: out };
      }
      case 'sum': {
        const inner = this.eval(node.arg, t);
        if (inner.kind !== 'vector') throw new DependencyError('memory-metrics', 'memory-metrics: sum() expects an instant vector');
        const groups = new Map<string, { labels: Labels; value: number }>();
        for (const s of inner.v) {
          const labels: Labels = {};
          for (const k of node.by ?? []) if (s.labels[k] !== undefined && s.labels[k] !== '') labels[k] = s.labels[k] as string;
          const sig = signature(labels);
          const g = groups.get(sig);
          if (g) g.value += s.value;
          else groups.set(sig, { labels, value: s.value });
        }
        return { kind: 'vector', v: [...groups.values()] };
      }
      case 'div': {
        const l = this.eval(node.lhs, t);
        const r = this.eval(node.rhs, t);
        if (l.kind === 'scalar' && r.kind === 'scalar') return { kind: 'scalar', v: l.v / r.v };
        if (l.kind === 'vector' && r.kind === 'scalar') return { kind: 'vector', v: l.v.map((s) => ({ labels: withoutName(s.labels), value: s.value / r.v })) };
        if (l.kind === 'scalar' && r.kind === 'vector') return { kind: 'vector', v: r.v.map((s) => ({ labels: withoutName(s.labels), value: l.v / s.value })) };
        const rhs = new Map((r.v as Vector).map((s) => [signature(withoutName(s.labels)), s.value]));
        const out: Vector = [];
        for (const s of l.v as Vector) {
          const labels = withoutName(s.labels);
          const d = rhs.get(signature(labels));
          if (d !== undefined) out.push({ labels, value: s.value / d });
        }
        return { kind: 'vector', v: out };
      }
    }
  }
}
