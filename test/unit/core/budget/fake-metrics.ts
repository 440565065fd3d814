/**
 * A synthetic Prometheus for the budget engine's unit tests. It holds counter
 * series as per-minute increments and EVALUATES the PromQL subset the engine
 * generates (it does not answer from a table):
 *
 *   selector{…}[W] inside rate()/increase(); sum/max/min(); a / b, a - b, a * b;
 *   comparisons with `bool`; number literals; vector(n);
 *   avg_over_time((expr)[W:S]) subqueries (aligned to S, both ends included);
 *   label_replace(expr, "dst", "value", "", ""); `or` (union by label set).
 *
 * Windows on the minute grid are exact: increase over (t − W, t] is the sum of
 * the minutes ending in that range. Unknown syntax throws (like a bad query).
 */
import { DependencyError } from '../../../../src/core/errors.js';
import type { InstantQueryOptions, InstantSample, MetricsSource, RangeQueryOptions, RangeSeries } from '../../../../src/ports/metrics.js';

export interface FakeSeries {
  labels: Record<string, string>;
  /** Increment of the minute ending at start + (i + 1) × 60 s. */
  perMinute: ArrayLike<number>;
}

type Sample = { labels: Record<string, string>; value: number };
type Vec = Sample[];

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

function dur(text: string): number {
  let total = 0;
  const re = /(\d+)(ms|s|m|h|d|w)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(text))) {
    total += m[2] === 'ms' ? Number(m[1]) / 1000 : Number(m[1]) * (UNITS[m[2] as string] as number);
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0) throw new Error(`bad duration ${text}`);
  return total;
}

export class FakeMetrics implements MetricsSource {
  readonly kind = 'prometheus';
  instantCalls: Array<{ query: string; time: number | undefined }> = [];
  rangeCalls: Array<{ query: string; start: number; end: number; step: number }> = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Make every query fail like an unreachable server. */
  unreachable = false;
  /** Fail queries containing this text with a server error. */
  failWhen?: string;
  /** Delay (in microtask turns) before answering, to observe concurrency. */
  turns = 3;

  constructor(
    private readonly series: FakeSeries[],
    /** Unix seconds of the grid start (the counter's first sample). */
    private readonly start: number,
  ) {}

  private async pause(): Promise<void> {
    for (let i = 0; i < this.turns; i++) await Promise.resolve();
  }

  async instant(query: string, options: InstantQueryOptions = {}): Promise<InstantSample[]> {
    this.instantCalls.push({ query, time: options.time });
    return this.guard(query, options.signal, () => evaluate(parse(query), (options.time ?? 0) / 1000, this));
  }

  async range(query: string, options: RangeQueryOptions): Promise<RangeSeries[]> {
    this.rangeCalls.push({ query, start: options.start, end: options.end, step: options.step });
    return this.guard(query, options.signal, () => {
      const node = parse(query);
      const out = new Map<string, RangeSeries>();
      for (let t = options.start / 1000; t <= options.end / 1000 + 1e-9; t += options.step) {
        for (const s of evaluate(node, t, this)) {
          const key = JSON.stringify(s.labels);
          const entry = out.get(key) ?? { labels: s.labels, points: [] };
          entry.points.push([Math.round(t * 1000) / 1000, s.value]);
          out.set(key, entry);
        }
      }
      return [...out.values()];
    });
  }

  async close(): Promise<void> {}

  private async guard<T>(query: string, signal: AbortSignal | undefined, run: () => T): Promise<T> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.pause();
      signal?.throwIfAborted();
      if (this.unreachable) throw new DependencyError('prometheus', `Prometheus at http://127.0.0.1:1 did not answer query ${JSON.stringify(query)}: ECONNREFUSED (after 1 attempts)`);
      if (this.failWhen && query.includes(this.failWhen)) throw new DependencyError('prometheus', `Prometheus rejected query ${JSON.stringify(query)}: bad_data: parse error`);
      return run();
    } finally {
      this.inFlight--;
    }
  }

  /** Events of the series matching `matchers` in (from, to], unix seconds; undefined when no series matches. */
  increase(matchers: Array<[string, string, string]>, from: number, to: number): Array<{ labels: Record<string, string>; value: number }> {
    const out: Array<{ labels: Record<string, string>; value: number }> = [];
    for (const s of this.series) {
      if (!matchers.every(([k, op, v]) => (op === '=' ? s.labels[k] === v : op === '!=' ? s.labels[k] !== v : new RegExp(`^(?:${v})$`).test(s.labels[k] ?? '')))) continue;
      // Minutes ending in (from, to]; a range without samples yields nothing (as in Prometheus).
      const i0 = Math.max(0, Math.floor((from - this.start) / 60));
      const i1 = Math.min(s.perMinute.length - 1, Math.floor((to - this.start) / 60) - 1);
      if (i0 > i1) continue;
      let v = 0;
      for (let i = i0; i <= i1; i++) v += s.perMinute[i] as number;
      out.push({ labels: s.labels, value: v });
    }
    return out;
  }
}

// ------------------------------------------------------------------ parser

type Node =
  | { k: 'num'; v: number }
  | { k: 'sel'; name: string; matchers: Array<[string, string, string]>; range: number }
  | { k: 'call'; fn: string; args: Node[]; strs: string[] }
  | { k: 'bin'; op: string; bool: boolean; l: Node; r: Node }
  | { k: 'sub'; e: Node; range: number; step: number }
  | { k: 'or'; l: Node; r: Node };

class Parser {
  i = 0;
  constructor(private readonly s: string) {}
  ws() {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }
  peek(re: RegExp): RegExpExecArray | null {
    this.ws();
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    return m && m.index === this.i ? m : null;
  }
  eat(re: RegExp): string {
    const m = this.peek(re);
    if (!m) throw new Error(`fake PromQL: expected ${re} at ${this.i}: ${this.s.slice(this.i, this.i + 40)}`);
    this.i += m[0].length;
    return m[0];
  }
  try(re: RegExp): string | null {
    const m = this.peek(re);
    if (!m) return null;
    this.i += m[0].length;
    return m[0];
  }
  or(): Node {
    let l = this.cmp();
    while (this.try(/or\b/y)) l = { k: 'or', l, r: this.cmp() };
    return l;
  }
  cmp(): Node {
    const l = this.add();
    const op = this.try(/>=|<=|==|!=|>|</y);
    if (!op) return l;
    const bool = this.try(/bool\b/y) !== null;
    return { k: 'bin', op, bool, l, r: this.add() };
  }
  add(): Node {
    let l = this.mul();
    for (let op = this.try(/[+-](?!\d)/y); op; op = this.try(/[+-](?!\d)/y)) l = { k: 'bin', op, bool: false, l, r: this.mul() };
    return l;
  }
  mul(): Node {
    let l = this.unary();
    for (let op = this.try(/[*/]/y); op; op = this.try(/[*/]/y)) l = { k: 'bin', op, bool: false, l, r: this.unary() };
    return l;
  }
  unary(): Node {
    const n = this.try(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/y);
    if (n !== null) return { k: 'num', v: Number(n) };
    if (this.try(/\(/y)) {
      const e = this.or();
      this.eat(/\)/y);
      if (this.try(/\[/y)) {
        const range = dur(this.eat(/[0-9a-z]+/y));
        this.eat(/:/y);
        const step = dur(this.eat(/[0-9a-z]+/y));
        this.eat(/\]/y);
        return { k: 'sub', e, range, step };
      }
      return e;
    }
    const name = this.eat(/[A-Za-z_:][A-Za-z0-9_:]*/y);
    if (this.try(/\(/y)) {
      const args: Node[] = [];
      const strs: string[] = [];
      if (!this.try(/\)/y)) {
        do {
          const str = this.try(/"[^"]*"/y);
          if (str !== null) strs.push(str.slice(1, -1));
          else args.push(this.or());
        } while (this.try(/,/y));
        this.eat(/\)/y);
      }
      return { k: 'call', fn: name, args, strs };
    }
    const matchers: Array<[string, string, string]> = [];
    if (this.try(/\{/y)) {
      while (!this.try(/\}/y)) {
        const key = this.eat(/[A-Za-z_][A-Za-z0-9_]*/y);
        const op = this.eat(/=~|!~|!=|=/y);
        const val = this.eat(/"[^"]*"/y).slice(1, -1);
        matchers.push([key, op, val]);
        this.try(/,/y);
      }
    }
    let range = 0;
    if (this.try(/\[/y)) {
      range = dur(this.eat(/[0-9a-z]+/y));
      this.eat(/\]/y);
    }
    return { k: 'sel', name, matchers: [['__name__', '=', name], ...matchers], range };
  }
}

export function parse(query: string): Node {
  const p = new Parser(query);
  const n = p.or();
  p.ws();
  if (p.i !== query.length) throw new DependencyError('prometheus', `fake PromQL: unexpected ${query.slice(p.i, p.i + 30)}`);
  return n;
}

function cmp(op: string, a: number, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}

export function evaluate(n: Node, t: number, src: FakeMetrics): Vec {
  switch (n.k) {
    case 'num':
      return [{ labels: {}, value: n.v }];
    case 'sel':
      throw new Error('fake PromQL: bare selectors are not supported');
    case 'or': {
      const l = evaluate(n.l, t, src);
      const keys = new Set(l.map((s) => JSON.stringify(s.labels)));
      return [...l, ...evaluate(n.r, t, src).filter((s) => !keys.has(JSON.stringify(s.labels)))];
    }
    case 'sub': {
      const values: number[] = [];
      const first = Math.ceil((t - n.range) / n.step) * n.step;
      for (let u = first; u <= t + 1e-9; u += n.step) {
        const v = evaluate(n.e, u, src)[0];
        if (v) values.push(v.value);
      }
      return values.length ? [{ labels: {}, value: values.reduce((a, b) => a + b, 0) / values.length }] : [];
    }
    case 'bin': {
      const l = evaluate(n.l, t, src)[0];
      const r = evaluate(n.r, t, src)[0];
      if (!l || !r) return [];
      let v: number;
      if (n.op === '/') v = l.value / r.value;
      else if (n.op === '*') v = l.value * r.value;
      else if (n.op === '+') v = l.value + r.value;
      else if (n.op === '-') v = l.value - r.value;
      else if (n.bool) v = cmp(n.op, l.value, r.value) ? 1 : 0;
      else if (!cmp(n.op, l.value, r.value)) return [];
      else v = l.value;
      return [{ labels: {}, value: v }];
    }
    case 'call': {
      const arg = n.args[0];
      switch (n.fn) {
        case 'rate':
        case 'increase': {
          if (!arg || arg.k !== 'sel' || arg.range === 0) throw new Error(`fake PromQL: ${n.fn} needs a range selector`);
          return src.increase(arg.matchers, t - arg.range, t).map((s) => ({ labels: s.labels, value: n.fn === 'rate' ? s.value / arg.range : s.value }));
        }
        case 'sum':
        case 'max':
        case 'min': {
          const v = evaluate(arg as Node, t, src);
          if (v.length === 0) return [];
          const values = v.map((s) => s.value);
          const value = n.fn === 'sum' ? values.reduce((a, b) => a + b, 0) : n.fn === 'max' ? Math.max(...values) : Math.min(...values);
          return [{ labels: {}, value }];
        }
        case 'avg_over_time':
          return evaluate(arg as Node, t, src);
        case 'vector':
          return evaluate(arg as Node, t, src);
        case 'label_replace': {
          const [dst, value] = n.strs;
          return evaluate(arg as Node, t, src).map((s) => ({ labels: { ...s.labels, [dst as string]: value as string }, value: s.value }));
        }
        default:
          throw new DependencyError('prometheus', `fake PromQL: unknown function ${n.fn}`);
      }
    }
  }
}
