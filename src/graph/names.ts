/**
 * Display names of graph nodes, shared by the printer, the JSON format, validation messages,
 * the node table and Graphviz output: initial nodes by their name (x, zero, one, v0, v1),
 * intermediate node k as `n<k>`.
 */
import { INPUT_COUNT, INPUT_NAMES } from './ops.js';

/** The display name of the node with graph index `index` (`x`, …, `v1`, then `n0`, `n1`, …). */
export function nodeName(index: number): string {
  if (Number.isInteger(index) && index >= 0 && index < INPUT_COUNT) return INPUT_NAMES[index];
  return `n${index - INPUT_COUNT}`;
}

/** Edit distance (Levenshtein) between two short strings, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The closest candidate to `word` within a small edit distance, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
