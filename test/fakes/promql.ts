/**
 * The PromQL subset of the metrics fake (test/fakes/memory-metrics.ts):
 * a tokenizer, a parser to a small AST and an evaluator with Prometheus
 * 2.42's semantics, over series the caller holds. Every construct here is
 * pinned against real Prometheus by the metrics contract suite
 * (test/contract/suites/metrics.ts); anything else is a parse error, which
 * the fake reports like Prometheus reports a bad query.
 *
 *   selector      name{l="v", l!="v", l=~"re", l!~"re"}     instant: latest sample in [t−lookback, t]
 *   range         selector[W]; subquery (expr)[W:S]           both ends included (2.x); S-aligned steps
 *   functions     rate, increase (counter resets, extrapolation);
 *                 avg_over_time, sum_over_time, min_over_time, max_over_time, count_over_time;
 *                 label_replace(v, "dst", "repl $1", "src", "re"); vector(s)
 *   aggregation   sum, min, max, avg, count [by (l, …)] (before or after the argument); topk(k, v)
 *   binary        * / %  then  + -  then  == != > < >= <= [bool]  then  or
 *                 vector∘vector one-to-one on labels without __name__; arithmetic and bool drop __name__;
 *                 a comparison without bool filters (scalar∘scalar needs bool)
 *   numbers       42, 0.5, 1e3, Inf, NaN, unary minus
 */

export type Labels = Record<string, string>;
export type Vector = Array<{ labels: Labels; value: number }>;
export type Matrix = Array<{ labels: Labels; times: ArrayLike<number>; values: ArrayLike<number> }>;
export type Value = { kind: 'scalar'; v: number } | { kind: 'vector'; v: Vector } | { kind: 'matrix'; v: Matrix };

export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  re?: RegExp;
}

type BinOp = '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '>' | '<' | '>=' | '<=' | 'or';
type AggOp = 'sum' | 'min' | 'max' | 'avg' | 'count';
export type Node =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'selector'; matchers: Matcher[]; range?: number }
  | { type: 'subquery'; expr: Node; range: number; step: number }
  | { type: 'call'; fn: string; args: Node[] }
  | { type: 'agg'; op: AggOp; by?: string[]; arg: Node }
  | { type: 'topk'; k: Node; arg: Node }
  | { type: 'neg'; arg: Node }
  | { type: 'binary'; op: BinOp; bool: boolean; lhs: Node; rhs: Node };

/** A query Prometheus would refuse (bad_data). */
export class PromqlError extends Error {}

// ------------------------------------------------------------------ tokens

const DURATION_UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** A PromQL duration (`1h30m`, `500ms`) in seconds. */
export function parseDuration(text: string): number {
  const re = /(\d+)(ms|s|m|h|d|w|y)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index !== consumed) break;
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || consumed === 0 || total <= 0) throw new PromqlError(`bad duration "${text}"`);
  return total;
}

type Token = { t: 'ident' | 'string' | 'number' | 'punct' | 'bracket'; v: string; pos: number };

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
      if (close < 0) throw new PromqlError(`unclosed "[" at char ${i + 1}`);
      out.push({ t: 'bracket', v: q.slice(i + 1, close).trim(), pos: i });
      i = close + 1;
    } else if ((m = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest))) {
      out.push({ t: 'ident', v: m[0], pos: i });
      i += m[0].length;
    } else if ((m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(rest))) {
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
      if (j >= q.length) throw new PromqlError(`unterminated string at char ${i + 1}`);
      out.push({ t: 'string', v: s, pos: i });
      i = j + 1;
    } else if ((m = /^(==|!=|>=|<=|=~|!~|[{}(),=/*%+\-<>])/.exec(rest))) {
      out.push({ t: 'punct', v: m[0], pos: i });
      i += m[0].length;
    } else throw new PromqlError(`unexpected character "${c}" at char ${i + 1}`);
  }
  return out;
}

// ------------------------------------------------------------------ parser

const AGGREGATIONS = new Set<string>(['sum', 'min', 'max', 'avg', 'count']);
const RANGE_FUNCTIONS = new Set(['rate', 'increase', 'avg_over_time', 'sum_over_time', 'min_over_time', 'max_over_time', 'count_over_time']);
const KEYWORDS = new Set(['by', 'bool', 'or', 'and', 'unless', 'without', 'offset', 'on', 'ignoring', 'group_left', 'group_right']);
const LEVELS: BinOp[][] = [['or'], ['==', '!=', '>', '<', '>=', '<='], ['+', '-'], ['*', '/', '%']];

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): Node {
    const node = this.binary(0);
    const extra = this.toks[this.i];
    if (extra) throw new PromqlError(`unexpected "${extra.v}" at char ${extra.pos + 1}`);
    return node;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }
  private next(): Token {
    const t = this.toks[this.i++];
    if (!t) throw new PromqlError('unexpected end of input');
    return t;
  }
  private is(v: string, kind: Token['t'] = 'punct'): boolean {
    const t = this.peek();
    return t?.t === kind && t.v === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v || t.t !== 'punct') throw new PromqlError(`expected "${v}" at char ${t.pos + 1}, got "${t.v}"`);
  }

  private binary(level: number): Node {
    if (level >= LEVELS.length) return this.unary();
    let lhs = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      const op = LEVELS[level]!.find((o) => t && t.v === o && (o === 'or' ? t.t === 'ident' : t.t === 'punct'));
      if (!op) return lhs;
      this.i++;
      const bool = this.is('bool', 'ident');
      if (bool) {
        if (level !== 1) throw new PromqlError('bool modifier can only be used on comparison operators');
        this.i++;
      }
      if (this.is('on', 'ident') || this.is('ignoring', 'ident')) throw new PromqlError('the fake does not evaluate on()/ignoring()');
      const rhs = this.binary(level + 1);
      if (level === 1 && !bool && lhs.type === 'number' && rhs.type === 'number') throw new PromqlError('comparisons between scalars must use BOOL modifier');
      lhs = { type: 'binary', op, bool, lhs, rhs };
    }
  }

  private unary(): Node {
    if (this.is('-')) {
      this.i++;
      const arg = this.unary();
      return arg.type === 'number' ? { type: 'number', value: -arg.value } : { type: 'neg', arg };
    }
    if (this.is('+')) this.i++;
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    const t = this.peek();
    if (t?.t !== 'bracket') return node;
    this.i++;
    const colon = t.v.indexOf(':');
    if (colon < 0) {
      if (node.type !== 'selector' || node.range !== undefined) throw new PromqlError(`ranges only allowed for vector selectors at char ${t.pos + 1}`);
      return { ...node, range: parseDuration(t.v) };
    }
    const step = t.v.slice(colon + 1).trim();
    if (step === '') throw new PromqlError('the fake needs an explicit subquery step ([W:S])');
    return { type: 'subquery', expr: node, range: parseDuration(t.v.slice(0, colon).trim()), step: parseDuration(step) };
  }

  private primary(): Node {
    const t = this.next();
    if (t.t === 'number') return { type: 'number', value: Number(t.v) };
    if (t.t === 'string') return { type: 'string', value: t.v };
    if (t.t === 'punct' && t.v === '(') {
      const e = this.binary(0);
      this.expect(')');
      return e;
    }
    if (t.t === 'punct' && t.v === '{') {
      this.i--;
      return this.selector(undefined);
    }
    if (t.t !== 'ident' || KEYWORDS.has(t.v)) throw new PromqlError(`unexpected "${t.v}" at char ${t.pos + 1}`);
    if (t.v === 'Inf' || t.v === 'NaN') return { type: 'number', value: t.v === 'Inf' ? Number.POSITIVE_INFINITY : Number.NaN };
    if (AGGREGATIONS.has(t.v)) return this.aggregation(t.v as AggOp);
    if (t.v === 'topk') {
      const [k, arg] = this.args();
      if (!k || !arg || this.is('by', 'ident')) throw new PromqlError('the fake evaluates topk(k, vector) only');
      return { type: 'topk', k, arg };
    }
    if (this.is('(')) {
      if (!RANGE_FUNCTIONS.has(t.v) && t.v !== 'label_replace' && t.v !== 'vector') throw new PromqlError(`unknown function with name "${t.v}"`);
      return { type: 'call', fn: t.v, args: this.args() };
    }
    return this.selector(t.v);
  }

  private args(): Node[] {
    this.expect('(');
    const args: Node[] = [];
    while (!this.is(')')) {
      args.push(this.binary(0));
      if (!this.is(')')) this.expect(',');
    }
    this.i++;
    return args;
  }

  private labelList(): string[] {
    this.expect('(');
    const names: string[] = [];
    while (!this.is(')')) {
      const t = this.next();
      if (t.t !== 'ident') throw new PromqlError(`expected a label name at char ${t.pos + 1}`);
      names.push(t.v);
      if (!this.is(')')) this.expect(',');
    }
    this.i++;
    return names;
  }

  private aggregation(op: AggOp): Node {
    if (this.is('without', 'ident')) throw new PromqlError('the fake does not evaluate without()');
    let by: string[] | undefined;
    if (this.is('by', 'ident')) {
      this.i++;
      by = this.labelList();
    }
    const args = this.args();
    if (args.length !== 1) throw new PromqlError(`wrong number of arguments for aggregate expression provided, expected 1, got ${args.length}`);
    if (!by && this.is('by', 'ident')) {
      this.i++;
      by = this.labelList();
    }
    return by ? { type: 'agg', op, by, arg: args[0]! } : { type: 'agg', op, arg: args[0]! };
  }

  private selector(name: string | undefined): Node {
    const matchers: Matcher[] = name ? [{ name: '__name__', op: '=', value: name }] : [];
    if (this.is('{')) {
      this.i++;
      while (!this.is('}')) {
        const label = this.next();
        if (label.t !== 'ident') throw new PromqlError(`expected a label name at char ${label.pos + 1}`);
        const op = this.next();
        if (op.t !== 'punct' || !['=', '!=', '=~', '!~'].includes(op.v)) throw new PromqlError(`expected a label matching operator at char ${op.pos + 1}`);
        const value = this.next();
        if (value.t !== 'string') throw new PromqlError(`expected a quoted label value at char ${value.pos + 1}`);
        const matcher: Matcher = { name: label.v, op: op.v as Matcher['op'], value: value.v };
        if (op.v === '=~' || op.v === '!~') matcher.re = new RegExp(`^(?:${value.v})$`);
        matchers.push(matcher);
        if (!this.is('}')) this.expect(',');
      }
      this.i++;
    }
    if (!matchers.some((m) => (m.op === '=' ? m.value !== '' : m.op === '=~' ? !m.re?.test('') : false))) {
      throw new PromqlError('vector selector must contain at least one non-empty matcher');
    }
    return { type: 'selector', matchers };
  }
}

/** Parse a query, or throw PromqlError (or SyntaxError, for a bad regular expression). */
export function parsePromql(query: string): Node {
  return new Parser(tokenize(query)).parse();
}

// ------------------------------------------------------------------ helpers shared with the evaluator

export function matches(labels: Labels, ms: readonly Matcher[]): boolean {
  return ms.every((m) => {
    const v = labels[m.name] ?? '';
    if (m.op === '=') return v === m.value;
    if (m.op === '!=') return v !== m.value;
    if (m.op === '=~') return m.re!.test(v);
    return !m.re!.test(v);
  });
}

export const withoutName = (labels: Labels): Labels => {
  const { __name__: _drop, ...rest } = labels;
  return rest;
};

export const signature = (labels: Labels): string =>
  JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
