/**
 * "Did you mean": the closest known name to a mistyped one, by edit distance.
 * Used to print a suggestion, never to run anything. Pure.
 */

/** Levenshtein distance (insert, delete, substitute: cost 1 each). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/**
 * The known name closest to `typed`, or undefined when none is within
 * `maxDistance` (default: a third of the typed length, at least 2). Ties go to
 * the alphabetically first name, so the answer does not depend on order.
 */
export function closestCommand(typed: string, known: readonly string[], maxDistance?: number): string | undefined {
  const limit = maxDistance ?? Math.max(2, Math.floor(typed.length / 3));
  let best: { name: string; d: number } | undefined;
  for (const name of [...new Set(known)].sort()) {
    const d = editDistance(typed, name);
    if (d <= limit && (best === undefined || d < best.d)) best = { name, d };
  }
  return best?.name;
}
