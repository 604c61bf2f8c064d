/**
 * Pareto ranking for MAXIMISATION of K objectives: dominance, fast non-dominated sorting and
 * crowding distance (Deb, Pratap, Agarwal, Meyarivan 2002, "A fast and elitist multiobjective
 * genetic algorithm: NSGA-II"; pymoo `util/nds/fast_non_dominated_sort.py`).
 *
 * Non-finite points: a point with any NaN or ±Inf coordinate is not comparable. It dominates
 * nothing, nothing dominates it, and it is returned in NO front (STYLE.md 9: failed
 * evaluations never enter the Pareto front). Equal points do not dominate each other, so
 * duplicates always share a front.
 *
 * Non-dominated sorting is ENS-BS (see nonDominatedSort), which gives Deb et al.'s fronts
 * without their O(N²) domination lists.
 */

/** A point in objective space (one value per objective, larger is better). */
export type ObjectivePoint = readonly number[];

/** True when every coordinate is a finite number. */
export function isFinitePoint(point: ObjectivePoint): boolean {
  return point.every((v) => Number.isFinite(v));
}

/**
 * True when `a` Pareto-dominates `b` under maximisation: `a` is at least as good in every
 * objective and strictly better in one. False when either point has a non-finite coordinate.
 * Throws RangeError when the points have different lengths.
 */
export function dominates(a: ObjectivePoint, b: ObjectivePoint): boolean {
  if (a.length !== b.length) {
    throw new RangeError(`dominates: points of different lengths (${a.length} and ${b.length})`);
  }
  if (!isFinitePoint(a) || !isFinitePoint(b)) return false;
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return false;
    if (a[i] > b[i]) strictly = true;
  }
  return strictly;
}

/**
 * Sorts points into non-dominated fronts: `result[0]` holds the indices of the points no
 * other point dominates, `result[1]` those dominated only by front 0, and so on. Indices
 * within a front are in increasing order. Points with a non-finite coordinate appear in no
 * front.
 *
 * Efficient non-dominated sort with binary search (ENS-BS; Zhang, Tian, Cheng, Jin 2015,
 * "An efficient approach to non-dominated sorting for evolutionary multiobjective
 * optimization"): same fronts as Deb et al.'s fast non-dominated sort, O(N) memory instead of
 * the O(N²) domination lists (a run's journal can hold 10⁵ scored candidates), and far fewer
 * comparisons in practice (worst case O(K·N²)).
 *
 *   visit the finite points in lexicographically decreasing order (only an earlier point can
 *   dominate a later one)
 *   each point goes to the first front none of whose members dominates it, found by binary
 *   search: being dominated by front f implies being dominated by every front before f
 */
export function nonDominatedSort(points: readonly ObjectivePoint[]): number[][] {
  const order = points.map((_, i) => i).filter((i) => isFinitePoint(points[i]));
  order.sort((a, b) => {
    const pa = points[a];
    const pb = points[b];
    for (let m = 0; m < pa.length; m++) if (pa[m] !== pb[m]) return pb[m] - pa[m];
    return a - b;
  });
  const fronts: number[][] = [];
  const dominatedByFront = (f: number, p: number): boolean => {
    const front = fronts[f];
    // The latest members are the closest in the visiting order, so the likeliest to dominate.
    for (let j = front.length - 1; j >= 0; j--) if (dominates(points[front[j]], points[p])) return true;
    return false;
  };
  for (const p of order) {
    let low = 0;
    let high = fronts.length; // the answer lies in [low, high]; high = a new front
    while (low < high) {
      const mid = (low + high) >> 1;
      if (dominatedByFront(mid, p)) low = mid + 1;
      else high = mid;
    }
    if (low === fronts.length) fronts.push([p]);
    else fronts[low].push(p);
  }
  return fronts.map((front) => front.sort((a, b) => a - b));
}

/**
 * The indices (increasing) of the non-dominated points: front 0 of `nonDominatedSort`, or an
 * empty array when no point is finite.
 */
export function paretoFront(points: readonly ObjectivePoint[]): number[] {
  const finite: number[] = [];
  points.forEach((p, i) => {
    if (isFinitePoint(p)) finite.push(i);
  });
  return finite.filter((i) => !finite.some((j) => j !== i && dominates(points[j], points[i])));
}

/**
 * NSGA-II crowding distance of each member of `front` (indices into `points`), returned in
 * the order of `front`. Per objective, the front is sorted; the two boundary members get
 * +Infinity and an inner member adds (next − previous) / (max − min). Objectives whose range
 * is 0 add nothing. Fronts of one or two members are all +Infinity. Larger = less crowded.
 */
export function crowdingDistance(points: readonly ObjectivePoint[], front: readonly number[]): number[] {
  const distance = new Array<number>(front.length).fill(0);
  if (front.length <= 2) return distance.fill(Infinity);
  const k = points[front[0]].length;
  for (let m = 0; m < k; m++) {
    // Positions within `front`, sorted by objective m (stable: ties keep front order).
    const order = front.map((_, pos) => pos).sort((a, b) => points[front[a]][m] - points[front[b]][m]);
    const min = points[front[order[0]]][m];
    const max = points[front[order[order.length - 1]]][m];
    distance[order[0]] = Infinity;
    distance[order[order.length - 1]] = Infinity;
    const range = max - min;
    if (!(range > 0)) continue;
    for (let r = 1; r < order.length - 1; r++) {
      const gap = points[front[order[r + 1]]][m] - points[front[order[r - 1]]][m];
      distance[order[r]] += gap / range;
    }
  }
  return distance;
}
