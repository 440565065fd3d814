/**
 * A nesting limit, checked before any YAML text is composed. yaml 2.9 composes nested collections by
 * recursion, and a few KB of nesting (1,000 `[`, then a second document of 1,000 `- `) exhausts the
 * stack inside a regular expression, where Node aborts the whole process ("FATAL ERROR: RegExpCompiler
 * Allocation failed") instead of throwing. yaml's lexer and CST parser do not recurse, so the depth is
 * measured on the CST, with an explicit stack. relia's own files nest fewer than 10 levels. Pure.
 */
import { Parser } from 'yaml';
import { InputError } from './errors.js';

/** The deepest nesting of collections relia reads in a YAML file. */
export const MAX_YAML_DEPTH = 64;

/** The CST fields that can hold a nested token: a document's value, a collection's items, an item's key (null when absent) and value. */
interface Node {
  type: string;
  offset: number;
  value?: Node;
  items?: Array<{ key?: Node | null; value?: Node }>;
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/** The deepest collection nesting in `text` and where the first collection at that depth starts (a character offset). */
export function yamlDepth(text: string): { depth: number; offset: number } {
  let deepest = { depth: 0, offset: 0 };
  const stack: Array<{ node: Node; depth: number }> = [];
  for (const token of new Parser().parse(text)) stack.push({ node: token as Node, depth: 0 });
  for (let top = stack.pop(); top; top = stack.pop()) {
    const { node } = top;
    const depth = top.depth + (COLLECTIONS.has(node.type) ? 1 : 0);
    if (depth > deepest.depth) deepest = { depth, offset: node.offset };
    const children = [node.value];
    if (node.items) for (const item of node.items) children.push(item.key ?? undefined, item.value);
    for (const child of children) if (child) stack.push({ node: child, depth });
  }
  return deepest;
}

/** InputError (exit 2) naming the file and the line when `text` nests collections deeper than MAX_YAML_DEPTH. */
export function checkYamlDepth(text: string, file: string): void {
  const { depth, offset } = yamlDepth(text);
  if (depth <= MAX_YAML_DEPTH) return;
  const line = text.slice(0, offset).split('\n').length;
  throw new InputError(`${file}: line ${line}: collections nested ${depth} levels deep; relia reads at most ${MAX_YAML_DEPTH}`, {
    file,
    suggestions: ['flatten the document: relia files nest a few levels (a mapping of lists of mappings)'],
  });
}
