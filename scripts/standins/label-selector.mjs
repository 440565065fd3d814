/**
 * Kubernetes label and field selectors, as the API server reads them:
 * `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, joined by
 * commas. Shared by the in-memory cluster (test/fakes/memory-cluster.ts) and
 * the loopback API stand-in (scripts/standins/kube-api.mjs).
 */

function splitTopLevel(selector) {
  const parts = [];
  let depth = 0;
  let current = '';
  for (const c of selector) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function requirement(term) {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in' ? (l) => l[key] !== undefined && values.has(l[key]) : (l) => l[key] === undefined || !values.has(l[key]);
  }
  const ne = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(term);
  if (ne) return (l) => l[ne[1]] !== ne[2];
  const eq = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(term);
  if (eq) return (l) => l[eq[1]] === eq[2];
  const notExists = /^!\s*([^\s!=]+)$/.exec(term);
  if (notExists) return (l) => l[notExists[1]] === undefined;
  if (/^[^\s!=(),]+$/.test(term)) return (l) => l[term] !== undefined;
  throw new Error(`unable to parse requirement: ${term}`);
}

/** A predicate over a label map; throws on a selector the API would reject. */
export function parseSelector(selector) {
  if (selector === undefined || selector.trim() === '') return () => true;
  const reqs = splitTopLevel(selector).map(requirement);
  return (labels) => reqs.every((r) => r(labels));
}

/** True when every matchLabels pair is in `labels` (an empty selector matches everything, as for PDBs). */
export function matchesLabels(matchLabels, labels) {
  return Object.entries(matchLabels).every(([k, v]) => labels[k] === v);
}
