/**
 * A cap on each structural family's share of the population (src/graph/family.ts), the evolver's
 * guard against collapse into one family (issue 17; results/discovery-1's population went over
 * 85% `tanh(…)`). It changes only WHO ages out, never who wins a tournament, so selection still
 * follows the objectives:
 *
 *   limit = max(1, ⌊cap · P⌋) members per family
 *   a member joins: population += member
 *     if its family now holds more than limit: the oldest member of that family leaves
 *     while the population exceeds P: the oldest member leaves        (aging, as without a cap)
 *
 * With the population full, the first rule replaces "the oldest overall leaves" by "the oldest of
 * the child's family leaves" exactly when the child would push its family over the cap. Since
 * every step leaves the child's family at ≤ limit and only removes others, no family ever holds
 * more than `limit` members after a step (the property test/search/family-cap.test.ts checks).
 */
import { structuralFamily } from '../graph/family.js';
import type { LayerGraph } from '../graph/types.js';

/** Families already computed, by graph object (graphs are immutable values; a pure memo). */
const memo = new WeakMap<LayerGraph, string>();

/** structuralFamily, memoised by graph object (the population is re-read at every step). */
export function familyOf(graph: LayerGraph): string {
  let family = memo.get(graph);
  if (family === undefined) {
    family = structuralFamily(graph);
    memo.set(graph, family);
  }
  return family;
}

/** Members a family may hold: max(1, ⌊cap · populationSize⌋); null when there is no cap. */
export function familyLimit(cap: number | null | undefined, populationSize: number): number | null {
  if (cap === null || cap === undefined) return null;
  return Math.max(1, Math.floor(cap * populationSize + 1e-9));
}

/**
 * `population` (oldest first) after `member` joins it under aging with at most `populationSize`
 * members and, when `limit` is not null, at most `limit` members per family (see the module
 * comment). Returns a new array; the input is not changed.
 */
export function admit<M extends { readonly graph: LayerGraph }>(population: readonly M[], member: M, populationSize: number, limit: number | null): M[] {
  const next = [...population, member];
  if (limit !== null) {
    const family = familyOf(member.graph);
    const same = next.flatMap((m, i) => (familyOf(m.graph) === family ? [i] : []));
    if (same.length > limit) next.splice(same[0], 1);
  }
  while (next.length > populationSize) next.shift();
  return next;
}

/** Members per family, largest first (ties by name). */
export function familyCounts(graphs: readonly LayerGraph[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const graph of graphs) {
    const family = familyOf(graph);
    counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
