/**
 * Windowing PromQL queries written without a range, as OpenSLO `ratioMetric`
 * queries for other tools are written (`sum(http_requests_total{code="500"})`):
 * the query's syntax tree, from the Prometheus project's own parser
 * (@prometheus-io/lezer-promql), is rewritten so that every series selector
 * becomes `fn(selector[{{.window}}])`, with the range function pushed inside
 * aggregations and sums. `rate` for counters (OpenSLO `counter: true`),
 * `avg_over_time` for gauges (`counter: false`): the mean level over the window.
 *
 * The rewrite is exact only where the range function commutes with the
 * expression around the selector: `sum`/`avg` aggregations, `+`/`-` between
 * series, multiplication or division by a number, parentheses, unary minus,
 * `label_replace`/`label_join` and `offset`. Anything else (max, topk,
 * quantile, count, vector × vector, comparisons, set operators, other
 * functions, an existing range or subquery) is refused with a message that
 * names the construct and a fix. Pure.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

/** The placeholder relia fills with each window (./common.ts WINDOW). */
const WINDOW = '{{.window}}';

export type RangeFunction = 'rate' | 'avg_over_time';

export type WindowResult = { ok: true; query: string } | { ok: false; message: string; fix: string };

class Refusal extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

const LINEAR_AGGREGATIONS = new Set(['Sum', 'Avg']);
const LABEL_FUNCTIONS = new Set(['LabelReplace', 'LabelJoin']);

/** The child nodes that are parts of the expression: `# comments` are kept in the text but are no part. */
function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment') out.push(c);
  return out;
}

function isNumber(node: SyntaxNode): boolean {
  if (node.name === 'NumberDurationLiteral') return true;
  if (node.name === 'ParenExpr' || node.name === 'UnaryExpr') {
    const inner = children(node).filter((c) => c.name !== 'UnaryOp');
    return inner.length === 1 && isNumber(inner[0] as SyntaxNode);
  }
  return false;
}

const ARITHMETIC = new Set(['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow']);

/** Rewrites a query; `text(node)` is the source text of a node. */
class Windower {
  private readonly edits: Array<{ from: number; to: number; text: string }> = [];

  constructor(
    private readonly query: string,
    private readonly fn: RangeFunction,
    private readonly what: string,
  ) {}

  text(node: SyntaxNode): string {
    return this.query.slice(node.from, node.to);
  }

  refuse(node: SyntaxNode, why: string, fix?: string): never {
    throw new Refusal(
      `cannot apply ${this.fn}() over the window to ${JSON.stringify(this.text(node))}: ${why}`,
      fix ?? `write the query with an explicit range, e.g. ${this.fn}(metric[{{.window}}]) inside the aggregation, or use a sum of ${this.what}`,
    );
  }

  /** Validate `node` (an expression over the series) and record where the selectors are. */
  visit(node: SyntaxNode): void {
    switch (node.name) {
      case 'VectorSelector':
        this.edits.push({ from: node.from, to: node.to, text: `${this.fn}(${this.text(node)}[${WINDOW}])` });
        return;
      case 'OffsetExpr': {
        // Parsed without error (windowQuery checks first), an offset holds its expression, the keyword and the duration.
        const [inner, , amount] = children(node) as [SyntaxNode, SyntaxNode, SyntaxNode];
        if (inner.name !== 'VectorSelector') this.refuse(node, 'offset applies only to a series selector here');
        this.edits.push({ from: node.from, to: node.to, text: `${this.fn}(${this.text(inner)}[${WINDOW}] offset ${this.text(amount)})` });
        return;
      }
      // Stryker disable next-line ConditionalExpression: equivalent, a ParenExpr has no UnaryOp child, so the UnaryExpr case below visits the same children
      case 'ParenExpr':
        for (const c of children(node)) this.visit(c);
        return;
      case 'UnaryExpr':
        for (const c of children(node)) if (c.name !== 'UnaryOp') this.visit(c);
        return;
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'FunctionCall':
        return this.call(node);
      case 'MatrixSelector':
      case 'SubqueryExpr':
        this.refuse(node, 'the query already has a range', `OpenSLO queries without a window must not hold ranges; or write every range as [{{.window}}]`);
        break;
      case 'NumberDurationLiteral':
      case 'StringLiteral':
        this.refuse(node, 'it selects no series', 'select the series, e.g. http_requests_total{code="500"}');
        break;
      case 'StepInvariantExpr':
        this.refuse(node, 'the @ modifier pins the query to one instant', 'remove the @ modifier');
        break;
      default:
        this.refuse(node, `${node.name} is not supported here`);
    }
  }

  private aggregate(node: SyntaxNode): void {
    // Parsed without error, an aggregation holds its operator and its body.
    const op = (node.getChild('AggregateOp') as SyntaxNode).firstChild as SyntaxNode;
    const body = node.getChild('FunctionCallBody') as SyntaxNode;
    if (!LINEAR_AGGREGATIONS.has(op.name)) {
      this.refuse(node, `${this.text(op)}() does not commute with ${this.fn}(): the ${this.fn} of a ${this.text(op)} is not the ${this.text(op)} of the ${this.fn}s`, `aggregate with sum or avg, or write ${this.text(op)}(${this.fn}(metric[{{.window}}])) yourself`);
    }
    const args = children(body);
    if (args.length === 0) this.refuse(node, 'missing argument');
    if (args.length !== 1) this.refuse(node, `${this.text(op)}() with a parameter is not supported`);
    this.visit(args[0] as SyntaxNode);
  }

  private binary(node: SyntaxNode): void {
    // Parsed without error, a binary expression is: left operand, operator, modifiers (bool, on/ignoring, fill), right
    // operand. Taken by position, so an operator this file does not know (the trim operators </ and >/) is refused below.
    const [left, opNode, ...rest] = children(node) as [SyntaxNode, SyntaxNode, ...SyntaxNode[]];
    const right = rest.pop() as SyntaxNode;
    const op = opNode.name;
    // The parser takes `a + bool b`; Prometheus refuses it. A comparison (bool or not) is refused below whatever its operands.
    if (ARITHMETIC.has(op) && rest.some((p) => p.name === 'BoolModifier')) this.refuse(node, 'bool applies only to comparison operators');
    const fill = rest.find((p) => p.name === 'FillModifier');
    if (fill) this.refuse(node, `the ${this.text(fill)} modifier is not supported here`, 'write the ranges yourself as [{{.window}}]');
    if (op === 'Add' || op === 'Sub') {
      if (isNumber(left) || isNumber(right)) this.refuse(node, `adding a number to ${this.what} does not commute with ${this.fn}()`);
      this.visit(left);
      this.visit(right);
      return;
    }
    if (op === 'Mul' && (isNumber(left) || isNumber(right))) {
      this.visit(isNumber(left) ? right : left);
      return;
    }
    // A number divided by a number selects no series: visiting the left number says so.
    if (op === 'Div' && isNumber(right)) {
      this.visit(left);
      return;
    }
    const why = op === 'Mul' || op === 'Div' ? `${this.fn}() of a product or quotient of series is not the product or quotient of their ${this.fn}s` : `the operator ${this.text(opNode)} does not commute with ${this.fn}()`;
    this.refuse(node, why, 'give good, bad and total as separate queries (ratioMetric good/bad/total), or write the ranges yourself as [{{.window}}]');
  }

  private call(node: SyntaxNode): void {
    // Parsed without error, a call holds its function name and its body.
    const id = (node.getChild('FunctionIdentifier') as SyntaxNode).firstChild as SyntaxNode;
    const body = node.getChild('FunctionCallBody') as SyntaxNode;
    if (!LABEL_FUNCTIONS.has(id.name)) {
      this.refuse(node, `${this.text(id)}() does not commute with ${this.fn}()`, `write the query with an explicit range, e.g. ${this.text(id)}(${this.fn}(metric[{{.window}}]))`);
    }
    const [first] = children(body);
    if (!first) this.refuse(node, 'missing argument');
    this.visit(first);
  }

  result(): string {
    let out = this.query;
    for (const e of [...this.edits].sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
    return out;
  }
}

function findNode(node: SyntaxNode, test: (n: SyntaxNode) => boolean): SyntaxNode | undefined {
  if (test(node)) return node;
  for (const c of children(node)) {
    const found = findNode(c, test);
    if (found) return found;
  }
  return undefined;
}

/** The first syntax error of a query, as a message, or undefined when it parses. */
export function promqlSyntaxError(query: string): string | undefined {
  const tree = parser.parse(query);
  let at: number | undefined;
  tree.iterate({
    enter(n) {
      // Stryker disable next-line BooleanLiteral: equivalent, false only skips the rest of the tree; the first error is kept either way
      if (at !== undefined) return false;
      if (n.type.isError) at = n.from;
      return undefined;
    },
  });
  if (at === undefined) return undefined;
  const near = query.slice(Math.max(0, at - 10), at + 10);
  return `not valid PromQL: syntax error at character ${at + 1}${near ? ` (near ${JSON.stringify(near)})` : ''}`;
}

/**
 * Rewrite a query without a window into a `{{.window}}` template: every
 * selector `s` becomes `fn(s[{{.window}}])`, the rest of the text is kept.
 */
export function windowQuery(query: string, fn: RangeFunction): WindowResult {
  const syntax = promqlSyntaxError(query);
  if (syntax) return { ok: false, message: syntax, fix: 'fix the PromQL syntax (promtool and the Prometheus UI show the same error)' };
  // Parsed without error, the query holds an expression (the empty query is a syntax error at character 1).
  const [top] = children(parser.parse(query).topNode) as [SyntaxNode];
  const w = new Windower(query, fn, fn === 'rate' ? 'counters' : 'gauges');
  try {
    // A range anywhere means the query was written for a fixed window: say that, not what wraps it.
    const ranged = findNode(top, (n) => n.name === 'MatrixSelector' || n.name === 'SubqueryExpr');
    if (ranged) w.visit(ranged);
    w.visit(top);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message, fix: error.fix };
    throw error;
  }
  return { ok: true, query: w.result() };
}

/** True when the query is one series selector (`metric{label="x"}`), as Pyrra requires. */
export function isVectorSelector(query: string): boolean {
  if (promqlSyntaxError(query) !== undefined) return false;
  // Parsed without error: the query holds an expression; the parser skips the spaces around it.
  // Stryker disable next-line MethodExpression: equivalent, the parser skips surrounding spaces
  const top = parser.parse(query.trim()).topNode.firstChild as SyntaxNode;
  return top.name === 'VectorSelector' && top.nextSibling === null;
}
