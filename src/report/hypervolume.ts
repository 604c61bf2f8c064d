/**
 * Hypervolume of a set of points under maximisation: the volume dominated by the set and bounded
 * below by a reference point (Zitzler & Thiele 1998). The search's progress measure in the report.
 *
 *   K = 1: max(x) − ref
 *   K = 2: sort by the first objective, descending; sum the rectangles of the staircase
 *   K > 2: slice along the last objective (HSO): between consecutive levels, the (K−1)-volume
 *          of the points at or above the level, times the slice height
 *
 * Points not strictly above the reference in every objective add nothing. Exact; O(n log n) for
 * K = 2, O(n^(K−1) log n) beyond: meant for fronts of tens to hundreds of points.
 */

/** The hypervolume of `points` (each of length K) above `reference` (length K), maximising. */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[]): number {
  const k = reference.length;
  const above = points.filter((p) => p.length === k && p.every((v, m) => v > reference[m]));
  return volume(above, reference, k);
}

function volume(points: readonly (readonly number[])[], ref: readonly number[], k: number): number {
  if (points.length === 0) return 0;
  if (k === 1) return Math.max(...points.map((p) => p[0])) - ref[0];
  if (k === 2) {
    const sorted = [...points].sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    let total = 0;
    let top = ref[1];
    for (const p of sorted) {
      if (p[1] > top) {
        total += (p[0] - ref[0]) * (p[1] - top);
        top = p[1];
      }
    }
    return total;
  }
  const last = k - 1;
  const levels = [...new Set(points.map((p) => p[last]))].sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i];
    const below = i + 1 < levels.length ? levels[i + 1] : ref[last];
    const slice = points.filter((p) => p[last] >= level);
    total += volume(slice, ref, last) * (level - below);
  }
  return total;
}
